import Crypto

extension Digest {
  /// SHA-256 fed piece by piece from raw buffers, for readers that stream a file once.
  public struct Streaming {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
      hasher.update(bufferPointer: bytes)
    }

    /// The lowercase hex digest of everything fed so far.
    public func finalize() -> String { Digest.hex(hasher.finalize()) }
  }
}
