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
