import AlmanacCore
import Foundation

/// GB18030 → UTF-8 by table lookup, several times faster than calling iconv on every chunk.
///
/// The tables are filled once per process from glibc iconv itself, so every sequence decodes
/// exactly as iconv decodes it, and what iconv rejects is rejected. Four-byte sequences outside
/// the BMP (rare) are handed to iconv one by one.
final class GB18030Decoder {
  private let table: GB18030Table
  private let fallback: Iconv
  /// Bytes of a sequence cut by the end of the previous chunk (at most 3).
  private var carry: [UInt8] = []
  private var output: UnsafeMutableRawBufferPointer

  init?(chunkSize: Int) {
    guard let table = GB18030Table.shared, let fallback = Iconv(from: "GB18030", to: "UTF-8") else { return nil }
    self.table = table
    self.fallback = fallback
    output = .allocate(byteCount: max(64, chunkSize * 2 + 16), alignment: 16)
  }

  deinit { output.deallocate() }

  /// Decodes the next bytes, handing UTF-8 pieces to `emit`; throws `ByteFault.invalidGB18030`
  /// after emitting everything before the bad bytes.
  func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    if carry.isEmpty {
      try run(input, emit: emit)
      return
    }
    // Complete the cut sequence with the first bytes of this chunk, then go on from there.
    var joined = carry
    let take = min(input.count, 4 - carry.count)
    joined.append(contentsOf: input[..<take])
    carry.removeAll(keepingCapacity: true)
    let consumed = try joined.withUnsafeBytes { try run($0, emit: emit, partial: true) }
    // Still unfinished: this chunk was too short, and all of it is now in `carry`.
    if consumed == 0 { return }
    let fromInput = consumed - (joined.count - take)
    try run(UnsafeRawBufferPointer(rebasing: input[fromInput...]), emit: emit)
  }

  /// Ends the input: bytes of an unfinished sequence are invalid.
  func finish() throws {
    if !carry.isEmpty { throw Self.fault(carry[...]) }
  }

  /// Forgets a cut sequence (after an error), to decode unrelated bytes next.
  func reset() {
    carry.removeAll(keepingCapacity: true)
  }

  /// Decodes `input`; an unfinished sequence at its end goes to `carry`. With `partial`, stops
  /// after the first complete multibyte sequence and returns the bytes consumed.
  @discardableResult
  private func run(
    _ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void, partial: Bool = false
  )
    throws -> Int
  {
    guard let src = input.baseAddress, let dst = output.baseAddress else { return 0 }
    let n = input.count
    let capacity = output.count
    let two = table.two
    let four = table.four
    var i = 0
    var o = 0
    while i < n {
      if o + 16 > capacity {
        try emit(UnsafeRawBufferPointer(start: dst, count: o))
        o = 0
      }
      if !partial {
        // ASCII runs: copy 8 bytes at a time.
        while i + 8 <= n && o + 8 <= capacity {
          let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
          if w & 0x8080_8080_8080_8080 != 0 { break }
          dst.storeBytes(of: w, toByteOffset: o, as: UInt64.self)
          i += 8
          o += 8
        }
        if i >= n { break }
        if o + 16 > capacity { continue }
      }
      // Runs of two-byte BMP characters (most Chinese text): decode without the general path.
      while i + 1 < n && o + 3 <= capacity {
        let lead = src.load(fromByteOffset: i, as: UInt8.self)
        let trail = src.load(fromByteOffset: i + 1, as: UInt8.self)
        guard lead >= 0x81, lead != 0xFF, trail >= 0x40, trail != 0x7F, trail != 0xFF else { break }
        let s = two[Int(lead &- 0x81) &* 191 &+ Int(trail &- 0x40)]
        guard s >= 0x800, s < 0x10000 else { break }
        dst.storeBytes(of: UInt8(truncatingIfNeeded: 0xE0 | (s >> 12)), toByteOffset: o, as: UInt8.self)
        dst.storeBytes(of: UInt8(truncatingIfNeeded: 0x80 | ((s >> 6) & 0x3F)), toByteOffset: o + 1, as: UInt8.self)
        dst.storeBytes(of: UInt8(truncatingIfNeeded: 0x80 | (s & 0x3F)), toByteOffset: o + 2, as: UInt8.self)
        i += 2
        o += 3
        if partial { return try finishRun(i, dst, o, emit) }
      }
      if i >= n { break }
      if o + 16 > capacity { continue }
      let b1 = src.load(fromByteOffset: i, as: UInt8.self)
      if b1 < 0x80 {
        dst.storeBytes(of: b1, toByteOffset: o, as: UInt8.self)
        i += 1
        o += 1
        continue
      }
      if b1 == 0x80 || b1 == 0xFF {
        try flush(dst, o, emit)
        throw Self.fault(Array(input[i..<(i + 1)])[...])
      }
      if i + 1 >= n {
        carry.append(b1)
        break
      }
      let b2 = src.load(fromByteOffset: i + 1, as: UInt8.self)
      var scalar: UInt32 = 0
      var length = 2
      if b2 >= 0x40 && b2 <= 0xFE && b2 != 0x7F {
        scalar = two[Int(b1 &- 0x81) &* 191 &+ Int(b2 &- 0x40)]
      } else if b2 >= 0x30 && b2 <= 0x39 {
        if i + 3 >= n {
          carry.append(contentsOf: input[i..<n])
          break
        }
        length = 4
        scalar = Self.fourByteScalar(UnsafeRawBufferPointer(rebasing: input[i..<(i + 4)]), four: four, iconv: fallback)
      }
      if scalar == 0 {
        try flush(dst, o, emit)
        throw Self.fault(Array(input[i..<(i + 2)])[...])
      }
      o += Self.writeUTF8(scalar, dst + o)
      i += length
      if partial { break }
    }
    try flush(dst, o, emit)
    return i
  }

  private func finishRun(
    _ i: Int, _ dst: UnsafeMutableRawPointer, _ o: Int, _ emit: (UnsafeRawBufferPointer) throws -> Void
  )
    throws -> Int
  {
    try flush(dst, o, emit)
    return i
  }

  @inline(__always)
  private func flush(_ dst: UnsafeMutableRawPointer, _ count: Int, _ emit: (UnsafeRawBufferPointer) throws -> Void)
    throws
  {
    if count > 0 { try emit(UnsafeRawBufferPointer(start: dst, count: count)) }
  }

  /// The scalar of the four-byte sequence `bytes` (its first two bytes already checked): from
  /// `four` in the BMP range 81 30 81 30 … 84 39 FE 39, else from iconv (rare); 0 when invalid.
  static func fourByteScalar(_ bytes: UnsafeRawBufferPointer, four: UnsafePointer<UInt32>, iconv: Iconv) -> UInt32 {
    let (b1, b2, b3, b4) = (bytes[0], bytes[1], bytes[2], bytes[3])
    guard b3 >= 0x81 && b3 <= 0xFE && b4 >= 0x30 && b4 <= 0x39 else { return 0 }
    if b1 <= 0x84 {
      return four[((Int(b1) - 0x81) * 10 + Int(b2) - 0x30) * 1260 + (Int(b3) - 0x81) * 10 + Int(b4) - 0x30]
    }
    var out: (UInt64, UInt64) = (0, 0)
    return withUnsafeMutableBytes(of: &out) { buffer in
      let (consumed, produced, stop) = iconv.convert(bytes, into: buffer)
      guard stop == .done, consumed == bytes.count, produced > 0 else { return 0 }
      let decoded = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[..<produced]), as: UTF8.self)
      guard decoded.unicodeScalars.count == 1, let s = decoded.unicodeScalars.first else { return 0 }
      return s.value
    }
  }

  @inline(__always)
  static func writeUTF8(_ s: UInt32, _ p: UnsafeMutableRawPointer) -> Int {
    if s < 0x80 {
      p.storeBytes(of: UInt8(s), as: UInt8.self)
      return 1
    }
    if s < 0x800 {
      p.storeBytes(of: UInt8(0xC0 | (s >> 6)), as: UInt8.self)
      p.storeBytes(of: UInt8(0x80 | (s & 0x3F)), toByteOffset: 1, as: UInt8.self)
      return 2
    }
    if s < 0x10000 {
      p.storeBytes(of: UInt8(0xE0 | (s >> 12)), as: UInt8.self)
      p.storeBytes(of: UInt8(0x80 | ((s >> 6) & 0x3F)), toByteOffset: 1, as: UInt8.self)
      p.storeBytes(of: UInt8(0x80 | (s & 0x3F)), toByteOffset: 2, as: UInt8.self)
      return 3
    }
    p.storeBytes(of: UInt8(0xF0 | (s >> 18)), as: UInt8.self)
    p.storeBytes(of: UInt8(0x80 | ((s >> 12) & 0x3F)), toByteOffset: 1, as: UInt8.self)
    p.storeBytes(of: UInt8(0x80 | ((s >> 6) & 0x3F)), toByteOffset: 2, as: UInt8.self)
    p.storeBytes(of: UInt8(0x80 | (s & 0x3F)), toByteOffset: 3, as: UInt8.self)
    return 4
  }

  static func fault(_ bytes: ArraySlice<UInt8>) -> ByteFault {
    .invalidGB18030(bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " "))
  }
}

