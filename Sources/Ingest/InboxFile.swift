import AlmanacCore

/// One file of the inbox as the runner listed it.
public struct InboxFile: Codable, Hashable, Sendable {
  /// Path relative to the inbox.
  public var path: String
  public var sha256: String
  /// Size in bytes on disk.
  public var size: Int64

  public init(path: String, sha256: String, size: Int64) {
    self.path = path
    self.sha256 = sha256
    self.size = size
  }
}
