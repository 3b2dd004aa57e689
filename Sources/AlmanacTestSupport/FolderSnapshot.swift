import AlmanacCore
import Foundation

/// Every regular file under a folder by relative path, with its sha256: the byte-for-byte
/// comparison of two outboxes, and the proof that an inbox was not touched.
public enum FolderSnapshot {
  /// Relative path → sha256 of every regular file (hidden ones too), minus `excluding` names.
  public static func hashes(_ folder: URL, excluding: Set<String> = []) throws -> [String: String] {
    var result: [String: String] = [:]
    let base = folder.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
    while let rel = walker.nextObject() as? String {
      let url = URL(fileURLWithPath: base).appendingPathComponent(rel)
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
      if excluding.contains((rel as NSString).lastPathComponent) { continue }
      result[rel] = try Digest.sha256Hex(fileAt: url)
    }
    return result
  }

  /// Lines naming every path that differs (missing, extra, other bytes); empty when identical.
  public static func differences(_ expected: [String: String], _ actual: [String: String]) -> [String] {
    var lines: [String] = []
    for path in Set(expected.keys).union(actual.keys).sorted() {
      switch (expected[path], actual[path]) {
      case (nil, _): lines.append("extra \(path)")
      case (_, nil): lines.append("missing \(path)")
      case (let a?, let b?) where a != b: lines.append("differs \(path)")
      default: break
      }
    }
    return lines
  }
}
