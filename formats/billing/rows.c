/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file kinds the billing judgement reads (rows.h).
 */
#include "rows.h"

#include <string.h>

static const struct {
    const char *prefix;
    int kind;
} kinds[] = {{"UPPLAN", RK_BK_PLAN},     {"UPJSK", RK_BK_ACTUAL},   {"UPSIKYU", RK_BK_BENEFIT},
             {"UPHOSOKU", RK_BK_PERSON}, {"DLTPLAN", RK_BK_DELETE}, {"DLTJSK", RK_BK_DELETE}};

int rk_billing_kind(const rk_name_info *ni)
{
    if (!ni->kind)
        return -1;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(ni->kind, kinds[k].prefix) == 0) {
            if (ni->problem)
                return RK_BK_BAD_NAME;
            return kinds[k].kind != RK_BK_PERSON || rk_name_is_monthly_person(ni) ? kinds[k].kind : -1;
        }
    return -1;
}
