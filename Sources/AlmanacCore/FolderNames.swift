import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A folder's entries as `readdir` gives them: Foundation drops names that are not UTF-8
/// without a word (or shows them with U+FFFD and cannot open them), and an inbox file must
/// never vanish.
public enum FolderNames {
  /// A folder entry's name.
  public struct Name: Sendable {
    /// `bytes` as UTF-8, each bad byte shown as U+FFFD.
    public var name: String
    /// Whether `bytes` were valid UTF-8.
    public var valid: Bool
    public var bytes: [UInt8]
  }

  /// Every entry of the folder at `path` but `.` and `..`, in `readdir` order; nil when the
  /// folder cannot be listed (`errno` says why).
  public static func list(_ path: String) -> [Name]? {
    guard let handle = opendir(path) else { return nil }
    defer { closedir(handle) }
    var out: [Name] = []
    while let entry = readdir(handle) {
      let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
      if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
      if let name = String(validating: bytes, as: UTF8.self) {
        out.append(Name(name: name, valid: true, bytes: bytes))
      } else {
        out.append(Name(name: String(decoding: bytes, as: UTF8.self), valid: false, bytes: bytes))
      }
    }
    return out
  }
}