/// The two-byte and BMP four-byte GB18030 code tables, read from iconv once per process.
/// A 0 entry means iconv rejects the sequence.
final class GB18030Table: @unchecked Sendable {
  /// Index (lead − 0x81) × 191 + (trail − 0x40); 126 × 191 entries. Written once in `init`,
  /// read-only after, never freed (the shared table lives as long as the process).
  let two: UnsafePointer<UInt32>
  /// Index of the four-byte sequences 81 30 81 30 … 84 39 FE 39; 4 × 10 × 1260 entries.
  let four: UnsafePointer<UInt32>
  /// 1 where the two bytes `first`, `second` are whole characters — a valid two-byte
  /// character, or two ASCII characters — else 0; index `first | second << 8` (the pair read
  /// as a little-endian `UInt16`). One load answers what `two` answers after five range
  /// checks: validation walks Chinese text a character at a time, and those checks were most
  /// of its time; the ASCII pairs keep it in that loop through the digits, dates and commas
  /// between the Chinese words. 64 KiB.
  let validPairs: UnsafePointer<UInt8>

  static let shared: GB18030Table? = GB18030Table()

  private init?() {
    guard let cd = Iconv(from: "GB18030", to: "UTF-32LE") else { return nil }
    func scalar(_ bytes: [UInt8]) -> UInt32 {
      var out: UInt64 = 0
      return bytes.withUnsafeBytes { input in
        withUnsafeMutableBytes(of: &out) { buffer in
          let (consumed, produced, stop) = cd.convert(input, into: buffer)
          guard stop == .done, consumed == bytes.count, produced == 4 else { return 0 }
          return buffer.load(as: UInt32.self)
        }
      }
    }
    let two = UnsafeMutablePointer<UInt32>.allocate(capacity: 126 * 191)
    two.initialize(repeating: 0, count: 126 * 191)
    for lead in 0x81...0xFE {
      for trail in 0x40...0xFE where trail != 0x7F {
        two[(lead - 0x81) * 191 + (trail - 0x40)] = scalar([UInt8(lead), UInt8(trail)])
      }
    }
    let four = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * 10 * 1260)
    four.initialize(repeating: 0, count: 4 * 10 * 1260)
    var index = 0
    for b1 in 0x81...0x84 {
      for b2 in 0x30...0x39 {
        for b3 in 0x81...0xFE {
          for b4 in 0x30...0x39 {
            four[index] = scalar([UInt8(b1), UInt8(b2), UInt8(b3), UInt8(b4)])
            index += 1
          }
        }
      }
    }
    let pairs = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    pairs.initialize(repeating: 0, count: 1 << 16)
    for lead in 0x81...0xFE {
      for trail in 0x40...0xFE where trail != 0x7F && two[(lead - 0x81) * 191 + (trail - 0x40)] != 0 {
        pairs[lead | trail << 8] = 1
      }
    }
    for first in 0..<0x80 {
      for second in 0..<0x80 { pairs[first | second << 8] = 1 }
    }
    self.two = UnsafePointer(two)
    self.four = UnsafePointer(four)
    self.validPairs = UnsafePointer(pairs)
  }
}
