#!/usr/bin/env python3
"""Cross-checks examples/linghai-2016/inbox/ against the published report, independently of
Almanac and of make_inbox.py's internals: reads every sheet the way forms.md describes (gzip,
BOM / strict UTF-8 / GB18030, labels folded and matched through forms.yaml aliases and
seeds/linghai_label_aliases.csv, departments through seeds/departments.csv and
seeds/department_aliases.csv, newest 填报日期 per department), sums the region and compares
every figure with the one printed in shared/examples/linghai-2016-report.txt.

Exit 0 when every figure matches and the report's own inconsistency (topic breakdown 56 ≠ 60)
is reproduced; 1 otherwise. Python 3 stdlib only.
"""

import csv
import gzip
import io
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
INBOX = os.path.join(ROOT, "examples", "linghai-2016", "inbox")
PIPELINE = os.path.join(ROOT, "pipelines", "linghai-2016")

# Every figure of the published report, by cell (region 本年度 values).
EXPECTED = {
    "ind.gkr_dw.bnd": 30, "ind.gkr_cl.bnd": 2, "ind.gkr_zx.bnd": 3600,
    "ind.zdgk.bnd": 820, "ind.zdgk_wz.bnd": 760,
    "ind.jc_tz.bnd": 18, "ind.jc_xm.bnd": 30, "ind.jc_fa.bnd": 5, "ind.zx_yj.bnd": 112,
    "ind.gl_sp.bnd": 49, "ind.gl_ql.bnd": 231, "ind.fw_jz.bnd": 30, "ind.fw_bl.bnd": 7757,
    "ind.cz_ys.bnd": 55, "ind.cz_js.bnd": 54, "ind.sjcc.bnd": 306, "ind.jgzf.bnd": 496,
    "ind.xmzf.bnd": 108, "ind.ggzy.bnd": 46, "ind.hbxx.bnd": 147, "ind.fpxx.bnd": 13,
    "ind.jzxx.bnd": 8, "ind.jyxx.bnd": 120, "ind.bzxx.bnd": 25, "ind.jiaoyu.bnd": 44,
    "ind.ylws.bnd": 10, "ind.spyp.bnd": 35, "ind.zcjd.bnd": 25,
    "ind.mxw_hy.bnd": 274, "ind.mxw_sq.bnd": 273, "ind.mxw_bjl.bnd": 100,
    "ind.rx_sl.bnd": 331, "ind.rx_bjl.bnd": 100,
    "ind.ysq_zs.bnd": 1, "ind.jb.bnd": 0, "ind.fy.bnd": 0, "ind.ss.bnd": 0,
    "ind.jy_zs.bnd": 60, "ind.jy_rd.bnd": 14, "ind.jy_zx.bnd": 46, "ind.jy_bjl.bnd": 100,
    "jyta.cj.hj": 15, "jyta.jt.hj": 6, "jyta.jy.hj": 5, "jyta.whly.hj": 4, "jyta.jf.hj": 4,
    "jyta.cz.hj": 3, "jyta.hb.hj": 3, "jyta.zhzf.hj": 3, "jyta.mzga.hj": 2, "jyta.hy.hj": 2,
    "jyta.nb.hj": 2, "jyta.xzsp.hj": 1, "jyta.scjd.hj": 1, "jyta.ty.hj": 1, "jyta.nf.hj": 1,
    "jyta.sl.hj": 1, "jyta.dj.hj": 1, "jyta.dx.hj": 1, "jyta.qt.hj": 0,
}
HEADER_FORM = {"指标名称": "ind", "内容分类": "jyta"}
METADATA = ("填报单位", "填报日期", "填表人", "审核人", "联系电话", "备注", "说明")


def fold(text):
    """A simplified LabelFold.key: NFKC, no whitespace, unified quotes, numbering stripped."""
    t = unicodedata.normalize("NFKC", text)
    t = "".join(c for c in t if not c.isspace() and c not in "\ufeff\u200b")
    t = re.sub("[\u201c\u201d\u201e\u300c\u300d\u300e\u300f'\u2018\u2019]", '"', t)
    t = re.sub(r"^(\([0-9一二三四五六七八九十]{1,3}\)[.、]?|[0-9]+[.、)]|[一二三四五六七八九十]+[、.是])", "", t)
    return t


