/// File names made from text that did not come from the operator's command line.
public enum SafeFileName {
  /// `text` as one harmless file name: path separators, control characters and characters
  /// Windows forbids become `_`; a leading `.` or `-` (hidden file, command-line option) is
  /// prefixed with `_`; empty text and `.`/`..` become `_`. Capped at 120 characters.
  public static func make(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      let forbidden =
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}"
        || scalar == "\u{2029}" || "/\\:*?\"<>|".unicodeScalars.contains(scalar)
      out.unicodeScalars.append(forbidden ? "_" : scalar)
    }
    out = String(out.prefix(120))
    if out.isEmpty || out == "." || out == ".." { return "_" }
    if out.hasPrefix(".") || out.hasPrefix("-") { out = "_" + out }
    return out
  }
}
