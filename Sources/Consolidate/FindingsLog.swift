import AlmanacCore
import Foundation

/// `reconciliation.jsonl`: one finding per line, keys sorted, slashes unescaped, every key
/// present (nulls explicit), in `Finding` order; empty when there is nothing to report.
public enum FindingsLog {
  public static func jsonl(_ findings: [Finding]) throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = Data()
    for f in findings.sorted() {
      out.append(try enc.encode(f))
      out.append(0x0A)
    }
    return out
  }
}
