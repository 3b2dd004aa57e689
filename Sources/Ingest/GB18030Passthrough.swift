import AlmanacCore
import Foundation

/// Checks GB18030 without decoding it: hands the bytes on unchanged, up to the first invalid
/// sequence, then throws the same `ByteFault` as `GB18030Decoder` would (after the valid prefix,
/// so the parser has reached the place of the error).
///
/// For readers that decode only the fields they use (`SheetSink`): every byte that GB18030
/// uses inside a character (second bytes 0x40–0xFE or 0x30–0x39, third 0x81–0xFE, fourth
/// 0x30–0x39) differs from the CSV syntax bytes (`,` `"` `;` tab, CR, LF), so the CSV parser
/// splits the raw bytes exactly where it would split the decoded text, and every field holds
/// whole characters. Validity is the decoder's: iconv's tables, iconv itself for four-byte
/// sequences outside the BMP.
final class GB18030Passthrough {
  private let table: GB18030Table
  private let fallback: Iconv
  /// The start of a sequence cut by the end of the previous chunk (at most 3 bytes).
  private var carry: [UInt8] = []

  init?() {
    guard let table = GB18030Table.shared, let fallback = Iconv(from: "GB18030", to: "UTF-8") else { return nil }
    self.table = table
    self.fallback = fallback
  }

  /// What `scan` found.
  private enum Stop {
    /// Every sequence is complete and valid.
    case end
    /// A sequence starting at `at` needs bytes beyond the input.
    case incomplete(at: Int)
    /// The sequence at `at` is invalid; `bytes` as the decoder reports them.
    case invalid(at: Int, bytes: ArraySlice<UInt8>)
  }

  /// Validates the next bytes, passing them on to `emit`.
  func pass(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    var start = 0
    if !carry.isEmpty {
      // Complete the cut sequence with the first bytes of this chunk.
      var joined = carry
      let take = min(input.count, 4 - carry.count)
      joined.append(contentsOf: input[..<take])
      let length = joined.withUnsafeBytes { Self.sequenceLength($0) }
      guard let length, length <= joined.count else {
        if length == nil {
          let stop = joined.withUnsafeBytes { scan($0, from: 0, upTo: min(joined.count, 4)) }
          if case .invalid(_, let bytes) = stop { throw GB18030Decoder.fault(bytes) }
        }
        // Still unfinished: the chunk was shorter than the rest of the sequence.
        carry = joined
        return
      }
      let stop = joined.withUnsafeBytes { scan($0, from: 0, upTo: length) }
      if case .invalid(_, let bytes) = stop { throw GB18030Decoder.fault(bytes) }
      try joined.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
      start = length - carry.count
      carry.removeAll(keepingCapacity: true)
    }
    switch scan(input, from: start, upTo: input.count) {
    case .end:
      if start < input.count { try emit(UnsafeRawBufferPointer(rebasing: input[start...])) }
    case .incomplete(let at):
      if start < at { try emit(UnsafeRawBufferPointer(rebasing: input[start..<at])) }
      carry.append(contentsOf: input[at...])
    case .invalid(let at, let bytes):
      if start < at { try emit(UnsafeRawBufferPointer(rebasing: input[start..<at])) }
      throw GB18030Decoder.fault(bytes)
    }
  }

  /// Ends the input: bytes of an unfinished sequence are invalid.
  func finish() throws {
    if !carry.isEmpty { throw GB18030Decoder.fault(carry[...]) }
  }

  /// The length the sequence starting at `p[0]` has (1, 2 or 4); nil when its first two bytes
  /// already make it invalid, or when they are not all there yet and the length is open.
  private static func sequenceLength(_ p: UnsafeRawBufferPointer) -> Int? {
    guard let b1 = p.first else { return nil }
    if b1 < 0x80 { return 1 }
    if b1 == 0x80 || b1 == 0xFF { return nil }
    guard p.count >= 2 else { return 4 }  // at most four: wait for more
    let b2 = p[1]
    if b2 >= 0x40 && b2 <= 0xFE && b2 != 0x7F { return 2 }
    if b2 >= 0x30 && b2 <= 0x39 { return 4 }
    return nil
  }

