#!/usr/bin/env python3
"""Writes Tests/Fixtures/projects/linghai-2025/inbox/ and expected.json: the sheets 14
凌海市 units send for the 2025 report under the national format (pipelines/disclosure-2021), with
the noise real inboxes have, and what Almanac must make of them.

Deterministic (no randomness, no clock): running it twice gives the same bytes. Python 3 stdlib.

Noise, one item per unit (`expected.json` lists the findings each must give, and nothing else):

| unit | file(s) | noise | expected finding |
|---|---|---|---|
| czj 财政局 | three files, one table each | `凌海市` prefix, numbered file names | none |
| jyj 教育局 | stacked file, then a 表三-only `（更正）` file with a later 填报日期 | short name, resubmission (r3_1/r4 corrected) | REC-SUB-002 (t3) |
| sthj 生态环境分局 | 表三 file, 表二+表四 file, 依申请公开登记台账 file | historic name 凌海市环境保护局 in the title (resolved through 填报单位 and file name); the table's r3_4_1.np is one more than the register counts while its hand-typed 总计 is right | NRM-015 (title), REC-REG-001 (t3.r3_4_1.np), REC-T3-S1 (row r3_4_1), REC-T3-S2 (col np) |
| gaj 公安局 | stacked | 填报单位 written `凌海市　公安局` (ideographic space) | none |
| wjj 卫健局 | stacked 表二+表三+表四 | full-width digits in 表二 | none |
| rsj 人社局 | three files, UTF-8 with BOM | 表三 columns reordered (总计 first), `公民`/`合计` labels, an extra 法人或其他组织小计 column | none |
| scj 市场监管局 | stacked | blank tokens `/` (3× 规章), `—` (表三), `无` (表四) | REC-C10 ×5 |
| zjj 住建局 | stacked | 表三 breakdown np sums to 3 less than （七）总计 while 新收+结转 = 总计+结转 holds | REC-T3-S2 (np, zj) |
| kjj (unknown) | stacked | 凌海市科学技术局 is not registered | NRM-001, held back |
| nyj 农业农村局 | stacked | file name uses 农业局; `1,204` and `3.5万元` | none |
| ss 石山镇 | stacked, UTF-8 with BOM | `凌海市石山镇人民政府` | none |
| dlh 大凌河街道 | stacked | `大凌河街道办事处` | none |
| jtj 交通运输局 | stacked | full prefix 辽宁省锦州市凌海市交通运输局 | none |
| sfj 司法局 | stacked | spaced short name `司 法 局` | none |

Every other unit expected for 2025 (all 部门, 乡镇, 街道 in seeds/departments.csv valid on
2025-12-31) sends nothing: REC-SUB-001 each. For the region, the breakdown sums include zjj's
short breakdown (−3 in np) and sthj's typo (+1 in np), and the region's （七）总计 is recomputed from
them, so the region fails S-3 in np and zj by −2: REC-T3-S3 ×2 with department null.

Usage: python3 make_inbox.py   (writes next to this script)
"""

import csv
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2025
SEEDS = os.path.join(HERE, "..", "..", "..", "..", "seeds")

from golden_sheets import *  # noqa: F401,F403 (layouts and writers)

# ---- The units -------------------------------------------------------------------------------
# Each: id, name (canonical), accepted figures (t2 text, t3 ints, t4 ints).

UNITS = {}


def unit(uid, name, t2, t3, t4):
    UNITS[uid] = {"id": uid, "name": name, "t2": t2, "t3": t3, "t4": t4}


unit("czj", "凌海市财政局",
     t2_from((3, 1, 25), 0, 0, 0, "1520.45"),
     t3_from_results({"r3_1": {"np": 4, "sy": 1}, "r3_2": {"np": 1}, "r3_4_1": {"np": 2}}, carried={"np": 1}),
     t4_from({"fy": (1, 0, 0, 0)}))
