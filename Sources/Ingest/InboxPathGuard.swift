import AlmanacCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decides whether an inbox path may be opened: the inbox is read from dozens of offices, and
/// a symbolic link there must never make Almanac read (and republish) a file from elsewhere.
public enum InboxPathGuard {
  /// Nil when `path` (relative to `inbox`) may be read; otherwise the reason it is refused:
  /// a link resolving outside the inbox or nowhere (ING-015), a name that was not valid
  /// UTF-8 and no longer names the file (ING-016), or a pipe, socket or device (ING-017).
  public static func refusal(inbox: URL, path: String) -> IngestError? {
    refusal(inboxPath: inbox.path, path: path)
  }

  /// `refusal(inbox:path:)` with `inbox.path` worked out once by a caller that checks every
  /// file of the inbox.
  static func refusal(inboxPath: String, path: String) -> IngestError? {
    // Plain paths (every file the lister gives) are checked on strings: URL operations cost
    // more than reading a small register.
    // Split by bytes (splitting by characters cost more than the checks that follow): a `/`
    // with a combining mark after it is still a separator here, so such a path is at worst
    // taken for not plain and resolved in full.
    let plain =
      !path.utf8.split(separator: UInt8(ascii: "/")).contains { part in
        part.count <= 2 && part.allSatisfy { $0 == UInt8(ascii: ".") }
      } && !path.hasPrefix("/")
    let root = inboxPath.hasSuffix("/") ? String(inboxPath.dropLast()) : inboxPath
    // Not plain: the kernel and `realpath` below resolve `.`, `..` and a doubled `/`.
    let full = root + "/" + path
    var st = stat()
    guard lstat(full, &st) == 0 else {
      // The lister decoded invalid UTF-8 bytes as U+FFFD: that name does not exist on disk.
      if let bad = badName(full, shown: path) { return bad }
      return nil  // Reading reports the missing file (ING-013).
    }
    // A path with `.` or `..` is always resolved: the kernel reads `a/../b` through `a`'s
    // target when `a` is a link, which no reading of the text alone can tell.
    let linked = plain ? isLink(relative: path, below: root, file: st) : true
    if linked {
      guard let target = realPath(full) else { return .danglingSymlink(path) }
      guard let root = realPath(inboxPath) else { return .symlinkOutside(path) }
      guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return .symlinkOutside(path) }
      guard stat(target, &st) == 0 else { return .danglingSymlink(path) }
    }
    // Opening a named pipe blocks until someone writes to it; a device never ends.
    let type = st.st_mode & S_IFMT
    return type == S_IFREG || type == S_IFDIR ? nil : .notRegularFile(path)
  }

  /// ING-016 when `full` names nothing because it was decoded from bytes that are not UTF-8
  /// (shown as U+FFFD), with what the name reads as in GB18030; nil otherwise.
  public static func badName(_ full: String, shown: String) -> IngestError? {
    guard full.contains("\u{FFFD}") else { return nil }
    var st = stat()
    guard lstat(full, &st) != 0 else { return nil }
    let name = (full as NSString).lastPathComponent
    let folder = (full as NSString).deletingLastPathComponent
    return .badFileName(shown, reading: LegacyFileName.reading(folder: folder.isEmpty ? "." : folder, shownName: name))
  }

  /// True when a plain relative path (no `.` or `..`) is a symbolic link or lies in a linked
  /// folder below `root`: the file (its `lstat` given) and each folder between them.
  static func isLink(relative path: String, below root: String, file: stat) -> Bool {
    if file.st_mode & S_IFMT == S_IFLNK { return true }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
    var folder = root
    for p in parts {
      folder += "/" + p
      var st = stat()
      if lstat(folder, &st) == 0, st.st_mode & S_IFMT == S_IFLNK { return true }
    }
    return false
  }

  /// `realpath(3)`: the absolute path with every link resolved, or nil when it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
