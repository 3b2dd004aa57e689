import AlmanacCore
import Foundation

/// One inbox file the run saw (path relative to the inbox, content hash, size): the same
/// value the ingest stage receives as `InboxFile`.
public typealias InboxEntry = FileRef

extension FileRef {
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