JYJ_T3 = t3_from_results({"r3_1": {"np": 5}, "r3_4_1": {"np": 2}, "r3_5_2": {"np": 1}})
# The first version counted one 予以公开 as still pending.
JYJ_T3_OLD = t3_from_results({"r3_1": {"np": 4}, "r3_4_1": {"np": 2}, "r3_5_2": {"np": 1}}, pending={"np": 1})
unit("jyj", "凌海市教育局", t2_from((2, 0, 14), 36, 4, 0, "0"), JYJ_T3, t4_from({}))
STHJ_T3 = t3_from_results({"r3_1": {"np": 3}, "r3_2": {"np": 1, "sy": 1}, "r3_3_4": {"sy": 1},
                           "r3_4_1": {"np": 2}}, carried={"np": 1}, pending={"np": 1})
unit("sthj", "锦州市生态环境局凌海分局", t2_from((1, 0, 6), 58, 37, 2, "0"), STHJ_T3,
     t4_from({"fy": (1, 0, 0, 1), "ss_zj": (0, 0, 0, 1)}))
unit("gaj", "凌海市公安局", t2_from((0, 0, 3), 4120, 865, 41, "12.6"),
     t3_from_results({"r3_1": {"np": 2}, "r3_3_7": {"np": 2}, "r3_4_1": {"np": 1}, "r3_5_1": {"np": 1}}),
     t4_from({"fy": (1, 1, 0, 0), "ss_zj": (1, 0, 0, 0), "ss_fy": (0, 1, 0, 0)}))
unit("wjj", "凌海市卫生健康局", t2_from((2, 1, 11), 523, 97, 3, "86.35"),
     t3_from_results({"r3_1": {"np": 3}, "r3_2": {"np": 1}, "r3_3_6": {"np": 1}, "r3_4_2": {"np": 1}}),
     t4_from({}))
unit("rsj", "凌海市人力资源和社会保障局", t2_from((1, 0, 9), 312, 5, 0, "0"),
     t3_from_results({"r3_1": {"np": 6, "sy": 1}, "r3_2": {"np": 1, "fl": 1}, "r3_4_1": {"np": 2, "ky": 1},
                      "r3_6_1": {"np": 1}}, carried={"np": 1}),
     t4_from({"fy": (2, 0, 0, 0)}))
unit("scj", "凌海市市场监督管理局", t2_from((4, 2, 18), 1876, 243, 15, "45.2"),
     t3_from_results({"r3_1": {"np": 4, "sy": 2}, "r3_3_4": {"sy": 1}, "r3_4_1": {"np": 1}, "r3_6_3": {"qt": 1}}),
     t4_from({"fy": (1, 0, 1, 0)}))
ZJJ_T3 = t3_from_results({"r3_1": {"np": 5}, "r3_2": {"np": 2}, "r3_4_1": {"np": 3}, "r3_5_2": {"np": 1}},
                         carried={"np": 1})
unit("zjj", "凌海市住房和城乡建设局", t2_from((2, 0, 21), 684, 12, 1, "230.5"), ZJJ_T3,
     t4_from({"fy": (0, 1, 0, 0)}))
unit("nyj", "凌海市农业农村局", t2_from((1, 0, 7), 1204, 31, 0, "3.5"),
     t3_from_results({"r3_1": {"np": 2}, "r3_4_1": {"np": 1}}),
     t4_from({}))
unit("ss", "石山镇", t2_from((0, 0, 2), 15, 3, 0, "0"),
     t3_from_results({"r3_1": {"np": 1}}),
     t4_from({}))
unit("dlh", "大凌河街道", t2_from((0, 0, 1), 8, 0, 0, "0"),
     t3_from_results({"r3_1": {"np": 2}, "r3_5_3": {"np": 1}}),
     t4_from({}))
unit("jtj", "凌海市交通运输局", t2_from((1, 1, 8), 967, 188, 9, "1.25"),
     t3_from_results({"r3_1": {"np": 2, "sy": 1}, "r3_3_5": {"np": 1}}),
     t4_from({}))
