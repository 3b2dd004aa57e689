import Foundation

/// What the ingest stage reads: the inbox folder and the files listed in it.
public struct IngestInput: Sendable {
  public var inbox: URL
  public var files: [InboxFile]

  public init(inbox: URL, files: [InboxFile]) {
    self.inbox = inbox
    self.files = files
  }
}
