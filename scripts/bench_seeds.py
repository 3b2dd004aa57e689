#!/usr/bin/env python3
"""Turns the seeds written by shared/bench/gen_registers.py into Almanac's seed layout
(seeds/README.md) for pipelines/bench-registers: what an operator does once per data set.

usage: bench_seeds.py DATA_DIR [PIPELINE_DIR]   writes DATA_DIR/almanac-seeds/

  departments.csv         the counties (level 政府) and their departments (level 部门, parent = county)
  department_aliases.csv  every other spelling of a department (kind short)
  outcomes.csv            variant,row      (办理结果 → row key of the `requests` form)
  applicant_types.csv     variant,column   (申请人类型 → column key)
  declared.csv            department_id,row,column,value (the totals each department declared)

Row and column keys are read from the pipeline's forms.yaml (`{key: o01, label: 予以公开}`).
Python 3 standard library only.
"""
import csv
import os
import re
import sys


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def axis_keys(forms_yaml, form_id):
    """label → key for the rows and for the columns of grid form `form_id`."""
    text = open(forms_yaml, encoding="utf-8").read()
    block = text.split(f"- id: {form_id}\n", 1)[1].split("\n  - id: ", 1)[0]
    rows_part, cols_part = block.split("    columns:\n", 1)
    pat = re.compile(r"\{key: ([^,]+), label: ([^}]+)\}")
    return ({l.strip(): k for k, l in pat.findall(rows_part)}, {l.strip(): k for k, l in pat.findall(cols_part)})


def main():
    data = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    pipeline = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "pipelines", "bench-registers")
    src = os.path.join(data, "seeds")
    out = os.path.join(data, "almanac-seeds")
    os.makedirs(out, exist_ok=True)
    row_key, col_key = axis_keys(os.path.join(pipeline, "forms.yaml"), "requests")

    depts = read(os.path.join(src, "departments.csv"))
    counties = sorted({d["county"] for d in depts})
    county_id = {c: f"C{i + 1:03d}" for i, c in enumerate(counties)}
    rows = [[county_id[c], c, "政府", "", "", ""] for c in counties]
    rows += [[d["dept_id"], d["canonical_name"], "部门", county_id[d["county"]], "", ""] for d in depts]
    write(os.path.join(out, "departments.csv"), ["id", "name", "level", "parent", "valid_from", "valid_to"], rows)

    aliases = []
    for d in depts:
        for a in d["aliases"].split("|"):
            if a and a != d["canonical_name"]:
                aliases.append([a, d["dept_id"], "short", "", "", ""])
    write(os.path.join(out, "department_aliases.csv"),
          ["alias", "department_id", "kind", "valid_from", "valid_to", "note"], aliases)

    write(os.path.join(out, "outcomes.csv"), ["variant", "row"],
          [[r["variant"], row_key[r["canonical"]]] for r in read(os.path.join(src, "outcomes.csv"))])
    write(os.path.join(out, "applicant_types.csv"), ["variant", "column"],
          [[r["variant"], col_key[r["canonical"]]] for r in read(os.path.join(src, "applicant_types.csv"))])
    write(os.path.join(out, "declared.csv"), ["department_id", "row", "column", "value"],
          [[r["dept_id"], row_key[r["outcome"]], col_key[r["applicant_type"]], r["declared"]]
           for r in read(os.path.join(src, "declared_totals.csv"))])


if __name__ == "__main__":
    main()
