import AlmanacCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ingest's per-file cache: the sheet of every file read, by the file's content hash and the
/// digest of everything else that shapes it, appended to pack files in one folder.
///
/// Why packs and not a file per sheet: a first run over a province's 2,000 registers created
/// 2,000 files, and on an ext4 volume without a journal each new inode is checked against
/// recently deleted ones — after the state folder of the previous run was removed, creating
/// them cost 0.5 s of system time on the ingest threads (half a second of a six-second run).
/// A run now creates at most one pack (and one more when it compacts).
///
/// A pack is a sequence of records: an 84-byte header (`magic`, the key's length as UInt32 and
/// the payload's as UInt64, little-endian, the payload's sha256 in hex), the key, the payload
/// (the sheet as compact JSON). Records are only appended, without fsync: a crash may leave a
/// torn record at the end of a pack, which loading stops at, and a payload that does not match
/// its sha256 is never served — either way the file is parsed again. Each run that parses a
/// file appends to a new pack, so a torn tail is never followed by a good record.
///
/// Not for concurrent runs: the runner's lock keeps one run per state folder.
public final class SheetCache: @unchecked Sendable {
  static let magic = Array("ALSHEET1".utf8)
  static let headerSize = 84
  static let packExtension = "pack"
  /// Keys are `<sha256>-<digest>`; anything longer is not a record of ours.
  static let maxKeyLength = 256

  /// Where a record's payload is.
  private struct Location {
    var pack: Int
    var recordOffset: Int
    var payloadOffset: Int
    var payloadLength: Int
    var sha256: String
    /// Header, key and payload.
    var recordLength: Int { payloadOffset - recordOffset + payloadLength }
  }

  private struct Pack {
    var url: URL
    var fd: Int32
    var size: Int
  }

  let folder: URL
  private let lock = NSLock()
  private var packs: [Pack] = []
  /// The last good record of each key (later packs and later records win).
  private var index: [String: Location] = [:]
  /// Every good record, for pruning (duplicates included).
  private var records: [(key: String, location: Location)] = []
  /// The pack this run appends to (an index into `packs`), created with the first record.
  private var appending: Int?
  /// Set when the pack could not be made, or an append could not be undone: no more records
  /// this run.
  private var appendFailed = false

  /// Opens the packs in `folder` (none yet is fine) and indexes their records.
  init(folder: URL) {
    self.folder = folder
    for url in Self.packURLs(in: folder) {
      let fd = open(url.path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { continue }
      var st = stat()
      guard fstat(fd, &st) == 0 else {
        close(fd)
        continue
      }
      packs.append(Pack(url: url, fd: fd, size: Int(st.st_size)))
      let p = packs.count - 1
      for (key, location) in Self.scan(fd: fd, size: Int(st.st_size), pack: p) {
        index[key] = location
        records.append((key, location))
      }
    }
  }

  deinit {
    for pack in packs { close(pack.fd) }
  }

  /// The packs of `folder`, oldest first (their names are increasing numbers).
  static func packURLs(in folder: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix("." + packExtension) }.sorted { a, b in
      (a.count, a) < (b.count, b)
    }.map { folder.appendingPathComponent($0) }
  }

  /// The keys of the good records in `folder`'s packs (each once), for inspection and tests.
  public static func storedKeys(in folder: URL) -> Set<String> {
    let cache = SheetCache(folder: folder)
    return Set(cache.index.keys)
  }

