import CFileSync

/// Starts the kernel writing a file to disk while the rest of it is still being written, a
/// stretch at a time, so that the fsync that makes it durable waits for the last stretch only.
///
/// Without it nothing of a new file reaches the disk before its fsync (the kernel's own
/// writeback begins only past gigabytes of dirty pages or after 30 seconds): a province's
/// dataset (87 MB) and its gzip waited 0.22–0.26 s in their fsyncs at the end of consolidate,
/// then the outbox copy 0.17 s in the publisher's, all on the run's critical path (0.11–0.13
/// and 0.11 s with this). This only starts the writing (`sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`): durability still comes from the fsync, and a file system that
/// cannot do it writes everything at the fsync as before.
public struct EarlyWriteback {
  /// Bytes written between two requests: large enough that the requests cost nothing next to
  /// the writing, small enough that the last stretch is quick to flush.
  public static let defaultStretch = 2 << 20

  private let fd: Int32
  private let stretch: Int
  private let start: (_ fd: Int32, _ offset: Int, _ length: Int) -> Void
  /// Bytes written so far, and up to where writing was requested.
  private var written = 0
  private var requested = 0

  /// `start` asks for the writing of a range (the system call; a test records the ranges).
  public init(
    fd: Int32, stretch: Int = EarlyWriteback.defaultStretch,
    start: @escaping (_ fd: Int32, _ offset: Int, _ length: Int) -> Void = EarlyWriteback.startWriting
  ) {
    self.fd = fd
    self.stretch = max(1, stretch)
    self.start = start
  }

  /// Notes that `count` more bytes were written at the end of the file; starts the writing of
  /// what was written since the last request once that is a stretch or more.
  public mutating func wrote(_ count: Int) {
    written += count
    if written - requested >= stretch {
      start(fd, requested, written - requested)
      requested = written
    }
  }

  /// The system call; its failure (a file system without it) is ignored on purpose, since the
  /// fsync that follows writes whatever it did not.
  public static func startWriting(_ fd: Int32, offset: Int, length: Int) {
    _ = almanac_start_writeback(fd, off_t(offset), off_t(length))
  }
}
