/* SPDX-License-Identifier: Apache-2.0 */
/* gen_corpus month: a month of many offices with copies, versions and deletes (gen_month.c). */
#ifndef RK_GEN_MONTH_H
#define RK_GEN_MONTH_H

int gen_month(int argc, char **argv);

#endif
