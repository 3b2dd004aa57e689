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

  /// `text` with control characters shown as escapes (`PrintableText.escapingControls`).
  public static func printable(_ text: String) -> String {
    PrintableText.escapingControls(text)
  }
}
