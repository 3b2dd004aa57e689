import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// I/O failure while writing state or outputs: a stage failure (exit 3), never a crash.
public struct WriteError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "cannot write \(path): \(reason)" }
}

/// Temporary file, write, fsync, rename, fsync the folder: a reader never sees half a file
/// and a crash leaves either the old file or the new one.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
    try write(data, to: url, mode: mode, durable: true)
  }

  /// Like `write`, without the two fsyncs: still never half a file, but a crash may lose it.
  /// For caches, where a lost file only costs recomputing it (thousands of them per run).
  public static func writeWithoutSync(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
    try write(data, to: url, mode: mode, durable: false)
  }

  /// Writes a file produced piece by piece, atomically and durably (as `write`), and returns
  /// its sha256, computed as the pieces pass: `body` hands each piece to `append` as soon as it
  /// exists, so a file of any size is never whole in memory. When `body` throws, the temporary
  /// is removed and nothing replaces `url`.
  @discardableResult
  public static func write(
    to url: URL, mode: mode_t = 0o644,
    streaming body: (_ append: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
  ) throws -> String {
    var digest = Digest.Streaming()
    try write(to: url, mode: mode, durable: true) { fd in
      // A large file is mostly on disk by the time its fsync comes.
      var writeback = EarlyWriteback(fd: fd)
      try body { piece in
        digest.update(piece)
        let e = writeAll(fd, piece)
        if e != 0 { throw WriteError(path: url.path, reason: String(cString: strerror(e))) }
        writeback.wrote(piece.count)
      }
      return 0
    }
    return digest.finalize()
  }

  /// `write(2)` until done; 0 or the errno.
  public static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Int32 {
    guard let base = buf.baseAddress else { return 0 }
    var off = 0
    while off < buf.count {
      let n = Glibc.write(fd, base + off, buf.count - off)
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      off += n
    }
    return 0
  }

  private static func write(_ data: Data, to url: URL, mode: mode_t, durable: Bool) throws {
    try write(to: url, mode: mode, durable: durable) { fd in
      data.withUnsafeBytes { writeAll(fd, $0) }
    }
  }

  /// Temporary beside `url`, `body` writes it (returns 0 or an errno), fsync when `durable`,
  /// rename, directory fsync. When `body` throws, the temporary is removed and the error passed on.
  private static func write(to url: URL, mode: mode_t, durable: Bool, body: (Int32) throws -> Int32) throws {
    let dir = url.deletingLastPathComponent()
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW
    var fd = open(tmp.path, flags, mode)
    // The folder is created only when missing: thousands of cache entries go into one folder.
    if fd < 0, errno == ENOENT {
      do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      } catch {
        throw WriteError(path: dir.path, reason: error.systemReason)
      }
      fd = open(tmp.path, flags, mode)
    }
    guard fd >= 0 else { throw WriteError(path: tmp.path, reason: String(cString: strerror(errno))) }
    var err: Int32
    do {
      err = try body(fd)
    } catch {
      close(fd)
      unlink(tmp.path)
      throw error
    }
    var ok = err == 0
    if ok, durable, fsync(fd) != 0 {
      ok = false
      err = errno
    }
    fchmod(fd, mode)
    close(fd)
    guard ok else {
      unlink(tmp.path)
      throw WriteError(path: url.path, reason: String(cString: strerror(err)))
    }
    if rename(tmp.path, url.path) != 0 {
      let e = errno
      unlink(tmp.path)
      throw WriteError(path: url.path, reason: String(cString: strerror(e)))
    }
    if durable { syncDirectory(dir) }
  }

  public static func write(_ text: String, to url: URL, mode: mode_t = 0o644) throws {
    try write(Data(text.utf8), to: url, mode: mode)
  }

  /// Makes a rename durable.
  public static func syncDirectory(_ dir: URL) {
    let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  /// Writes `json(value, pretty: false)` to `url` (atomically and durably, as `write`) and
  /// returns its sha256. Streamed as it is encoded when the value allows it
  /// (`CompactJSONEncoder.stream`): a stage output of 70 MB then never sits whole in memory.
  /// Otherwise encoded in one buffer of `expectedSize` first.
  public static func writeCompactJSON<T: Encodable>(_ value: T, to url: URL, expectedSize: Int = 0) throws -> String {
    do {
      return try write(to: url) { append in
        try withoutActuallyEscaping(append) { try CompactJSONEncoder.stream(value, to: $0) }
      }
    } catch is CompactJSONEncoder.Unsupported {
      let bytes = try compactJSONBytes(value, expectedSize: expectedSize)
      return try write(to: url) { append in try bytes.withUnsafeBytes { try append($0) } }
    }
  }

  /// `json(value, pretty: false)` as bytes, without copying the encoder's buffer.
  public static func compactJSONBytes<T: Encodable>(_ value: T, expectedSize: Int = 0) throws -> [UInt8] {
    if var bytes = try? CompactJSONEncoder.encodeBytes(value, expectedSize: expectedSize) {
      bytes.append(0x0A)
      return bytes
    }
    return [UInt8](try json(value, pretty: false))
  }

  /// Deterministic JSON: sorted keys, no escaped slashes, trailing newline. Compact JSON is
  /// written by `CompactJSONEncoder` (same bytes, faster) unless the value needs `JSONEncoder`.
  public static func json<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
    if !pretty, var data = try? CompactJSONEncoder.encode(value) {
      data.append(0x0A)
      return data
    }
    let enc = JSONEncoder()
    enc.outputFormatting =
      pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    var data = try enc.encode(value)
    data.append(0x0A)
    return data
  }
}
