import AlmanacCore
import Foundation
import Ingest

/// Compiler-style lines for findings: `inbox/a.csv:42:3: error: message [CODE]`.
public enum Diagnostic {
  /// The finding's first source, prefixed with the inbox folder as the operator wrote it; a
  /// seed row with the seeds folder instead. A seed row is a source `SourceRef.seedFile`
  /// without a digest in a finding after ingest: from normalize on, every inbox file a finding
  /// names was read, hence has its digest (an inbox subfolder `seeds/` stays an inbox path).
  public static func line(_ finding: Finding, inbox: String, seeds: String = "seeds") -> String {
    func folder(_ path: String) -> String {
      path.isEmpty || path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
    }
    let place: String
    if let s = finding.sources.first {
      if finding.stage != IngestStage.name, s.sha256.isEmpty, s.file.hasPrefix(SourceRef.seedFolder) {
        place = folder(seeds) + s.location.dropFirst(SourceRef.seedFolder.count)
      } else {
        place = folder(inbox) + s.location
      }
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
