import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flock(2)` on `<state>/almanac.lock`: one run at a time, released by the kernel when the
/// process ends however it ends, so a killed run leaves no stale lock.
public final class RunLock: @unchecked Sendable {
  private var fd: Int32
  public let url: URL

  private init(fd: Int32, url: URL) {
    self.fd = fd
    self.url = url
  }

  /// Takes the lock without waiting.
  ///
  /// Throws `RunLockError.held` (exit 75) when another run holds it, `.unavailable` (exit 3)
  /// when the lock file cannot be opened.
  /// - Parameter recordingHolder: write this process's id into the file for the message a
  ///   second run prints; false leaves the file untouched once made (the outbox's, which an
  ///   unchanged rerun must not change).
  public static func acquire(at url: URL, recordingHolder: Bool = true) throws -> RunLock {
    let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw RunLockError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
    }
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let e = errno
      if e == EINTR { continue }
      // The outbox's lock file holds no pid (`recordingHolder`): the kernel knows it.
      let holder = readHolder(fd) ?? Self.holder(at: url)
      close(fd)
      if e == EWOULDBLOCK || e == EAGAIN {
        throw RunLockError.held(path: url.path, holder: holder)
      }
      throw RunLockError.unavailable(path: url.path, reason: String(cString: strerror(e)))
    }
    // The pid is only for the message a second run prints; the lock itself is the flock.
    let text = "\(getpid())\n"
    if recordingHolder, ftruncate(fd, 0) == 0 {
      _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }
    return RunLock(fd: fd, url: url)
  }

  /// The process id of the run holding the lock at `url`, found without taking the lock: from
  /// the kernel's table of locks (`/proc/locks`), so that `status` never makes a starting run
  /// find it held. Nil when no process holds it, or where there is no such table.
  public static func holder(at url: URL) -> String? {
    var st = stat()
    guard stat(url.path, &st) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else {
      return nil
    }
    return holder(in: table, device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
  }

  /// The pid of the `FLOCK` line of `table` on that file. A line reads
  /// `1: FLOCK  ADVISORY  WRITE 18739 fe:00:16225210 0 EOF`: the device's major and minor
  /// numbers in hex, the inode in decimal.
  static func holder(in table: String, device: UInt64, inode: UInt64) -> String? {
    // glibc's encoding of dev_t (gnu_dev_major / gnu_dev_minor).
    let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
    let minor = (device & 0xff) | ((device >> 12) & ~0xff)
    let id = String(format: "%02llx:%02llx:%llu", major, minor, inode)
    for line in table.split(separator: "\n") {
      let f = line.split(separator: " ")
      if f.count >= 6, f[1] == "FLOCK", f[5] == id { return String(f[4]) }
    }
    return nil
  }

  private static func readHolder(_ fd: Int32) -> String? {
    var buf = [UInt8](repeating: 0, count: 32)
    let n = pread(fd, &buf, buf.count, 0)
    guard n > 0 else { return nil }
    let s = String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return s.isEmpty ? nil : s
  }

  /// Releases the lock; also happens on deinit and when the process dies.
  public func release() {
    guard fd >= 0 else { return }
    flock(fd, LOCK_UN)
    close(fd)
    fd = -1
  }

  deinit { release() }
}

public enum RunLockError: Error, CustomStringConvertible, Sendable, Equatable {
  case held(path: String, holder: String?)
  case unavailable(path: String, reason: String)

  public var description: String {
    switch self {
    case .held(let path, let holder):
      let who = holder.map { "（进程 \($0)）" } ?? ""
      return "另一个 almanac run 正在运行\(who)，本次未做任何操作；锁文件：\(path)"
    case .unavailable(let path, let reason):
      return "无法打开锁文件 \(path)：\(reason)"
    }
  }
}
