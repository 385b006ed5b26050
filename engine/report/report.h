/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the report writers: the SARIF 2.1.0 rendering (sarif.c) beside report.c's. */
#ifndef RK_REPORT_H
#define RK_REPORT_H

#include <stdio.h>

#include "renkei.h"

rk_status rk_report_write_sarif(const rk_report *r, rk_lang lang, FILE *out);

#endif
