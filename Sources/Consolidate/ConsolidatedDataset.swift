import AlmanacCore
import Foundation

/// `consolidated.csv`: every figure of the run, one row each, for auditors and for next
/// year's `--previous`.
///
/// What is in it, and in which order:
/// - every accepted department's *submitted* figures (`kind` = `submitted`), then the figures
///   its register yielded (`kind` = `register`), each group in official order (form order,
///   row order, column order of the pipeline's forms; keys the forms do not define last);
///   departments by id;
/// - then the region's figures (`kind` = `region`, department id `REGION`, department name =
///   the region's name, source columns empty), every published cell in official order.
///   They are included so the file alone reproduces the published tables and can be read
///   back as last year's data (`PreviousDatasetLoader`).
///
/// Superseded and held-back files contribute nothing here (see `submissions.csv`). A figure
/// with several sources (a register count) names its first source; `explain` lists them all.
/// The `value` column holds plain numbers (empty for a blank, text for text); `raw` holds what
/// the department wrote.
public enum ConsolidatedDataset {
  /// Department id of the region rows.
  public static let regionID = "REGION"

  public static let header = [
    "year", "department_id", "department_name", "kind", "form", "row_key", "column_key", "row_label",
    "column_label", "value", "unit", "raw", "source_file", "sha256", "source_line", "source_column",
  ]

  /// Where a row's figure came from.
  public enum Kind: String, Sendable, Codable {
    case submitted, register, region
  }

  /// One figure as written to the file.
  public struct Row: Sendable, Hashable {
    public var year: Int
    public var departmentID: String
    public var departmentName: String
    public var kind: Kind
    public var key: CellKey
    public var rowLabel: String
    public var columnLabel: String
    public var value: CellValue
    public var unit: String
    public var raw: String
    public var source: SourceRef?

    public var fields: [String] {
      [
        String(year), departmentID, departmentName, kind.rawValue, key.form, key.row, key.column, rowLabel,
        columnLabel, value.outputText, unit, raw, source?.file ?? "", source?.sha256 ?? "",
        source.map { String($0.line) } ?? "", source.map { String($0.column) } ?? "",
      ]
    }
  }

  /// Every row, in the documented order.
  public static func rows(of reconciliation: Reconciliation, catalog: FormCatalog, regionName: String) -> [Row] {
    let ledger = reconciliation.ledger
    // Position and labels per cell key, computed once: thousands of departments share them.
    var cells: [String: Cell] = [:]
    for s in ledger.accepted {
      for text in s.cells.keys where cells[text] == nil { cells[text] = describe(text, catalog: catalog) }
      for text in s.registerCells.keys where cells[text] == nil { cells[text] = describe(text, catalog: catalog) }
    }
    let described = cells
    let byDepartment = Dictionary(grouping: ledger.accepted, by: \.department)
    // Departments are independent: their rows are built on every core, joined in id order.
    let perDepartment = byDepartment.keys.sorted().map { byDepartment[$0] ?? [] }.parallelMap(minimumPerTask: 4) {
      departmentRows($0, cells: described)
    }
    var out: [Row] = []
    out.reserveCapacity(perDepartment.reduce(0) { $0 + $1.count } + ledger.region.count)
    for rows in perDepartment { out += rows }
    var regionKeys = catalog.publishedKeys.filter { ledger.region[$0.description] != nil }
    let known = Set(regionKeys.map(\.description))
    regionKeys += catalog.sortedKeys(ledger.region.keys.filter { !known.contains($0) }).compactMap(CellKey.init)
    for key in regionKeys {
      guard let value = ledger.region[key.description] else { continue }
      out.append(
        Row(
          year: ledger.year, departmentID: regionID, departmentName: regionName, kind: .region, key: key,
          rowLabel: catalog.rowLabel(key), columnLabel: catalog.columnLabel(key), value: value,
          unit: regionUnit(key, catalog: catalog), raw: value.outputText, source: nil))
    }
    return out
  }

