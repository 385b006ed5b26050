/*
 * The file kinds the billing judgement reads (rows.h).
 */
#include "rows.h"

#include <string.h>

static const char *const prefixes[RK_BK_COUNT] = {"UPPLAN", "UPJSK", "UPSIKYU", "UPHOSOKU"};

int rk_billing_kind(const rk_name_info *ni)
{
    if (!ni->kind || ni->problem)
        return -1;
    for (int k = 0; k < RK_BK_COUNT; k++)
        if (strcmp(ni->kind, prefixes[k]) == 0)
            return k != RK_BK_PERSON || rk_name_is_monthly_person(ni) ? k : -1;
    return -1;
}

const char *rk_billing_kind_prefix(int kind)
{
    return kind >= 0 && kind < RK_BK_COUNT ? prefixes[kind] : NULL;
}
