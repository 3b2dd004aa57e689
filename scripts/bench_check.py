#!/usr/bin/env python3
"""Compares an Almanac run of pipelines/bench-registers with the generator's truth.

usage: bench_check.py DATA_DIR OUTBOX_YEAR_DIR
Converts consolidated.csv (kind=register, non-zero counts) and the REC-REG-001 findings of
reconciliation.jsonl to the shape of truth/consolidated.csv and truth/mismatches.csv and
compares them row for row. Prints one line per file; exit status 1 when any differs.
"""
import csv
import json
import os
import sys


def main():
    data, out = sys.argv[1], sys.argv[2]
    names = {}
    with open(os.path.join(data, "seeds", "departments.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names[r["dept_id"]] = r["canonical_name"]
    labels = {}
    counted = []
    with open(os.path.join(out, "consolidated.csv"), encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            labels[(r["row_key"], "row")] = r["row_label"]
            labels[(r["column_key"], "column")] = r["column_label"]
            if r["kind"] == "register" and r["form"] == "requests" and int(r["value"]) > 0:
                counted.append([r["department_id"], r["department_name"], r["column_label"], r["row_label"], r["value"]])
    mismatches = []
    with open(os.path.join(out, "reconciliation.jsonl"), encoding="utf-8") as f:
        for line in f:
            x = json.loads(line)
            if x["code"] != "REC-REG-001":
                continue
            _, row, col = x["cell"].split(".")
            c, d = int(x["expected"]), int(x["actual"])
            mismatches.append([x["department"], names[x["department"]], labels[(col, "column")], labels[(row, "row")],
                               str(c), str(d), str(c - d)])
    bad = 0
    for name, rows, header in (
        ("consolidated.csv", counted, ["dept_id", "dept_name", "applicant_type", "outcome", "count"]),
        ("mismatches.csv", mismatches,
         ["dept_id", "dept_name", "applicant_type", "outcome", "counted", "declared", "diff"])):
        with open(os.path.join(data, "truth", name), encoding="utf-8", newline="") as f:
            truth = list(csv.reader(f))
        mine = [header] + sorted(rows, key=lambda r: (r[0], r[2], r[3]))
        if mine == truth:
            print(f"{name}: {len(truth) - 1} rows, identical to truth")
        else:
            bad = 1
            diff = [r for r in mine[1:] if r not in truth][:3] + [r for r in truth[1:] if r not in mine][:3]
            print(f"{name}: DIFFERS from truth ({len(mine) - 1} rows vs {len(truth) - 1}); e.g. {diff}")
    sys.exit(bad)


if __name__ == "__main__":
    main()
