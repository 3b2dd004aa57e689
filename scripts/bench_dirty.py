#!/usr/bin/env python3
"""Copies a benchmark inbox, replacing the unit column (受理单位) of data rows by names no seed
registers, for `scripts/bench.sh`'s `dirty` section.

    bench_dirty.py SRC_INBOX DST_INBOX COUNT

The first COUNT data rows of the UTF-8 files (in name order) get `未登记单位<n>号`, each a
different name; every other file is copied as it is. Deterministic. Prints the number of rows
changed. Registers with many unregistered names are what a department's free-text unit column
gives; each such name is reported (NRM-019) and must not cost more than a lookup.
"""
import csv
import io
import os
import shutil
import sys


def main():
    src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(dst, exist_ok=True)
    changed = 0
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        raw = open(path, "rb").read()
        if changed >= count or not raw.startswith(b"\xef\xbb\xbf"):
            shutil.copyfile(path, os.path.join(dst, name))
            continue
        rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        for row in rows:
            if changed < count and len(row) > 2 and row[0].strip().isdigit():
                row[2] = "未登记单位%d号" % changed
                changed += 1
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        with open(os.path.join(dst, name), "wb") as f:
            f.write(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    print(changed)


if __name__ == "__main__":
    main()
