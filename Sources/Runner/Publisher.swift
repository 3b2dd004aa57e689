import AlmanacCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A staged file waiting to be published.
struct PublishItem: Sendable {
  /// Relative to `outbox/<year>/`.
  var path: String
  var source: URL
  var sha256: String
  /// The staged file's stamp as its checkpoint recorded it: while the file still has it, its
  /// content is the recorded sha256 without reading it (as for a reused checkpoint).
  var stamp: FileStamp? = nil
}

/// What publishing did, for the summary.
public struct PublishStats: Codable, Sendable, Equatable {
  /// `outbox/<year>/` as the operator wrote it.
  public var folder: String
  public var written: [String]
  public var unchanged: [String]
  public var removed: [String]
  public var manifestWritten: Bool
  /// Published files someone changed since (an operator editing `report.md` in place), kept
  /// under another name before the new version replaced (or removal took) them.
  public var keptEdits: [KeptEdit]

  /// An edited file and the name its edited content was kept under, both relative to
  /// `outbox/<year>/`.
  public struct KeptEdit: Codable, Sendable, Equatable {
    public var path: String
    public var keptAs: String

    public init(path: String, keptAs: String) {
      self.path = path
      self.keptAs = keptAs
    }
  }

  /// `tables/t3.csv` → `tables/t3.<tag>.csv`, `consolidated.csv.gz` → `consolidated.<tag>.csv.gz`:
  /// the tag before the first dot of the name, so the kept file opens as the original did.
  public static func keptName(_ path: String, tag: String) -> String {
    let name = (path as NSString).lastPathComponent
    let folder = String(path.dropLast(name.count))
    guard let dot = name.dropFirst().firstIndex(of: ".") else { return "\(folder)\(name).\(tag)" }
    return "\(folder)\(name[..<dot]).\(tag)\(name[dot...])"
  }

  public init(
    folder: String, written: [String] = [], unchanged: [String] = [], removed: [String] = [],
    manifestWritten: Bool = false, keptEdits: [KeptEdit] = []
  ) {
    self.folder = folder
    self.written = written
    self.unchanged = unchanged
    self.removed = removed
    self.manifestWritten = manifestWritten
    self.keptEdits = keptEdits
  }

  enum CodingKeys: String, CodingKey {
    case folder, written, unchanged, removed, manifestWritten, keptEdits
  }

  // Run summaries written before `keptEdits` existed still read.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    folder = try c.decode(String.self, forKey: .folder)
    written = try c.decode([String].self, forKey: .written)
    unchanged = try c.decode([String].self, forKey: .unchanged)
    removed = try c.decode([String].self, forKey: .removed)
    manifestWritten = try c.decode(Bool.self, forKey: .manifestWritten)
    keptEdits = try c.decodeIfPresent([KeptEdit].self, forKey: .keptEdits) ?? []
  }
}

/// Copies staged files into `outbox/<year>/` after every stage succeeded: every changed file
/// to a temporary + fsync first, then all renamed into place, identical files left alone,
/// `manifest.json` last.
struct Publisher {
  static let manifestName = "manifest.json"

  var folder: URL
  var displayFolder: String
  /// Permissions of every published file, the manifest included.
  var mode: mode_t = 0o644
  /// Where the stamps of the published files are kept (`PublishedRecord`); nil keeps none and
  /// compares every file by hashing.
  var record: URL?
  /// Put into the name an edited file is kept under (`report.<tag>.md`): unique per run.
  var keptTag: String = "edited"
  /// Writes the manifest's temporary (`writeTemporary`); a test makes it fail as a full disk.
  var writeManifestTemporary: (Data, URL, mode_t) throws -> URL = Publisher.writeTemporary

