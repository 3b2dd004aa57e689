#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps byte strings to small integers without building a `String` per lookup: the register's
/// hot path sees each distinct spelling of a grouping value once and every later occurrence as
/// bytes only.
///
/// Open addressing over a power-of-two slot table; the bytes live in one arena. Used by ingest's
/// register grouping (per data row, hence inlinable across modules) and by the checkpoint
/// decoder's register values.
public struct ByteInterner: Sendable {
  @usableFromInline struct Entry: Sendable {
    @usableFromInline var hash: UInt64
    @usableFromInline var offset: Int
    @usableFromInline var length: Int
    @usableFromInline var value: Int32

    @usableFromInline init(hash: UInt64, offset: Int, length: Int, value: Int32) {
      self.hash = hash
      self.offset = offset
      self.length = length
      self.value = value
    }
  }

  @usableFromInline var arena: [UInt8] = []
  @usableFromInline var entries: [Entry] = []
  /// Index into `entries` + 1; 0 is empty.
  @usableFromInline var slots: [Int32] = Array(repeating: 0, count: 64)

  public init() {}

  public var count: Int { entries.count }

  /// The value stored for `bytes`, if any.
  @inlinable @inline(__always) public func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: hash) & mask
    return arena.withUnsafeBytes { stored in
      while true {
        let s = slots[i]
        if s == 0 { return nil }
        let e = entries[Int(s) - 1]
        if e.hash == hash, e.length == bytes.count {
          if e.length == 0 { return e.value }
          if let a = stored.baseAddress, let b = bytes.baseAddress, memcmp(a + e.offset, b, e.length) == 0 {
            return e.value
          }
        }
        i = (i + 1) & mask
      }
    }
  }

  /// Stores `value` for `bytes` (not yet present).
  @inlinable public mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, value: Int32) {
    if (entries.count + 1) * 2 > slots.count { grow() }
    let offset = arena.count
    arena.append(contentsOf: bytes)
    entries.append(Entry(hash: hash, offset: offset, length: bytes.count, value: value))
    place(Int32(entries.count), hash: hash)
  }

  @usableFromInline mutating func place(_ slot: Int32, hash: UInt64) {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: hash) & mask
    while slots[i] != 0 { i = (i + 1) & mask }
    slots[i] = slot
  }

  @usableFromInline mutating func grow() {
    slots = Array(repeating: 0, count: slots.count * 2)
    for (n, e) in entries.enumerated() { place(Int32(n + 1), hash: e.hash) }
  }

  /// A fast 64-bit hash of short byte strings (word-at-a-time multiply-mix). The bytes past
  /// the last whole word are read with at most two loads that may overlap bytes already mixed
  /// (the length keeps such strings apart): grouping values are mostly 6 to 30 bytes, and a
  /// byte-by-byte tail was a fifth of the register lookup's time. The length is multiplied in
  /// first: XORed in plainly, it cancelled against data bytes (`[1, 0]` and `[0, 0, 0]` hashed
  /// alike).
  @inlinable @inline(__always) public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = (0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)) &* 0xFF51_AFD7_ED55_8CCD
    guard let base = bytes.baseAddress else { return h }
    let n = bytes.count
    var i = 0
    while i + 8 <= n {
      h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      i += 8
    }
    if i < n {
      let tail: UInt64
      if n >= 8 {
        tail = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      } else if n >= 4 {
        tail =
          UInt64(base.loadUnaligned(as: UInt32.self))
          | UInt64(base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
      } else {
        tail =
          UInt64(base.load(as: UInt8.self))
          | UInt64(base.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
          | UInt64(base.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
      }
      h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
      h ^= h >> 29
    }
    return h
  }
}
