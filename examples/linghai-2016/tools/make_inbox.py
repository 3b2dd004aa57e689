#!/usr/bin/env python3
"""Writes examples/linghai-2016/inbox/: the sheets Linghai's departments and towns would have
sent for the published 凌海市2016年度政府信息公开工作报告 (shared/examples/linghai-2016-report.txt).

Deterministic (no randomness, no clock): running it twice gives the same bytes. Python 3 stdlib.

The region's figures (sums over the newest sheet of every department) equal the figures the
published report prints, transcribed exactly, including where the report is inconsistent:

* 九 says 60 建议提案 (14 人大代表建议 + 46 政协委员提案), but its breakdown by topic adds up to
  56. "涉及城建方面各15件" names one topic with "各" ("each"), so a topic was probably dropped
  from the sentence; we transcribe what is printed: 城建 = 15. The report does not split the
  topics into 人大/政协; we put all 14 人大代表建议 into the topics (so that column agrees) and the
  政协 column adds up to 42, not 46. The reconcile stage reports both (REC-LH-JY3, REC-LH-JY5).
* 六 "全年网络回应件274件，受理民意诉求件273件，办结率均为100%": two kinds of 民心网 items, each
  done in full, so 办结 = 274 + 273 = 547.

Usage: python3 examples/linghai-2016/tools/make_inbox.py [--out DIR]
"""

import argparse
import gzip
import hashlib
import os
import shutil

# --------------------------------------------------------------------------------------------
# The indicator list the government office sent out (row key, label, unit). Keys match
# pipelines/linghai-2016/forms.yaml. Rate rows (%) are filled only by the responsible office.
ROWS = [
    ("gkr_dw", "政务公开日参加活动单位数", "家"),
    ("gkr_cl", "政务公开日发放宣传材料数", "万份"),
    ("gkr_zx", "政务公开日现场解答群众咨询人次", "人次"),
    ("zdgk", "主动公开政府信息数", "条"),
    ("zdgk_wz", "其中：政府门户网站公开数", "条"),
    ("jc_tz", "召开听证座谈会次数", "次"),
    ("jc_xm", "公开重点工程项目数", "项"),
    ("jc_fa", "公开改革方案数", "项"),
    ("zx_yj", "听取公众意见建议数", "条"),
    ("gl_sp", "公开取消、承接、调整行政审批事项数", "项"),
    ("gl_ql", "公开保留行政权力事项数", "项"),
    ("fw_jz", "进驻公共行政服务中心部门数", "个"),
    ("fw_bl", "办理审批和服务事项数", "件"),
    ("cz_ys", "公开财政预算及“三公”经费预算部门数", "个"),
    ("cz_js", "公开财政资金决算及“三公”经费决算部门数", "个"),
    ("sjcc", "公开随机抽查事项清单数", "个"),
    ("jgzf", "公开监管执法信息数", "条"),
    ("xmzf", "公开项目审批核准备案实施及执法信息数", "条"),
    ("ggzy", "公开公共资源配置领域信息数", "条"),
    ("hbxx", "公开环保信息数", "条"),
    ("fpxx", "公开扶贫信息数", "条"),
    ("jzxx", "公开社会救助信息数", "条"),
    ("jyxx", "公开就业创业信息数", "条"),
    ("bzxx", "公开棚户区改造、农村危房改造和保障房信息数", "条"),
    ("jiaoyu", "公开教育信息数", "条"),
    ("ylws", "公开医疗卫生信息数", "条"),
    ("spyp", "公开食品药品安全信息数", "条"),
    ("zcjd", "公开政府及部门文件数", "件"),
    ("mxw_hy", "民心网网络回应件数", "件"),
    ("mxw_sq", "民心网受理民意诉求件数", "件"),
    ("mxw_bj", "民心网办结件数", "件"),
    ("mxw_bjl", "民心网办结率", "%"),
    ("rx_sl", "市长热线和市长信箱受理咨询投诉数", "件"),
    ("rx_bj", "市长热线和市长信箱办结数", "件"),
    ("rx_bjl", "市长热线和市长信箱办结率", "%"),
    ("ysq_zs", "受理依申请公开申请数", "件"),
    ("ysq_dm", "其中：当面申请数", "件"),
    ("ysq_wl", "其中：网络申请数", "件"),
    ("ysq_xh", "其中：信函、传真申请数", "件"),
    ("ysq_bj", "依申请公开办结数", "件"),
    ("ysq_as", "其中：按时办结数", "件"),
    ("jb", "政府信息公开举报数", "件"),
    ("fy", "政府信息公开行政复议数", "件"),
    ("ss", "政府信息公开行政诉讼数", "件"),
    ("jy_zs", "收到人大代表建议和政协委员提案数", "件"),
    ("jy_rd", "人大代表建议办理数", "件"),
    ("jy_zx", "政协委员提案办理数", "件"),
    ("jy_bj", "建议提案办结数", "件"),
    ("jy_bjl", "建议提案办结率", "%"),
    ("jy_jml", "建议提案见面率", "%"),
    ("jy_gfl", "建议提案答复函规范化率", "%"),
    ("jy_myl", "建议提案满意率", "%"),
]
RATE_ROWS = {"mxw_bjl", "rx_bjl", "jy_bjl", "jy_jml", "jy_gfl", "jy_myl"}
# Rows without a meaningful 历年累计 (one-off figures, counts of departments, rates).
NO_CUMULATIVE = RATE_ROWS | {"gkr_dw", "gkr_cl", "fw_jz", "cz_ys", "cz_js"}