  /// Walks the sequences of `p[from..<upTo]`.
  private func scan(_ p: UnsafeRawBufferPointer, from: Int, upTo n: Int) -> Stop {
    guard let src = p.baseAddress else { return .end }
    let two = table.two
    let four = table.four
    let validPairs = table.validPairs
    var i = from
    while i < n {
      // ASCII runs, eight bytes at a time.
      while i + 8 <= n && src.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        i += 8
      }
      // Runs of two-byte characters and pairs of ASCII ones (most Chinese text with its
      // digits and commas), one table load a pair, two pairs a word. An ASCII byte before a
      // lead byte (an ASCII run of odd length) is stepped over here too, so such a boundary
      // does not leave the loop. Each step is a branch on the table, never an index computed
      // from it: a predicted branch lets the next load start at once, where an index
      // (`i += valid ? 4 : 2`) chains every load to the one before and ran at half the speed.
      // `i + 4 <= n` cannot overflow.
      while i &+ 4 <= n {
        let w = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i, as: UInt32.self))
        if validPairs[Int(w & 0xFFFF)] != 0 {
          guard validPairs[Int(w &>> 16)] != 0 else {
            i &+= 2
            // The third byte is ASCII (the fourth is then not): it is a whole character.
            if w & 0x80_0000 == 0 { i &+= 1 }
            continue
          }
          i &+= 4
          continue
        }
        guard w & 0x80 == 0 else { break }
        i &+= 1
      }
      // The last bytes of the input (fewer than four), a pair at a time; where the word loop
      // stopped, this stops at the same pair. `i + 1 < n` cannot overflow.
      while i &+ 1 < n {
        let pair = UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i, as: UInt16.self))
        guard validPairs[Int(pair)] != 0 else { break }
        i &+= 2
      }
      if i >= n { break }
      let b1 = src.load(fromByteOffset: i, as: UInt8.self)
      if b1 < 0x80 {
        i += 1
        continue
      }
      if b1 == 0x80 || b1 == 0xFF { return .invalid(at: i, bytes: Array(p[i..<(i + 1)])[...]) }
      if i + 1 >= n { return .incomplete(at: i) }
      let b2 = src.load(fromByteOffset: i + 1, as: UInt8.self)
      var valid = false
      var length = 2
      if b2 >= 0x40 && b2 <= 0xFE && b2 != 0x7F {
        valid = two[Int(b1 &- 0x81) &* 191 &+ Int(b2 &- 0x40)] != 0
      } else if b2 >= 0x30 && b2 <= 0x39 {
        if i + 3 >= n { return .incomplete(at: i) }
        length = 4
        let sequence = UnsafeRawBufferPointer(rebasing: p[i..<(i + 4)])
        valid = GB18030Decoder.fourByteScalar(sequence, four: four, iconv: fallback) != 0
      }
      if !valid { return .invalid(at: i, bytes: Array(p[i..<(i + 2)])[...]) }
      i += length
    }
    return .end
  }
}

/// Decodes one field of raw GB18030 bytes that `GB18030Passthrough` already checked.
final class GB18030FieldDecoder {
  private let decoder: GB18030Decoder

  init?() {
    guard let decoder = GB18030Decoder(chunkSize: 1 << 12) else { return nil }
    self.decoder = decoder
  }

  /// The field as text. The bytes were validated on the way in; should they not decode anyway,
  /// the undecodable rest shows as U+FFFD rather than vanish.
  func string(_ bytes: UnsafeRawBufferPointer) -> String {
    if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 3 / 2 + 4)
    do {
      try decoder.decode(bytes) { out.append(contentsOf: $0) }
      try decoder.finish()
    } catch {
      decoder.reset()
      out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
