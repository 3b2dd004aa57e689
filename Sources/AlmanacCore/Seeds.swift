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
  public var digest: String {
    var b = Digest.Builder()
    for (name, t) in tables.sorted(by: { $0.key < $1.key }) {
      b.add(name)
      b.add(t.header.joined(separator: "\u{1E}"))
      for r in t.rows { b.add(r.joined(separator: "\u{1E}")) }
    }
    return b.finalize()
  }
}
