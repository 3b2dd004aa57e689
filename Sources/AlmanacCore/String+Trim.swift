import Foundation

extension String {
  /// `trimmingCharacters(in: .whitespaces)`, without Foundation's cost in the common case of
  /// nothing to trim (seed tables give hundreds of thousands of cells per run).
  public var trimmingWhitespace: String {
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    if !Self.isWhitespace(first) && !Self.isWhitespace(last) { return self }
    return trimmingCharacters(in: .whitespaces)
  }

  /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's cost when
  /// neither end is such a character.
  public var trimmingWhitespaceAndNewlines: String {
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    if !Self.isWhitespaceOrNewline(first) && !Self.isWhitespaceOrNewline(last) { return self }
    return trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `trimmingCharacters(in: set)`, without Foundation's cost when neither end is in `set`
  /// (names and titles are trimmed for every file; almost none has anything to trim).
  public func trimming(_ set: CharacterSet) -> String {
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    if !set.contains(first) && !set.contains(last) { return self }
    return trimmingCharacters(in: set)
  }

  /// Members of `CharacterSet.whitespacesAndNewlines`.
  static func isWhitespaceOrNewline(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x80 { return s.value == 0x20 || (0x09...0x0D).contains(s.value) }
    return whitespacesAndNewlines.contains(s)
  }

  private static let whitespacesAndNewlines = CharacterSet.whitespacesAndNewlines

  /// Members of `CharacterSet.whitespaces` (which, on Linux, also holds U+200B).
  static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x80 { return s.value == 0x20 || s.value == 0x09 }
    return whitespaces.contains(s)
  }

  private static let whitespaces = CharacterSet.whitespaces
}
