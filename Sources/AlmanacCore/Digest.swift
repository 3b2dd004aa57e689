import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256 helpers over swift-crypto. Content hashes key every checkpoint.
public enum Digest {
  public static func sha256Hex(_ data: Data) -> String {
    hex(SHA256.hash(data: data))
  }

  public static func sha256Hex(_ string: String) -> String {
    sha256Hex(Data(string.utf8))
  }

  /// Streams a file through SHA-256 in 1 MiB blocks (`RegularFile.forEachBlock`): a first run
  /// hashes every inbox file (a gigabyte or more), and memory stays flat whatever the size.
  public static func sha256Hex(fileAt url: URL) throws -> String {
    try sha256Hex(fileAt: url) { _ in }
  }

  /// Like `sha256Hex(fileAt:)`, handing each block read to `body` as well (a copy that is
  /// verified as it is made). Errors `body` throws are passed on as they are.
  public static func sha256Hex(fileAt url: URL, passing body: (UnsafeRawBufferPointer) throws -> Void) throws
    -> String
  {
    var hasher = SHA256()
    try RegularFile.forEachBlock(ofFileAt: url) { block in
      hasher.update(bufferPointer: block)
      try body(block)
    }
    return hex(hasher.finalize())
  }

  /// An incremental hasher for fingerprints built from several parts.
  public struct Builder {
    private var hasher = SHA256()
    public init() {}
    public mutating func add(_ part: String) {
      hasher.update(data: Data(part.utf8))
      hasher.update(data: Data([0x1F]))
    }
    public mutating func add(_ data: Data) {
      hasher.update(data: data)
      hasher.update(data: Data([0x1F]))
    }
    public func finalize() -> String { Digest.hex(hasher.finalize()) }
  }

  static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    // As bytes: appending `Character`s (each a grapheme to check) made a digest's hex cost
    // more than hashing a small file; ingest writes several per file.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for b in digest {
      bytes.append(hexDigits[Int(b >> 4)])
      bytes.append(hexDigits[Int(b & 0xF)])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension RegularFile {
  /// Reads the regular file at `url` 1 MiB at a time into one buffer (plain read(2): a fresh
  /// `Data` per block cost more than hashing it), handing each block to `body`. Failures to
  /// open or read are `NSError`s in the POSIX domain, as Foundation's file APIs give them;
  /// errors `body` throws are passed on as they are.
  public static func forEachBlock(ofFileAt url: URL, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let fd: Int32
    do {
      fd = try openForReading(url.path)
    } catch {
      switch error {
      case .system(let code): throw posixError(code, path: url.path)
      case .directory: throw posixError(EISDIR, path: url.path)
      case .special:
        throw posixError(EINVAL, path: url.path, reason: "not a regular file (a named pipe, socket or device)")
      }
    }
    defer { close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n = read(fd, buffer.baseAddress, buffer.count)
      if n < 0 {
        if errno == EINTR { continue }
        throw posixError(errno, path: url.path)
      }
      if n == 0 { return }
      try body(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
  }

  /// A failed system call on `path`, described as Foundation's file APIs describe it.
  private static func posixError(_ code: Int32, path: String, reason: String? = nil) -> Error {
    NSError(
      domain: NSPOSIXErrorDomain, code: Int(code),
      userInfo: [
        NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(path): \(reason ?? String(cString: strerror(code)))",
      ])
  }
}
