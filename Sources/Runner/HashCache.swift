import AlmanacCore
import Foundation

/// sha256 of inbox files keyed by their `stat` (size, mtime, inode, ctime), kept in
/// `<state>/hash-cache.json`, so an unchanged rerun reads no inbox file at all.
public final class HashCache: @unchecked Sendable {
  struct Entry: Codable, Equatable {
    var path: String
    var size: Int64
    var mtimeNs: Int64
    var inode: UInt64
    var ctimeNs: Int64
    var sha256: String

    var stamp: FileStamp { FileStamp(size: size, mtimeNs: mtimeNs, inode: inode, ctimeNs: ctimeNs) }
  }

  struct File: Codable {
    var version: Int
    var entries: [Entry]
  }

  public let url: URL
  private let lock = NSLock()
  private var loaded: [String: Entry]
  private var current: [String: Entry] = [:]

  /// Loads the cache; a missing or damaged file is an empty cache (it is only a cache).
  public init(url: URL) {
    self.url = url
    var entries: [String: Entry] = [:]
    if let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data),
      file.version == 1
    {
      for e in file.entries { entries[e.path] = e }
    }
    loaded = entries
  }

  /// The cached sha256 of `path` when its stamp is unchanged.
  public func lookup(_ path: String, stamp: FileStamp) -> String? {
    lock.lock()
    defer { lock.unlock() }
    guard let e = loaded[path], e.stamp == stamp else { return nil }
    current[path] = e
    return e.sha256
  }

  public func store(_ path: String, stamp: FileStamp, sha256: String) {
    lock.lock()
    defer { lock.unlock() }
    current[path] = Entry(
      path: path, size: stamp.size, mtimeNs: stamp.mtimeNs, inode: stamp.inode, ctimeNs: stamp.ctimeNs, sha256: sha256)
  }

  /// Writes the entries seen this run (files gone from the inbox drop out), only if anything changed.
  ///
  /// A file written within the file system clock's last tick could be written again, same
  /// size, without its stamp changing: such an entry is only kept once the clock has moved
  /// on (`FileStamp.settled`, waiting up to 50 ms), else the next run hashes the file again.
  @discardableResult
  public func save() throws -> Bool {
    lock.lock()
    let seen = current
    lock.unlock()
    let settled = FileStamp.settled(seen.mapValues(\.stamp))
    let snapshot = seen.filter { settled[$0.key] != nil }
    lock.lock()
    let changed = snapshot != loaded
    lock.unlock()
    guard changed else { return false }
    let file = File(version: 1, entries: snapshot.values.sorted { $0.path < $1.path })
    try AtomicFile.write(try AtomicFile.json(file), to: url, mode: 0o600)
    lock.lock()
    loaded = snapshot
    lock.unlock()
    return true
  }
}

/// How much hashing a run did: the proof an unchanged rerun read nothing.
public struct HashStats: Codable, Sendable, Equatable {
  public var files: Int
  public var filesHashed: Int
  public var bytesHashed: Int64
  public init(files: Int = 0, filesHashed: Int = 0, bytesHashed: Int64 = 0) {
    self.files = files
    self.filesHashed = filesHashed
    self.bytesHashed = bytesHashed
  }
}

/// Lists and hashes the inbox through the stat cache.
public enum InboxHasher {
  /// Hashes every listed file whose stamp is not in the cache; reports progress for those.
  public static func hash(
    _ files: [ListedFile], cache: HashCache, progress: any ProgressReporter = SilentProgress()
  ) throws -> (entries: [InboxEntry], stats: HashStats) {
    var entries: [InboxEntry] = []
    var todo: [ListedFile] = []
    for f in files {
      if let refusal = f.refusal {
        // Never opened: the digest names the entry, so replacing the link re-ingests it.
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: f.url.path)) ?? ""
        let sha = Digest.sha256Hex("\(refusal.rawValue)\0\(f.path)\0\(target)\0\(f.stamp.inode)")
        entries.append(InboxEntry(path: f.path, sha256: sha, size: 0))
      } else if let sha = cache.lookup(f.path, stamp: f.stamp) {
        entries.append(InboxEntry(path: f.path, sha256: sha, size: f.stamp.size))
      } else {
        todo.append(f)
      }
    }
    var stats = HashStats(files: files.count)
    if !todo.isEmpty {
      progress.begin(stage: "hash", totalFiles: todo.count, totalBytes: todo.reduce(0) { $0 + $1.stamp.size })
      defer { progress.end() }
      // Files are hashed on every core (a first run reads gigabytes); results in list order.
      let work = todo
      let results = HashResults(count: work.count)
      DispatchQueue.concurrentPerform(iterations: work.count) { i in
        let f = work[i]
        results.set(i, Result { try Digest.sha256Hex(fileAt: f.url) })
        progress.advance(files: 1, bytes: f.stamp.size)
      }
      for (i, f) in todo.enumerated() {
        guard let result = results.get(i) else { throw InboxError(path: f.url.path, reason: "not hashed") }
        guard let sha = try? result.get() else {
          // Unreadable (permissions, an I/O error): one department's file must not stop the
          // run. Ingest fails to read it too and reports it (ING-013, an error finding); the
          // digest names this state of the file, and is not cached, so the file is read
          // again by every run until it can be.
          let stamp = f.stamp
          let sha = Digest.sha256Hex(
            "unreadable\0\(f.path)\0\(stamp.size)\0\(stamp.inode)\0\(stamp.mtimeNs)\0\(stamp.ctimeNs)")
          entries.append(InboxEntry(path: f.path, sha256: sha, size: f.stamp.size))
          continue
        }
        // A file still being copied in changes under us: record the stamp seen after
        // hashing only if it is the one seen before, else the next run hashes it again.
        if FileStamp.of(f.url) == f.stamp {
          cache.store(f.path, stamp: f.stamp, sha256: sha)
        }
        entries.append(InboxEntry(path: f.path, sha256: sha, size: f.stamp.size))
        stats.filesHashed += 1
        stats.bytesHashed += f.stamp.size
      }
    }
    return (entries.sorted(), stats)
  }
}

/// One slot per file hashed in parallel.
private final class HashResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<String, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ r: Result<String, any Error>) {
    lock.lock()
    slots[i] = r
    lock.unlock()
  }

  func get(_ i: Int) -> Result<String, any Error>? {
    lock.lock()
    defer { lock.unlock() }
    return slots[i]
  }
}
