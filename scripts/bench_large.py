#!/usr/bin/env python3
"""Makes one register of ROWS data rows in one file, for `scripts/bench.sh`'s `large` section.

    bench_large.py SRC_FILE DST_INBOX ROWS

The rows of SRC_FILE (a benchmark register) are repeated in order until there are ROWS, each
with its own 序号 and 申请编号 (so none repeats: NRM-031 reads every number); title, header and
footer are the source's, as are its file name and encoding (UTF-8 with BOM, or GB18030).
Deterministic. A province's register can be one file of millions of rows (a city's
departments entered in one system); memory per register row must stay small.
"""
import csv
import io
import os
import sys


def main():
    src, dst, rows_wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
    raw = open(src, "rb").read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("gb18030")
    records = list(csv.reader(io.StringIO(text, newline="")))
    data = [i for i, r in enumerate(records) if r and r[0].strip().isdigit()]
    if not data:
        sys.exit("bench_large: no data rows in %s" % src)
    first, last = data[0], data[-1]
    body = records[first : last + 1]
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerows(records[:first])
    for n in range(1, rows_wanted + 1):
        row = list(body[(n - 1) % len(body)])
        if row and row[0].strip().isdigit():
            row[0] = str(n)
            if len(row) > 1:
                row[1] = "大台账依申〔2025〕%d号" % n
        w.writerow(row)
    w.writerows(records[last + 1 :])
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(dst, os.path.basename(src)), "wb") as f:
        f.write(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8") if bom else out.getvalue().encode("gb18030"))
    print(rows_wanted)


if __name__ == "__main__":
    main()