def load_forms():
    """Form id -> {'rows': folded label -> key, 'cols': folded label -> key} from forms.yaml."""
    text = open(os.path.join(PIPELINE, "forms.yaml"), encoding="utf-8").read()
    forms, current, section = {}, None, None
    for line in text.splitlines():
        m = re.match(r"\s*- id: (\w+)", line)
        if m:
            current = forms.setdefault(m.group(1), {"rows": {}, "cols": {}})
            continue
        m = re.match(r"\s*(rows|columns):\s*$", line)
        if m:
            section = "rows" if m.group(1) == "rows" else "cols"
            continue
        m = re.match(r"\s*- \{key: (\w+),(.*)\}\s*$", line)
        if m and current is not None:
            key, rest = m.group(1), m.group(2)
            label = re.search(r"label: ([^,}]+)", rest).group(1).strip()
            aliases = re.search(r"aliases: \[([^\]]*)\]", rest)
            names = [label] + ([a.strip() for a in aliases.group(1).split(",")] if aliases else [])
            for n in names:
                current[section][fold(n)] = key
    with open(os.path.join(ROOT, "seeds", "linghai_label_aliases.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            form = forms[r["form"]]
            canon = fold(r["canonical"])
            for section in ("rows", "cols"):
                if canon in form[section]:
                    form[section][fold(r["variant"])] = form[section][canon]
            if canon in HEADER_FORM or canon in ("指标名称", "内容分类"):
                HEADER_FORM[r["variant"]] = HEADER_FORM.get(r["canonical"], r["form"])
    return forms


def load_departments(on="2016-12-31"):
    """Name -> id for canonical names and aliases valid on `on` (department and alias alike)."""
    level, entries = {}, []
    with open(os.path.join(ROOT, "seeds", "departments.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            level[r["id"]] = (r["level"], r["valid_from"], r["valid_to"], r["name"])
            entries.append((r["name"], r["id"], "", ""))
    with open(os.path.join(ROOT, "seeds", "department_aliases.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            entries.append((r["alias"], r["department_id"], r["valid_from"], r["valid_to"]))

    def valid(frm, to):
        return (not frm or frm <= on) and (not to or to >= on)

    names = {}
    for name, dept, frm, to in entries:
        if dept in level and valid(frm, to) and valid(level[dept][1], level[dept][2]):
            names[fold(name)] = dept
    return names, level


def decode(raw):
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8"), "utf-8-bom"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


def number(text):
    t = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    t = re.sub(r"[条件个项次家人万份%]+$", "", t)
    return int(t) if t else None


def read(path, forms, depts, problems):
    text, enc = decode(open(path, "rb").read())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    title = rows[0][0]
    m = re.match(r"(.+?)(\d{4})年度", title)
    claim_title = m.group(1)
    unit = date = None
    for r in rows:
        for c in r:
            if c.startswith("填报单位："):
                unit = c.split("：", 1)[1]
            if c.startswith("填报日期："):
                date = c.split("：", 1)[1]
    ids = {depts.get(fold(claim_title)), depts.get(fold(unit))}
    if None in ids or len(ids) != 1:
        problems.append(f"{os.path.basename(path)}: department claims {claim_title!r} / {unit!r} resolve to {ids}")
    dept = sorted(i for i in ids if i)[0] if any(ids) else "?"
    dm = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date)
    filled = (int(dm.group(1)), int(dm.group(2)), int(dm.group(3)))
    cells, form, colmap = {}, None, None
    for line_no, r in enumerate(rows, 1):
        first = r[0].strip() if r else ""
        if not any(c.strip() for c in r) or first.startswith(METADATA) or line_no == 1:
            form = form if any(c.strip() for c in r) else form
            continue
        if first in HEADER_FORM:
            form = HEADER_FORM[first]
            colmap = {}
            for i, c in enumerate(r[1:], 1):
                if not c.strip():
                    continue
                key = forms[form]["cols"].get(fold(c))
                if key is None:
                    problems.append(f"{os.path.basename(path)}:{line_no}: unknown column {c!r}")
                colmap[i] = key
            continue
        if form is None:
            continue  # caption rows
        key = forms[form]["rows"].get(fold(first))
        if key is None:
            if len([c for c in r[1:] if c.strip()]) == 0:
                continue  # a caption between stacked tables
            problems.append(f"{os.path.basename(path)}:{line_no}: unknown row label {first!r} in {form}")
            continue
        for i, col in colmap.items():
            if col in (None, "unit") or i >= len(r):
                continue
            v = number(r[i])
            if v is not None:
                cells[f"{form}.{key}.{col}"] = v
    return dept, filled, os.path.basename(path), enc, cells


def main():
    forms = load_forms()
    depts, level = load_departments()
    problems = []
    sheets = [read(os.path.join(INBOX, n), forms, depts, problems) for n in sorted(os.listdir(INBOX))]
    newest = {}
    for dept, filled, name, enc, cells in sheets:
        if dept not in newest or (filled, name) > newest[dept][0]:
            newest[dept] = ((filled, name), cells)
    superseded = [s[2] for s in sheets if newest[s[0]][0][1] != s[2]]
    region = {}
    for _, cells in newest.values():
        for k, v in cells.items():
            region[k] = region.get(k, 0) + v
    for k, want in sorted(EXPECTED.items()):
        got = region.get(k)
        if got != want:
            problems.append(f"region {k}: sheets sum to {got}, report prints {want}")
    expected_2016 = {i for i, (lv, vf, vt, _) in level.items()
                     if lv in ("部门", "乡镇", "街道") and (not vf or vf <= "2016-12-31") and (not vt or vt >= "2016-01-01")}
    missing = sorted(expected_2016 - set(newest))
    encs = {}
    for s in sheets:
        encs[s[3]] = encs.get(s[3], 0) + 1
    topics = sum(v for k, v in region.items() if k.startswith("jyta.") and k.endswith(".hj"))
    zx = sum(v for k, v in region.items() if k.startswith("jyta.") and k.endswith(".zx"))
    rd = sum(v for k, v in region.items() if k.startswith("jyta.") and k.endswith(".rd"))
    print(f"files: {len(sheets)}, departments: {len(newest)}, encodings: {encs}, superseded: {superseded}")
    print(f"registered 2016 departments without a sheet: {missing or 'none'}")
    print(f"主动公开 {region['ind.zdgk.bnd']}, 门户网站 {region['ind.zdgk_wz.bnd']}; "
          f"建议提案 {region['ind.jy_zs.bnd']} = {region['ind.jy_rd.bnd']} + {region['ind.jy_zx.bnd']}")
    print(f"topic breakdown: 合计 {topics} (人大 {rd}, 政协 {zx}) vs 建议提案 {region['ind.jy_zs.bnd']}"
          f" -> difference {region['ind.jy_zs.bnd'] - topics} (the published report's own inconsistency)")
    if topics != 56 or rd != 14 or zx != 42:
        problems.append("the topic breakdown should add up to 56 (14 + 42), as printed")
    if missing:
        problems.append(f"no sheet from {missing}")
    for p in problems:
        print("PROBLEM:", p)
    print("OK: every figure of the report is reproduced" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
