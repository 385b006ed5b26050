/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File families of a send unit (careplan-csv.md §2.7, §4): the parent file
 * kind, its companions, which companions must come, and the item that closes
 * each file's link key (保険者番号 + 被保険者番号 + a date or a month).
 * 利用者補足 (UPHOSOKU) plays two roles: with 第6表/第7表 (a month in its name)
 * and with 第1-3表 (month segment 000000).
 */
#ifndef RK_CAREPLAN_FAMILIES_H
#define RK_CAREPLAN_FAMILIES_H

#include <stddef.h>

#include "careplan.h"

/* A role name is a kind prefix, or UPHOSOKU with ":M" / ":0". */
#define RK_ROLE_MAX 20

enum { RK_DEP_OPTIONAL = 0, RK_DEP_REQUIRED = 1, RK_DEP_REQUIRED_V4 = 4 };

/* 利用者補足 items closing its link key: 作成年月日 with 第1-3表, 対象年月 with 第6/7表. */
enum { RK_PERSON_KEY_DATE = 4, RK_PERSON_KEY_MONTH = 63 };

typedef struct rk_family {
    const char *parent;
    const char *deps[3];            /* roles of the companions, NULL-padded */
    unsigned char dep_needed[3];    /* RK_DEP_* */
    unsigned char parent_in_dep[3]; /* every parent key must appear in this companion */
} rk_family;

size_t rk_family_count(void);
const rk_family *rk_family_at(size_t i);

/* The role a parsed file name plays in families (ni->kind must be set). */
void rk_file_role(const rk_name_info *ni, char out[RK_ROLE_MAX]);

/* The kind prefix of a role ("UPHOSOKU:M" -> "UPHOSOKU"). */
const char *rk_role_kind(const char *role, char out[RK_ROLE_MAX]);

/* The item that closes the link key of a file of this kind and name; 0 if it has none. */
unsigned rk_link_key_item(const rk_kind *kind, const rk_name_info *ni);

/* Whether a file name is a 利用者補足 sent with 第6表/第7表 (a month in its name). */
int rk_name_is_monthly_person(const rk_name_info *ni);

/* Whether a file's name ends as the exchange's files do (.CSV, or .JPG for a 家族構成 image; any case):
 * a directory walk takes these and lists others (memo.txt, a .zip) as skipped. */
int rk_name_is_exchange_file(const char *name);

/* Whether a file name names a service month (a YYYYMM segment that is not the 000000 of a 1表 unit). */
int rk_name_has_month(const rk_name_info *ni);

#endif
