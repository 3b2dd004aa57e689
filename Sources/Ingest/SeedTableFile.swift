import AlmanacCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Appends rows to a seed table as the office keeps it. A table saved from Excel or WPS is
/// GB18030 with CRLF line ends: a row appended in UTF-8 would be read back, with the rest of
/// the file, as GB18030 — other characters, without a word. So the row is written in the
/// table's own encoding and line ends.
public enum SeedTableFile {
  /// Why a row could not be appended; zh-CN for the operator.
  public struct Refusal: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  /// The lock file beside the tables (see `withLock`).
  public static let lockFileName = ".almanac-seeds.lock"

  /// The fields as CSV cells, each neutralized as every CSV Almanac writes (a name read from a
  /// department's file, `=HYPERLINK(…)`, must not run when staff open the table in Excel);
  /// `SeedLoader` reads the leading `'` back off.
  static func cells(_ fields: [String]) -> [String] {
    fields.map { CSVWriter.escape(CSVWriter.neutralize($0)) }
  }

  /// Appends `fields` as one CSV row to the table at `url` (where it lives, when `url` is a
  /// link: replacing the link would leave a shared table without the row), atomically and with
  /// the table's permissions. A table that does not exist, or is empty, is created with
  /// `header` first when one is given (UTF-8, mode 0644). Returns the path written.
  @discardableResult
  public static func append(_ fields: [String], to url: URL, header: [String]? = nil) throws -> URL {
    let target = url.resolvingSymlinksInPath()
    return try withLock(folder: target.deletingLastPathComponent()) {
      let existing = FileManager.default.fileExists(atPath: target.path) ? try Data(contentsOf: target) : nil
      if let header, existing?.isEmpty ?? true {
        let text = [header.map(CSVWriter.escape), cells(fields)].map { $0.joined(separator: ",") + "\n" }.joined()
        try AtomicFile.write(Data(text.utf8), to: target, mode: 0o644)
        return target
      }
      guard let data = existing else {
        throw Refusal(description: "\(target.path) 不存在，未写入")
      }
      let bytes = [UInt8](data)
      let utf8 = String(validating: bytes, as: UTF8.self) != nil
      guard utf8 || LegacyText.gb18030(bytes) != nil else {
        throw Refusal(description: "\(target.path) 既不是 UTF-8 也不是 GB18030 编码，未写入；请在 Excel 中另存为 CSV 后重试")
      }
      let lineEnd = data.range(of: Data("\r\n".utf8)) != nil ? "\r\n" : "\n"
      var text = cells(fields).joined(separator: ",") + lineEnd
      if let last = bytes.last, last != UInt8(ascii: "\n") { text = lineEnd + text }
      var out = data
      out.append(utf8 ? Data(text.utf8) : try TextEncoder8.gb18030(text))
      // The table keeps its permissions (a group-writable table stays writable by the office).
      let permissions = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.posixPermissions] as? Int
      try AtomicFile.write(out, to: target, mode: mode_t(permissions ?? 0o644))
      return target
    }
  }

  /// Runs `body` holding the seeds folder's lock. Two people confirming at once (`almanac
  /// alias`, `almanac accept`, on one machine or on two sharing the folder) would each write
  /// the table as they read it, and one row would be lost without a word. The lock is an
  /// open-file-description lock on a file of its own (`lockFileName`, left in place: removing
  /// it would let a waiting process lock a file no one else sees): it excludes threads and
  /// processes, and the kernel forwards it to an NFS or SMB server, which a `flock` on the
  /// folder is not.
  static func withLock<T>(folder: URL, _ body: () throws -> T) throws -> T {
    let path = folder.appendingPathComponent(lockFileName).path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw Refusal(description: "无法打开锁文件 \(path)：\(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var lock = Glibc.flock()
    lock.l_type = Int16(F_WRLCK)
    lock.l_whence = Int16(SEEK_SET)
    // F_OFD_SETLKW (Linux, <fcntl.h>), which the Glibc module does not export.
    let setLockWait: Int32 = 38
    while fcntl(fd, setLockWait, &lock) != 0 {
      guard errno == EINTR else {
        throw Refusal(description: "无法锁定 \(path)：\(String(cString: strerror(errno)))")
      }
    }
    defer {
      lock.l_type = Int16(F_UNLCK)
      _ = fcntl(fd, setLockWait, &lock)
    }
    return try body()
  }
}
