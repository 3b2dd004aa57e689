import AlmanacCore
import Foundation

/// `reconciliation.jsonl`: one finding per line, keys sorted, slashes unescaped, every key
/// present (nulls explicit), in `Finding` order; empty when there is nothing to report.
public enum FindingsLog {
  public static func jsonl(_ findings: [Finding]) throws -> Data {
    var out = Data()
    try write(findings) { out.append(contentsOf: $0) }
    return out
  }

  /// The same bytes handed to `append` in pieces of about a megabyte: a province whose
  /// registers are broken has tens of thousands of findings (60 MB of log), which need not be
  /// in memory at once.
  public static func write(_ findings: [Finding], to append: (UnsafeRawBufferPointer) throws -> Void) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var piece = Data()
    for f in findings.sorted() {
      piece.append(try enc.encode(f))
      piece.append(0x0A)
      if piece.count >= 1 << 20 {
        try piece.withUnsafeBytes(append)
        piece.removeAll(keepingCapacity: true)
      }
    }
    if !piece.isEmpty { try piece.withUnsafeBytes(append) }
  }
}