  func publish(_ items: [PublishItem], manifest: (_ outputs: [Manifest.FileRef]) -> Manifest) throws -> PublishStats {
    var stats = PublishStats(folder: displayFolder)
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw RunnerError.publish(path: folder.path, reason: Self.reason(error))
    }
    Self.removeLeftoverTemporaries(in: folder)
    var refs: [Manifest.FileRef] = []
    // Two phases, so that a failure while writing (disk full, a blocked folder) leaves the outbox
    // exactly as it was: first every changed file into its temporary beside the target, flushed;
    // only then the renames, which need no space.
    var pending: [(path: String, temporary: URL, target: URL)] = []
    let previous = record.map { PublishedRecord.read(from: $0, folder: folder) } ?? [:]
    let manifestURL = folder.appendingPathComponent(Self.manifestName)
    let old = (try? Data(contentsOf: manifestURL)).flatMap { try? JSONDecoder().decode(Manifest.self, from: $0) }
    let published = Dictionary((old?.outputs ?? []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    // Links to edited files, made before anything is replaced: the new version takes the name,
    // the link keeps the operator's content (and goes again if publishing fails).
    var kept: [PublishStats.KeptEdit] = []
    // Entries carried over unchanged, and files whose stamp is to be taken afresh (with the
    // stamp seen when they were hashed, which must still hold).
    var recorded: [String: PublishedRecord.Entry] = [:]
    var restamp: [String: (sha256: String, seen: FileStamp?)] = [:]
    do {
      for item in items.sorted(by: { $0.path < $1.path }) {
        let target = folder.appendingPathComponent(item.path)
        if let last = previous[item.path], last.sha256 == item.sha256, let st = Self.regularStat(target),
          FileStamp(st) == last.stamp
        {
          // Untouched since this tool wrote it with these bytes: neither file is read.
          refs.append(Manifest.FileRef(path: item.path, sha256: item.sha256, size: last.stamp.size))
          if st.st_mode & 0o777 != mode {
            chmod(target.path, mode)
            restamp[item.path] = (item.sha256, nil)
          } else {
            recorded[item.path] = last
          }
          stats.unchanged.append(item.path)
          continue
        }
        guard let staged = Self.regularStat(item.source) else {
          throw RunnerError.state(path: item.source.path, reason: "暂存文件缺失或不是普通文件")
        }
        let size = Int(staged.st_size)
        let trusted = item.stamp == FileStamp(staged)
        refs.append(Manifest.FileRef(path: item.path, sha256: item.sha256, size: Int64(size)))
        let seen = FileStamp.of(target)
        if Self.identical(target, sha256: item.sha256, size: size) {
          guard trusted || (try? Digest.sha256Hex(fileAt: item.source)) == item.sha256 else {
            throw RunnerError.state(path: item.source.path, reason: Self.stagedMismatch)
          }
          // Same bytes, left alone; only a changed permission setting touches them.
          var st = stat()
          if stat(target.path, &st) == 0, st.st_mode & 0o777 != mode {
            chmod(target.path, mode)
          } else if let seen {
            restamp[item.path] = (item.sha256, seen)
          }
          stats.unchanged.append(item.path)
          continue
        }
        if seen != nil, Self.edited(target, record: previous[item.path], manifest: published[item.path]) {
          kept.append(try keepEdited(item.path))
        }
        restamp[item.path] = (item.sha256, nil)
        let temporary = try Self.copyToTemporary(
          item.source, sha256: trusted ? nil : item.sha256, for: target, mode: mode)
        pending.append((item.path, temporary, target))
      }
      stats.written = pending.map(\.path)
      // The manifest is written in the first phase too (it needs space like the others: on a
      // full disk it failed after the data files were renamed, the error saying the outbox was
      // unchanged) and renamed last. Nothing changed: the old one stays, so an unchanged
      // rerun writes nothing here.
      let new = manifest(refs)
      if !(pending.isEmpty && old?.sameContent(as: new) == true) {
        do {
          let temporary = try writeManifestTemporary(try AtomicFile.json(new), manifestURL, mode)
          pending.append((Self.manifestName, temporary, manifestURL))
        } catch let e as RunnerError {
          throw e
        } catch {
          throw RunnerError.publish(path: manifestURL.path, reason: Self.reason(error))
        }
        stats.manifestWritten = true
      }
    } catch {
      for p in pending { unlink(p.temporary.path) }
      for k in kept { unlink(folder.appendingPathComponent(k.keptAs).path) }
      throw error
    }
    for (i, p) in pending.enumerated() where rename(p.temporary.path, p.target.path) != 0 {
      let reason = String(cString: strerror(errno))
      for rest in pending[i...] { unlink(rest.temporary.path) }
      throw RunnerError.publish(path: p.target.path, reason: reason)
    }
    stats.keptEdits = kept
    for dir in Set(pending.map { $0.target.deletingLastPathComponent().path }).sorted() {
      AtomicFile.syncDirectory(URL(fileURLWithPath: dir))
    }

    // Only files an earlier manifest listed are ever removed: nothing else in the outbox is ours.
    let keep = Set(refs.map(\.path))
    for ref in old?.outputs ?? [] where !keep.contains(ref.path) && Self.isSafeRelative(ref.path) {
      let url = folder.appendingPathComponent(ref.path)
      guard fm.fileExists(atPath: url.path) else { continue }
      if Self.edited(url, record: previous[ref.path], manifest: ref) {
        // An edit that cannot be kept aside is left where it is, never removed.
        guard let k = try? keepEdited(ref.path) else { continue }
        stats.keptEdits.append(k)
      }
      if (try? fm.removeItem(at: url)) != nil {
        stats.removed.append(ref.path)
      }
    }
    if let record {
      saveRecord(to: record, carried: recorded, restamp: restamp, previous: previous)
    }
    return stats
  }

  /// True when the file at `url` is not what this tool last published there: its stamp is
  /// not the one recorded when it was written, and its content not the one the manifest
  /// lists (or no manifest lists it: then it was never this tool's).
  static func edited(_ url: URL, record: PublishedRecord.Entry?, manifest: Manifest.FileRef?) -> Bool {
    guard let stamp = FileStamp.of(url) else { return false }
    if let record, record.stamp == stamp { return false }
    guard let manifest else { return true }
    return stamp.size != manifest.size || (try? Digest.sha256Hex(fileAt: url)) != manifest.sha256
  }

  /// Links (or copies) the file at `path` under its kept name (`keptName`); returns both.
  func keepEdited(_ path: String) throws -> PublishStats.KeptEdit {
    let keptAs = PublishStats.keptName(path, tag: keptTag)
    try Self.linkOrCopy(folder.appendingPathComponent(path), to: folder.appendingPathComponent(keptAs))
    return PublishStats.KeptEdit(path: path, keptAs: keptAs)
  }

  /// The copies of edited files a run killed while publishing kept (`<name>.edited-<run>.<ext>`):
  /// one whose original still holds the same content was made just before the kill, which then
  /// left the original in place — it goes (this run keeps the edit again if it replaces the
  /// file); one whose original was replaced is the only place of the edit — it stays, and is
  /// returned, for the warning the killed run never printed.
  static func settleKeptEdits(in folder: URL, of runID: String) -> [PublishStats.KeptEdit] {
    let tag = ".edited-\(runID)"
    var kept: [PublishStats.KeptEdit] = []
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var names: [String] = []
    while let rel = walker.nextObject() as? String {
      if rel.contains(tag) { names.append(rel) }
    }
    for keptAs in names.sorted() {
      guard let range = keptAs.range(of: tag, options: .backwards) else { continue }
      let path = keptAs.replacingCharacters(in: range, with: "")
      let (copy, original) = (folder.appendingPathComponent(keptAs), folder.appendingPathComponent(path))
      if let a = try? Digest.sha256Hex(fileAt: copy), let b = try? Digest.sha256Hex(fileAt: original), a == b {
        unlink(copy.path)
      } else {
        kept.append(PublishStats.KeptEdit(path: path, keptAs: keptAs))
      }
    }
    return kept
  }

  /// A second name for `file`'s content: a hard link, which costs no copy, or on a share that
  /// has none (FAT, some SMB mounts) a copy. `makeLink` is `link(2)` but in tests.
  static func linkOrCopy(
    _ file: URL, to name: URL, makeLink: (String, String) -> Int32 = { link($0, $1) }
  ) throws {
    guard makeLink(file.path, name.path) != 0 else { return }
    do {
      try FileManager.default.copyItem(at: file, to: name)
    } catch {
      throw RunnerError.publish(path: file.path, reason: "无法另存被修改过的文件：\(error.systemReason)")
    }
  }

  /// Records the outbox as this publish left it; written only when something changed.
  private func saveRecord(
    to url: URL, carried: [String: PublishedRecord.Entry], restamp: [String: (sha256: String, seen: FileStamp?)],
    previous: [String: PublishedRecord.Entry]
  ) {
    var stamps: [String: FileStamp] = [:]
    for (path, r) in restamp {
      guard let stamp = FileStamp.of(folder.appendingPathComponent(path)) else { continue }
      // A file that changed after it was hashed keeps no entry: the next run hashes it again.
      if let seen = r.seen, seen != stamp { continue }
      stamps[path] = stamp
    }
    var files = carried
    for (path, stamp) in FileStamp.settled(stamps) {
      if let r = restamp[path] { files[path] = PublishedRecord.Entry(sha256: r.sha256, stamp: stamp) }
    }
    guard files != previous || !FileManager.default.fileExists(atPath: url.path) else { return }
    // Only a cache: if it cannot be written, the next run hashes the outbox instead.
    try? PublishedRecord(folder: folder, files: files).write(to: url)
  }

  /// A run killed mid-write leaves `.<name>.tmp-<pid>` behind (AtomicFile's temporary); a
  /// reader of the outbox must never see one, so the next publish removes them.
  static func removeLeftoverTemporaries(in folder: URL) {
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: folder.path) else { return }
    while let rel = walker.nextObject() as? String {
      let name = (rel as NSString).lastPathComponent
      if name.hasPrefix("."), name.contains(".tmp-") {
        try? fm.removeItem(at: folder.appendingPathComponent(rel))
      }
    }
  }

