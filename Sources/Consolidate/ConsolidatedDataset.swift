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
    "column_label", "value", "unit", "raw", "source_file", "sha256", "source_line", "source_column", "region_use",
  ]

  /// How the region's figure uses a department's figure (`region_use`), so that the file
  /// alone says why the `summed` rows of a cell add up to its region row and the others do not.
  public enum RegionUse: String, Sendable {
    /// Added into the region's figure.
    case summed
    /// A 总计/小计 the department wrote: checked against its breakdown, never added (the
    /// region's total is recomputed from the region's breakdown cells).
    case total
    /// A rate (unit %): the region's is the one unit's figure other than 0, never a sum.
    case rate
    /// A number S-5 refuses (negative, a fraction of a count): not added (REC-S5).
    case refused
    /// Blank, `/`, `—`: counted as 0 (REC-C10).
    case blank
    /// Text: nothing to add (REC-S5).
    case text
    /// A register's count where the department also sent the table's cell: compared with it
    /// (REC-REG-001), the table's figure is the one added.
    case compared
    /// Not a published cell (the 2016 forms' 计量单位, a key the forms do not define).
    case unused
  }

  /// Where a row's figure came from.
  public enum Kind: String, Sendable, Codable {
    case submitted, register, region
  }

  /// Writes the CSV of the whole dataset in pieces (header, one per department, the region)
  /// through `emit`, one after another, and returns the number of figures (data rows) written.
  /// In the documented order: UTF-8 with BOM, CRLF; `year`, `value` (when a number) and the
  /// source position stay numeric, every text cell is neutralized against formula injection.
  ///
  /// Departments are written on every core straight from their figures (no row values in
  /// between: a province has hundreds of thousands of figures), a batch at a time, so only a
  /// batch of them is ever in memory.
  public static func writeCSV(
    of reconciliation: Reconciliation, catalog: FormCatalog, regionName: String,
    departmentsPerBatch: Int = 32, emit: ([UInt8]) throws -> Void
  ) throws -> Int {
    let ledger = reconciliation.ledger
    let table = CellTable(ledger.accepted, catalog: catalog)
    let byDepartment = Dictionary(grouping: ledger.accepted, by: \.department)
    var w = CSVWriter()
    w.row(header)
    try emit(w.bytes)
    var figures = 0
    let departments = byDepartment.keys.sorted()
    let step = max(1, departmentsPerBatch)
    for start in stride(from: 0, to: departments.count, by: step) {
      let batch = departments[start..<min(departments.count, start + step)]
      let parts = batch.map { byDepartment[$0] ?? [] }.parallelMap(minimumPerTask: 4) {
        departmentCSV($0, table: table)
      }
      for part in parts {
        figures += part.rows
        try emit(part.bytes)
      }
    }
    var regionKeys = catalog.publishedKeys.filter { ledger.region[$0.description] != nil }
    let known = Set(regionKeys.map(\.description))
    regionKeys += catalog.sortedKeys(ledger.region.keys.filter { !known.contains($0) }).compactMap(CellKey.init)
    var region = CSVWriter(bom: false)
    let regionColumns = departmentColumns(year: ledger.year, id: regionID, name: regionName, kind: .region)
    for key in regionKeys {
      guard let value = ledger.region[key.description] else { continue }
      writeRow(
        department: regionColumns,
        cell: cellColumns(key, rowLabel: catalog.rowLabel(key), columnLabel: catalog.columnLabel(key)),
        value: value, unit: regionUnit(key, catalog: catalog), raw: value.outputText, source: nil, use: nil,
        to: &region)
      figures += 1
    }
    try emit(region.bytes)
    return figures
  }

  /// Every cell key the departments use, ranked in the file's order (official order, keys the
  /// forms do not define last by text), with their labels: computed once for all departments.
  struct CellTable: Sendable {
    var keys: [CellKey] = []
    var rowLabels: [String] = []
    var columnLabels: [String] = []
    /// Per rank, the key's five columns (form, row and column keys, row and column labels) as
    /// `CSVWriter` writes them: the same on every department's row of that cell.
    var encoded: [CSVWriter.EncodedFields] = []
    /// Per rank, the unit the forms declare for the cell (`万元`), nil when they declare none.
    var units: [String?] = []
    /// Per rank, how the region reads the cell: a total, a rate, a cell it does not publish,
    /// else the value type its figures are summed as.
    var roles: [Role] = []

    enum Role {
      case summed(ValueType), total, rate, unused
    }
    /// Key text → rank (index into the arrays).
    var rank: [String: Int] = [:]

    init(_ submissions: [Submission], catalog: FormCatalog) {
      var texts = Set<String>()
      for s in submissions {
        texts.formUnion(s.cells.keys)
        texts.formUnion(s.registerCells.keys)
      }
      let valid = texts.compactMap { t in CellKey(t).map { (t, $0) } }
      let sorted = valid.sorted { a, b in
        switch (catalog.position(a.1), catalog.position(b.1)) {
        case (let pa?, let pb?): return pa < pb
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.0 < b.0
        }
      }
      for (i, (text, key)) in sorted.enumerated() {
        rank[text] = i
        keys.append(key)
        rowLabels.append(catalog.rowLabel(key))
        columnLabels.append(catalog.columnLabel(key))
        encoded.append(cellColumns(key, rowLabel: rowLabels[i], columnLabel: columnLabels[i]))
        units.append(catalog.unit(of: key))
        roles.append(
          catalog.contains(key) && catalog.isChecksum(key)
            ? .total
            : !catalog.isPublished(key) ? .unused : catalog.isRate(key) ? .rate : .summed(catalog.valueType(of: key)))
      }
    }

    /// `region_use` of a figure in the cell of `rank`; `tableHasIt`: a register count whose
    /// department also sent the table's cell.
    func use(_ value: CellValue, rank: Int, tableHasIt: Bool) -> RegionUse {
      if tableHasIt { return .compared }
      switch roles[rank] {
      case .unused: return .unused
      case .total: return .total
      case .rate: return .rate
      case .summed(let type):
        switch value {
        case .blank: return .blank
        case .text: return .text
        case .integer, .decimal: return value.summand(type) == nil ? .refused : .summed
        }
      }
    }
  }

  /// One department's rows: submitted figures, then register figures, each in official order
  /// and, for the same cell, by file.
  static func departmentCSV(_ submissions: [Submission], table: CellTable) -> (bytes: [UInt8], rows: Int) {
    let subs = submissions.sorted { $0.source.path < $1.source.path }
    var w = CSVWriter(bom: false)
    var rows = 0
    w.reserve(subs.reduce(0) { $0 + $1.cells.count + $1.registerCells.count } * 200)
    // The forms the department's tables fill: its register's counts of such a form are compared,
    // not added (the region reads a register only for a form the unit sent no table of, even
    // where that table lacks a row the register counts).
    var tableForms = Set<String>()
    for kind in [Kind.submitted, .register] {
      // Each file's table, taken once: a `Submission` or a table copied per figure cost some
      // forty reference-count operations each, a fifth of this stage's time at 10M rows.
      let tables = subs.map { kind == .submitted ? $0.cells : $0.registerCells }
      // (rank, file, place in the file's table): no figure is copied to sort.
      var entries: [(rank: Int, sub: Int, index: Int)] = []
      for (i, t) in tables.enumerated() {
        for (index, key) in t.keys.enumerated() {
          if let rank = table.rank[key] { entries.append((rank, i, index)) }
        }
      }
      if kind == .submitted { tableForms = Set(entries.map { table.keys[$0.rank].form }) }
      entries.sort { ($0.rank, $0.sub) < ($1.rank, $1.sub) }
      // The file's table is held in a local while its figures follow one another (a
      // department mostly has one file): read as an array element, a table was copied (its
      // arrays retained and released) for every figure. The columns that repeat from row to
      // row (the department, the cell, the file) are encoded once each: writing every field of
      // every row was most of this stage's CPU after compression.
      var current = -1
      var figures = FigureTable()
      var department = CSVWriter.encoded { _ in }
      var file: (ref: SourceRef, columns: CSVWriter.EncodedFields)?
      for e in entries {
        if e.sub != current {
          current = e.sub
          figures = tables[e.sub]
          let sub = subs[e.sub]
          department = departmentColumns(year: sub.year, id: sub.department, name: sub.departmentName, kind: kind)
        }
        let figure = figures.flat(at: e.index)
        var source: (columns: CSVWriter.EncodedFields, line: Int, column: Int)?
        if let s = figure.firstSource {
          if file?.ref.file != s.file || file?.ref.sha256 != s.sha256 { file = (s, fileColumns(s)) }
          source = file.map { ($0.columns, s.line, s.column) }
        }
        // A figure is in its cell's declared unit once normalize has converted it (`1.5万`
        // in 万元, `15000份` in 万份); the unit written (`件`) describes it otherwise.
        let unit = figure.value.isNumber ? table.units[e.rank] ?? figure.unit : figure.unit
        let use = table.use(
          figure.value, rank: e.rank, tableHasIt: kind == .register && tableForms.contains(table.keys[e.rank].form))
        writeRow(
          department: department, cell: table.encoded[e.rank], value: figure.value, unit: unit ?? "",
          raw: figure.raw, source: source, use: use, to: &w)
        rows += 1
      }
    }
    return (w.bytes, rows)
  }

  // A row's columns, in `header`'s order: the department (4), the cell (5), the value, unit
  // and raw text, the source (4). The groups that repeat from row to row are encoded once.

  static func departmentColumns(year: Int, id: String, name: String, kind: Kind) -> CSVWriter.EncodedFields {
    CSVWriter.encoded { w in
      w.field(year)
      w.field(id)
      w.field(name)
      w.field(kind.rawValue)
    }
  }

  static func cellColumns(_ key: CellKey, rowLabel: String, columnLabel: String) -> CSVWriter.EncodedFields {
    CSVWriter.encoded { w in
      for f in [key.form, key.row, key.column, rowLabel, columnLabel] { w.field(f) }
    }
  }

  /// The source's file and digest (its line and column vary from row to row).
  static func fileColumns(_ s: SourceRef) -> CSVWriter.EncodedFields {
    CSVWriter.encoded { w in
      w.field(s.file)
      w.field(s.sha256)
    }
  }

  /// One row; `source` is the first source's encoded file columns, line and column (nil: none).
  private static func writeRow(
    department: CSVWriter.EncodedFields, cell: CSVWriter.EncodedFields, value: CellValue, unit: String, raw: String,
    source: (columns: CSVWriter.EncodedFields, line: Int, column: Int)?, use: RegionUse?, to w: inout CSVWriter
  ) {
    w.fields(encoded: department)
    w.fields(encoded: cell)
    if case .integer(let i) = value, let n = Int(exactly: i) {
      w.field(n)
    } else {
      w.field(value.outputText, numeric: value.isNumber)
    }
    w.field(unit)
    w.field(raw)
    if let source {
      w.fields(encoded: source.columns)
      w.field(source.line)
      w.field(source.column)
    } else {
      for _ in 0..<4 { w.field("") }
    }
    w.field(use?.rawValue ?? "")
    w.endRow()
  }

  /// A region figure is in the unit its row or column declares (`unit: 万元` on 表二's fee
  /// column); none otherwise. Every amount was labelled 万元, the 2016 forms' rates (%) and
  /// counts of leaflets included.
  static func regionUnit(_ key: CellKey, catalog: FormCatalog) -> String {
    catalog.unit(of: key) ?? ""
  }
}