  /// A cell key with its place in the official order and its labels.
  typealias Cell = (key: CellKey, position: (Int, Int, Int)?, row: String, column: String)

  static func describe(_ text: String, catalog: FormCatalog) -> Cell? {
    guard let key = CellKey(text) else { return nil }
    return (key, catalog.position(key), catalog.rowLabel(key), catalog.columnLabel(key))
  }

  /// One department's rows: submitted figures, then register figures, each in official order.
  static func departmentRows(_ submissions: [Submission], cells: [String: Cell]) -> [Row] {
    var out: [Row] = []
    let subs = submissions.sorted { $0.source.path < $1.source.path }
    for kind in [Kind.submitted, .register] {
      var entries: [(cell: Cell, figure: Figure, submission: Submission)] = []
      for s in subs {
        for (text, figure) in kind == .submitted ? s.cells : s.registerCells {
          guard let cell = cells[text] else { continue }
          entries.append((cell, figure, s))
        }
      }
      // `FormCatalog.precedes` on the cached positions, then the file.
      entries.sort { a, b in
        if a.cell.key != b.cell.key {
          switch (a.cell.position, b.cell.position) {
          case (let pa?, let pb?): return pa < pb
          case (.some, nil): return true
          case (nil, .some): return false
          case (nil, nil): return a.cell.key.description < b.cell.key.description
          }
        }
        return a.submission.source.path < b.submission.source.path
      }
      for (cell, figure, s) in entries {
        out.append(
          Row(
            year: s.year, departmentID: s.department, departmentName: s.departmentName, kind: kind, key: cell.key,
            rowLabel: cell.row, columnLabel: cell.column, value: figure.value,
            unit: figure.unit ?? "", raw: figure.raw, source: figure.sources.first))
      }
    }
    return out
  }

  /// The CSV bytes: UTF-8 with BOM, CRLF; `year`, `value` (when a number) and the source
  /// position stay numeric, every text cell is neutralized against formula injection.
  public static func csv(_ rows: [Row]) -> Data {
    var w = CSVWriter()
    w.row(header)
    // Slices of rows are written on every core and joined in order.
    let slices = stride(from: 0, to: rows.count, by: 8192).map { rows[$0..<Swift.min(rows.count, $0 + 8192)] }
    let parts = slices.parallelMap(minimumPerTask: 1) { slice in
      var part = CSVWriter(bom: false)
      part.reserve(slice.count * 160)
      for r in slice { write(r, to: &part) }
      return part.bytes
    }
    var data = Data(capacity: w.bytes.count + parts.reduce(0) { $0 + $1.count })
    data.append(contentsOf: w.bytes)
    for p in parts { data.append(contentsOf: p) }
    return data
  }

  private static func write(_ r: Row, to w: inout CSVWriter) {
    w.field(r.year)
    w.field(r.departmentID)
    w.field(r.departmentName)
    w.field(r.kind.rawValue)
    w.field(r.key.form)
    w.field(r.key.row)
    w.field(r.key.column)
    w.field(r.rowLabel)
    w.field(r.columnLabel)
    if case .integer(let i) = r.value, let n = Int(exactly: i) {
      w.field(n)
    } else {
      w.field(r.value.outputText, numeric: r.value.isNumber)
    }
    w.field(r.unit)
    w.field(r.raw)
    if let s = r.source {
      w.field(s.file)
      w.field(s.sha256)
      w.field(s.line)
      w.field(s.column)
    } else {
      for _ in 0..<4 { w.field("") }
    }
    w.endRow()
  }

  /// Region amounts are in 万元 (the only amount unit of the national forms); counts carry none.
  static func regionUnit(_ key: CellKey, catalog: FormCatalog) -> String {
    let type = catalog.row(of: key)?.type ?? catalog.form(key.form)?.type
    return type == .amount ? "万元" : ""
  }
}
