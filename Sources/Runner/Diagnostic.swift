import AlmanacCore
import Foundation

/// Compiler-style lines for findings: `inbox/a.csv:42:3: error: message [CODE]`.
public enum Diagnostic {
  /// The finding's first source, prefixed with the inbox folder as the operator wrote it.
  public static func line(_ finding: Finding, inbox: String) -> String {
    let place: String
    if let s = finding.sources.first {
      let prefix = inbox.isEmpty || inbox == "." ? "" : (inbox.hasSuffix("/") ? inbox : inbox + "/")
      place = prefix + s.location
    } else {
      place = finding.department ?? "全区"
    }
    return "\(printable(place)): \(finding.severity.rawValue): \(printable(finding.message)) [\(finding.code)]"
  }

  /// `text` with control characters shown as escapes (`\n`, `\u{1B}`): a file name holding a
  /// line break or a terminal escape must not split a log line or drive the terminal.
  public static func printable(_ text: String) -> String {
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

  private static func isControl(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
  }
}
