import AlmanacCore
import Foundation

/// What the ingest stage reads: the inbox folder and the files listed in it.
public struct IngestInput: Sendable {
  public var inbox: URL
  public var files: [InboxFile]
  /// Each file's `stat` when the runner listed it, before hashing (by path). A file read by
  /// this stage must still have it afterwards, or the bytes read may not be the ones its
  /// digest names (an operator copying a new version in during the run). Files without one
  /// are not checked.
  public var stamps: [String: FileStamp]

  public init(inbox: URL, files: [InboxFile], stamps: [String: FileStamp] = [:]) {
    self.inbox = inbox
    self.files = files
    self.stamps = stamps
  }
}
