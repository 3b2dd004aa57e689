import AlmanacCore

/// Builds one grid table (表二/三/四) row by row under a recognized header block.
///
/// Label columns are those left of the first column whose header names one of the form's
/// columns; every column from there on is a data column addressed by its header path.
struct GridTableBuilder: Sendable {
  var form: FormDefinition
  var caption: String?
  var headerLines: [Int]
  var rows: [SheetRow] = []
  var columnPaths: [[String]]
  var labelColumns: Int
  /// Folded row labels (and parents, aliases) of the form: tells an empty data row from a caption.
  var rowKeys: Set<String>
  private let index: FormIndex
  private var fill: RowLabelFill
  /// Rows with labels but no value, held until the next row says whether they are parents.
  private var pending: [SheetRow] = []

  init(form: FormDefinition, caption: String?, header: HeaderBlock, entry: FormIndex.Entry, index: FormIndex) {
    self.form = form
    self.caption = caption
    self.index = index
    self.headerLines = header.lines
    let paths = header.columnPaths
    self.columnPaths = paths
    self.labelColumns = GridTableBuilder.labelColumnCount(paths: paths, entry: entry, index: index)
    self.fill = RowLabelFill(depth: labelColumns)
    var keys = Set<String>()
    for r in form.rows ?? [] {
      keys.insert(index.key(r.label))
      for p in r.parents ?? [] { keys.insert(index.key(p)) }
      for a in r.aliases ?? [] { keys.insert(index.key(a)) }
    }
    self.rowKeys = keys
  }

  /// Columns left of the first column whose header path names a column of the form.
  static func labelColumnCount(paths: [[String]], entry: FormIndex.Entry, index: FormIndex) -> Int {
    for (c, path) in paths.enumerated() where path.contains(where: { entry.dataKeys.contains(index.key($0)) }) {
      return c
    }
    return min(1, paths.count)
  }

  /// Continues the same table under a further header block (表二's 第二十条 blocks).
  mutating func extend(header: HeaderBlock, entry: FormIndex.Entry) {
    resolvePending(next: nil)
    headerLines += header.lines
    columnPaths = header.columnPaths
    labelColumns = GridTableBuilder.labelColumnCount(paths: columnPaths, entry: entry, index: index)
    fill = RowLabelFill(depth: labelColumns)
  }

  /// Adds one record below the header. Findings go to `report`.
  mutating func add(_ record: Record, cells: [String], report: (SheetIssue) -> Void) {
    var labels: [String] = []
    var labelColumn: Int?
    for c in 0..<labelColumns {
      let text = c < cells.count ? cells[c] : ""
      if !text.isEmpty, CellParser.isNumber(text) {
        report(.numberInLabelColumn(raw: text, line: record.lines[c], column: c + 1))
      }
      if !text.isEmpty { labelColumn = c + 1 }
      labels.append(text)
    }
    var dataCells: [SheetCell] = []
    var hasData = false
    /// The last field joined into the previous cell as its thousands (`1,234,567` is three).
    var joinedThrough = -1
    let width = max(columnPaths.count, record.fields.count)
    for c in labelColumns..<max(labelColumns, width) {
      let raw = c < record.fields.count ? record.fields[c] : ""
      let present = c < cells.count && !cells[c].isEmpty
      if present { hasData = true }
      let path = c < columnPaths.count ? columnPaths[c] : []
      let line = c < record.lines.count ? record.lines[c] : (record.lines.last ?? 0)
      if path.isEmpty {
        guard present else { continue }
        // `1,204` exported without quotes is two fields, `1` under the header and `204` past
        // it: the `1` was summed. The figure meant cannot be told for sure, so the cell keeps
        // the number as written, as text, and S-5 says what happened.
        if let last = dataCells.last, last.column == c || joinedThrough == c - 1,
          Self.continuesThousands(last.raw, cells[c])
        {
          joinedThrough = c
          let joined = last.raw.trimmingCharacters(in: .whitespaces) + "," + cells[c]
          dataCells[dataCells.count - 1] = SheetCell(
            columnPath: last.columnPath, value: .text(joined), raw: joined, line: last.line, column: last.column)
          continue
        }
        report(.valueWithoutHeader(raw: cells[c], line: line, column: c + 1))
        continue
      }
      let parsed = CellParser.parse(raw)
      dataCells.append(
        SheetCell(columnPath: path, value: parsed.value, unit: parsed.unit, raw: raw, line: line, column: c + 1))
    }
    let row = SheetRow(labelPath: fill.path(for: labels), line: record.line, cells: dataCells, labelColumn: labelColumn)
    if hasData {
      resolvePending(next: row.labelPath)
      rows.append(row)
    } else {
      pending.append(row)
    }
  }

  /// True when `group` (three digits, decimals allowed after the last group) continues the
  /// figure `before` (one to three digits not starting with 0, or groups already joined) as
  /// its thousands: `0,100` is a 0 and a stray value, not a number.
  static func continuesThousands(_ before: String, _ group: String) -> Bool {
    !group.contains(",") && SplitThousands.isJoined(before.trimmingCharacters(in: .whitespaces) + "," + group)
  }

  /// Hands over trailing label-only rows that are not rows of this form: they caption the next
  /// header block (`第二十条第（五）项`, `四、政府信息公开行政复议、行政诉讼情况`).
  mutating func takeCaptionRows() -> [(text: String, line: Int)] {
    let keep = pending.lastIndex { row in row.labelPath.last.map { rowKeys.contains(index.key($0)) } ?? false }
    let split = keep.map { $0 + 1 } ?? 0
    let captions = pending[split...].compactMap { row in row.labelPath.last.map { ($0, row.line) } }
    pending.removeLast(pending.count - split)
    resolvePending(next: nil)
    return captions
  }

  /// The finished table; held label-only rows become rows with blank cells.
  mutating func finish() -> SheetTable {
    resolvePending(next: nil)
    return SheetTable(form: form.id, caption: caption, headerLines: headerLines, rows: rows)
  }

  /// A held row that is a proper prefix of the row after it was a merged parent label: dropped.
  /// Any other held row is a row whose cells were all left empty: kept, so normalize reports it.
  private mutating func resolvePending(next: [String]?) {
    for (i, row) in pending.enumerated() {
      let following = i + 1 < pending.count ? pending[i + 1].labelPath : next
      if let f = following, f.count > row.labelPath.count, Array(f.prefix(row.labelPath.count)) == row.labelPath {
        continue
      }
      rows.append(row)
    }
    pending = []
  }
}
