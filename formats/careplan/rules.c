/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule catalog: every finding renkei reports comes from one row here.
 * IDs are stable and never reused; the order matches enum rk_rule_no.
 * The README's rule list is generated from this table (renkei rules --format md)
 * and a test keeps the two equal.
 */
#include <string.h>

#include "careplan.h"

static const rk_rule catalog[RK_R_COUNT] = {
    [RK_R_NAME_UNKNOWN] = {"RK-NAME-001", RK_SEV_ERROR, "ファイル名が標準仕様のどのファイル種別にも該当しません",
                           "file name matches no file kind of the standard", "標準仕様 2.4 ファイル名"},
    [RK_R_NAME_GRAMMAR] = {"RK-NAME-002", RK_SEV_ERROR, "ファイル名が命名規則に従っていません",
                           "file name does not follow the naming grammar", "標準仕様 2.4 ファイル名"},
    [RK_R_ENC_INVALID] = {"RK-ENC-001", RK_SEV_ERROR, "MS932(Shift-JIS)として不正なバイト列です",
                          "invalid MS932 (Shift-JIS) byte sequence", "標準仕様 4.3 文字コード"},
    [RK_R_ENC_UNASSIGNED] = {"RK-ENC-002", RK_SEV_ERROR, "MS932に存在しない文字コードです",
                             "code is not a character of MS932", "標準仕様 4.3 文字コード"},
    [RK_R_ENC_GAIJI] = {"RK-ENC-003", RK_SEV_ERROR, "外字(ユーザー定義文字)は使用できません",
                        "user-defined character (外字) is not allowed", "標準仕様 4.3 文字コード"},
    [RK_R_ENC_BOM] = {"RK-ENC-004", RK_SEV_ERROR, "UTF-8のBOMがあります(MS932のファイルにBOMはありません)",
                      "UTF-8 byte order mark (MS932 files have none)", "標準仕様 4.3 文字コード"},
    [RK_R_ENC_UTF8] = {"RK-ENC-005", RK_SEV_ERROR, "ファイルがUTF-8で書かれています(MS932で作成してください)",
                       "the file is written in UTF-8, not MS932 (Shift-JIS)", "CSVレイアウト 文字コード"},
    [RK_R_CSV_EMPTY] = {"RK-CSV-001", RK_SEV_ERROR, "ファイルが空です", "file is empty",
                        "CSVレイアウト ファイル作成単位"},
    [RK_R_CSV_UNTERMINATED] = {"RK-CSV-002", RK_SEV_ERROR, "ダブルクォートが閉じられていません",
                               "quoted field is not terminated", "CSVレイアウト 注記(フリーテキスト)"},
    [RK_R_CSV_QUOTE_IN_UNQUOTED] = {"RK-CSV-003", RK_SEV_ERROR,
                                    "ダブルクォートで囲まれていない項目にダブルクォートがあります",
                                    "double quote inside an unquoted field", "CSVレイアウト 注記(フリーテキスト)"},
    [RK_R_CSV_TEXT_AFTER_QUOTE] = {"RK-CSV-004", RK_SEV_ERROR, "閉じるダブルクォートの後に文字があります",
                                   "text after the closing double quote", "CSVレイアウト 注記(フリーテキスト)"},
    [RK_R_CSV_NUL] = {"RK-CSV-005", RK_SEV_ERROR, "NULバイトがあります", "NUL byte in the file",
                      "標準仕様 4.3 文字コード"},
    [RK_R_CSV_FIELD_COUNT] = {"RK-CSV-006", RK_SEV_ERROR, "項目数がファイル種別のレイアウトと一致しません",
                              "number of fields differs from the file kind's layout", "CSVレイアウト 各ファイル"},
    [RK_R_CSV_BARE_CR] = {"RK-CSV-007", RK_SEV_ERROR, "LFを伴わないCRがあります(改行はCRLFまたはLF)",
                          "CR not followed by LF (lines end in CRLF or LF)", "CSVレイアウト 注記"},
    [RK_R_CSV_MIXED_EOL] = {"RK-CSV-008", RK_SEV_WARNING, "改行コードがCRLFとLFで混在しています",
                            "line endings mix CRLF and LF", "CSVレイアウト 注記"},
    [RK_R_CSV_BLANK_LINE] = {"RK-CSV-009", RK_SEV_ERROR, "空行があります", "empty line", "CSVレイアウト 各ファイル"},
    [RK_R_VER_UNKNOWN] = {"RK-VER-001", RK_SEV_ERROR, "CSVバージョンが既知のレイアウトに該当しません(202208, 202407)",
                          "CSV version has no known layout (202208, 202407)", "CSVレイアウト CSVバージョン履歴"},
    [RK_R_VER_MIXED] = {"RK-VER-002", RK_SEV_ERROR, "1ファイル内でCSVバージョンが混在しています",
                        "CSV versions are mixed in one file", "CSVレイアウト CSVバージョン"},
    [RK_R_VER_KIND] = {"RK-VER-003", RK_SEV_ERROR, "このCSVバージョンにはこのファイル種別がありません",
                       "this file kind does not exist in this CSV version", "CSVレイアウト CSVバージョン履歴"},
#define ITEM "CSVレイアウト 項目定義"
    [RK_R_REC_REQUIRED] = {"RK-REC-001", RK_SEV_ERROR, "必須項目が空です", "required item is empty", ITEM " 必須"},
    [RK_R_REC_REQUIRED_UNSURE] = {"RK-REC-002", RK_SEV_WARNING,
                                  "必須と思われる項目が空です(定義書の必須欄の読み取りが不確実な項目)",
                                  "item that is most likely required is empty (the layout's flag is uncertain)",
                                  ITEM " 必須"},
    [RK_R_REC_LENGTH] = {"RK-REC-003", RK_SEV_ERROR, "項目長を超えています", "value is longer than the item length",
                         ITEM " 項目長"},
    [RK_R_REC_NUMBER] = {"RK-REC-004", RK_SEV_ERROR, "数値ではありません", "value is not a number", ITEM " 書式"},
    [RK_R_REC_DATE] = {"RK-REC-005", RK_SEV_ERROR, "日付(YYYYMMDD)が正しくありません", "not a real date (YYYYMMDD)",
                       ITEM " 書式 YYYYMMDD"},
    [RK_R_REC_MONTH] = {"RK-REC-006", RK_SEV_ERROR, "年月(YYYYMM)が正しくありません", "not a real month (YYYYMM)",
                        ITEM " 書式 YYYYMM"},
    [RK_R_REC_TIME] = {"RK-REC-007", RK_SEV_ERROR, "時刻(HHMM)が正しくありません", "not a time (HHMM)",
                       ITEM " 書式 HHMM"},
    [RK_R_REC_CODE] = {"RK-REC-008", RK_SEV_ERROR, "コード表にない値です", "value is not in the code list",
                       "CSVレイアウト コード表"},
    [RK_R_REC_ASCII] = {"RK-REC-009", RK_SEV_ERROR, "半角英数記号以外の文字があります",
                        "characters other than half-width letters, digits and symbols", ITEM " 書式"},
    [RK_R_REC_POSTAL] = {"RK-REC-010", RK_SEV_ERROR, "郵便番号(XXX-XXXX)の書式ではありません",
                         "not a postal code (XXX-XXXX)", ITEM " 書式 XXX-XXXX"},
    [RK_R_REC_HIWARI] = {"RK-REC-011", RK_SEV_ERROR, "日割対象日は0/1の31文字です",
                         "日割対象日 must be 31 characters of 0 and 1", "CSVレイアウト 第6表 No.11"},
    [RK_R_REC_HIWARI_DAY] = {"RK-REC-012", RK_SEV_ERROR, "日割対象日に月末より後の日が1になっています",
                             "日割対象日 marks a day after the end of the month", "CSVレイアウト 第6表 No.11"},
    [RK_R_REC_PRICE] = {"RK-REC-013", RK_SEV_ERROR, "単位数単価(99.99)の書式ではありません",
                        "単位数単価 is not in the form 99.99", "CSVレイアウト 第7表 No.23"},
    [RK_R_REC_SVC] = {"RK-REC-014", RK_SEV_ERROR, "サービスコードは種類2桁+項目4桁の6桁です",
                      "サービスコード must be 2 type and 4 item characters", ITEM " サービスコード"},
    [RK_R_REC_TAIS] = {"RK-REC-015", RK_SEV_ERROR, "TAISコード/福祉用具届出コードの書式(NNNNN-NNNNNN)ではありません",
                       "TAIS / 届出 code is not in the form NNNNN-NNNNNN", "CSVレイアウト 第6表 No.16-17"},
    [RK_R_REC_FT_UNQUOTED] = {"RK-REC-016", RK_SEV_WARNING, "フリーテキスト項目がダブルクォートで囲まれていません",
                              "free-text item is not enclosed in double quotes", "CSVレイアウト 注記(フリーテキスト)"},
    [RK_R_ID_INSURER] = {"RK-ID-001", RK_SEV_ERROR, "保険者番号が正しくありません(6桁・検証番号)",
                         "保険者番号 is not 6 digits with a valid check digit", "保険者番号設定要領 検証番号"},
    [RK_R_ID_OFFICE] = {"RK-ID-002", RK_SEV_ERROR, "事業所番号が正しくありません(10桁・検証番号)",
                        "事業所番号 is not 10 characters with a valid check digit", "介護保険事業所番号 検証番号"},
    [RK_R_ID_INSURED] = {"RK-ID-003", RK_SEV_ERROR, "被保険者番号は数字10桁(生保単独はH+数字9桁)です",
                         "被保険者番号 must be 10 digits (H and 9 digits for 生保単独)", ITEM " 被保険者番号"},
    [RK_R_COND_TAIS] = {"RK-COND-001", RK_SEV_ERROR,
                        "福祉用具貸与(17/67)にはTAISコードまたは福祉用具届出コードが必要です",
                        "福祉用具貸与 (17/67) needs a TAIS or 届出 code",
                        "CSVレイアウト 第6表 No.16-17, 第7表 No.10-11"},
    [RK_R_COND_MEISAI] = {"RK-COND-002", RK_SEV_ERROR, "明細判別コードは福祉用具貸与(17)のみ設定できます",
                          "明細判別コード is only for 福祉用具貸与 (17)", "CSVレイアウト 第6表 No.19"},
    [RK_R_COND_SUM_UNITS] = {"RK-COND-003", RK_SEV_ERROR, "小計・合計行の単位数は0です",
                             "単位数 is 0 on subtotal and total rows", "CSVレイアウト 第7表 No.13"},
    [RK_R_COND_SUM_DISCOUNT] = {"RK-COND-004", RK_SEV_ERROR, "小計・合計行の割引後率・割引後単位数は空です",
                                "割引後率 and 割引後単位数 are empty on subtotal and total rows",
                                "CSVレイアウト 第7表 No.14-15"},
    [RK_R_COND_TOTAL_OFFICE] = {"RK-COND-005", RK_SEV_ERROR,
                                "合計行(999999)の事業所コードは9999999999、それ以外の行では使えません",
                                "the total row (999999) has office 9999999999, and only it does",
                                "CSVレイアウト 第7表 No.7, No.9"},
    [RK_R_COND_OUTSIDE_LIMIT] = {"RK-COND-006", RK_SEV_WARNING,
                                 "区分支給限度額管理の対象外サービスの給付管理単位数は空です",
                                 "給付管理単位数 is empty for services outside the 区分支給限度",
                                 "CSVレイアウト 第7表 No.18"},
    [RK_R_COND_HOSOKU_DATE] = {"RK-COND-007", RK_SEV_ERROR,
                               "利用者補足の計画作成(変更)日は6/7表と送る時00000000、1/2/3表と送る時は日付です",
                               "利用者補足 No.4 is 00000000 with 第6/7表 and the plan date with 第1-3表",
                               "CSVレイアウト 利用者補足 No.4"},
    [RK_R_COND_HOSOKU_MONTH] = {"RK-COND-008", RK_SEV_ERROR,
                                "利用者補足の対象年月がファイル名の年月と一致しません(1/2/3表と送る時000000)",
                                "利用者補足 No.63 differs from the file name's month (000000 with 第1-3表)",
                                "CSVレイアウト 利用者補足 No.63"},
    [RK_R_FILE_MONTH] = {"RK-FILE-001", RK_SEV_ERROR, "対象年月がファイル名の年月と一致しません",
                         "対象年月 differs from the month in the file name", "標準仕様 2.4, 2.5 ファイル作成単位"},
    [RK_R_FILE_USE_DATE] = {"RK-FILE-002", RK_SEV_ERROR, "サービス利用日が対象年月の中にありません",
                            "サービス利用日 is not in 対象年月", "CSVレイアウト 第6表 No.10"},
    [RK_R_FILE_UPDATER] = {"RK-FILE-003", RK_SEV_WARNING, "更新業者コードがファイル名の送信元事業所と一致しません",
                           "更新業者コード differs from the sending office in the file name",
                           "CSVレイアウト 更新業者コード"},
    [RK_R_FILE_DUPLICATE] = {"RK-FILE-004", RK_SEV_WARNING, "同じ利用者のデータに同一のレコードがあります",
                             "the same record appears twice in one person's data", "標準仕様 2.6 出力単位"},
    [RK_R_SET_MISSING] = {"RK-SET-001", RK_SEV_ERROR, "同じ送信単位(ファイル連番)で一緒に送るファイルがありません",
                          "a file that travels with this one is missing from its send unit (ファイル連番)",
                          "標準仕様 2.4 送信単位"},
    [RK_R_SET_ORPHAN] = {"RK-SET-002", RK_SEV_ERROR, "連携キーに一致する親ファイルのレコードがありません",
                         "no record of the parent file has this record's key", "標準仕様 2.3 レコードの関係"},
    [RK_R_SET_UNMATCHED] = {"RK-SET-003", RK_SEV_ERROR, "連携キーに一致する関連ファイルのレコードがありません",
                            "no record of a file that travels with this one has this record's key",
                            "標準仕様 2.3 レコードの関係"},
#define SEAL "renkei 封印アーカイブ (seal)"
    [RK_R_SEAL_CORRUPT] = {"RK-SEAL-001", RK_SEV_ERROR, "アーカイブが壊れています(zstdまたはtar)",
                           "the archive is damaged (zstd or tar)", SEAL},
    [RK_R_SEAL_SHA256] = {"RK-SEAL-002", RK_SEV_ERROR, "メンバーの内容がMANIFEST.sha256と一致しません",
                          "member differs from MANIFEST.sha256", SEAL},
    [RK_R_SEAL_XXH3] = {"RK-SEAL-003", RK_SEV_ERROR, "メンバーの内容がMANIFEST.xxh3と一致しません",
                        "member differs from MANIFEST.xxh3", SEAL},
    [RK_R_SEAL_MISSING] = {"RK-SEAL-004", RK_SEV_ERROR, "マニフェストにあるメンバーがアーカイブにありません",
                           "a member the manifests list is missing", SEAL},
    [RK_R_SEAL_EXTRA] = {"RK-SEAL-005", RK_SEV_ERROR, "マニフェストにないメンバーがあります",
                         "a member the manifests do not list", SEAL},
    [RK_R_SEAL_SIGNATURE] = {"RK-SEAL-006", RK_SEV_ERROR, "署名が検証できません", "the signature does not verify",
                             SEAL},
    [RK_R_SEAL_UNTRUSTED] = {"RK-SEAL-007", RK_SEV_ERROR, "署名者が信頼できません(証明書チェーンまたは公開鍵が不一致)",
                             "the signer is not trusted (certificate chain or public key)", SEAL},
    [RK_R_SEAL_UNSIGNED] = {"RK-SEAL-008", RK_SEV_WARNING,
                            "署名者を確認していません(署名なし、または--ca/--pubkeyなし)",
                            "the signer was not checked (no signature, or no --ca / --pubkey)", SEAL},
    [RK_R_SEAL_UNSAFE] = {"RK-SEAL-009", RK_SEV_ERROR,
                          "安全でないメンバーです(絶対パス、..、リンク、デバイス、サイズ超過)",
                          "unsafe member (absolute path, .., link, device, too large)", SEAL},
    [RK_R_SEAL_MANIFEST] = {"RK-SEAL-010", RK_SEV_ERROR, "マニフェストの行が正しくありません",
                            "a manifest line is malformed or the two manifests disagree", SEAL},
    [RK_R_SEAL_EXTRACT] = {"RK-SEAL-011", RK_SEV_ERROR, "メンバーを展開できません", "a member could not be extracted",
                           SEAL},
    [RK_R_SEAL_SIGNER] = {"RK-SEAL-012", RK_SEV_INFO, "署名者を確認しました(主体名と鍵の指紋)",
                          "the signer was checked (subject and key fingerprint)", SEAL},
#undef SEAL
#define CHK "billing-rules 1 突合"
#define CALC "billing-rules 4 請求額計算"
    [RK_R_CHK_NO_PLAN] = {"RK-CHK-001", RK_SEV_ERROR, "実績に対応する予定がありません",
                          "an actual service has no planned service (office, code, day)", CHK},
    [RK_R_CHK_NO_ACTUAL] = {"RK-CHK-002", RK_SEV_WARNING, "予定に対応する実績がありません",
                            "a planned service has no actual service from that office", CHK},
    [RK_R_CHK_COUNT] = {"RK-CHK-003", RK_SEV_WARNING, "予定と実績の回数が違います",
                        "actual count differs from the planned count", CHK},
    [RK_R_CHK_TIME] = {"RK-CHK-004", RK_SEV_INFO, "予定と実績の時刻が違います",
                       "actual time differs from the planned time", CHK},
    [RK_R_CHK_UNITS] = {"RK-CHK-005", RK_SEV_WARNING, "予定と実績の単位数が違います",
                        "actual units differ from the planned units", CHK},
    [RK_R_CHK_HOLD] = {"RK-CHK-010", RK_SEV_ERROR, "予定(給付管理)がないため請求は保留になります",
                       "no plan for the person-month: the claim will be held (保留)", "billing-rules 1.3 保留"},
    [RK_R_CHK_CUT_A] = {"RK-CHK-011", RK_SEV_ERROR, "予定にこの事業所・サービス種類がないため請求は査定(事由A)されます",
                        "the plan has no row for this office and type: the claim will be cut (事由A)",
                        "billing-rules 1.3 事由A"},
    [RK_R_CHK_CUT_B] = {"RK-CHK-012", RK_SEV_ERROR, "実績が予定(給付管理)の単位数を超え、超過分が査定(事由B)されます",
                        "actual units exceed the planned units: the excess will be cut (事由B)",
                        "billing-rules 1.3 事由B"},
    [RK_R_CHK_12P3] = {"RK-CHK-013", RK_SEV_ERROR, "予定の合計単位数が区分支給限度基準額を超えています(12P3)",
                       "planned units exceed the 区分支給限度基準額 (12P3)", "billing-rules 1.4 12P3"},
    [RK_R_CHK_15P6] = {"RK-CHK-014", RK_SEV_ERROR, "予定の単位数が種類支給限度基準額を超えています(15P6)",
                       "planned units exceed a per-type limit (15P6)", "billing-rules 1.4 15P6"},
    [RK_R_CHK_7_COUNT] = {"RK-CHK-020", RK_SEV_ERROR, "第7表の回数が第6表と一致しません",
                          "第7表 回数 differs from the 第6表", CALC},
    [RK_R_CHK_7_AMOUNT] = {"RK-CHK-021", RK_SEV_ERROR, "第7表のサービス単位金額が第6表の単位数×回数と一致しません",
                           "第7表 サービス単位金額 differs from the 第6表 units × count", CALC},
    [RK_R_CHK_7_PRICE] = {"RK-CHK-022", RK_SEV_ERROR, "単位数単価が事業所の地域区分と一致しません",
                          "単位数単価 differs from the office's 地域区分 price", "billing-rules 3.3 地域区分"},
    [RK_R_CHK_OFFICE] = {"RK-CHK-023", RK_SEV_WARNING, "事業所が地域区分の表にありません(単価は送られたまま)",
                         "the office is not in the office table (the price is taken as sent)",
                         "billing-rules 3.3 地域区分"},
    [RK_R_CHK_7_COST] = {"RK-CHK-024", RK_SEV_ERROR, "費用総額が単位数×単価(円未満切捨て)と一致しません",
                         "費用総額 differs from floor(units × price)", CALC},
    [RK_R_CHK_7_CLAIM] = {"RK-CHK-025", RK_SEV_ERROR, "保険請求額が費用総額×給付率(円未満切捨て)と一致しません",
                          "保険請求額 differs from floor(費用総額 × 給付率)", CALC},
    [RK_R_CHK_7_USER] = {"RK-CHK-026", RK_SEV_ERROR, "利用者負担が費用総額−保険請求額と一致しません",
                         "利用者負担 differs from 費用総額 − 保険請求額", CALC},
    [RK_R_CHK_7_FULL] = {"RK-CHK-027", RK_SEV_ERROR, "全額負担が超過単位数×単価(円未満切捨て)と一致しません",
                         "全額負担 differs from floor(over-limit units × price)", "billing-rules 4.2"},
    [RK_R_CHK_7_SPLIT] = {"RK-CHK-028", RK_SEV_ERROR,
                          "区分支給限度基準内単位数と基準超単位数の和がサービス単位金額と一致しません",
                          "units inside plus over the limit differ from the row's サービス単位金額", CALC},
    [RK_R_CHK_LEVEL] = {"RK-CHK-030", RK_SEV_ERROR, "要介護状態区分とサービスの種類が合いません",
                        "the care level does not allow this service family", "billing-rules 2.2"},
    [RK_R_CHK_PERIOD] = {"RK-CHK-031", RK_SEV_ERROR, "サービス利用日が限度額適用期間の外です",
                         "サービス利用日 is outside the 限度額適用期間", "CSVレイアウト 利用者補足 No.14-15"},
    [RK_R_CHK_DAILY] = {"RK-CHK-032", RK_SEV_ERROR, "月額のサービスコードとその日割コードが同じ月にあります",
                        "a monthly code and its 日割 code are billed in one month", "billing-rules 4.3"},
    [RK_R_CHK_CODE_UNKNOWN] = {"RK-CHK-033", RK_SEV_ERROR, "サービスコードがマスタにありません",
                               "the service code is not in the master", "billing-rules 2.4"},
    [RK_R_CHK_CODE_PERIOD] = {"RK-CHK-034", RK_SEV_ERROR, "サービスコードがこのサービス提供月には有効ではありません",
                              "the service code is not valid in this service month", "billing-rules 2.4"},
    [RK_R_CHK_CODE_UNCOVERED] =
        {"RK-CHK-035", RK_SEV_WARNING,
         "サービスコードがマスタにありません(マスタはこのサービス種類のすべてのコードを持ちません)",
         "the service code is not in the master, which does not hold every code of its type", "billing-rules 2.4"},
#undef CALC
#undef CHK
#undef ITEM
};

size_t rk_rule_count(void)
{
    return RK_R_COUNT;
}

const rk_rule *rk_rule_at(size_t i)
{
    return i < RK_R_COUNT ? &catalog[i] : NULL;
}

const rk_rule *rk_rule_find(const char *id)
{
    for (size_t i = 0; i < RK_R_COUNT; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}

const char *rk_severity_name(rk_severity s)
{
    switch (s) {
    case RK_SEV_ERROR: return "error";
    case RK_SEV_WARNING: return "warning";
    case RK_SEV_INFO: return "info";
    }
    return "unknown";
}
