/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File families as data (families.h).
 */
#include "families.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "layouts.h"

/* The month segment of a 利用者補足 sent with 第1-3表. */
static const char no_month[] = "000000";

static const rk_family families[] = {
    {"UPPLAN", {"UPSIKYU", "UPHOSOKU:M", NULL}, {RK_DEP_REQUIRED, RK_DEP_REQUIRED, 0}, {1, 1, 0}},
    {"UP1KYO", {"UP2KYO", "UP3KYO", "UPHOSOKU:0"}, {RK_DEP_REQUIRED, RK_DEP_REQUIRED_V4, RK_DEP_REQUIRED}, {1, 0, 1}},
    {"UPKIHON",
     {"UPKIHON_SUB1", "UPKIHON_SUB2", "UPKIHON_IMAGE"},
     {RK_DEP_REQUIRED, RK_DEP_REQUIRED, RK_DEP_OPTIONAL},
     {0, 0, 0}},
    {"UPYOBO", {"UPYOBO_SUB", NULL, NULL}, {RK_DEP_REQUIRED, 0, 0}, {0, 0, 0}},
};

size_t rk_family_count(void)
{
    return sizeof families / sizeof families[0];
}

const rk_family *rk_family_at(size_t i)
{
    return i < rk_family_count() ? &families[i] : NULL;
}

static int is_person(const char *kind)
{
    return strcmp(kind, "UPHOSOKU") == 0;
}

int rk_name_is_monthly_person(const rk_name_info *ni)
{
    return ni->kind && is_person(ni->kind) && strcmp(ni->month, no_month) != 0;
}

int rk_name_is_exchange_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".jpg") == 0);
}

int rk_name_has_month(const rk_name_info *ni)
{
    return strlen(ni->month) == 6 && strcmp(ni->month, no_month) != 0;
}

void rk_file_role(const rk_name_info *ni, char out[RK_ROLE_MAX])
{
    if (is_person(ni->kind))
        snprintf(out, RK_ROLE_MAX, "%s:%s", ni->kind, strcmp(ni->month, no_month) == 0 ? "0" : "M");
    else
        snprintf(out, RK_ROLE_MAX, "%s", ni->kind);
}

const char *rk_role_kind(const char *role, char out[RK_ROLE_MAX])
{
    snprintf(out, RK_ROLE_MAX, "%s", role);
    char *colon = strchr(out, ':');
    if (colon)
        *colon = 0;
    return out;
}

unsigned rk_link_key_item(const rk_kind *kind, const rk_name_info *ni)
{
    if (is_person(kind->prefix))
        return strcmp(ni->month, no_month) == 0 ? RK_PERSON_KEY_DATE : RK_PERSON_KEY_MONTH;
    const rk_layout *l = rk_layout_find(kind->prefix, RK_LAYOUT_V4);
    return l ? l->key_field : 0;
}
