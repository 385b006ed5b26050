#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Independent reference for `renkei check`: recomputes, straight from the
CSV files, the units inside the limit per office, insurer and service type —
planned (第7表 区分支給限度基準内単位数 where the person has 第7表 rows, else
第6表 units x count) and actual (UPJSK units x count) — using only Python's
csv module and the master. Prints JSON {"office": {...}, "insurer": {...},
"type": {...}} with [planned, actual] per key.

The month is the one the exchange sees (careplan-csv.md §2.5-§2.8, the
choices of README): per person-month and care manager the plan is the send
unit (sender, receiver, ファイル連番) of the newest 連番 not withdrawn by a
DLTPLAN of a newer 連番 from the same sender to the same receiver, of copies
the one to the lowest receiver; 実績 per person-month, office and service type
come from the file of the newest 連番 not deleted by a newer DLTJSK, of files
of one 連番 the first by path.

usage: reference.py MASTER.csv PATH...
"""
import csv
import io
import json
import os
import sys


def records(path):
    with open(path, "rb") as f:
        text = f.read().decode("cp932")
    return list(csv.reader(io.StringIO(text, newline="")))


def main():
    master = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):  # comments before the header
            master.setdefault(row["service_code"], []).append(row)

    def in_limit(code, month):
        for row in master.get(code, []):
            if int(row["valid_from"]) <= month <= int(row["valid_to"]):
                return row["limit_target"] == "1"
        return True  # unknown codes are counted, as renkei does

    files = []
    for p in sys.argv[2:]:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                files += [os.path.join(root, n) for n in names]
        else:
            files.append(p)
    units = {}    # (pm, sender) -> {(serial, receiver, path order) : {"plan": [...], "seven": [...]}}
    versions = {}  # (pm, office, type) -> {(serial, path order): [units]}
    deletes_plan, deletes_jsk = [], []
    for order, path in enumerate(sorted(files)):
        name = os.path.basename(path)
        parts = name.split(".")[0].split("_")
        kind = parts[0]
        if kind not in ("UPPLAN", "UPJSK", "UPSIKYU", "UPHOSOKU", "DLTPLAN", "DLTJSK"):
            continue
        if kind == "UPHOSOKU" and parts[1] == "000000":
            continue
        seg = parts[2:]  # sender, [type], receiver, [type], serial
        sender, receiver, serial = (seg[0], seg[2], seg[4]) if len(seg) == 5 else (seg[0], seg[1], seg[2])
        for r in records(path):
            v4 = r[0] != "202208"
            pm = (r[1], r[2], r[4] if kind not in ("DLTPLAN", "DLTJSK") else r[3])
            if kind == "UPHOSOKU":
                pm = (r[1], r[2], r[62])
            if kind == "DLTPLAN":
                deletes_plan.append((pm, sender, receiver, serial))
                continue
            if kind == "DLTJSK":
                deletes_jsk.append((pm, r[4], r[5], serial))
                continue
            if kind == "UPJSK":
                office, code = r[19 if v4 else 16], r[14]
                u = int(r[7] or 0) * int(r[13] or 0) if in_limit(code, int(r[4])) else 0
                versions.setdefault((pm, office, code[:2]), {}).setdefault((serial, order), []).append(u)
                continue
            unit = units.setdefault((pm, sender), {}).setdefault((serial, receiver), {"plan": [], "seven": []})
            if kind == "UPSIKYU":
                code, office = r[8], r[6]
                if code == "999999" or code[2:] in ("AAAA", "EEEE", "ZZZZ"):
                    continue
                inside = r[21 if v4 else 18]
                unit["seven"].append(((office, code[:2]), int(inside) if inside else 0))
            elif kind == "UPPLAN":
                office, code = r[19 if v4 else 16], r[14]
                u = int(r[7] or 0) * int(r[13] or 0) if in_limit(code, int(r[4])) else 0
                unit["plan"].append(((office, code[:2]), u))
    plan, actual, seven = {}, {}, {}
    for (pm, sender), by_unit in units.items():
        standing = [k for k in by_unit
                    if not any(d[0] == pm and d[1] == sender and d[2] == k[1] and d[3] > k[0] for d in deletes_plan)]
        if not standing:
            continue
        best = max(x[0] for x in standing)
        chosen = by_unit[min(k for k in standing if k[0] == best)]  # of copies, the lowest receiver
        for (office, typ), u in chosen["plan"]:
            plan[pm + (office, typ)] = plan.get(pm + (office, typ), 0) + u
        if chosen["seven"]:
            seven.setdefault(pm, {})
        for (office, typ), u in chosen["seven"]:
            seven[pm][pm + (office, typ)] = seven[pm].get(pm + (office, typ), 0) + u
    for key, by_file in versions.items():
        standing = [k for k in by_file
                    if not any(d[0] == key[0] and d[1] == key[1] and d[2] == key[2] and d[3] > k[0]
                               for d in deletes_jsk)]
        if standing:
            best = max(x[0] for x in standing)
            k = min(x for x in standing if x[0] == best)
            actual[key[0] + key[1:]] = actual.get(key[0] + key[1:], 0) + sum(by_file[k])
    planned = {}
    for key, units in plan.items():  # 第6表 only for people without 第7表 rows
        if key[:3] not in seven:
            planned[key] = planned.get(key, 0) + units
    for rows in seven.values():
        for key, units in rows.items():
            planned[key] = planned.get(key, 0) + units
    out = {"office": {}, "insurer": {}, "type": {}}
    for key in set(planned) | set(actual):
        for by, k in (("office", key[3]), ("insurer", key[0]), ("type", key[4])):
            t = out[by].setdefault(k, [0, 0])
            t[0] += planned.get(key, 0)
            t[1] += actual.get(key, 0)
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
