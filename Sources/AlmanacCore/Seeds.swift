import Foundation

/// A reference table from `seeds/` (dbt-style seed): a header and rows of text.
///
/// Parsing the CSV is ingest's job (libcsv sits behind one wrapper there); stages receive this.
public struct SeedTable: Codable, Hashable, Sendable {
  public var name: String
  public var header: [String]
  /// Every cell's UTF-8, one after another: a declared-figures seed has 200,000 rows of four
  /// short cells, held for the whole run; as `String`s they took 16 bytes a cell before any
  /// text, here a cell costs its bytes and a 4-byte end.
  private var text: [UInt8] = []
  /// End of each cell in `text`; a cell starts where the one before it ends.
  private var cellEnds: [UInt32] = []
  /// Where each row starts in `cellEnds`, and where the last one ends.
  private var rowStarts: [UInt32] = [0]
  /// 1-based physical line of each row in the seed file, for error messages.
  public var lines: [Int]

  /// What one table may hold: its offsets are 32-bit. `SeedLoader` refuses larger files.
  public static let maxTextBytes = Int(UInt32.max)

  public init(name: String, header: [String], rows: [[String]], lines: [Int]) {
    self.init(name: name, header: header)
    for row in rows { appendCells(row) }
    self.lines = lines
  }

  /// An empty table, filled with `append`.
  public init(name: String, header: [String]) {
    self.name = name
    self.header = header
    lines = []
  }

  /// Adds a row read at `line`.
  public mutating func append(_ row: [String], line: Int) {
    appendCells(row)
    lines.append(line)
  }

  /// Adds one cell, as UTF-8, to the row being built (`endRow(line:)` ends it): for a loader
  /// that has the cells as bytes and should not make a `String` of each.
  public mutating func appendCell(_ utf8: UnsafeRawBufferPointer) {
    text.append(contentsOf: utf8)
    precondition(text.count <= Self.maxTextBytes, "seed table \(name) holds more than 4 GiB")
    cellEnds.append(UInt32(text.count))
  }

  /// Ends the row of the cells added since the last row, read at `line`.
  public mutating func endRow(line: Int) {
    rowStarts.append(UInt32(cellEnds.count))
    lines.append(line)
  }

  private mutating func appendCells(_ row: [String]) {
    for cell in row {
      text.append(contentsOf: cell.utf8)
      precondition(text.count <= Self.maxTextBytes, "seed table \(name) holds more than 4 GiB")
      cellEnds.append(UInt32(text.count))
    }
    rowStarts.append(UInt32(cellEnds.count))
  }

  /// Cell `column` of row `row` ("" past the row's end), read in place: no `Rows` or `Row`
  /// (each holding the table's arrays) is made for a caller reading a few cells of many rows.
  public func cell(_ row: Int, _ column: Int) -> String {
    let first = Int(rowStarts[row])
    guard column < Int(rowStarts[row + 1]) - first else { return "" }
    let c = first + column
    let bytes = (c == 0 ? 0 : Int(cellEnds[c - 1]))..<Int(cellEnds[c])
    return text.withUnsafeBufferPointer { String(decoding: $0[bytes], as: UTF8.self) }
  }

  /// Cell `name` of row `row`, trimmed; "" past the row's end or without such a column.
  public func value(_ row: Int, _ name: String) -> String {
    column(name).map { cell(row, $0).trimmingWhitespace } ?? ""
  }

  /// The file line of row `row` (the header is line 1; a table made without lines counts on).
  public func line(_ row: Int) -> Int { row < lines.count ? lines[row] : row + 2 }

  /// The rows, each a zero-based collection of its cells.
  public var rows: Rows { Rows(text: text, cellEnds: cellEnds, rowStarts: rowStarts) }

  public struct Rows: RandomAccessCollection, Sendable {
    let text: [UInt8]
    let cellEnds: [UInt32]
    let rowStarts: [UInt32]
    public var startIndex: Int { 0 }
    public var endIndex: Int { rowStarts.count - 1 }
    public subscript(i: Int) -> Row {
      Row(text: text, cellEnds: cellEnds, start: Int(rowStarts[i]), count: Int(rowStarts[i + 1] - rowStarts[i]))
    }
  }