unit("sfj", "凌海市司法局", t2_from((0, 0, 4), 22, 6, 0, "0"),
     t3_from_results({"r3_1": {"np": 1}, "r3_2": {"np": 1}, "r3_4_3": {"gy": 1}}),
     t4_from({"ss_zj": (1, 0, 0, 0)}))

# What the sheets write where it differs from the accepted figures (the noise).
# sthj: 1.本机关不掌握 np typed as 3 (register counts 2); the row's total stays 2.
STHJ_WRITTEN = t3_text(STHJ_T3)
STHJ_WRITTEN["r3_4_1"]["np"] = "3"
# zjj: 本机关不掌握 np written as 0 instead of 3 (and its row total too): the breakdown is 3 short of
# （七）总计, which still balances 新收 + 结转.
ZJJ_WRITTEN = t3_text(ZJJ_T3)
ZJJ_WRITTEN["r3_4_1"]["np"] = "0"
ZJJ_WRITTEN["r3_4_1"]["zj"] = "0"
# scj: blank tokens where the figure is 0.
SCJ_T2 = dict(UNITS["scj"]["t2"])
for c in ["zhifa", "feizhi", "youxiao"]:
    SCJ_T2[("guizhang", c)] = "/"
SCJ_T3 = t3_text(UNITS["scj"]["t3"])
assert SCJ_T3["r3_5_4"]["ky"] == "0"
SCJ_T3["r3_5_4"]["ky"] = "—"
SCJ_T4 = t4_text(UNITS["scj"]["t4"])
assert SCJ_T4["ss_fy"]["jz"] == "0"
SCJ_T4["ss_fy"]["jz"] = "无"
# nyj: thousands separator and a unit glued on.
NYJ_T2 = dict(UNITS["nyj"]["t2"])
NYJ_T2[("xzxk", "jueding")] = "1,204"
NYJ_T2[("xzsyxsf", "wanyuan")] = "3.5万元"
# wjj: full-width digits.
WJJ_T2 = dict(UNITS["wjj"]["t2"])
WJJ_T2[("xzxk", "jueding")] = "５２３"

# sthj's register: one line per application, consistent with STHJ_T3 (the true figures).
STHJ_APPS = [
    ("自然人", "2024-12-20", "予以公开", "2025-01-08", "是", "上年12月收到"),
    ("自然人", "2025-02-11", "予以公开", "2025/2/25", "否", ""),
    ("公民", "2025/3/4", "同意公开", "2025/3/18", "否", ""),
    ("自然人", "2025年4月2日", "部分公开", "2025年4月20日", "否", ""),
    ("法人或其他组织-商业企业", "2025.5.6", "部分公开", "2025.5.27", "否", "涉及商业秘密部分不予公开"),
    ("企业", "2025-06-09", "不予公开-保护第三方合法权益", "2025-06-30", "否", ""),
    ("自然人", "45845", "无法提供（本机关不掌握相关政府信息）", "45859", "否", ""),
    ("个人", "2025-09-15", "信息不存在", "2025-09-29", "否", ""),
    ("自然人", "2025-12-22", "办理中", "", "否", "2026年1月答复"),
]

# ---- Files -----------------------------------------------------------------------------------