  static let stagedMismatch = "暂存文件与检查点记录的 sha256 不一致"

  /// Copies the staged file `source` to `.<name>.tmp-<pid>` beside `target` (the name
  /// `removeLeftoverTemporaries` clears) a block at a time, and fsyncs it. With `sha256`, it
  /// hashes as it goes and removes a copy whose hash is not `sha256`; nil when the staged
  /// file's stamp has vouched for its content (hashing the 80 MB dataset of a province was
  /// most of the publishing time, on one core at the end of the run). Throws
  /// `RunnerError.state` for the staged file, `RunnerError.publish` for the target, naming the
  /// file and why.
  /// `.NAME.tmp-PID` beside `target`: the name `removeLeftoverTemporaries` clears.
  static func temporary(for target: URL) -> URL {
    target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
  }

  /// `data` into a flushed temporary beside `target` (`.NAME.tmp-PID`), for the second phase.
  static func writeTemporary(_ data: Data, for target: URL, mode: mode_t) throws -> URL {
    let tmp = temporary(for: target)
    let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw RunnerError.publish(path: target.path, reason: String(cString: strerror(errno))) }
    var code = data.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
    if code == 0, fsync(fd) != 0 { code = errno }
    fchmod(fd, mode)
    close(fd)
    guard code == 0 else {
      unlink(tmp.path)
      throw RunnerError.publish(path: target.path, reason: String(cString: strerror(code)))
    }
    return tmp
  }

  static func copyToTemporary(_ source: URL, sha256: String?, for target: URL, mode: mode_t = 0o644) throws -> URL {
    let dir = target.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw RunnerError.publish(path: target.path, reason: reason(error))
    }
    let tmp = temporary(for: target)
    let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw RunnerError.publish(path: target.path, reason: String(cString: strerror(errno))) }
    struct WriteFailed: Error { var code: Int32 }
    var failure: RunnerError?
    // The copy is mostly on disk by the time of its fsync (for the dataset's 87 MB, the end of
    // a province's run).
    var writeback = EarlyWriteback(fd: fd)
    do {
      func write(_ block: UnsafeRawBufferPointer) throws {
        let e = AtomicFile.writeAll(fd, block)
        if e != 0 { throw WriteFailed(code: e) }
        writeback.wrote(block.count)
      }
      if let sha256 {
        if try Digest.sha256Hex(fileAt: source, passing: write) != sha256 {
          failure = .state(path: source.path, reason: stagedMismatch)
        }
      } else {
        try RegularFile.forEachBlock(ofFileAt: source, write)
      }
      if failure == nil, fsync(fd) != 0 {
        failure = .publish(path: target.path, reason: String(cString: strerror(errno)))
      }
    } catch let e as WriteFailed {
      failure = .publish(path: target.path, reason: String(cString: strerror(e.code)))
    } catch {
      failure = .state(path: source.path, reason: String(cString: strerror(Int32((error as NSError).code))))
    }
    fchmod(fd, mode)
    close(fd)
    if let failure {
      unlink(tmp.path)
      throw failure
    }
    return tmp
  }

  /// `stat` of `url` when it is a regular file (following a symbolic link).
  static func regularStat(_ url: URL) -> stat? {
    var st = stat()
    guard stat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return st
  }

  static func identical(_ url: URL, sha256: String, size: Int) -> Bool {
    guard let stamp = FileStamp.of(url), stamp.size == Int64(size) else { return false }
    return (try? Digest.sha256Hex(fileAt: url)) == sha256
  }

  static func isSafeRelative(_ path: String) -> Bool {
    !path.hasPrefix("/") && !path.split(separator: "/").contains("..") && path != manifestName
  }

  static func reason(_ error: Error) -> String {
    if let w = error as? WriteError { return w.reason }
    return error.systemReason
  }
}
