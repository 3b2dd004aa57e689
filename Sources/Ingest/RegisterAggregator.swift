import AlmanacCore

/// Counts a register (one row per application) while it streams past.
///
/// Rows whose `dataRowField` is all digits are data rows; each is reduced to its `groupBy`
/// values (raw text, trimmed) and counted, so ten million rows become a few thousand groups and
/// no record is kept.
struct RegisterAggregator: Sendable {
  let form: FormDefinition
  let headerLine: Int
  let groupBy: [String]
  /// 0-based field index of each grouping column; nil when the file lacks it.
  let groupColumns: [Int?]
  /// 0-based field index of the data-row marker column (序号).
  let markerColumn: Int?
  let markerLabel: String
  /// Required fields the header lacks (their labels as the form writes them).
  let missingRequired: [String]

  private var groups: [[String]: (count: Int64, samples: [Int])] = [:]
  private(set) var dataRows: Int64 = 0
  private(set) var skippedCount = 0
  private(set) var skippedLines: [Int] = []

  static let sampleLimit = 3

  init(form: FormDefinition, header: Record, entry: FormIndex.Entry, index: FormIndex) {
    self.form = form
    self.headerLine = header.line
    var columnOf: [String: Int] = [:]
    for (c, text) in header.fields.enumerated() {
      if let key = entry.fieldKeys[index.key(text)], columnOf[key] == nil { columnOf[key] = c }
    }
    let groupBy = form.groupBy ?? []
    self.groupBy = groupBy
    self.groupColumns = groupBy.map { columnOf[$0] }
    let marker = form.dataRowField ?? ""
    self.markerColumn = columnOf[marker]
    self.markerLabel = form.fields?.first { $0.key == marker }?.label ?? marker
    var missing: [String] = []
    for f in form.fields ?? [] where (f.required == true || f.key == marker) && columnOf[f.key] == nil {
      missing.append(f.label)
    }
    self.missingRequired = missing
  }

  /// Picks, among header rows, the one naming most register fields.
  static func headerRecord(_ records: [Record], entry: FormIndex.Entry, index: FormIndex) -> Record? {
    records.max { a, b in
      a.fields.filter { entry.fieldKeys[index.key($0)] != nil }.count
        < b.fields.filter { entry.fieldKeys[index.key($0)] != nil }.count
    }
  }

  /// True when the marker column holds only digits (after NFKC): an application row.
  func isDataRow(_ record: Record) -> Bool {
    guard let m = markerColumn, m < record.fields.count else { return false }
    var text = record.fields[m]
    if !text.allSatisfy(\.isASCII) { text = text.precomposedStringWithCompatibilityMapping }
    var sawDigit = false
    for u in text.utf8 {
      if u >= 0x30 && u <= 0x39 {
        sawDigit = true
      } else if u != 0x20 && u != 0x09 {
        return false
      }
    }
    return sawDigit
  }

  /// Counts one data row into its group.
  mutating func add(_ record: Record) {
    dataRows += 1
    let values = groupColumns.map { c -> String in
      guard let c, c < record.fields.count else { return "" }
      return CellParser.trim(record.fields[c])
    }
    if var g = groups[values] {
      g.count += 1
      if g.samples.count < Self.sampleLimit { g.samples.append(record.line) }
      groups[values] = g
    } else {
      groups[values] = (1, [record.line])
    }
  }

  /// Notes a non-empty row that is not an application row.
  mutating func skip(_ record: Record) {
    skippedCount += 1
    if skippedLines.count < 6 { skippedLines.append(record.line) }
  }

  /// The aggregated register; groups sorted by their values.
  func finish() -> SheetRegister {
    let sorted = groups.map { RegisterGroup(values: $0.key, count: $0.value.count, sampleLines: $0.value.samples) }
      .sorted { $0.values.lexicographicallyPrecedes($1.values) }
    return SheetRegister(
      form: form.id, headerLine: headerLine, groupBy: groupBy, columns: groupColumns.map { ($0 ?? -1) + 1 },
      groups: sorted, dataRows: dataRows)
  }
}