# Spellings departments actually use, by row key. Each one is an alias in forms.yaml or in
# seeds/linghai_label_aliases.csv (tools/check_inbox.py verifies that).
VARIANTS = {
    "gkr_zx": ["现场解答群众咨询人次", "政务公开日解答咨询人次"],
    "zdgk": ["主动公开信息数", "主动公开政府信息条数", "主动公开信息总数"],
    "zdgk_wz": ["其中:政府网站公开数", "政府门户网站公开数", "其中：通过政府网站公开数"],
    "jc_tz": ["召开各类听证座谈会次数", "召开听证会、座谈会次数"],
    "jc_xm": ["公开重点项目数"],
    "zx_yj": ["听取公众对执行情况的意见和建议数"],
    "gl_ql": ["公开权力清单事项数", "保留行政权力事项数"],
    "sjcc": ["公开随机抽查事项清单"],
    "hbxx": ["公开环保信息条数"],
    "fpxx": ["扶贫信息公开条数"],
    "jyxx": ["公开就业创业信息条数"],
    "jiaoyu": ["公开教育信息条数"],
    "zcjd": ["公开政策解读文件数"],
    "ysq_zs": ["依申请公开受理数"],
    "fy": ["行政法复议数"],
    "ss": ["行政诉讼数"],
}

