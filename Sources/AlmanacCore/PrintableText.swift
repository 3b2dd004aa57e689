/// Text from the inbox made safe for a terminal or a log line.
public enum PrintableText {
  /// `text` with control characters shown as escapes (`\n`, `\r`, `\t`, `\u{1B}`): a file name
  /// or cell holding a line break or a terminal escape must not split a log line or drive the
  /// terminal. Other text is unchanged.
  public static func escapingControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Several lines, each with its control characters escaped (the line breaks kept): a
  /// command's screen of text from the inbox (`explain`).
  public static func escapingControlsPerLine(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { escapingControls(String($0)) }
      .joined(separator: "\n")
  }

  /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
  public static func isControl(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
  }
}
