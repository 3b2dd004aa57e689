import Foundation

/// A reference table from `seeds/` (dbt-style seed): a header and rows of text.
///
/// Parsing the CSV is ingest's job (libcsv sits behind one wrapper there); stages receive this.
public struct SeedTable: Codable, Hashable, Sendable {
  public var name: String
  public var header: [String]
  public var rows: [[String]]
  /// 1-based physical line of each row in the seed file, for error messages.
  public var lines: [Int]

  public init(name: String, header: [String], rows: [[String]], lines: [Int]) {
    self.name = name
    self.header = header
    self.rows = rows
    self.lines = lines
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
    func add(_ fields: [String]) {
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
