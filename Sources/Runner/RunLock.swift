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
  public static func acquire(at url: URL) throws -> RunLock {
    let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw RunLockError.unavailable(path: url.path, reason: String(cString: strerror(errno)))
    }
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let e = errno
      if e == EINTR { continue }
      let holder = readHolder(fd)
      close(fd)
      if e == EWOULDBLOCK || e == EAGAIN {
        throw RunLockError.held(path: url.path, holder: holder)
      }
      throw RunLockError.unavailable(path: url.path, reason: String(cString: strerror(e)))
    }
    // The pid is only for the message a second run prints; the lock itself is the flock.
    let text = "\(getpid())\n"
    if ftruncate(fd, 0) == 0 {
      _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }
    return RunLock(fd: fd, url: url)
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
