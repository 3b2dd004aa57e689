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
    // ASCII keys (all the pipelines' keys) are cut at the dot bytes: this runs for every
    // figure in several stages.
    let utf8 = text.utf8
    if utf8.allSatisfy({ $0 < 0x80 }) {
      guard let first = utf8.firstIndex(of: 0x2E) else { return nil }
      let rest = utf8.index(after: first)
      guard let second = utf8[rest...].firstIndex(of: 0x2E) else { return nil }
      let last = utf8.index(after: second)
      guard first > utf8.startIndex, second > rest, last < utf8.endIndex, !utf8[last...].contains(0x2E) else {
        return nil
      }
      self.init(
        form: String(Substring(text.utf8[..<first])), row: String(Substring(text.utf8[rest..<second])),
        column: String(Substring(text.utf8[last...])))
      return
    }
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
