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

  /// The stamp of what `stat(2)` returned.
  public init(_ st: stat) {
    self.init(
      size: Int64(st.st_size),
      mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
      inode: UInt64(st.st_ino),
      ctimeNs: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
  }

  /// The later of mtime and ctime: when the file last changed, by the filesystem's clock.
  public var changedNs: Int64 { max(mtimeNs, ctimeNs) }

  /// The stamps among `stamps` that any later write is bound to change.
  ///
  /// File times come from a coarse clock (a kernel tick, milliseconds), so a write in the same
  /// tick as the stamp could leave size and times as recorded ("racy git"). A stamp is kept once
  /// the clock has moved past its times; this waits for that up to `maxWaitMs`, then drops the
  /// stamps still too fresh (those files are simply hashed next time).
  public static func settled<Key: Hashable>(_ stamps: [Key: FileStamp], maxWaitMs: Int = 50) -> [Key: FileStamp] {
    guard let newest = stamps.values.map(\.changedNs).max() else { return stamps }
    var waited = 0
    while coarseNowNs() <= newest && waited < maxWaitMs {
      usleep(1000)
      waited += 1
    }
    let now = coarseNowNs()
    return stamps.filter { $0.value.changedNs < now }
  }

  /// The clock file times are taken from.
  static func coarseNowNs() -> Int64 {
    var ts = timespec()
    #if os(Linux)
      clock_gettime(CLOCK_REALTIME_COARSE, &ts)
    #else
      clock_gettime(CLOCK_REALTIME, &ts)
    #endif
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
  }

  /// Stats `url` (following a symbolic link); nil when it does not exist or is not a regular file.
  public static func of(_ url: URL) -> FileStamp? { of(path: url.path) }

  /// `of(_:)` for a file system path.
  public static func of(path: String) -> FileStamp? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return FileStamp(st)
  }
}
