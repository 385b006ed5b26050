/* SPDX-License-Identifier: Apache-2.0 */
// The cross-check's join and sums in SQL, for bench/check.sh: plan and actual
// 第6表 records (UTF-8 copies, *.utf8) aggregated per (保険者番号, 被保険者番号,
// 対象年月, office, code, day), joined, differences counted, and units summed
// per office and service type. Prints the number of result rows.
// usage: node bench/duckdb_check.mjs DIR
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync } from 'node:fs';

const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.utf8'));
const plan = `${dir}/${files.find((f) => f.startsWith('UPPLAN'))}`;
const jsk = `${dir}/${files.find((f) => f.startsWith('UPJSK'))}`;
const names = Array.from({ length: 25 }, (_, i) => `c${i + 1}`);
const src = (f) => `read_csv('${f}', header=false, all_varchar=true, quote='"', names=[${names.map((n) => `'${n}'`).join(',')}])`;
const agg = (f, x) => `SELECT c2 ins, c3 hiho, c5 ym, c20 office, c15 code, c10 dt,
    SUM(CAST(c14 AS INTEGER)) ${x}cnt, SUM(CAST(c8 AS INTEGER) * CAST(c14 AS INTEGER)) ${x}units
  FROM ${src(f)} GROUP BY ALL`;
const sql = `WITH p AS (${agg(plan, 'p')}), a AS (${agg(jsk, 'a')}),
  j AS (SELECT * FROM p FULL OUTER JOIN a USING (ins, hiho, ym, office, code, dt))
  SELECT ins, hiho, ym, office, substr(code, 1, 2) typ,
    SUM(punits) planned, SUM(aunits) actual,
    SUM(CASE WHEN pcnt IS DISTINCT FROM acnt THEN 1 ELSE 0 END) count_diffs,
    GREATEST(SUM(aunits) - SUM(punits), 0) cut
  FROM j GROUP BY ALL`;
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
const res = await con.runAndReadAll(sql);
console.log(res.getRows().length);
