#!/usr/bin/env python3
"""Writes Tests/Fixtures/projects/pingtan/inbox-2022/ and inbox-2023/: the worked examples of
shared/spec/report-2021.md §5 (平潭综合实验区 2022 and 2023, real published 汇总 reports) split over
four (2022) and five (2023) fixture departments of seeds/departments.csv, so that the region's
tables add up to the published ones exactly.

Deterministic (no randomness, no clock). Python 3 stdlib.

The split keeps every department consistent (S-1…S-4, C-3, C-7, C-8), with 上年结转 2023 =
结转下年度 2022 = 0 (C-1), and 现行有效 chaining 2022 → 2023 for every department but the government
office (zfb), which carries the 2023 clean-up: 300 + 35 − 60 = 275 expected, 102 reported
(Δ −173, the published report's own C-2 break: 698 + 77 − 132 = 643 ≠ 470). The 2023 收费 of
5949.088667 万元 has 6 decimals, so the department holding the .088667 and the region give C-9.

Expected findings with `--previous` = the 2022 outbox for the 2023 run (GoldenEndToEndTests):
2022: REC-SUB-001 for every unit not listed here; 2023: the same plus REC-T2-C2 (zfb, region) and
REC-C9 (scj, region).

Usage: python3 make_inbox.py   (writes next to this script)
"""

import os
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from golden_sheets import (  # noqa: E402
    FOOTER, meta_row, t2_block, t2_from, t3_block, t3_from_results, t3_text, t4_block, t4_from, t4_text, title_row,
    write_sheet)

HERE = os.path.dirname(os.path.abspath(__file__))

# year → [(department id, name written, t2, t3, t4, layout, encoding)]
UNITS = {
    2022: [
        ("zfb", "凌海市人民政府办公室", t2_from((40, 20, 300), 0, 0, 0, "0"),
         t3_from_results({"r3_1": {"np": 8}, "r3_2": {"np": 3}, "r3_4_1": {"np": 15}, "r3_6_1": {"np": 1},
                          "r3_6_3": {"sy": 2}}, carried={"np": 1}),
         t4_from({"fy": (0, 1, 0, 0)}), "separate", "gb18030"),
        ("zrj", "凌海市自然资源局", t2_from((30, 25, 250), 3150, 400, 0, "6000.5"),
         t3_from_results({"r3_1": {"np": 6}, "r3_2": {"np": 3, "sy": 1}, "r3_3_6": {"np": 2}, "r3_4_1": {"np": 12}}),
         t4_from({"fy": (0, 0, 1, 0)}), "stacked", "gb18030"),
        ("scj", "凌海市市场监督管理局", t2_from((18, 10, 148), 7400, 1700, 0, "3100.86"),
         t3_from_results({"r3_1": {"np": 5}, "r3_2": {"np": 2}, "r3_3_7": {"np": 1}, "r3_4_1": {"np": 8},
                          "r3_6_1": {"np": 1}}),
         t4_from({"ss_zj": (1, 0, 0, 0)}), "stacked", "utf-8-sig"),
        ("ss", "石山镇人民政府", t2_from((0, 0, 0), 140, 13, 0, "15"),
         t3_from_results({"r3_1": {"np": 2}, "r3_3_5": {"np": 1}, "r3_4_1": {"np": 2}}),
         t4_from({}), "stacked", "gb18030"),
    ],
    2023: [
        ("zfb", "凌海市人民政府办公室", t2_from((35, 60, 102), 0, 0, 0, "0"),
         t3_from_results({"r3_1": {"np": 8}, "r3_2": {"np": 6, "sy": 1}, "r3_4_1": {"np": 10}, "r3_6_3": {"np": 1}}),
         t4_from({"ss_zj": (2, 0, 0, 0)}), "separate", "gb18030"),
        ("zrj", "凌海市自然资源局", t2_from((25, 40, 235), 800, 200, 0, "4000.5"),
         t3_from_results({"r3_1": {"np": 6}, "r3_2": {"np": 5}, "r3_3_6": {"np": 1}, "r3_4_1": {"np": 9}}),
         t4_from({}), "stacked", "gb18030"),
        ("scj", "凌海市市场监督管理局", t2_from((17, 32, 133), 1500, 900, 20, "1900.088667"),
         t3_from_results({"r3_1": {"np": 4}, "r3_2": {"np": 4}, "r3_3_4": {"np": 1}, "r3_3_8": {"np": 2},
                          "r3_4_1": {"np": 6}, "r3_5_2": {"np": 1}}),
         t4_from({}), "stacked", "utf-8-sig"),
        ("ss", "石山镇人民政府", t2_from((0, 0, 0), 29, 10, 0, "0"),
         t3_from_results({"r3_1": {"np": 2}, "r3_4_1": {"np": 2}}),
         t4_from({}), "stacked", "gb18030"),
        ("gaj", "凌海市公安局", t2_from((0, 0, 0), 300, 220, 34, "48.5"),
         t3_from_results({"r3_1": {"np": 2}, "r3_2": {"np": 4}, "r3_3_7": {"np": 1}, "r3_4_1": {"np": 4},
                          "r3_6_1": {"np": 1}}),
         t4_from({"fy": (1, 1, 0, 0), "ss_zj": (2, 0, 0, 1), "ss_fy": (1, 0, 1, 0)}), "stacked", "gb18030"),
    ],
}


def write_year(year):
    inbox = os.path.join(HERE, f"inbox-{year}")
    if os.path.isdir(inbox):
        shutil.rmtree(inbox)
    os.makedirs(inbox)
    filled = f"{year + 1}年1月20日"
    for uid, name, t2, t3, t4, layout, enc in UNITS[year]:
        if layout == "separate":
            for n, cap, block in [
                ("表二", "表二 主动公开政府信息情况", t2_block(t2, caption=False)),
                ("表三", "表三 收到和处理政府信息公开申请情况", t3_block(t3_text(t3), caption=False)),
                ("表四", "表四 政府信息公开行政复议、行政诉讼情况", t4_block(t4_text(t4), caption=False)),
            ]:
                write_sheet(os.path.join(inbox, f"{name}_{year}_{n}.csv"),
                            [title_row(name, year, cap), meta_row(name, filled)] + block + [FOOTER], enc)
        else:
            write_sheet(os.path.join(inbox, f"{name}{year}年度统计表.csv"),
                        [title_row(name, year), meta_row(name, filled)] + t2_block(t2) + t3_block(t3_text(t3))
                        + t4_block(t4_text(t4)) + [FOOTER], enc)


if __name__ == "__main__":
    for y in sorted(UNITS):
        write_year(y)
