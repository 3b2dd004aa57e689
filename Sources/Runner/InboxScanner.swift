import AlmanacCore
import Foundation
import Ingest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file found in the inbox, before hashing.
public struct ListedFile: Hashable, Sendable {
  /// Relative to the inbox, `/`-separated.
  public var path: String
  public var url: URL
  public var stamp: FileStamp
  /// Set when the file must not be opened: the hasher does not read it and ingest reports it.
  public var refusal: InboxRefusal? = nil
}

/// Why a listed inbox file is never opened.
public enum InboxRefusal: String, Codable, Hashable, Sendable {
  /// A symbolic link leading outside the inbox, or nowhere (ING-015).
  case symlink
  /// The name is not valid UTF-8; `path` shows the bad bytes as U+FFFD (ING-016).
  case fileName
  /// A named pipe, socket or device under a sheet's name (or a link to one): opening a pipe
  /// would block the run for good, reading a device would never end (ING-017).
  case notRegularFile
  /// Neither a sheet nor prose by its name (a workbook, an archive, a PDF): ingest reports it
  /// (ING-018) without reading, or hashing, a byte.
  case notASheet
  /// A folder Almanac published (`outbox/2024/` copied in, with its `manifest.json`): listed
  /// once as `name/`, not walked into; ingest reports it (ING-019).
  case publishedOutput
  /// The path cannot even be looked at (longer than the system allows: `ENAMETOOLONG`):
  /// listed, so that ingest reports it (ING-020) — it was dropped without a word, and its
  /// department listed as 未报送.
  case unreachable
}

/// Lists the inbox: read-only, never modifies, moves or deletes a file.
public enum InboxScanner {
  /// Every file under `inbox`, recursively, sorted by relative path: sheets and prose to be
  /// read, anything else (`InboxFileKind.other`) as refused `notASheet`. Dot-folders, symbolic
  /// links to folders, the `excluding` folders (state, outbox) and the names
  /// `InboxFileKind.isPassedOver` gives (hidden, lock and partial files) are skipped. A symbolic
  /// link to a file inside the inbox is read as that file; one leading outside the inbox, or
  /// nowhere, is listed as `refused` and never followed, as is anything with a sheet's name
  /// that is not a regular file.
  public static func list(inbox: URL, excluding: [URL] = []) throws -> [ListedFile] {
    try checkIsFolder(inbox)
    // By device and inode, not by path: a state folder given through a link to the inbox, or
    // with `..` in it, is still the folder the walk meets.
    let skip = Set(excluding.compactMap { FolderID(path: $0.path) })
    var found: [ListedFile] = []
    let root = InboxPathGuard.realPath(inbox.path).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    try walk(inbox.standardizedFileURL, prefix: "", skip: skip, root: root, into: &found)
    return found.sorted { $0.path < $1.path }
  }

