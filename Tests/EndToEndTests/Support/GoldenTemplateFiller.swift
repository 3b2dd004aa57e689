import Foundation

/// Fills the blank sheets of `almanac templates` the way a department would: its name in the
/// title and the 填报单位 cell, a 填报日期, and an explicit 0 in every value cell.
enum GoldenTemplateFiller {
  /// The filled rows of the template of `form` (`t2`, `t3`, `t4`); nil for a form this filler
  /// does not know. Value cells are found from the template's own header rows, not hard-coded.
  static func fill(_ rows: [[String]], form: String, department: String, filledOn: String) -> [[String]]? {
    var out = rows.map { row in
      row.map { cell -> String in
        var c = cell.replacingOccurrences(of: "（填报单位）", with: department)
        if c == "填报单位：" { c += department }
        if c == "填报日期：" { c += filledOn }
        return c
      }
    }
    func isFooter(_ r: [String]) -> Bool { r.first?.hasPrefix("填表人") == true }
    switch form {
    case "t2":
      // Under each `信息内容` header row, a data row gets a 0 wherever the header names a column.
      var header: [String]?
      for i in out.indices {
        let r = out[i]
        guard let first = r.first, !first.isEmpty, !isFooter(r) else { continue }
        if first == "信息内容" {
          header = r
        } else if first.hasPrefix("第"), first.hasSuffix("项") {
          header = nil
        } else if let h = header {
          for j in 1..<r.count where j < h.count && !h[j].isEmpty { out[i][j] = "0" }
        }
      }
    case "t3":
      // Header rows run from the 勾稽关系 row to the 商业企业 row; data rows follow until the footer.
      guard let top = out.firstIndex(where: { $0.first?.contains("勾稽关系") == true }),
        let bottom = out.firstIndex(where: { $0.contains("商业企业") })
      else { return nil }
      let labelColumns = 3
      let width = out[top...bottom].map(\.count).max() ?? 0
      let valueColumns = (labelColumns..<width).filter { j in
        out[top...bottom].contains { j < $0.count && !$0[j].isEmpty }
      }
      for i in (bottom + 1)..<out.count
      where !isFooter(out[i]) && out[i].prefix(labelColumns).contains(where: { !$0.isEmpty }) {
        for j in valueColumns where j < out[i].count { out[i][j] = "0" }
      }
    case "t4":
      // The data row is the one after the last header row (the one naming 结果维持 for 诉讼).
      guard let last = out.lastIndex(where: { $0.contains("结果维持") }), last + 1 < out.count, !isFooter(out[last + 1])
      else { return nil }
      out[last + 1] = out[last + 1].map { _ in "0" }
    default:
      return nil
    }
    return out
  }
}
