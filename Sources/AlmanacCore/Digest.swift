import Crypto
import Foundation

/// SHA-256 helpers over swift-crypto. Content hashes key every checkpoint.
public enum Digest {
  public static func sha256Hex(_ data: Data) -> String {
    hex(SHA256.hash(data: data))
  }

  public static func sha256Hex(_ string: String) -> String {
    sha256Hex(Data(string.utf8))
  }

  /// The digest of `chunks` joined, without joining them.
  public static func sha256Hex(chunks: [[UInt8]]) -> String {
    var hasher = SHA256()
    for c in chunks { c.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
    return hex(hasher.finalize())
  }

  /// Streams a file through SHA-256 in 1 MiB chunks: memory stays flat whatever the size.
  public static func sha256Hex(fileAt url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      hasher.update(data: chunk)
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
    let table: [Character] = Array("0123456789abcdef")
    var s = ""
    s.reserveCapacity(64)
    for b in digest {
      s.append(table[Int(b >> 4)])
      s.append(table[Int(b & 0xF)])
    }
    return s
  }
}