def files():
    """(file name, rows, encoding) of every inbox file."""
    out = []
    U = UNITS
    # czj: three files, one table each.
    for n, cap, block in [("表二", "表二 主动公开政府信息情况", t2_block(U["czj"]["t2"], caption=False)),
                          ("表三", "表三 收到和处理政府信息公开申请情况", t3_block(t3_text(U["czj"]["t3"]), caption=False)),
                          ("表四", "表四 政府信息公开行政复议、行政诉讼情况", t4_block(t4_text(U["czj"]["t4"]), caption=False))]:
        out.append((f"08_凌海市财政局_{YEAR}年报统计-{n}.csv",
                    [title_row("凌海市财政局", YEAR, cap), meta_row("凌海市财政局", "2026年1月9日")] + block + [FOOTER],
                    "gb18030"))
    # jyj: stacked, then a corrected 表三 alone with a later date.
    old_t3 = t3_text(JYJ_T3_OLD)
    out.append((f"教育局{YEAR}年政务公开统计表.csv",
                [title_row("凌海市教育局", YEAR), meta_row("教育局", "2026年1月8日")] + t2_block(U["jyj"]["t2"])
                + t3_block(old_t3) + t4_block(t4_text(U["jyj"]["t4"])) + [FOOTER], "gb18030"))
    out.append((f"教育局{YEAR}年政务公开统计表（更正）.csv",
                [title_row("凌海市教育局", YEAR, "表三 收到和处理政府信息公开申请情况"), meta_row("教育局", "2026年1月15日")]
                + t3_block(t3_text(JYJ_T3), caption=False) + [FOOTER], "gb18030"))
    # sthj: historic name in the title; 填报单位 and file name resolve.
    out.append(("环保局-表三.csv",
                [title_row("凌海市环境保护局", YEAR, "表三 收到和处理政府信息公开申请情况"),
                 meta_row("锦州市生态环境局凌海分局", "2026年1月10日")]
                + t3_block(STHJ_WRITTEN, caption=False) + [FOOTER], "gb18030"))
    out.append(("环保局-表二、表四.csv",
                [title_row("锦州市生态环境局凌海分局", YEAR), meta_row("锦州市生态环境局凌海分局", "2026年1月10日")]
                + t2_block(U["sthj"]["t2"]) + t4_block(t4_text(U["sthj"]["t4"])) + [FOOTER], "gb18030"))
    out.append(("环保局-依申请公开登记台账.csv",
                [meta_row("锦州市生态环境局凌海分局", "2026年1月10日")]
                + register_block("锦州市生态环境局凌海分局", YEAR, STHJ_APPS) + [FOOTER], "gb18030"))
    # gaj: ideographic space inside the name.
    out.append((f"公安局{YEAR}年度统计表.csv",
                [title_row("凌海市公安局", YEAR), meta_row("凌海市\u3000公安局", "2026年1月12日")]
                + t2_block(U["gaj"]["t2"]) + t3_block(t3_text(U["gaj"]["t3"])) + t4_block(t4_text(U["gaj"]["t4"]))
                + [FOOTER], "gb18030"))
    # wjj: the stacked sheet (表二+表三+表四 in one file).
    out.append((f"卫健局{YEAR}年度政府信息公开统计.csv",
                [title_row("凌海市卫生健康局", YEAR), meta_row("凌海市卫生健康局", "2026年1月11日")]
                + t2_block(WJJ_T2) + t3_block(t3_text(U["wjj"]["t3"])) + t4_block(t4_text(U["wjj"]["t4"]))
                + [FOOTER], "gb18030"))
    # rsj: three UTF-8 files, 表三 reordered.
    out.append(("人社局-表二.csv", [title_row("人社局", YEAR, "表二 主动公开政府信息情况"), meta_row("人社局", "2026-01-07")]
                + t2_block(U["rsj"]["t2"], caption=False) + [FOOTER], "utf-8-sig"))
    out.append(("人社局-表三.csv", [title_row("人社局", YEAR, "表三 收到和处理政府信息公开申请情况"), meta_row("人社局", "2026-01-07")]
                + t3_block(t3_text(U["rsj"]["t3"]), caption=False, reordered=True) + [FOOTER], "utf-8-sig"))
    out.append(("人社局-表四.csv", [title_row("人社局", YEAR, "表四 政府信息公开行政复议、行政诉讼情况"), meta_row("人社局", "2026-01-07")]
                + t4_block(t4_text(U["rsj"]["t4"]), caption=False) + [FOOTER], "utf-8-sig"))
    # scj: blank tokens.
    out.append((f"21_市场监管局_{YEAR}年度政务公开统计.csv",
                [title_row("凌海市市场监督管理局", YEAR), meta_row("市场监管局", "2026年1月13日")]
                + t2_block(SCJ_T2) + t3_block(SCJ_T3) + t4_block(SCJ_T4) + [FOOTER], "gb18030"))
    # zjj: breakdown short of （七）总计.
    out.append((f"住建局{YEAR}年度统计表.csv",
                [title_row("凌海市住房和城乡建设局", YEAR), meta_row("住建局", "2026年1月14日")]
                + t2_block(U["zjj"]["t2"]) + t3_block(ZJJ_WRITTEN) + t4_block(t4_text(U["zjj"]["t4"]))
                + [FOOTER], "gb18030"))
    # Unknown department (科技局 is not in seeds/departments.csv).
    kjj_t3 = t3_from_results({"r3_1": {"np": 7}})
    out.append((f"凌海市科学技术局{YEAR}年度政府信息公开统计.csv",
                [title_row("凌海市科学技术局", YEAR), meta_row("凌海市科学技术局", "2026年1月10日")]
                + t2_block(t2_from((1, 0, 3), 10, 0, 0, "0")) + t3_block(t3_text(kjj_t3))
                + t4_block(t4_text(t4_from({}))) + [FOOTER], "gb18030"))
    # nyj, ss, dlh, jtj, sfj: name variants, otherwise clean.
    for fname, uid, title_name, meta_name, filled, enc, t2 in [
        (f"农业局{YEAR}.csv", "nyj", "凌海市农业农村局", "凌海市农业农村局", "2026年1月9日", "gb18030", NYJ_T2),
        (f"石山镇{YEAR}年度统计表.csv", "ss", "凌海市石山镇", "凌海市石山镇人民政府", "2026/1/16", "utf-8-sig", None),
        (f"大凌河街道{YEAR}年度统计表.csv", "dlh", "大凌河街道", "大凌河街道办事处", "2026年1月16日", "gb18030", None),
        (f"交通局{YEAR}年度统计.csv", "jtj", "辽宁省锦州市凌海市交通运输局", "辽宁省锦州市凌海市交通运输局", "2026年1月12日",
         "gb18030", None),
        (f"司法局{YEAR}.csv", "sfj", "凌海市司法局", "司 法 局", "2026年1月12日", "gb18030", None),
    ]:
        u = UNITS[uid]
        out.append((fname, [title_row(title_name, YEAR), meta_row(meta_name, filled)] + t2_block(t2 or u["t2"])
                    + t3_block(t3_text(u["t3"])) + t4_block(t4_text(u["t4"])) + [FOOTER], enc))
    return out


