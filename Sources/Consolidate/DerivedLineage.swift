import AlmanacCore
import Foundation

/// The answer of `explain` for a figure the report derives rather than copies from a table
/// (`sum.t3.bygk.zj` — 不予公开 in section 三's sentence —, `pct.t3.gkbf`): how it is computed,
/// from which cells, and the lineage of each of those cells.
public struct DerivedLineage: Codable, Sendable, Hashable {
  /// As the templates write it.
  public var name: String
  /// What the report calls it.
  public var label: String
  /// Department id, or nil for the region.
  public var department: String?
  public var departmentName: String
  /// The cells added up, written `t3.r3_3_1.zj + …`; a share is divided by `base`.
  public var formula: String
  /// The figure as the report writes it (`6`, `8.57%`); nil when no cell holds a number.
  public var value: String?
  /// A share's numerator and the cell it is a share of.
  public var numerator: String?
  public var base: String?
  public var baseValue: String?
  /// Every cell added up, then (for a share) the base cell.
  public var cells: [CellLineage]
}

extension Lineage {
  /// The lineage of a derived report figure for the region, or for `department`.
  public func explain(_ name: String, figure: ReportFigures.Figure, department: String? = nil) throws -> DerivedLineage
  {
    let parts = try figure.cells.map { try explain($0, department: department) }
    let who = parts.first
    let sum = parts.compactMap { $0.value.flatMap(DecimalFormat.parse) }
    let total = sum.isEmpty ? nil : sum.reduce(0, +)
    let formula = figure.cells.map(\.description).joined(separator: " + ")
    switch figure {
    case .subtotal(let form, let group, let column):
      let columnLabel = catalog.columnLabel(CellKey(form: form, row: group.rows[0], column: column))
      let formName = catalog.form(form)?.name.split(separator: " ").first.map(String.init) ?? form
      return DerivedLineage(
        name: name, label: "\(formName)「\(group.label)」各项之和 · \(columnLabel)", department: who?.department,
        departmentName: who?.departmentName ?? regionName, formula: formula, value: total.map(DecimalFormat.plain),
        numerator: nil, base: nil, baseValue: nil, cells: parts)
    case .share(_, let label):
      let base = try explain(ReportFigures.shareBase, department: department)
      let whole = base.value.flatMap(DecimalFormat.parse)
      let percent = total.flatMap { part in whole.flatMap { DecimalFormat.percent(part, of: $0) } }
      return DerivedLineage(
        name: name, label: "「\(label)」占「\(base.rowLabel)」的百分比", department: who?.department,
        departmentName: who?.departmentName ?? regionName,
        formula: (parts.count > 1 ? "(\(formula))" : formula) + " ÷ \(ReportFigures.shareBase)",
        value: percent.map { $0 + "%" }, numerator: total.map(DecimalFormat.plain),
        base: ReportFigures.shareBase.description,
        baseValue: base.value, cells: parts + [base])
    }
  }
}

extension DerivedLineage {
  /// What `almanac explain` prints (zh-CN): the computation, each cell's value, then the
  /// sources of every cell that is not 0 (a 0 has none to show).
  public var text: String {
    var lines: [String] = []
    lines.append("\(name)  报告中的计算数：\(label)" + (cells.first?.year.map { "（\($0) 年度）" } ?? ""))
    lines.append("  = \(formula)")
    let addends = base == nil ? cells : Array(cells.dropLast())
    let values = addends.map { $0.value ?? "空白" }
    if base != nil {
      let whole = baseValue ?? "空白"
      if addends.count > 1 { lines.append("  = (\(values.joined(separator: " + "))) ÷ \(whole)") }
      lines.append("  = \(numerator ?? "空白") ÷ \(whole)" + (value.map { " = \($0)" } ?? ""))
    } else if addends.count > 1 {
      lines.append("  = \(values.joined(separator: " + "))" + (value.map { " = \($0)" } ?? ""))
    }
    let who =
      department.map { "\(departmentName)（\($0)）" }
      ?? "\(RegionDefinition.whole(of: departmentName))汇总（\(departmentName)）"
    let rounding = base == nil ? "" : "（四舍五入保留两位小数）"
    let none = base != nil && baseValue.flatMap(DecimalFormat.parse) == 0 ? "（总计为 0，报告不写百分比）" : "（无数值）"
    lines.append("\(who)：\(value.map { $0 + rounding } ?? none)")
    lines.append("各单元格：")
    for cell in cells {
      lines.append("  \(cell.cell) = \(cell.value ?? "空白")  \(cell.rowLabel) · \(cell.columnLabel)")
    }
    let traced = cells.filter { ($0.value.flatMap(DecimalFormat.parse) ?? 0) != 0 }
    if traced.count < cells.count {
      lines.append("（为 0 或空白的单元格不再展开；almanac explain 单元格 可查看任一单元格）")
    }
    for cell in traced {
      lines.append("")
      lines.append(cell.text.trimmingCharacters(in: .newlines))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
