/// A file by path, content hash and size: an inbox file, or an output listed in the manifest.
public struct FileRef: Codable, Hashable, Sendable, Comparable {
  /// Path relative to its folder (the inbox, or `outbox/<year>/`).
  public var path: String
  public var sha256: String
  /// Size in bytes on disk.
  public var size: Int64

  public init(path: String, sha256: String, size: Int64) {
    self.path = path
    self.sha256 = sha256
    self.size = size
  }

  public static func < (lhs: FileRef, rhs: FileRef) -> Bool { (lhs.path, lhs.sha256) < (rhs.path, rhs.sha256) }
}