  public struct Row: RandomAccessCollection, Sendable {
    let text: [UInt8]
    let cellEnds: [UInt32]
    let start: Int
    public let count: Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> String {
      let bytes = bytes(of: i)
      return text.withUnsafeBufferPointer { String(decoding: $0[bytes], as: UTF8.self) }
    }

    /// Where cell `i` of the row lies in `text`.
    private func bytes(of i: Int) -> Range<Int> {
      let c = start + i
      return (c == 0 ? 0 : Int(cellEnds[c - 1]))..<Int(cellEnds[c])
    }

    /// The row as the seeds digest takes it: cells joined by U+001E, then U+001F.
    func appendDigestBytes(to buffer: inout [UInt8]) {
      for i in 0..<count {
        if i > 0 { buffer.append(0x1E) }
        buffer.append(contentsOf: text[bytes(of: i)])
      }
      buffer.append(0x1F)
    }
  }

  /// Reads column `name` of each row as `records` does (the last column of that name; nil for
  /// every row without one), without a dictionary per row: for tables of thousands of rows
  /// read on every run (department aliases), building and freeing the dictionaries cost more
  /// than what was read from them.
  public func field(_ name: String) -> (Int) -> String? {
    guard let c = header.lastIndex(of: name) else { return { _ in nil } }
    return { row in cell(row, c) }
  }

  /// The number of data rows.
  public var rowCount: Int { rowStarts.count - 1 }

  /// Rows as dictionaries keyed by header name.
  public var records: [[String: String]] {
    rows.indices.map { r in
      var d: [String: String] = [:]
      for (i, h) in header.enumerated() { d[h] = cell(r, i) }
      return d
    }
  }

  public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

  // Encoded as before the cells were flattened: name, header, rows, lines.
  private enum CodingKeys: String, CodingKey { case name, header, rows, lines }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try c.decode(String.self, forKey: .name), header: try c.decode([String].self, forKey: .header),
      rows: try c.decode([[String]].self, forKey: .rows), lines: try c.decode([Int].self, forKey: .lines))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(header, forKey: .header)
    try c.encode(lines, forKey: .lines)
    try c.encode(name, forKey: .name)
    try c.encode(rows.map { Array($0) }, forKey: .rows)
  }
}

/// All seed tables of a run, by file stem (`departments`, `label_aliases`, …).
extension Seeds {
  /// Department names by id, as the registry (`departments.csv`) writes them, the first row
  /// of an id winning.
  public var departmentNames: [String: String] {
    guard let table = self["departments"] else { return [:] }
    var names: [String: String] = [:]
    for row in 0..<table.rows.count {
      let id = table.value(row, "id")
      if !id.isEmpty, names[id] == nil { names[id] = table.value(row, "name") }
    }
    return names
  }
}

public struct Seeds: Codable, Hashable, Sendable {
  public var tables: [String: SeedTable]
  public init(tables: [String: SeedTable]) { self.tables = tables }
  public subscript(name: String) -> SeedTable? { tables[name] }

  /// Digest over every table, in name order: part of every stage fingerprint.
  ///
  /// The bytes are those of `Digest.Builder` adding the name, the header and each row with
  /// fields joined by U+001E; they are gathered in one buffer here rather than a string per
  /// row, as a 200,000-row seed is digested on every run.
  public var digest: String {
    var hasher = Digest.Streaming()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 16)
    func flush() {
      buffer.withUnsafeBytes { hasher.update($0) }
      buffer.removeAll(keepingCapacity: true)
    }
    func add(_ fields: some Collection<String>) {
      for (i, field) in fields.enumerated() {
        if i > 0 { buffer.append(0x1E) }
        buffer.append(contentsOf: field.utf8)
      }
      buffer.append(0x1F)
      if buffer.count >= 1 << 16 { flush() }
    }
    for (name, t) in tables.sorted(by: { $0.key < $1.key }) {
      add([name])
      add(t.header)
      for r in t.rows {
        r.appendDigestBytes(to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
      }
    }
    flush()
    return hasher.finalize()
  }
}
