import Foundation

/// Reads the region's tables in the official layout (`tables/t2.csv`, `t3.csv`, `t4.csv`,
/// report-2021.md §2) into cell keys `row.column` → text, checking every label on the way.
enum GoldenTables {
  static let t3Columns = ["np", "sy", "ky", "gy", "fl", "qt", "zj"]
  static let t3BreakdownColumns = ["np", "sy", "ky", "gy", "fl", "qt"]
  /// The 25 data rows of 表三 in the official order with the innermost label of each.
  static let t3Rows: [(key: String, label: String)] = [
    ("r1", "一、本年新收政府信息公开申请数量"), ("r2", "二、上年结转政府信息公开申请数量"), ("r3_1", "（一）予以公开"),
    ("r3_2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), ("r3_3_1", "1.属于国家秘密"),
    ("r3_3_2", "2.其他法律行政法规禁止公开"), ("r3_3_3", "3.危及“三安全一稳定”"), ("r3_3_4", "4.保护第三方合法权益"),
    ("r3_3_5", "5.属于三类内部事务信息"), ("r3_3_6", "6.属于四类过程性信息"), ("r3_3_7", "7.属于行政执法案卷"),
    ("r3_3_8", "8.属于行政查询事项"), ("r3_4_1", "1.本机关不掌握相关政府信息"), ("r3_4_2", "2.没有现成信息需要另行制作"),
    ("r3_4_3", "3.补正后申请内容仍不明确"), ("r3_5_1", "1.信访举报投诉类申请"), ("r3_5_2", "2.重复申请"),
    ("r3_5_3", "3.要求提供公开出版物"), ("r3_5_4", "4.无正当理由大量反复申请"), ("r3_5_5", "5.要求行政机关确认或重新出具已获取信息"),
    ("r3_6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("r3_6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("r3_6_3", "3.其他"),
    ("r3_7", "（七）总计"), ("r4", "四、结转下年度继续办理"),
  ]
  /// 表三 result rows (summed into （七）总计).
  static var t3ResultRows: [String] { t3Rows.map(\.key).filter { $0.hasPrefix("r3_") && $0 != "r3_7" } }
  static let t4Groups = ["fy", "ss_zj", "ss_fy"]
  static let t4Columns = ["wc", "jz", "qt", "wj", "zj"]
  /// 表二 rows: label → (row key, column keys in order).
  static let t2Rows: [(label: String, key: String, columns: [String])] = [
    ("规章", "guizhang", ["zhifa", "feizhi", "youxiao"]), ("行政规范性文件", "gfxwj", ["zhifa", "feizhi", "youxiao"]),
    ("行政许可", "xzxk", ["jueding"]), ("行政处罚", "xzcf", ["jueding"]), ("行政强制", "xzqz", ["jueding"]),
    ("行政事业性收费", "xzsyxsf", ["wanyuan"]),
  ]

  static func t3(_ run: GoldenRun) throws -> [String: String] {
    let rows = try GoldenCSV.read(run.url("tables/t3.csv"))
    guard rows.count == 3 + t3Rows.count else { throw GoldenError("t3.csv has \(rows.count) lines, expected 28") }
    guard rows[1].count == 10, rows[1][3] == "自然人", rows[1][9] == "总计", rows[2][4] == "商业企业", rows[2][8] == "其他" else {
      throw GoldenError("t3.csv header is not the official one: \(rows[0...2])")
    }
    var out: [String: String] = [:]
    for (i, (key, label)) in t3Rows.enumerated() {
      let r = rows[3 + i]
      guard r.count == 10, r[0..<3].last(where: { !$0.isEmpty }) == label else {
        throw GoldenError("t3.csv line \(4 + i): expected row \(label), got \(r)")
      }
      for (j, c) in t3Columns.enumerated() { out["\(key).\(c)"] = r[3 + j] }
    }
    return out
  }

  static func t4(_ run: GoldenRun) throws -> [String: String] {
    let rows = try GoldenCSV.read(run.url("tables/t4.csv"))
    guard rows.count == 4, rows[0][0] == "行政复议", rows[0][5] == "行政诉讼", rows[1][5] == "未经复议直接起诉",
      rows[1][10] == "复议后起诉", rows[3].count == 15
    else { throw GoldenError("t4.csv is not in the official layout: \(rows)") }
    var out: [String: String] = [:]
    for (g, group) in t4Groups.enumerated() {
      for (c, column) in t4Columns.enumerated() { out["\(group).\(column)"] = rows[3][g * 5 + c] }
    }
    return out
  }

  static func t2(_ run: GoldenRun) throws -> [String: String] {
    let rows = try GoldenCSV.read(run.url("tables/t2.csv"))
    var out: [String: String] = [:]
    for (label, key, columns) in t2Rows {
      guard let r = rows.first(where: { $0.first == label }) else { throw GoldenError("t2.csv has no row \(label)") }
      for (j, c) in columns.enumerated() { out["\(key).\(c)"] = j + 1 < r.count ? r[j + 1] : "" }
    }
    return out
  }
}
