/// Canonical address of one figure: `form.row.column`, e.g. `t3.r3_3_1.np` (report-2021.md §2.4).
public struct CellKey: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  public var form: String
  public var row: String
  public var column: String

  public init(form: String, row: String, column: String) {
    self.form = form
    self.row = row
    self.column = column
  }

  /// Parses `t3.r1.np`; rows and columns may themselves not contain dots.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.init(form: String(parts[0]), row: String(parts[1]), column: String(parts[2]))
  }

  public var description: String { "\(form).\(row).\(column)" }

  public init(from decoder: Decoder) throws {
    let s = try decoder.singleValueContainer().decode(String.self)
    guard let k = CellKey(s) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad cell key \(s)"))
    }
    self = k
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }

  public static func < (a: CellKey, b: CellKey) -> Bool {
    (a.form, a.row, a.column) < (b.form, b.row, b.column)
  }
}