# ---- Expected outcome ------------------------------------------------------------------------


def written_t3(uid):
    """The 表三 as accepted (what the sheets say), blank tokens as 0."""
    if uid == "sthj":
        text = STHJ_WRITTEN
    elif uid == "zjj":
        text = ZJJ_WRITTEN
    elif uid == "scj":
        text = SCJ_T3
    else:
        text = t3_text(UNITS[uid]["t3"])
    return {r: {c: (int(v) if v.lstrip("-").isdigit() else 0) for c, v in cols.items()} for r, cols in text.items()}


def region_t3():
    """Region 表三: every breakdown cell summed over accepted units; the 总计 column and the （七）总计
    row recomputed from the breakdowns (never summed from the units' own totals)."""
    reg = {r: {c: 0 for c in T3_COLS} for r in T3_ROW_KEYS}
    for uid in UNITS:
        t = written_t3(uid)
        for r in T3_ROW_KEYS:
            if r == "r3_7":
                continue
            for c in T3_COLS:
                reg[r][c] += t[r][c]
    for c in T3_COLS:
        reg["r3_7"][c] = sum(reg[r][c] for r in RESULT_ROWS)
    for r in T3_ROW_KEYS:
        reg[r]["zj"] = sum(reg[r][c] for c in T3_COLS)
    return reg