# --------------------------------------------------------------------------------------------
# Who sent what. `title` is the name in the title row, `unit` the 填报单位 cell; both are names
# valid in 2016 (pre-2019 names resolve through seeds/department_aliases.csv).
# enc: gb18030 (Excel "CSV (逗号分隔)") or utf-8-sig (Excel "CSV UTF-8").
DEPARTMENTS = [
    # id, title, unit, file name, enc, 填报日期 (day in January 2017), filler
    ("zfb", "凌海市人民政府办公室", "凌海市人民政府办公室", "01_凌海市人民政府办公室_2016年度政务公开统计.csv", "gb18030", 20, "刘洋"),
    ("fgj", "凌海市发展和改革委员会", "发改委", "02_发改委_2016年度政务公开统计.csv", "gb18030", 12, "王建国"),
    ("jyj", "凌海市教育局", "教育局", "教育局2016年政务公开统计表（更正）.csv", "utf-8-sig", 16, "李红"),
    ("gxj", "凌海市经济和信息化局", "经信局", "经信局-政务公开统计2016.csv", "gb18030", 10, "赵志强"),
    ("gaj", "凌海市公安局", "锦州市公安局凌海分局", "公安局2016年度统计表.csv", "gb18030", 13, "孙伟"),
    ("mzj", "凌海市民政局", "民政局", "民政局_2016信息公开统计.csv", "utf-8-sig", 11, "周丽"),
    ("sfj", "凌海市司法局", "凌海市司法局", "司法局2016.csv", "gb18030", 9, "吴敏"),
    ("czj", "凌海市财政局", "财政局", "08_凌海市财政局_2016年度政务公开统计.csv", "gb18030", 17, "郑晓东"),
    ("rsj", "凌海市人力资源和社会保障局", "人社局", "人社局2016年度政府信息公开统计表.csv", "utf-8-sig", 12, "冯静"),
    ("zrj", "凌海市国土资源局", "国土局", "国土局2016年度政府信息公开统计表.csv", "gb18030", 14, "陈刚"),
    ("sthj", "凌海市环境保护局", "凌海市环保局", "11_环保局_2016年报统计.csv", "gb18030", 10, "褚丹"),
    ("zjj", "凌海市城乡建设局", "城建局", "城建局2016年度政务公开统计表.csv", "gb18030", 15, "卫东"),
    ("jtj", "凌海市交通局", "交通局", "交通局2016年度统计.csv", "utf-8-sig", 11, "蒋平"),
    ("slj", "凌海市水利局", "水利局", "14_凌海市水利局_2016年报统计.csv.gz", "gb18030", 13, "沈阳"),
    ("nyj", "凌海市农村经济局", "农经局", "农经局2016年政务公开统计表.csv", "gb18030", 12, "韩冰"),
    ("swj", "凌海市商务局", "商务局", "商务局2016年度政府信息公开统计表.csv", "utf-8-sig", 9, "杨帆"),
    ("wgx", "凌海市文化广电新闻出版局", "文广新局", "文广新局2016年度统计表.csv", "gb18030", 16, "朱琳"),
    ("wjj", "凌海市卫生和计划生育局", "卫计局", "卫计局2016年度政府信息公开统计表.csv", "gb18030", 13, "秦岭"),
    ("yjj", "凌海市安全生产监督管理局", "安监局", "安监局2016年政务公开统计.csv", "utf-8-sig", 10, "尤佳"),
    ("sjj", "凌海市审计局", "审计局", "审计局2016.csv", "gb18030", 9, "许诺"),
    ("scj", "凌海市市场监督管理局", "市场监管局", "21_市场监管局_2016年度政务公开统计.csv", "gb18030", 18, "何欢"),
    ("tjj", "凌海市统计局", "统计局", "统计局2016年度政府信息公开统计表.csv", "utf-8-sig", 6, "吕明"),
    ("ggfw", "凌海市公共行政服务中心", "凌海市行政审批中心", "行政审批中心2016年度统计表.csv", "gb18030", 19, "施展"),
    ("cgj", "凌海市城市管理综合执法局", "城管执法局", "城管执法局2016年度统计表.csv", "gb18030", 12, "张弛"),
    ("xfj", "凌海市信访局", "信访局", "信访局2016年度政府信息公开统计表.csv", "gb18030", 11, "孔亮"),
    ("rfb", "凌海市人民防空办公室", "人防办", "人防办2016.csv", "utf-8-sig", 10, "曹阳"),
    ("hyj", "凌海市海洋与渔业局", "海渔局", "海渔局2016年度政务公开统计表.csv", "gb18030", 14, "严冬"),
    ("lyj", "凌海市旅游局", "旅游局", "旅游局2016年度政府信息公开统计表.csv", "gb18030", 13, "华山"),
    ("msrx", "凌海市民声热线办公室", "民声热线办", "民声热线办2016年度统计表.csv", "utf-8-sig", 17, "金鑫"),
    ("dlh", "凌海市大凌河街道办事处", "大凌河街道办事处", "大凌河街道2016年度统计表.csv", "gb18030", 8, "魏然"),
    ("jc", "金城街道", "金城街道办事处", "金城街道2016年度统计表.csv", "gb18030", 9, "陶然"),
    ("ss", "凌海市石山镇", "石山镇人民政府", "石山镇2016年度政务公开统计.csv", "gb18030", 7, "姜涛"),
    ("yj", "余积镇", "余积镇", "余积镇2016.csv", "utf-8-sig", 10, "戚薇"),
    ("syz", "双羊镇人民政府", "双羊镇", "双羊镇2016年度统计表.csv", "gb18030", 11, "谢晨"),
    ("bjt", "班吉塔镇", "班吉塔镇", "班吉塔镇2016年度统计表.csv", "gb18030", 12, "邹凯"),
    ("sjt", "凌海市沈家台镇人民政府", "沈家台镇", "沈家台镇2016年度统计表.csv", "utf-8-sig", 8, "喻平"),
    ("stz", "三台子镇", "三台子镇", "三台子镇2016年度统计表.csv", "gb18030", 9, "柏林"),
    ("ywmz", "右卫满族镇", "右卫镇", "右卫镇2016年度统计表.csv", "gb18030", 10, "水清"),
    ("yjz", "阎家镇", "阎家镇", "阎家镇2016年度统计表.csv", "gb18030", 13, "窦文"),
    ("xzz", "新庄子镇", "新庄子镇人民政府", "新庄子镇2016年度统计表.csv", "utf-8-sig", 12, "章程"),
    ("cy", "翠岩镇", "翠岩镇", "翠岩镇2016年度统计表.csv", "gb18030", 6, "云飞"),
    ("at", "安屯乡", "安屯乡人民政府", "安屯乡2016年度统计表.csv", "gb18030", 9, "苏醒"),
    ("dy", "大业乡", "大业乡", "大业乡2016年度统计表.csv", "gb18030", 10, "潘安"),
    ("xt", "谢屯镇", "谢屯镇", "谢屯镇2016年度统计表.csv", "utf-8-sig", 11, "葛优"),
    ("wdl", "温滴楼满族乡", "温滴楼乡", "温滴楼乡2016年度统计表.csv", "gb18030", 12, "奚望"),
    ("jy", "建业乡", "建业乡", "建业乡2016年度统计表.csv", "gb18030", 8, "范闲"),
    ("btz", "白台子镇", "白台子镇", "白台子镇2016年度统计表.csv", "gb18030", 13, "彭湃"),
    ("bsg", "板石沟乡", "板石沟乡", "板石沟乡2016年度统计表.csv", "utf-8-sig", 9, "鲁达"),
]
TOWNS = {"dlh", "jc", "ss", "yj", "syz", "bjt", "sjt", "stz", "ywmz", "yjz", "xzz", "cy", "at", "dy", "xt", "wdl",
         "jy", "btz", "bsg"}
