/// File names made from text that did not come from the operator's command line.
public enum SafeFileName {
  /// The longest name made, in bytes: room left under the 255 of a Linux file name for a
  /// suffix (`.gb18030.csv`) and a temporary's (`.NAME.tmp-PID`).
  public static let maxBytes = 180

  /// `text` as one harmless file name: path separators, control characters and characters
  /// Windows forbids become `_`; a leading `.` or `-` (hidden file, command-line option) is
  /// prefixed with `_`; empty text and `.`/`..` become `_`. Capped at 120 characters and
  /// `maxBytes` bytes of UTF-8, ending in `…` when cut: a name has 255 bytes on Linux, and 120
  /// Chinese characters are 360 (a unit's full name in the seeds made `templates` fail with
  /// “File name too long” half-way through the units).
  public static func make(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      let forbidden =
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}"
        || scalar == "\u{2029}" || "/\\:*?\"<>|".unicodeScalars.contains(scalar)
      out.unicodeScalars.append(forbidden ? "_" : scalar)
    }
    if out.count > 120 || out.utf8.count > maxBytes {
      // Room for the `…` (one character, three bytes).
      var cut = ""
      var (characters, bytes) = (0, 0)
      for ch in out {
        guard characters < 119, bytes + ch.utf8.count + 3 <= maxBytes else { break }
        cut.append(ch)
        characters += 1
        bytes += ch.utf8.count
      }
      out = cut + "…"
    }
    if out.isEmpty || out == "." || out == ".." { return "_" }
    if out.hasPrefix(".") || out.hasPrefix("-") { out = "_" + out }
    return out
  }
}
