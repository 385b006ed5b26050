/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cost report of `renkei batch`: what paper, printing, postage or FAX
 * and labour the month's exchange replaced, per office, by the exchange's
 * own cost simulator (spec/cost-simulator.md). Every assumption is a setting
 * with its default, shown in the report and changed by --cost KEY=VALUE.
 *
 * Per user (利用者) and month, for an office that sends to k offices for that
 * user (a care manager: the providers of its standing plan; a provider: the
 * care manager it returns 実績 to, k = 1):
 *   printing  = sheets × print_yen_per_sheet × k
 *   by hand   = printing + labour_hand
 *   by mail   = printing + postage + labour_mail
 *   by FAX    = printing + sheets × fax_yen_per_sheet × k + labour_fax
 *   exchange  = labour_exchange, and system_fee once a month per office.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "batch.h"

static const bt_cost_setting defaults[BT_COST_COUNT] = {
    [BT_SHEETS] = {"sheets_per_user", 2, "枚", "票 + 別表: sheets a user's form takes per office",
                   "利用票と別表の枚数(事業所あたり)"},
    [BT_PRINT] = {"print_yen_per_sheet", 2, "円", "printing, per sheet", "印刷費(1枚)"},
    [BT_POSTAGE] = {"postage_per_user", 130, "円", "stamp and envelope, per user", "郵送費(切手・封筒、1人)"},
    [BT_FAX] = {"fax_yen_per_sheet", 10, "円", "FAX, per sheet sent", "通信費(FAX 1枚)"},
    [BT_LABOUR_HAND] = {"labour_hand_per_user", 135, "円", "delivering by hand, per user (1,800 yen an hour)",
                        "人件費(お届け、1人)"},
    [BT_LABOUR_MAIL] = {"labour_mail_per_user", 90, "円", "sorting, folding, enveloping, per user",
                        "人件費(郵送、1人)"},
    [BT_LABOUR_FAX] = {"labour_fax_per_user", 90, "円", "sending and checking a FAX, per user", "人件費(FAX、1人)"},
    [BT_SYSTEM_FEE] = {"system_fee_per_month", 1750, "円",
                       "the exchange's licence, per office and month (21,000 a year)", "システム利用料(1か月)"},
    [BT_LABOUR_EXCHANGE] = {"labour_exchange_per_user", 10, "円", "sending by the exchange, per user",
                            "人件費(データ連携、1人)"},
};

rk_status bt_cost_settings(bt_cost_setting out[BT_COST_COUNT], const char *const *kv, size_t n, char *err,
                           size_t errcap)
{
    memcpy(out, defaults, sizeof defaults);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        char *end = NULL;
        long long v = eq ? strtoll(eq + 1, &end, 10) : 0;
        size_t k = 0;
        while (k < BT_COST_COUNT && !(eq && strlen(out[k].key) == (size_t)(eq - kv[i]) &&
                                      strncmp(out[k].key, kv[i], (size_t)(eq - kv[i])) == 0))
            k++;
        if (k == BT_COST_COUNT || !end || *end || end == eq + 1 || v < 0) {
            snprintf(err, errcap, "--cost %s: KEY=VALUE with a known key and a whole number of yen (see --help)",
                     kv[i]);
            return RK_ERR_ARG;
        }
        out[k].value = v;
    }
    return RK_OK;
}

void bt_cost_of(const bt_cost_setting *s, uint64_t users, uint64_t offices, bt_cost *c)
{
    int64_t u = (int64_t)users, k = (int64_t)offices, sheets = s[BT_SHEETS].value;
    int64_t print = sheets * s[BT_PRINT].value * k;
    memset(c, 0, sizeof *c);
    c->users = users;
    c->offices = offices;
    c->hand = print + s[BT_LABOUR_HAND].value * u;
    c->mail = print + (s[BT_POSTAGE].value + s[BT_LABOUR_MAIL].value) * u;
    c->fax = print + sheets * s[BT_FAX].value * k + s[BT_LABOUR_FAX].value * u;
    c->exchange = s[BT_SYSTEM_FEE].value + s[BT_LABOUR_EXCHANGE].value * u;
}

static void json_cost(rk_json *w, const bt_cost *c)
{
    rk_json_ku64(w, "users", c->users);
    rk_json_ku64(w, "offices_sent_to", c->offices);
    rk_json_ki64(w, "by_hand", c->hand);
    rk_json_ki64(w, "by_mail", c->mail);
    rk_json_ki64(w, "by_fax", c->fax);
    rk_json_ki64(w, "by_exchange", c->exchange);
    rk_json_ki64(w, "saved_against_hand", c->hand - c->exchange);
    rk_json_ki64(w, "saved_against_mail", c->mail - c->exchange);
    rk_json_ki64(w, "saved_against_fax", c->fax - c->exchange);
}

rk_status bt_write_cost(const bt_month *m, FILE *out)
{
    rk_json w;
    rk_json_init(&w, out);
    rk_json_object(&w);
    rk_json_kstr(&w, "schema", "renkei.cost");
    rk_json_ku64(&w, "version", 1);
    rk_json_kstr(&w, "month", m->month);
    rk_json_kstr(&w, "source", "ケアプランデータ連携 料金シミュレーター (unit costs per user and month, yen)");
    rk_json_key(&w, "assumptions");
    rk_json_array(&w);
    for (int k = 0; k < BT_COST_COUNT; k++) {
        rk_json_object(&w);
        rk_json_kstr(&w, "key", m->cost[k].key);
        rk_json_ki64(&w, "value", m->cost[k].value);
        rk_json_ki64(&w, "default", defaults[k].value);
        rk_json_kstr(&w, "unit", m->cost[k].unit);
        rk_json_kstr(&w, "en", m->cost[k].en);
        rk_json_kstr(&w, "ja", m->cost[k].ja);
        rk_json_end(&w);
    }
    rk_json_end(&w);
    rk_json_key(&w, "total");
    rk_json_object(&w);
    json_cost(&w, &m->cost_all);
    rk_json_end(&w);
    rk_json_key(&w, "offices");
    rk_json_array(&w);
    for (size_t i = 0; i < m->noffice; i++) {
        const bt_office *x = &m->office[i];
        if (!x->cost.users)
            continue;
        rk_json_object(&w);
        rk_json_kstr(&w, "office", x->no);
        rk_json_kstr(&w, "role", bt_is_care_manager(x) ? "care_manager" : "provider");
        json_cost(&w, &x->cost);
        rk_json_end(&w);
    }
    rk_json_end(&w);
    rk_json_end(&w);
    rk_json_line(&w);
    return ferror(out) ? RK_ERR_IO : RK_OK;
}