# The 30 units that set up a board on 政务公开日 (all non-town units).
BOOTHS = [d[0] for d in DEPARTMENTS if d[0] not in TOWNS]

# --------------------------------------------------------------------------------------------
# Figures. Region totals are the published ones; each is allocated to the offices that would
# report it. `spread` rows are split over many units and the remainder goes to the first one.
FIGURES = {
    "gkr_dw": {"zfb": 30},
    "gkr_cl": {"zfb": 2},
    "jc_tz": {"fgj": 4, "zjj": 5, "jtj": 2, "jyj": 2, "wjj": 1, "slj": 2, "czj": 2},
    "jc_xm": {"fgj": 18, "zjj": 8, "jtj": 4},
    "jc_fa": {"fgj": 3, "swj": 2},
    "gl_sp": {"ggfw": 49},
    "fw_jz": {"ggfw": 30},
    "fw_bl": {"ggfw": 7757},
    "cz_ys": {"czj": 55},
    "cz_js": {"czj": 54},
    "sjcc": {"scj": 120, "yjj": 60, "lyj": 30, "zjj": 40, "sthj": 36, "wjj": 20},
    "jgzf": {"zjj": 80, "scj": 210, "lyj": 46, "yjj": 160},
    "xmzf": {"fgj": 60, "sthj": 20, "zjj": 28},
    "ggzy": {"zrj": 20, "czj": 16, "zjj": 10},
    "hbxx": {"sthj": 147},
    "fpxx": {"nyj": 5, "ss": 2, "yj": 2, "bjt": 2, "wdl": 2},
    "jzxx": {"mzj": 8},
    "jyxx": {"rsj": 120},
    "bzxx": {"zjj": 25},
    "jiaoyu": {"jyj": 44},
    "ylws": {"wjj": 10},
    "spyp": {"scj": 35},
    "zcjd": {"zfb": 10, "fgj": 2, "czj": 3, "rsj": 2, "nyj": 3, "jyj": 2, "mzj": 1, "zjj": 2},
    "mxw_hy": {"zfb": 274},
    "mxw_sq": {"zfb": 273},
    "mxw_bj": {"zfb": 547},
    "mxw_bjl": {"zfb": 100},
    "rx_sl": {"msrx": 331},
    "rx_bj": {"msrx": 331},
    "rx_bjl": {"msrx": 100},
    # 七: one application, received in person by the government office (which forwarded it to the
    # environment bureau the same day; counted once, where it was received).
    "ysq_zs": {"zfb": 1},
    "ysq_dm": {"zfb": 1},
    "ysq_bj": {"zfb": 1},
    "ysq_as": {"zfb": 1},
    "jy_zs": {"zfb": 60},
    "jy_rd": {"zfb": 14},
    "jy_zx": {"zfb": 46},
    "jy_bj": {"zfb": 60},
    "jy_bjl": {"zfb": 100},
    "jy_jml": {"zfb": 100},
    "jy_gfl": {"zfb": 100},
    "jy_myl": {"zfb": 100},
}
SPREAD = {
    # key: (region total, units, weight function)
    "zdgk": 820,
    "zdgk_wz": 760,
    "gkr_zx": 3600,
    "zx_yj": 112,
    "gl_ql": 231,
}

