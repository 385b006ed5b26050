#!/usr/bin/env python3
"""Independent reference for `renkei check`: recomputes, straight from the
CSV files, the units inside the limit per office, insurer and service type —
planned (第7表 区分支給限度基準内単位数 where the person has 第7表 rows, else
第6表 units x count) and actual (UPJSK units x count) — using only Python's
csv module and the master. Prints JSON {"office": {...}, "insurer": {...},
"type": {...}} with [planned, actual] per key.

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
        for row in csv.DictReader(f):
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
    plan, actual, seven = {}, {}, {}
    for path in sorted(files):
        name = os.path.basename(path)
        kind = name.split("_")[0]
        if kind not in ("UPPLAN", "UPJSK", "UPSIKYU"):
            continue
        for r in records(path):
            v4 = r[0] != "202208"
            pm = (r[1], r[2], r[4])
            if kind == "UPSIKYU":
                code, office = r[8], r[6]
                if code == "999999" or code[2:] in ("AAAA", "EEEE", "ZZZZ"):
                    continue
                inside = r[21 if v4 else 18]
                key = pm + (office, code[:2])
                seven.setdefault(pm, {})
                seven[pm][key] = seven[pm].get(key, 0) + (int(inside) if inside else 0)
                continue
            office = r[19 if v4 else 16]
            code = r[14]
            units = int(r[7] or 0) * int(r[13] or 0)
            if not in_limit(code, int(r[4])):
                units = 0
            d = plan if kind == "UPPLAN" else actual
            key = pm + (office, code[:2])
            d[key] = d.get(key, 0) + units
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