  /// Reads record headers from the start of a pack; stops at the first that is torn or not ours.
  private static func scan(fd: Int32, size: Int, pack: Int) -> [(String, Location)] {
    var found: [(String, Location)] = []
    var offset = 0
    var header = [UInt8](repeating: 0, count: headerSize)
    while offset + headerSize <= size {
      guard readFully(fd, into: &header, at: offset), Array(header[0..<8]) == magic else { break }
      let (keyLength, payload) = header.withUnsafeBytes { h in
        (
          Int(UInt32(littleEndian: h.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
          UInt64(littleEndian: h.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
        )
      }
      guard keyLength > 0, keyLength <= maxKeyLength, payload <= UInt64(size) else { break }
      let payloadLength = Int(payload)
      let keyOffset = offset + headerSize
      guard keyOffset + keyLength + payloadLength <= size else { break }
      var keyBytes = [UInt8](repeating: 0, count: keyLength)
      guard readFully(fd, into: &keyBytes, at: keyOffset), let key = String(validating: keyBytes, as: UTF8.self) else {
        break
      }
      let sha = String(decoding: header[20..<84], as: UTF8.self)
      found.append(
        (
          key,
          Location(
            pack: pack, recordOffset: offset, payloadOffset: keyOffset + keyLength, payloadLength: payloadLength,
            sha256: sha)
        ))
      offset = keyOffset + keyLength + payloadLength
    }
    return found
  }

  /// `pread` until `buffer` is full; false on an error or the end of the file.
  private static func readFully(_ fd: Int32, into buffer: inout [UInt8], at offset: Int) -> Bool {
    buffer.withUnsafeMutableBytes { readFully(fd, into: $0, at: offset) }
  }

  private static func readFully(_ fd: Int32, into raw: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
    guard let base = raw.baseAddress else { return raw.isEmpty }
    var done = 0
    while done < raw.count {
      let n = pread(fd, base + done, raw.count - done, off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      done += n
    }
    return true
  }

  /// The payload stored under `key`, if its record is whole and matches its sha256.
  func payload(_ key: String) -> Data? {
    lock.lock()
    let location = index[key]
    let fd = location.map { packs[$0.pack].fd }
    lock.unlock()
    guard let location, let fd else { return nil }
    var data = Data(count: location.payloadLength)
    guard data.withUnsafeMutableBytes({ Self.readFully(fd, into: $0, at: location.payloadOffset) }),
      Digest.sha256Hex(data) == location.sha256
    else { return nil }
    return data
  }

  /// Appends `payload` under `key` to this run's pack.
  func store(_ payload: Data, key: String) throws {
    let keyBytes = Array(key.utf8)
    precondition(!keyBytes.isEmpty && keyBytes.count <= Self.maxKeyLength, "cache key of \(keyBytes.count) bytes")
    var record = Self.magic
    record.reserveCapacity(Self.headerSize + keyBytes.count + payload.count)
    withUnsafeBytes(of: UInt32(keyBytes.count).littleEndian) { record.append(contentsOf: $0) }
    withUnsafeBytes(of: UInt64(payload.count).littleEndian) { record.append(contentsOf: $0) }
    let sha = Digest.sha256Hex(payload)
    record.append(contentsOf: sha.utf8)
    record.append(contentsOf: keyBytes)
    record.append(contentsOf: payload)

    lock.lock()
    defer { lock.unlock() }
    if appendFailed { throw WriteError(path: folder.path, reason: "an earlier write to the cache failed") }
    let p = try appendingPack()
    let offset = packs[p].size
    let e = record.withUnsafeBytes { AtomicFile.writeAll(packs[p].fd, $0) }
    if e != 0 {
      // Cut the torn record off, so that records appended later stay reachable.
      if ftruncate(packs[p].fd, off_t(offset)) != 0 { appendFailed = true }
      throw WriteError(path: packs[p].url.path, reason: String(cString: strerror(e)))
    }
    packs[p].size = offset + record.count
    let location = Location(
      pack: p, recordOffset: offset, payloadOffset: offset + Self.headerSize + keyBytes.count,
      payloadLength: payload.count, sha256: sha)
    index[key] = location
    records.append((key, location))
  }

  /// The pack this run appends to, created on first use after the existing ones.
  private func appendingPack() throws -> Int {
    if let appending { return appending }
    let url: URL
    let fd: Int32
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      (url, fd) = try Self.createPack(in: folder)
    } catch {
      // Not tried again for every file of the run.
      appendFailed = true
      throw error
    }
    packs.append(Pack(url: url, fd: fd, size: 0))
    appending = packs.count - 1
    return packs.count - 1
  }

  /// A new, empty pack named after the highest number in use, opened for reading and appending.
  private static func createPack(in folder: URL) throws -> (URL, Int32) {
    let numbers = packURLs(in: folder).compactMap { Int($0.deletingPathExtension().lastPathComponent) }
    var n = (numbers.max() ?? 0) + 1
    while true {
      let url = folder.appendingPathComponent(String(format: "%06d.%@", n, packExtension))
      let fd = open(url.path, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
      if fd >= 0 { return (url, fd) }
      if errno != EEXIST { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
      n += 1
    }
  }

  /// After a complete run: drops every record whose key is not in `keep` (files taken out of
  /// the inbox or replaced, entries of an earlier digest, duplicates, torn tails) and every
  /// file of the folder that is not a pack (entries and temporaries of earlier versions), so
  /// that the cache holds the current inbox's sheets and nothing else. A pack with no record
  /// in use is deleted; when a pack in use holds any other record, or more than `maxPacks`
  /// remain, the records in use are copied into one new pack (in key order) and the others
  /// deleted — a copy of bytes, about 13 MB for 2,000 registers of 10 million rows, and only
  /// after a run that read a changed file. Returns how many records and files were dropped.
  func prune(keeping keep: Set<String>) -> Int {
    lock.lock()
    defer { lock.unlock() }
    var removed = 0
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where !name.hasSuffix("." + Self.packExtension)
    {
      if (try? fm.removeItem(at: folder.appendingPathComponent(name))) != nil { removed += 1 }
    }
    // A record is in use when its key is kept and it is the one the index serves.
    var liveBytes = [Int](repeating: 0, count: packs.count)
    var dead = [Int](repeating: 0, count: packs.count)
    for (key, location) in records {
      if keep.contains(key), let served = index[key], served.pack == location.pack,
        served.recordOffset == location.recordOffset
      {
        liveBytes[location.pack] += location.recordLength
      } else {
        dead[location.pack] += 1
      }
    }
    var remaining: [Int] = []
    for p in packs.indices {
      if liveBytes[p] == 0 {
        if (try? fm.removeItem(at: packs[p].url)) != nil { removed += dead[p] }
      } else {
        remaining.append(p)
      }
    }
    let unused = remaining.contains { liveBytes[$0] < packs[$0].size }
    guard unused || remaining.count > Self.maxPacks else { return removed }
    // Compact: the records in use, in key order, into a new pack; then the old ones go.
    guard let (url, fd) = try? Self.createPack(in: folder) else { return removed }
    defer { close(fd) }
    var wrote = true
    for key in keep.sorted() {
      guard let location = index[key], remaining.contains(location.pack) else { continue }
      var bytes = [UInt8](repeating: 0, count: location.recordLength)
      guard Self.readFully(packs[location.pack].fd, into: &bytes, at: location.recordOffset),
        bytes.withUnsafeBytes({ AtomicFile.writeAll(fd, $0) }) == 0
      else {
        wrote = false
        break
      }
    }
    guard wrote else {
      try? fm.removeItem(at: url)
      return removed
    }
    for p in remaining where (try? fm.removeItem(at: packs[p].url)) != nil { removed += dead[p] }
    return removed
  }

  /// More packs than this are merged into one even when all their records are in use (runs
  /// that each add files to the inbox).
  static let maxPacks = 4
}
