import Foundation

/// The figures the report derives from the region's table cells, as its templates name them:
/// `sum.<form>.<group>.<column>` (a subtotal of rows, e.g. 不予公开 = the eight rows of 表三
/// （三）) and `pct.t3.<row or group>` (a share of 表三's （七）总计).
///
/// One definition for the draft, which writes them into the report, and for `almanac
/// explain`, which shows an auditor the cells each one adds up.
public struct ReportFigures: Sendable {
  public let pipeline: PipelineDefinition

  public init(pipeline: PipelineDefinition) { self.pipeline = pipeline }

  /// The cell whose share `pct.…` figures give.
  public static let shareBase = CellKey(form: "t3", row: "r3_7", column: "zj")

  /// A row group of a form: its key in `sum.<form>.<key>.…`, its rows, and what the report calls it.
  public struct Group: Sendable, Equatable {
    public var key: String
    public var rows: [String]
    public var label: String
  }

  /// 表三's result groups (and 新收加上年结转) in report order; 表四's 行政诉讼 rows.
  /// Groups whose rows the pipeline's form lacks are left out.
  public func groups(of form: String) -> [Group] {
    guard let rows = pipeline.form(form)?.rows?.map(\.key) else { return [] }
    let groups: [Group]
    switch form {
    case "t3":
      groups = [
        Group(key: "sq", rows: rows.filter { $0 == "r1" || $0 == "r2" }, label: "本年新收加上年结转"),
        Group(key: "gkbf", rows: rows.filter { $0 == "r3_1" || $0 == "r3_2" }, label: "予以公开及部分公开"),
        Group(key: "bygk", rows: rows.filter { $0.hasPrefix("r3_3_") }, label: "不予公开"),
        Group(key: "wftg", rows: rows.filter { $0.hasPrefix("r3_4_") }, label: "无法提供"),
        Group(key: "bycl", rows: rows.filter { $0.hasPrefix("r3_5_") }, label: "不予处理"),
        Group(key: "qtcl", rows: rows.filter { $0.hasPrefix("r3_6_") }, label: "其他处理"),
      ]
    case "t4":
      groups = [Group(key: "ss", rows: rows.filter { $0.hasPrefix("ss_") }, label: "行政诉讼合计")]
    default:
      groups = []
    }
    return groups.filter { !$0.rows.isEmpty }
  }

  /// The columns a subtotal exists for: the form's columns, without extra ones.
  public func columns(of form: String) -> [AxisDefinition] {
    (pipeline.form(form)?.columns ?? []).filter { $0.extra != true }
  }

  /// What a derived figure adds up.
  public enum Figure: Sendable, Equatable {
    /// `sum.<form>.<group>.<column>`: the group's rows in one column.
    case subtotal(form: String, group: Group, column: String)
    /// `pct.t3.<row>` (one cell) or `pct.t3.<group>` (a subtotal of the total column), as a
    /// percentage of `shareBase`, half-up to two decimals.
    case share(parts: [CellKey], label: String)

    /// The cells added up (for a share: its numerator's).
    public var cells: [CellKey] {
      switch self {
      case .subtotal(let form, let group, let column): group.rows.map { CellKey(form: form, row: $0, column: column) }
      case .share(let parts, _): parts
      }
    }
  }

  /// The keys a share takes (`pct.t3.<key>`), in report order: 表三's result rows (`r3_…`),
  /// then its groups but 新收加上年结转, which is no result.
  public var shareKeys: [String] {
    let form = Self.shareBase.form
    let rows = pipeline.form(form)?.rows?.map(\.key).filter { $0.hasPrefix("r3_") } ?? []
    return rows + groups(of: form).map(\.key).filter { $0 != "sq" }
  }

  /// The figure a template name stands for (`sum.t3.bygk.zj`, `pct.t3.r3_1`, `pct.t3.gkbf`),
  /// nil when the name is not one of them.
  public func figure(named name: String) -> Figure? {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    switch (parts.first, parts.count) {
    case ("sum", 4):
      guard let group = groups(of: parts[1]).first(where: { $0.key == parts[2] }),
        columns(of: parts[1]).contains(where: { $0.key == parts[3] })
      else { return nil }
      return .subtotal(form: parts[1], group: group, column: parts[3])
    case ("pct", 3) where parts[1] == Self.shareBase.form && shareKeys.contains(parts[2]):
      let base = Self.shareBase
      if let group = groups(of: base.form).first(where: { $0.key == parts[2] }) {
        return .share(
          parts: group.rows.map { CellKey(form: base.form, row: $0, column: base.column) }, label: group.label)
      }
      guard let row = pipeline.form(base.form)?.rows?.first(where: { $0.key == parts[2] }) else { return nil }
      return .share(parts: [CellKey(form: base.form, row: row.key, column: base.column)], label: row.label)
    default:
      return nil
    }
  }

  /// Sum of the numbers among `cells` in `values`; nil when none of them holds a number.
  public static func total(_ cells: [CellKey], in values: [String: CellValue]) -> Decimal? {
    let numbers = cells.compactMap { values[$0.description]?.number }
    return numbers.isEmpty ? nil : numbers.reduce(0, +)
  }
}
