import AlmanacCore
import Foundation

/// Blank department sheets for every form of a pipeline (`almanac templates`): the same
/// official layout Almanac publishes, framed by the title, 填报单位/填报日期 and 填表人 rows that
/// the sheet reader recognizes, so a filled-in copy reads back without layout findings.
public enum TemplateSheets {
  public struct Sheet: Sendable, Hashable {
    /// File stem, e.g. `t3-表三`.
    public var name: String
    /// Rows of cells as plain text; value cells are empty.
    public var grid: [[String]]
    /// Positions (row, column) of the value cells a department fills in.
    public var valueCells: [[Int]]
  }

  /// The sheets for `year`; with `department`, its name in the title and after `填报单位：`, so
  /// the returned sheet names its sender (a unit's own copy, `almanac templates --per-department`).
  public static func sheets(pipeline: PipelineDefinition, year: Int, department: String? = nil) -> [Sheet] {
    pipeline.forms.compactMap { form in
      let body: [[String]]
      var valueCells: [[Int]] = []
      switch form.kind {
      case .grid, .indicator:
        let table = OfficialTable.build(
          form: form, layout: OfficialLayout.of(form: form.id, style: pipeline.style), values: [:])
        body = table.textGrid
        for (r, row) in table.rows.enumerated() {
          for (c, slot) in row.enumerated() {
            if case .cell(let cell) = slot, cell.isNumber || (!cell.isHeader && cell.text.isEmpty && c > 0) {
              valueCells.append([r, c])
            }
          }
        }
      case .register:
        body = [(form.fields ?? []).map(\.label)]
      }
      let width = max(body.map(\.count).max() ?? 1, 2)
      func padded(_ cells: [String]) -> [String] { cells + Array(repeating: "", count: max(0, width - cells.count)) }
      let title = "\(department ?? "（填报单位）")\(year)年度\(pipeline.title)统计表——\(form.name)"
      var grid = [padded([title]), padded(["填报单位：", department ?? "", "填报日期："])]
      let offset = grid.count
      grid += body.map(padded)
      grid.append(padded(["填表人：", "", "联系电话："]))
      let shortName = form.name.split(separator: " ").first.map(String.init) ?? form.id
      return Sheet(
        name: "\(form.id)-\(shortName)", grid: grid, valueCells: valueCells.map { [$0[0] + offset, $0[1]] })
    }
  }

  /// The sheet as CSV text (no BOM; CRLF) — encode as UTF-8 with BOM or GB18030 to write it.
  public static func csvText(_ grid: [[String]]) -> String {
    var w = CSVWriter(bom: false)
    for row in grid { w.row(row) }
    return w.text
  }
}
