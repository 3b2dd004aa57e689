import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `stat(2)` says about a file: if none of it changed, neither did the bytes.
public struct FileStamp: Codable, Hashable, Sendable {
  public var size: Int64
  public var mtimeNs: Int64
  public var inode: UInt64
  public var ctimeNs: Int64

  public init(size: Int64, mtimeNs: Int64, inode: UInt64, ctimeNs: Int64) {
    self.size = size
    self.mtimeNs = mtimeNs
    self.inode = inode
    self.ctimeNs = ctimeNs
  }

  /// Stats `url` (following a symbolic link); nil when it does not exist or is not a regular file.
  public static func of(_ url: URL) -> FileStamp? {
    var st = stat()
    guard stat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return FileStamp(
      size: Int64(st.st_size),
      mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
      inode: UInt64(st.st_ino),
      ctimeNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
  }
}