  /// A `UsageError` (exit 2) unless `inbox` is an existing folder.
  public static func checkIsFolder(_ inbox: URL) throws {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: inbox.path, isDirectory: &isDir) else {
      throw UsageError("inbox folder \(inbox.path) does not exist; create it or pass --inbox")
    }
    guard isDir.boolValue else {
      throw UsageError("inbox \(inbox.path) is a file, not a folder; pass the folder the files arrive in as --inbox")
    }
  }

  private static func walk(
    _ dir: URL, prefix: String, skip: Set<FolderID>, root: String?, into found: inout [ListedFile]
  ) throws {
    let folderBytes = Array((dir.path + "/").utf8)
    for entry in try names(in: dir) where !entry.name.hasPrefix(".") {
      let (name, validName) = (entry.name, entry.valid)
      let url = dir.appendingPathComponent(name)
      let rel = prefix.isEmpty ? name : "\(prefix)/\(name)"
      var lst = stat()
      // By the name's own bytes: one that is not UTF-8 names nothing once decoded.
      guard linkStat(bytes: folderBytes + entry.bytes, &lst) else {
        // Gone since the folder was listed: nothing to read. Anything else is reported.
        if errno != ENOENT {
          found.append(ListedFile(path: rel, url: url, stamp: linkStamp(stat()), refusal: .unreachable))
        }
        continue
      }
      let type = lst.st_mode & S_IFMT
      if type == S_IFDIR, !validName {
        // Its files could not be named in any output either: the folder is listed once, as
        // `name/`, for ingest to report (ING-016), and not walked into.
        found.append(ListedFile(path: rel + "/", url: url, stamp: linkStamp(lst), refusal: .fileName))
      } else if type == S_IFDIR {
        if skip.contains(FolderID(lst)) { continue }
        if InboxFileKind.isPublishedFolder(url) {
          found.append(ListedFile(path: rel + "/", url: url, stamp: linkStamp(lst), refusal: .publishedOutput))
          continue
        }
        try walk(url, prefix: rel, skip: skip, root: root, into: &found)
      } else if InboxFileKind.isPassedOver(name: name) {
        continue
      } else if InboxFileKind(path: name) == .other {
        found.append(ListedFile(path: rel, url: url, stamp: linkStamp(lst), refusal: .notASheet))
      } else if !validName {
        found.append(ListedFile(path: rel, url: url, stamp: linkStamp(lst), refusal: .fileName))
      } else if type == S_IFLNK, !leadsInside(url, root: root) {
        let refusal: InboxRefusal = isSpecial(url) ? .notRegularFile : .symlink
        found.append(ListedFile(path: rel, url: url, stamp: linkStamp(lst), refusal: refusal))
      } else if let stamp = FileStamp.of(url) {
        found.append(ListedFile(path: rel, url: url, stamp: stamp))
      } else if isSpecial(url) {
        found.append(ListedFile(path: rel, url: url, stamp: linkStamp(lst), refusal: .notRegularFile))
      }
      // Anything else vanished between listing the folder and looking at it.
    }
  }
}

/// A folder by device and inode.
struct FolderID: Hashable {
  var device: UInt64
  var inode: UInt64

  init(_ st: stat) {
    device = UInt64(st.st_dev)
    inode = UInt64(st.st_ino)
  }

  /// The folder at `path` (links followed); nil when there is none.
  init?(path: String) {
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return nil }
    self.init(st)
  }
}

extension InboxScanner {
  /// The folder's entries, sorted by name (`FolderNames`: a name that is not UTF-8 is listed,
  /// not dropped).
  static func names(in dir: URL) throws -> [FolderNames.Name] {
    guard let names = FolderNames.list(dir.path) else {
      throw InboxError(path: dir.path, reason: "cannot list folder: \(String(cString: strerror(errno)))")
    }
    return names.sorted { $0.name < $1.name }
  }

  /// `lstat(2)` of a path given as bytes, which need not be UTF-8.
  static func linkStat(bytes path: [UInt8], _ st: inout stat) -> Bool {
    (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
      $0.baseAddress.map { lstat($0, &st) == 0 } ?? false
    }
  }

  /// True when the link at `url` resolves to a regular file under `root` (the inbox's real
  /// path with a trailing `/`).
  static func leadsInside(_ url: URL, root: String?) -> Bool {
    guard let root, let target = InboxPathGuard.realPath(url.path), target.hasPrefix(root) else { return false }
    var st = stat()
    return stat(target, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
  }

  /// True when `url` (links followed) exists and is neither a regular file nor a folder.
  static func isSpecial(_ url: URL) -> Bool {
    var st = stat()
    guard stat(url.path, &st) == 0 else { return false }
    let type = st.st_mode & S_IFMT
    return type != S_IFREG && type != S_IFDIR
  }

  /// The link's own stamp (size 0: its target is never read).
  static func linkStamp(_ lst: stat) -> FileStamp {
    FileStamp(
      size: 0, mtimeNs: Int64(lst.st_mtim.tv_sec) * 1_000_000_000 + Int64(lst.st_mtim.tv_nsec),
      inode: UInt64(lst.st_ino), ctimeNs: Int64(lst.st_ctim.tv_sec) * 1_000_000_000 + Int64(lst.st_ctim.tv_nsec))
  }

}

/// An inbox file or folder that cannot be read: a stage failure (exit 3).
public struct InboxError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "\(path): \(reason)" }
}
