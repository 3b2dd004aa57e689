import Foundation

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
}

/// Lists the inbox: read-only, never modifies, moves or deletes a file.
public enum InboxScanner {
  /// Files named `*.csv`, `*.csv.gz`, `*.txt`, `*.md` (any case) under `inbox`, recursively,
  /// sorted by relative path. Dotfiles, dot-folders, symbolic links to folders and the
  /// `excluding` folders (state, outbox) are skipped.
  public static func list(inbox: URL, excluding: [URL] = []) throws -> [ListedFile] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: inbox.path, isDirectory: &isDir), isDir.boolValue else {
      throw UsageError("inbox folder \(inbox.path) does not exist; create it or pass --inbox")
    }
    let skip = Set(excluding.map { $0.standardizedFileURL.path })
    var found: [ListedFile] = []
    try walk(inbox.standardizedFileURL, prefix: "", skip: skip, into: &found)
    return found.sorted { $0.path < $1.path }
  }

  private static func walk(_ dir: URL, prefix: String, skip: Set<String>, into found: inout [ListedFile]) throws {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    } catch {
      throw InboxError(path: dir.path, reason: "cannot list folder: \(error.localizedDescription)")
    }
    for name in names.sorted() where !name.hasPrefix(".") {
      let url = dir.appendingPathComponent(name)
      let rel = prefix.isEmpty ? name : "\(prefix)/\(name)"
      var lst = stat()
      guard lstat(url.path, &lst) == 0 else { continue }
      let type = lst.st_mode & S_IFMT
      if type == S_IFDIR {
        if skip.contains(url.standardizedFileURL.path) { continue }
        try walk(url, prefix: rel, skip: skip, into: &found)
      } else if InboxFileKind(path: name) != nil, let stamp = FileStamp.of(url) {
        found.append(ListedFile(path: rel, url: url, stamp: stamp))
      }
    }
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
