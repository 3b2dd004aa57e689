import Foundation

/// One inbox file the run saw: its path relative to the inbox, content hash and size.
///
/// The lead wires these into `Ingest.InboxFile` (same three fields) and into fingerprints
/// through `fingerprintPart`.
public struct InboxEntry: Codable, Hashable, Sendable, Comparable {
  public var path: String
  public var sha256: String
  public var size: Int64

  public init(path: String, sha256: String, size: Int64) {
    self.path = path
    self.sha256 = sha256
    self.size = size
  }

  public static func < (lhs: InboxEntry, rhs: InboxEntry) -> Bool { (lhs.path, lhs.sha256) < (rhs.path, rhs.sha256) }

  /// What the file is for, from its name.
  public var kind: InboxFileKind { InboxFileKind(path: path) ?? .table }

  /// `path<TAB>sha256`: the part a stage fingerprint needs from this file.
  public var fingerprintPart: String { "\(path)\t\(sha256)" }
}

/// Spreadsheets (`*.csv`, `*.csv.gz`) or operators' prose (`*.txt`, `*.md`).
public enum InboxFileKind: String, Codable, Sendable {
  case table, text

  /// The kind of a file name, or nil when the inbox listing ignores it.
  public init?(path: String) {
    let name = path.lowercased()
    if name.hasSuffix(".csv") || name.hasSuffix(".csv.gz") {
      self = .table
    } else if name.hasSuffix(".txt") || name.hasSuffix(".md") {
      self = .text
    } else {
      return nil
    }
  }
}
