import AlmanacCore
import Foundation

/// One inbox file the run saw (path relative to the inbox, content hash, size): the same
/// value the ingest stage receives as `InboxFile`.
public typealias InboxEntry = FileRef

extension FileRef {
  /// What the file is for, from its name.
  public var kind: InboxFileKind { InboxFileKind(path: path) }

  /// `path<TAB>sha256`: the part a stage fingerprint needs from this file.
  public var fingerprintPart: String { "\(path)\t\(sha256)" }
}
