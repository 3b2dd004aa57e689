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

  /// True when `part` can be a key's form, row or column: not empty, no dot (what `init?(_:)`
  /// can read back). Pipelines are checked against it (PIPE-005).
  public static func isPart(_ part: String) -> Bool {
    !part.isEmpty && !part.utf8.contains(UInt8(ascii: "."))
  }

  /// Parses `t3.r1.np`; rows and columns may themselves not contain dots.
  public init?(_ text: String) {
    // ASCII keys (all the pipelines' keys) are cut at the dot bytes in one pass: this runs
    // for every figure in several stages.
    switch text.utf8.withContiguousStorageIfAvailable({ Self.cutASCII($0) }) {
    case .some(.key(let form, let row, let column)):
      self.init(form: form, row: row, column: column)
    case .some(.invalid):
      return nil
    case .some(.notASCII), nil:
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
      self.init(form: String(parts[0]), row: String(parts[1]), column: String(parts[2]))
    }
  }

  private enum ASCIICut {
    case key(String, String, String)
    case invalid
    case notASCII
  }

  private static func cutASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> ASCIICut {
    var first = -1
    var second = -1
    for (i, b) in bytes.enumerated() {
      if b >= 0x80 { return .notASCII }
      guard b == 0x2E else { continue }
      if first < 0 {
        first = i
      } else if second < 0 {
        second = i
      } else {
        return .invalid
      }
    }
    guard first > 0, second > first + 1, second + 1 < bytes.count else { return .invalid }
    func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
    return .key(text(0..<first), text((first + 1)..<second), text((second + 1)..<bytes.count))
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
