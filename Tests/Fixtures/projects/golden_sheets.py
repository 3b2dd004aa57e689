"""Sheet layouts and writers shared by the fixture generators of the golden end-to-end projects
(linghai-2025, pingtan): the national format's 表二/表三/表四 and the 依申请公开登记台账 as a
department exports them from Excel. Python 3 stdlib; deterministic."""

import csv
import io

# ---- Form layout (pipelines/disclosure-2021/forms.yaml) --------------------------------------

T3_COLS = ["np", "sy", "ky", "gy", "fl", "qt"]
T3_COL_LABEL = {"np": "自然人", "sy": "商业企业", "ky": "科研机构", "gy": "社会公益组织", "fl": "法律服务机构",
                "qt": "其他", "zj": "总计"}
# (key, label cells of the three label columns)
T3_ROWS = [
    ("r1", ["一、本年新收政府信息公开申请数量", "", ""]),
    ("r2", ["二、上年结转政府信息公开申请数量", "", ""]),
    ("r3_1", ["三、本年度办理结果", "（一）予以公开", ""]),
    ("r3_2", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""]),
    ("r3_3_1", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("r3_3_2", ["", "", "2.其他法律行政法规禁止公开"]),
    ("r3_3_3", ["", "", "3.危及“三安全一稳定”"]),
    ("r3_3_4", ["", "", "4.保护第三方合法权益"]),
    ("r3_3_5", ["", "", "5.属于三类内部事务信息"]),
    ("r3_3_6", ["", "", "6.属于四类过程性信息"]),
    ("r3_3_7", ["", "", "7.属于行政执法案卷"]),
    ("r3_3_8", ["", "", "8.属于行政查询事项"]),
    ("r3_4_1", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("r3_4_2", ["", "", "2.没有现成信息需要另行制作"]),
    ("r3_4_3", ["", "", "3.补正后申请内容仍不明确"]),
    ("r3_5_1", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("r3_5_2", ["", "", "2.重复申请"]),
    ("r3_5_3", ["", "", "3.要求提供公开出版物"]),
    ("r3_5_4", ["", "", "4.无正当理由大量反复申请"]),
    ("r3_5_5", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
    ("r3_6_1", ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("r3_6_2", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("r3_6_3", ["", "", "3.其他"]),
    ("r3_7", ["", "（七）总计", ""]),
    ("r4", ["四、结转下年度继续办理", "", ""]),
]
T3_ROW_KEYS = [k for k, _ in T3_ROWS]
RESULT_ROWS = [k for k in T3_ROW_KEYS if k.startswith("r3_") and k != "r3_7"]
T4_GROUPS = ["fy", "ss_zj", "ss_fy"]
T4_COLS = ["wc", "jz", "qt", "wj"]
T2_CELLS = [("guizhang", "zhifa"), ("guizhang", "feizhi"), ("guizhang", "youxiao"), ("gfxwj", "zhifa"),
            ("gfxwj", "feizhi"), ("gfxwj", "youxiao"), ("xzxk", "jueding"), ("xzcf", "jueding"),
            ("xzqz", "jueding"), ("xzsyxsf", "wanyuan")]

# ---- Figures ---------------------------------------------------------------------------------


def t3_from_results(results, carried=None, pending=None):
    """A consistent 表三 from {row: {col: n}} result counts (r3_*), {col: n} carried in (r2) and
    {col: n} pending (r4): r1 = r3_7 + r4 - r2, totals computed."""
    carried = carried or {}
    pending = pending or {}
    t = {r: {c: 0 for c in T3_COLS} for r in T3_ROW_KEYS}
    for row, cols in results.items():
        for c, n in cols.items():
            t[row][c] += n
    for c in T3_COLS:
        t["r3_7"][c] = sum(t[r][c] for r in RESULT_ROWS)
        t["r2"][c] = carried.get(c, 0)
        t["r4"][c] = pending.get(c, 0)
        t["r1"][c] = t["r3_7"][c] + t["r4"][c] - t["r2"][c]
        assert t["r1"][c] >= 0
    for r in T3_ROW_KEYS:
        t[r]["zj"] = sum(t[r][c] for c in T3_COLS)
    return t


def t4_from(groups):
    """表四 from {group: (wc, jz, qt, wj)}; totals computed."""
    t = {}
    for g in T4_GROUPS:
        vals = groups.get(g, (0, 0, 0, 0))
        t[g] = dict(zip(T4_COLS, vals))
        t[g]["zj"] = sum(vals)
    return t


def t2_from(gfxwj, xzxk, xzcf, xzqz, fee):
    """表二: 规章 0/0/0 (a county), 行政规范性文件 (zhifa, feizhi, youxiao), decisions, fee (text, 万元)."""
    return {
        ("guizhang", "zhifa"): "0", ("guizhang", "feizhi"): "0", ("guizhang", "youxiao"): "0",
        ("gfxwj", "zhifa"): str(gfxwj[0]), ("gfxwj", "feizhi"): str(gfxwj[1]), ("gfxwj", "youxiao"): str(gfxwj[2]),
        ("xzxk", "jueding"): str(xzxk), ("xzcf", "jueding"): str(xzcf), ("xzqz", "jueding"): str(xzqz),
        ("xzsyxsf", "wanyuan"): fee,
    }


def t3_text(t):
    """{row: {col: text}} for writing."""
    return {r: {c: str(v) for c, v in cols.items()} for r, cols in t.items()}


def t4_text(t):
    return {g: {c: str(v) for c, v in cols.items()} for g, cols in t.items()}


# ---- Sheet writers ---------------------------------------------------------------------------


def title_row(unit, year, caption=None):
    text = f"{unit}{year}年度政府信息公开工作年度报告统计表"
    return [text + (f"——{caption}" if caption else "")]


def meta_row(unit, filled):
    return [f"填报单位：{unit}", "", "", "", "", f"填报日期：{filled}"]


FOOTER = ["填表人：王丽", "", "联系电话：0416-8123456"]


def t2_block(values, caption=True):
    """表二 rows; `values` maps (row, col) to the text written in the cell."""
    v = lambda r, c: values[(r, c)]
    rows = [["二、主动公开政府信息情况"]] if caption else []
    rows += [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", v("guizhang", "zhifa"), v("guizhang", "feizhi"), v("guizhang", "youxiao")],
        ["行政规范性文件", v("gfxwj", "zhifa"), v("gfxwj", "feizhi"), v("gfxwj", "youxiao")],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", v("xzxk", "jueding")],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", v("xzcf", "jueding")],
        ["行政强制", v("xzqz", "jueding")],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", v("xzsyxsf", "wanyuan")],
    ]
    return rows


def t3_block(text, caption=True, reordered=False):
    """表三 rows; `text` maps row → col → cell text. `reordered`: 总计 first, 法人 columns
    shuffled, 公民/合计 labels and an extra 法人或其他组织小计 column (a local template)."""
    rows = [["三、收到和处理政府信息公开申请情况"]] if caption else []
    head = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    if not reordered:
        rows += [
            [head, "", "", "申请人情况"],
            ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
        ]
        order = ["np", "sy", "ky", "gy", "fl", "qt", "zj"]
    else:
        rows += [
            [head, "", "", "申请人情况"],
            ["", "", "", "合计", "公民", "法人或其他组织", "", "", "", "", ""],
            ["", "", "", "", "", "科研机构", "商业企业", "社会公益组织", "律师事务所", "其他", "法人或其他组织小计"],
        ]
        order = ["zj", "np", "ky", "sy", "gy", "fl", "qt", "xj"]
    for key, labels in T3_ROWS:
        cells = []
        for c in order:
            if c == "xj":
                cells.append(str(sum(int(text[key][o]) for o in ["sy", "ky", "gy", "fl", "qt"])))
            else:
                cells.append(text[key][c])
        rows.append(labels + cells)
    return rows


def t4_block(text, caption=True):
    rows = [["四、政府信息公开行政复议、行政诉讼情况"]] if caption else []
    sub = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows += [
        ["行政复议", "", "", "", "", "行政诉讼"],
        sub + ["未经复议直接起诉", "", "", "", "", "复议后起诉"],
        ["", "", "", "", ""] + sub + sub,
        [text[g][c] for g in T4_GROUPS for c in T4_COLS + ["zj"]],
    ]
    return rows


def register_block(unit, year, apps):
    rows = [[f"{unit}{year}年依申请公开登记台账"],
            ["序号", "申请编号", "申请人类型", "收到日期", "办理结果", "答复日期", "是否上年结转", "备注"]]
    for i, (kind, received, result, replied, carried, note) in enumerate(apps, start=1):
        rows.append([str(i), f"HB-{year}-{i:03d}", kind, received, result, replied, carried, note])
    return rows


def write_sheet(path, rows, encoding="gb18030"):
    """Writes rows as Excel would: every row padded to the widest, CRLF, the given encoding."""
    width = max(len(r) for r in rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow(list(r) + [""] * (width - len(r)))
    data = buf.getvalue()
    with open(path, "wb") as f:
        if encoding == "utf-8-sig":
            f.write(b"\xef\xbb\xbf" + data.encode("utf-8"))
        else:
            f.write(data.encode(encoding))


