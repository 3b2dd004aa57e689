import Foundation

extension String {
  /// `trimmingCharacters(in: .whitespaces)`, without Foundation's cost in the common case of
  /// nothing to trim (seed tables give hundreds of thousands of cells per run).
  public var trimmingWhitespace: String {
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    if !Self.isWhitespace(first) && !Self.isWhitespace(last) { return self }
    return trimmingCharacters(in: .whitespaces)
  }

  /// Members of `CharacterSet.whitespaces` (which, on Linux, also holds U+200B).
  static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x80 { return s.value == 0x20 || s.value == 0x09 }
    return whitespaces.contains(s)
  }

  private static let whitespaces = CharacterSet.whitespaces
}
