import Foundation
import Ingest

#if canImport(Glibc)
  import Glibc
#endif

/// Where the inbox, the outbox and the state folder lie relative to each other.
///
/// The outbox and the state folder may sit inside the inbox (the listing skips them), but a
/// run refuses (exit 2) a layout in which one folder's files would be read as another's, or
/// overwritten or deleted by it: publishing into the inbox, checkpoints, seed tables or
/// templates listed as departments' files, or departments' files inside a state folder that
/// is safe to delete.
/// Folders are compared by their real paths, so a symbolic link or `..` does not hide an
/// overlap; folders a first run has yet to create are compared by the path they will have.
public enum FolderLayout {
  /// Throws a `UsageError` naming the folders and what would go wrong (the inbox missing
  /// included), or returns.
  public static func check(_ settings: RunSettings, year: Int) throws {
    try InboxScanner.checkIsFolder(settings.inbox)
    // Found only when publishing, a file in a folder's place would cost a whole run (exit 3).
    let publishedURL = settings.outbox.appendingPathComponent(String(year))
    for (what, url, flag) in [
      ("--outbox", settings.outbox, "--outbox"), ("--state", settings.state, "--state"),
      ("the outbox's year folder", publishedURL, "--outbox"),
    ] {
      try checkNotAFile(url, what: what, flag: flag)
    }
    let inbox = resolved(settings.inbox)
    let outbox = resolved(settings.outbox)
    let published = resolved(publishedURL)
    let state = resolved(settings.state)
    let keepApart = "pass a folder outside the inbox, or a subfolder of it (the inbox listing skips it)"
    if outbox == inbox {
      throw UsageError(
        "--outbox \(settings.outbox.path) is the inbox: published files would be read as departments' files "
          + "by the next run; \(keepApart)")
    }
    if isWithin(inbox, published) {
      throw UsageError(
        "the inbox \(settings.inbox.path) is inside \(published), where results are published: publishing "
          + "would overwrite departments' files; pass another --outbox")
    }
    if state == inbox {
      throw UsageError(
        "--state \(settings.state.path) is the inbox: checkpoints and staged outputs would be read as "
          + "departments' files; \(keepApart)")
    }
    if isInside(inbox, state) {
      throw UsageError(
        "the inbox \(settings.inbox.path) is inside the state folder \(settings.state.path), which may be "
          + "deleted at any time; keep departments' files outside it (pass another --state)")
    }
    for (flag, folder) in [("--seeds", settings.seedsFolder), ("--pipeline", settings.pipelineFolder)] {
      let path = resolved(folder)
      if isWithin(path, inbox) {
        throw UsageError(
          "\(flag) \(folder.path) is in the inbox: its tables and templates would be read as departments' "
            + "files; keep it outside the inbox")
      }
    }
    // The state folder is made private (0700) and holds checkpoints that may be deleted at any
    // time: given as the seeds, the pipeline or the outbox, it changed their permissions and
    // mixed its files into theirs (a pipeline folder modified by every run failed every run).
    // A state folder inside the seeds or the outbox (beside its year folders) is fine: only
    // the seed tables are read, only the year folder is written. Inside the pipeline folder it
    // is not: the pipeline's digest covers every file of it, and the run fails as modified.
    for (flag, folder) in [
      ("--seeds", settings.seedsFolder), ("--pipeline", settings.pipelineFolder), ("--outbox", settings.outbox),
    ] {
      let path = resolved(folder)
      if isWithin(path, state) || (flag == "--pipeline" && isInside(state, path)) {
        throw UsageError(
          "--state \(settings.state.path) and \(flag) \(folder.path) overlap: the state folder is made private "
            + "and holds checkpoints that may be deleted at any time; pass a --state of its own (default .almanac)")
      }
    }
    if isWithin(state, published) {
      throw UsageError(
        "--state \(settings.state.path) is inside \(published), where results are published: checkpoints "
          + "do not belong in the outbox; pass another --state")
    }
  }

  /// A `UsageError` when a file stands where the folder `url` (`what`, given as `flag`) goes.
  public static func checkNotAFile(_ url: URL, what: String, flag: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
      throw UsageError("\(what) \(url.path) is a file, not a folder; move the file away or pass another \(flag)")
    }
  }

  /// True when `url` is `folder` or lies below it, compared by real paths (`resolved`).
  public static func lies(_ url: URL, within folder: URL) -> Bool { isWithin(resolved(url), resolved(folder)) }

  /// True when `path` lies strictly below `folder` (both resolved).
  static func isInside(_ path: String, _ folder: String) -> Bool {
    path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
  }

  /// True when `path` is `folder` or lies below it (both resolved).
  static func isWithin(_ path: String, _ folder: String) -> Bool { path == folder || isInside(path, folder) }

  /// The real path of `url`; for a path that does not exist yet, the real path of its nearest
  /// existing ancestor followed by the rest of the path as written.
  static func resolved(_ url: URL) -> String {
    var existing = url.standardizedFileURL.path
    var rest: [String] = []
    while true {
      if let real = InboxPathGuard.realPath(existing) {
        let joined = ([real == "/" ? "" : real] + rest.reversed()).joined(separator: "/")
        return joined.isEmpty ? "/" : joined
      }
      let parent = (existing as NSString).deletingLastPathComponent
      if parent == existing || parent.isEmpty { return url.standardizedFileURL.path }
      rest.append((existing as NSString).lastPathComponent)
      existing = parent
    }
  }
}
