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

  /// Appends `fields` as one CSV row to the table at `url` (where it lives, when `url` is a
  /// link: replacing the link would leave a shared table without the row), atomically and with
  /// the table's permissions. Returns the path written.
  @discardableResult
  public static func append(_ fields: [String], to url: URL) throws -> URL {
    let target = url.resolvingSymlinksInPath()
    // Two people confirming at once (`almanac alias`, `almanac accept` on a shared folder)
    // would each write the table as they read it, and one row would be lost without a word:
    // the read and the write are one step under a lock on the table's folder (a lock file
    // would be one more file among the seeds).
    let folder = open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folder >= 0 else {
      throw Refusal(description: "无法打开 \(target.deletingLastPathComponent().path)：\(String(cString: strerror(errno)))")
    }
    defer { close(folder) }
    while flock(folder, LOCK_EX) != 0 {
      guard errno == EINTR else {
        throw Refusal(
          description: "无法锁定 \(target.deletingLastPathComponent().path)：\(String(cString: strerror(errno)))")
      }
    }
    defer { flock(folder, LOCK_UN) }
    let data = try Data(contentsOf: target)
    let bytes = [UInt8](data)
    let utf8 = String(validating: bytes, as: UTF8.self) != nil
    guard utf8 || LegacyText.gb18030(bytes) != nil else {
      throw Refusal(description: "\(target.path) 既不是 UTF-8 也不是 GB18030 编码，未写入；请在 Excel 中另存为 CSV 后重试")
    }
    let lineEnd = data.range(of: Data("\r\n".utf8)) != nil ? "\r\n" : "\n"
    var text = fields.map(CSVWriter.escape).joined(separator: ",") + lineEnd
    if let last = bytes.last, last != UInt8(ascii: "\n") { text = lineEnd + text }
    var out = data
    out.append(utf8 ? Data(text.utf8) : try TextEncoder8.gb18030(text))
    // The table keeps its permissions (a group-writable table stays writable by the office).
    let permissions = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.posixPermissions] as? Int
    try AtomicFile.write(out, to: target, mode: mode_t(permissions ?? 0o644))
    return target
  }
}