# 九: proposals by topic as the report prints them (城建 15 transcribed from "城建方面各15件").
TOPICS = [
    # key, label as the government office writes it, 人大代表建议, 政协委员提案
    ("cj", "城建", 4, 11),
    ("jt", "交通", 2, 4),
    ("jy", "教育", 2, 3),
    ("whly", "文化旅游", 1, 3),
    ("jf", "经服", 1, 3),
    ("cz", "财政", 1, 2),
    ("hb", "环保", 1, 2),
    ("zhzf", "综合执法", 1, 2),
    ("mzga", "民政公安", 1, 1),
    ("hy", "海渔", 0, 2),
    ("nb", "农办", 0, 2),
    ("xzsp", "行政审批", 0, 1),
    ("scjd", "市场监督", 0, 1),
    ("ty", "体育", 0, 1),
    ("nf", "农发", 0, 1),
    ("sl", "水利", 0, 1),
    ("dj", "动检", 0, 1),
    ("dx", "电信", 0, 1),
    ("qt", "其他方面", 0, 0),
]


def h(*parts):
    """A stable small integer from text (no randomness)."""
    return int(hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8], 16)


def spread(total, units, key):
    """Splits `total` over `units` by stable weights; departments weigh more than towns."""
    weights = [(3 if u not in TOWNS else 1) * (5 + h(key, u) % 11) for u in units]
    s = sum(weights)
    parts = [total * w // s for w in weights]
    parts[0] += total - sum(parts)
    return dict(zip(units, parts))


def allocate():
    """Department id -> row key -> 本年度 value (ints; gkr_cl is 万份, still whole here)."""
    ids = [d[0] for d in DEPARTMENTS]
    vals = {i: {} for i in ids}
    for key, per in FIGURES.items():
        for dept, v in per.items():
            vals[dept][key] = v
    # The government office publishes most (the municipal documents); the rest is spread.
    zdgk = spread(SPREAD["zdgk"] - 160, ids, "zdgk")
    zdgk["zfb"] += 160
    # 网站公开 is 85–100 % of 主动公开 per unit; the difference to the region total is then
    # added (or taken) one item at a time over the units in a fixed order, keeping wz <= zdgk.
    wz = {u: zdgk[u] * (85 + h("wz", u) % 16) // 100 for u in ids}
    gap = SPREAD["zdgk_wz"] - sum(wz.values())
    step = 1 if gap > 0 else -1
    while gap != 0:
        moved = False
        for u in ids:
            if gap == 0:
                break
            if (step > 0 and wz[u] < zdgk[u]) or (step < 0 and wz[u] > 0):
                wz[u] += step
                gap -= step
                moved = True
        assert moved, "web figures cannot reach the region total"
    for u in ids:
        vals[u]["zdgk"] = zdgk[u]
        vals[u]["zdgk_wz"] = wz[u]
    for key in ("gkr_zx",):
        for u, v in spread(SPREAD[key], BOOTHS, key).items():
            vals[u][key] = v
    non_town = [u for u in ids if u not in TOWNS]
    for key in ("zx_yj", "gl_ql"):
        units = ids if key == "zx_yj" else non_town
        for u, v in spread(SPREAD[key], units, key).items():
            vals[u][key] = v
    return vals


def cumulative(dept, key, bnd):
    """历年累计: this year times the unit's years of comparable history (2–4), so every identity
    that holds for 本年度 also holds for 历年累计."""
    if key in NO_CUMULATIVE:
        return None
    return bnd * (2 + h("years", dept) % 3)


def label_for(index, dept, key, label):
    """Most sheets use the template's labels; some offices retype them their own way."""
    variants = VARIANTS.get(key)
    if not variants or index % 3 != 1:
        return label
    return variants[h("label", dept, key) % len(variants)]


def fmt(value):
    return str(value)


class Sheet:
    """One exported worksheet: rows of cells padded to the used range width, CRLF line ends."""

    def __init__(self, width):
        self.width = width
        self.lines = []

    def row(self, *cells):
        cells = list(cells) + [""] * (self.width - len(cells))
        self.lines.append(",".join(csv_cell(c) for c in cells))

    def blank(self):
        self.row()

    def text(self):
        return "\r\n".join(self.lines) + "\r\n"


def csv_cell(c):
    if any(ch in c for ch in ',"\r\n'):
        return '"' + c.replace('"', '""') + '"'
    return c


def write_sheet(index, dept, title, unit, filled_day, filler, vals, overrides=None):
    """Renders one department's sheet as Excel would export it."""
    overrides = overrides or {}
    width = 6 + index % 3  # trailing empty columns vary with the sheet's used range
    s = Sheet(width)
    s.row(f"{title}2016年度政府信息公开工作情况统计表")
    s.row(f"填报单位：{unit}", "", f"填报日期：2017年1月{filled_day}日")
    bnd_head = "本年数" if index % 5 == 1 else "本年度"
    lj_head = "累计" if index % 7 == 3 else "历年累计"
    unit_last = index % 11 == 4  # this office moved 计量单位 to the end
    # This town keeps no cumulative figures and deleted the 历年累计 column from the template.
    no_cumulative = dept == "dy"
    if no_cumulative:
        s.row("指标名称", "计量单位", bnd_head)
    elif unit_last:
        s.row("指标名称", bnd_head, lj_head, "计量单位")
    else:
        s.row("指标名称", "计量单位", bnd_head, lj_head)
    numbered = dept == "gxj"
    trims_zero_rows = dept in ("ss", "cy")
    n = 0
    for key, label, unit_name in ROWS:
        bnd = overrides.get(key, vals.get(key, 0))
        if key in RATE_ROWS and key not in vals:
            continue  # rates are filled only by the responsible office
        if trims_zero_rows and bnd == 0:
            continue
        n += 1
        shown = label_for(index, dept, key, label)
        if numbered:
            shown = f"{n}.{shown}"
        lj = cumulative(dept, key, bnd)
        lj_text = "" if lj is None else fmt(lj)
        bnd_text = fmt(bnd)
        if dept == "sthj" and key == "hbxx":
            bnd_text = f"{bnd}条"  # unit typed into the cell
        if dept == "ggfw" and key == "fw_bl":
            bnd_text = f"{bnd:,}"  # Excel's thousands separator
        if dept == "bjt" and key == "zdgk":
            bnd_text = "".join(chr(ord(c) + 0xFEE0) for c in bnd_text)  # full-width digits
        if no_cumulative:
            s.row(shown, unit_name, bnd_text)
        elif unit_last:
            s.row(shown, bnd_text, lj_text, unit_name)
        else:
            s.row(shown, unit_name, bnd_text, lj_text)
    if dept == "zfb":
        s.blank()
        s.row("人大代表建议和政协委员提案按内容分类情况")
        s.row("内容分类", "人大代表建议", "政协委员提案", "合计")
        for _, topic, rd, zx in TOPICS:
            s.row(topic, fmt(rd), fmt(zx), fmt(rd + zx))
    s.blank()
    s.row(f"填表人：{filler}", "", f"联系电话：0416-81{h('tel', dept) % 100000:05d}")
    if index % 4 == 0:
        s.row("审核人：（签字）")
    return s.text()


def encode(text, enc):
    if enc == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("gb18030")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "inbox"))
    out = os.path.normpath(ap.parse_args().out)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    vals = allocate()
    for index, (dept, title, unit, name, enc, day, filler) in enumerate(DEPARTMENTS):
        data = encode(write_sheet(index, dept, title, unit, day, filler, vals[dept]), enc)
        if name.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        if dept == "jyj":
            # The first version, sent a week earlier: 主动公开 and 网站公开 swapped. The corrected
            # sheet above (later 填报日期) supersedes it.
            wrong = {"zdgk": vals[dept]["zdgk_wz"], "zdgk_wz": vals[dept]["zdgk"]}
            old = write_sheet(index, dept, title, unit, day - 7, filler, vals[dept], wrong)
            with open(os.path.join(out, "教育局2016年政务公开统计表.csv"), "wb") as f:
                f.write(encode(old, enc))
    print(f"wrote {len(os.listdir(out))} files to {out}")


if __name__ == "__main__":
    main()
