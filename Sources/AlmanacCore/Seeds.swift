import Foundation

/// A reference table from `seeds/` (dbt-style seed): a header and rows of text.
///
/// Parsing the CSV is ingest's job (libcsv sits behind one wrapper there); stages receive this.
public struct SeedTable: Codable, Hashable, Sendable {
  public var name: String
  public var header: [String]
  /// Every row's cells, one row after another: one array for the table rather than one per
  /// row (a declared-figures seed has 200,000 rows; per-row arrays cost 25 MB).
  private var cells: [String]
  /// Where each row starts in `cells`, and where the last one ends.
  private var starts: [Int]
  /// 1-based physical line of each row in the seed file, for error messages.
  public var lines: [Int]

  public init(name: String, header: [String], rows: [[String]], lines: [Int]) {
    self.init(name: name, header: header)
    for row in rows {
      cells.append(contentsOf: row)
      starts.append(cells.count)
    }
    self.lines = lines
  }

  /// An empty table, filled with `append`.
  public init(name: String, header: [String]) {
    self.name = name
    self.header = header
    cells = []
    starts = [0]
    lines = []
  }

  /// Adds a row read at `line`.
  public mutating func append(_ row: [String], line: Int) {
    cells.append(contentsOf: row)
    starts.append(cells.count)
    lines.append(line)
  }

  /// The rows, each a zero-based collection of its cells.
  public var rows: Rows { Rows(cells: cells, starts: starts) }

  public struct Rows: RandomAccessCollection, Sendable {
    let cells: [String]
    let starts: [Int]
    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count - 1 }
    public subscript(i: Int) -> Row { Row(cells: cells, start: starts[i], count: starts[i + 1] - starts[i]) }
  }

  public struct Row: RandomAccessCollection, Sendable {
    let cells: [String]
    let start: Int
    public let count: Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(i: Int) -> String { cells[start + i] }
  }

  /// Rows as dictionaries keyed by header name.
  public var records: [[String: String]] {
    rows.map { row in
      var d: [String: String] = [:]
      for (i, h) in header.enumerated() { d[h] = i < row.count ? row[i] : "" }
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
      for r in t.rows { add(r) }
    }
    flush()
    return hasher.finalize()
  }
}