def region_t4():
    reg = {g: {c: 0 for c in T4_COLS} for g in T4_GROUPS}
    for u in UNITS.values():
        for g in T4_GROUPS:
            for c in T4_COLS:
                reg[g][c] += u["t4"][g][c]
    for g in T4_GROUPS:
        reg[g]["zj"] = sum(reg[g][c] for c in T4_COLS)
    return reg


def region_t2():
    """Region 表二 as exact decimal text (counts summed; 万元 summed as decimals)."""
    from decimal import Decimal
    out = {}
    for r, c in T2_CELLS:
        total = Decimal(0)
        for u in UNITS.values():
            v = u["t2"][(r, c)]
            total += Decimal(v)
        out[f"{r}.{c}"] = format(total.normalize(), "f") if total != total.to_integral() else str(int(total))
    return out


def expected_departments():
    """Units expected for the year: 部门/乡镇/街道 valid on 31 December (seeds/departments.csv)."""
    with open(os.path.join(SEEDS, "departments.csv"), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    end = f"{YEAR}-12-31"
    return sorted(r["id"] for r in rows
                  if r["level"] in ("部门", "乡镇", "街道")
                  and (not r["valid_from"] or r["valid_from"] <= end)
                  and (not r["valid_to"] or r["valid_to"] >= end))


def expected_findings():
    """Every finding the run must give: [code, department or null, cell or null]."""
    out = [
        ["NRM-001", None, None],
        ["NRM-015", "sthj", None],
        ["REC-SUB-002", "jyj", None],
        ["REC-REG-001", "sthj", "t3.r3_4_1.np"],
        ["REC-T3-S1", "sthj", "t3.r3_4_1.zj"],
        ["REC-T3-S2", "sthj", "t3.r3_7.np"],
        ["REC-T3-S2", "zjj", "t3.r3_7.np"],
        ["REC-T3-S2", "zjj", "t3.r3_7.zj"],
        ["REC-C10", "scj", "t2.guizhang.zhifa"],
        ["REC-C10", "scj", "t2.guizhang.feizhi"],
        ["REC-C10", "scj", "t2.guizhang.youxiao"],
        ["REC-C10", "scj", "t3.r3_5_4.ky"],
        ["REC-C10", "scj", "t4.ss_fy.jz"],
    ]
    # The region's S-3: 新收 + 结转 vs the recomputed （七）总计 + 结转下年度.
    reg = region_t3()
    for c in T3_COLS + ["zj"]:
        if reg["r1"][c] + reg["r2"][c] != reg["r3_7"][c] + reg["r4"][c]:
            out.append(["REC-T3-S3", None, f"t3.r1.{c}"])
    for d in expected_departments():
        if d not in UNITS:
            out.append(["REC-SUB-001", d, None])
    return sorted(out, key=lambda f: (f[0], f[1] or "", f[2] or ""))


def main():
    inbox = os.path.join(HERE, "inbox")
    if os.path.isdir(inbox):
        shutil.rmtree(inbox)
    os.makedirs(inbox)
    for name, rows, enc in files():
        write_sheet(os.path.join(inbox, name), rows, enc)
    reg3 = region_t3()
    reg4 = region_t4()
    expected = {
        "year": YEAR,
        "accepted": sorted(UNITS),
        "heldBack": [f"凌海市科学技术局{YEAR}年度政府信息公开统计.csv"],
        "superseded": [f"教育局{YEAR}年政务公开统计表.csv"],
        "missing": [d for d in expected_departments() if d not in UNITS],
        "t2": region_t2(),
        "t3": {f"{r}.{c}": reg3[r][c] for r in T3_ROW_KEYS for c in T3_COLS + ["zj"]},
        "t4": {f"{g}.{c}": reg4[g][c] for g in T4_GROUPS for c in T4_COLS + ["zj"]},
        "findings": expected_findings(),
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
