/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen_corpus — writes a large, realistic file of the standard (CSV version
 * 202407) in MS932 for benchmarks: 第6表 UPPLAN / UPJSK with one record per
 * service day, or 第7表 UPSIKYU with a row per service and a total row per
 * person; Japanese names, office names, occasional 用具名称 with commas,
 * doubled quotes and line breaks inside quotes. Every record is valid, so the
 * benchmark times the rules, not the reporting. Deterministic for a seed.
 *
 * usage: gen_corpus {UPPLAN|UPJSK|UPSIKYU} SIZE_MB OUT [SEED]
 *        gen_corpus month OUT_DIR USERS CARE_MANAGERS PROVIDERS   (gen_month.c: a month of many offices)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_month.h"
#include "renkei.h"

static uint64_t s = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static const char *family[] = {"佐藤", "鈴木", "高橋",   "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
                               "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林",   "清水", "髙木"};
static const char *given[] = {"花子", "一郎", "とし", "正", "恵子", "誠", "ハル", "キヨ", "茂",   "和子",
                              "幸子", "勝",   "節子", "弘", "千代", "進", "久子", "実",   "ミツ", "清"};
static const char *offices[] = {"ヘルパーステーション㈱あおば", "デイサービス①ひだまり", "訪問介護事業所 さくら",
                                "ケアセンター みなと",          "通所介護 すずらん",     "福祉用具レンタル ㈲つばさ"};
static const char *tools[] = {"手すり（据置型）、玄関用", "歩行器 \"\"ウォーカー\"\" Ｓ",
                              "車いす（自走式）\r\n背張り調整付き", "特殊寝台 ３モーター", "スロープ、段差解消"};
static const char *codes[] = {"111111", "111211", "152441", "171007", "112111", "152442"};

/* UTF-8 literal → MS932 bytes, through the library's own encoder. */
static size_t enc(const char *u, char *out, size_t cap)
{
    size_t w;
    if (rk_ms932_from_utf8(u, strlen(u), out, cap, &w, NULL, NULL, NULL) != RK_OK)
        abort();
    return w;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "month") == 0)
        return gen_month(argc, argv);
    const char *kind = argc >= 4 ? argv[1] : "";
    int jsk = strcmp(kind, "UPJSK") == 0, sikyu = strcmp(kind, "UPSIKYU") == 0;
    if (!jsk && !sikyu && strcmp(kind, "UPPLAN") != 0) { /* an unknown kind is no silent UPPLAN */
        fprintf(stderr, "usage: gen_corpus {UPPLAN|UPJSK|UPSIKYU} SIZE_MB OUT [SEED]\n");
        return 2;
    }
    unsigned long long want = strtoull(argv[2], NULL, 10) * 1000000ull;
    if (argc > 4)
        s = strtoull(argv[4], NULL, 10) | 1;
    FILE *f = fopen(argv[3], "wb");
    if (!f)
        return 3;
    static char buf[1 << 16];
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    unsigned long long written = 0, records = 0;
    char name[64], office[128], tool[128];
    while (written < want) {
        unsigned user = (unsigned)(rnd() % 100000);
        char who[64];
        snprintf(who, sizeof who, "%s %s", family[user % 20], given[(user / 20) % 20]);
        size_t nl = enc(who, name, sizeof name);
        name[nl] = 0;
        unsigned days = 4 + (unsigned)(rnd() % 20);
        unsigned ci = (unsigned)(rnd() % 6);
        size_t ol = enc(offices[ci], office, sizeof office);
        office[ol] = 0;
        const char *code = codes[ci];
        int rental = code[0] == '1' && code[1] == '7';
        tool[0] = 0;
        if (rental) {
            size_t tl = enc(tools[rnd() % 5], tool, sizeof tool);
            tool[tl] = 0;
        }
        if (sikyu) {
            /* One row for the service, then the person's total row. */
            unsigned units = 200 + (unsigned)(rnd() % 600), total = units * days;
            unsigned cost = total * 1140 / 100, ins = cost * 90 / 100;
            int n =
                snprintf(buf, sizeof buf,
                         "202407,131011,%010u,20251020,202511,\"%s\",1371100015,,%s,%s,,\"%s\",%u,,,%u,%u,%s,,,,%u,"
                         "11.40,%u,90,%u,,%u,0,,,,0,,,1310100019,\r\n"
                         "202407,131011,%010u,20251020,202511,\"\",9999999999,,999999,,,\"\",0,,,0,,%u,,,,%u,,%u,,"
                         "%u,,%u,0,,,,0,,,1310100019,\r\n",
                         user, office, code, rental ? "00001-000010" : "", tool, units, days, total, rental ? "" : "x",
                         total, cost, ins, cost - ins, user, total, total, cost, ins, cost - ins);
            /* 給付管理単位数: the units, or empty for a code outside the limit (none here). */
            char *x = strstr(buf, ",x,");
            if (x) {
                char tmp[32];
                int m = snprintf(tmp, sizeof tmp, ",%u,", total);
                memmove(x + m, x + 3, strlen(x + 3) + 1);
                memcpy(x, tmp, (size_t)m);
                n = (int)strlen(buf);
            }
            fwrite(buf, 1, (size_t)n, f);
            written += (unsigned long long)n;
            records += 2;
            continue;
        }
        for (unsigned d = 1; d <= days && written < want; d++) {
            int n = snprintf(buf, sizeof buf,
                             "202407,131011,%010u,20251020,202511,1310100019,\"%s\",%u,,202511%02u,,%s,%s,1,%s,%s,,"
                             "\"%s\",%s,1371100015,\"%s\",,0,%s,\r\n",
                             user, name, 200 + (unsigned)(rnd() % 600), 1 + (d * 28 / days) % 28,
                             rental ? "9999" : "1000", rental ? "9999" : "1030", code, rental ? "00001-000010" : "",
                             tool, rental ? "1" : "", office, jsk ? "1371100015" : "1310100019");
            fwrite(buf, 1, (size_t)n, f);
            written += (unsigned long long)n;
            records++;
        }
    }
    if (fclose(f) != 0)
        return 3;
    fprintf(stderr, "gen_corpus: %llu records, %llu bytes\n", records, written);
    return 0;
}
