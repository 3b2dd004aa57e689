/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF) that carries an unfinished sequence across chunk boundaries.
struct UTF8Validator {
  /// Continuation bytes still expected.
  private var need = 0
  /// Allowed range of the next continuation byte.
  private var low: UInt8 = 0x80
  private var high: UInt8 = 0xBF
  /// True once any byte ≥ 0x80 was seen.
  private(set) var sawNonASCII = false

  /// True when the input so far does not end inside a sequence.
  var isComplete: Bool { need == 0 }

  /// Validates the next bytes; returns the offset of the first byte that breaks UTF-8.
  mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    var i = 0
    while i < n {
      if need == 0 {
        // ASCII runs are the common case: test 8 bytes at a time.
        while i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
          i += 8
        }
        // Runs of three-byte characters whose lead takes any two continuation bytes (E1…EC,
        // EE, EF: almost all CJK, with the fullwidth punctuation （）：，) and of the ASCII
        // characters between them (digits, dates, commas), one word load for up to two such
        // characters or eight ASCII ones. The ASCII bytes before the word's first other byte
        // are stepped over at once. `i + 8 <= n` cannot overflow.
        var cjk = false
        while i &+ 8 <= n {
          let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
          let high = w & 0x8080_8080_8080_8080
          if high & 0x80 == 0 {
            i &+= high == 0 ? 8 : high.trailingZeroBitCount &>> 3
            continue
          }
          guard Self.isPlainThreeByte(w) else { break }
          cjk = true
          // The next three bytes too? A branch, not `i += next ? 6 : 3`: an index computed
          // from the word would chain each load to the one before (that form ran at half the
          // speed).
          if Self.isPlainThreeByte(w &>> 24) {
            i &+= 6
          } else {
            i &+= 3
          }
        }
        if cjk { sawNonASCII = true }
        if i >= n { break }
        let b = base.load(fromByteOffset: i, as: UInt8.self)
        i += 1
        if b < 0x80 { continue }
        sawNonASCII = true
        // CJK is almost all three-byte sequences led by E1…EC: check those inline.
        if b >= 0xE1 && b <= 0xEC && i + 1 < n {
          let c1 = base.load(fromByteOffset: i, as: UInt8.self)
          let c2 = base.load(fromByteOffset: i + 1, as: UInt8.self)
          if c1 & 0xC0 != 0x80 { return i }
          if c2 & 0xC0 != 0x80 { return i + 1 }
          i += 2
          continue
        }
        switch b {
        case 0xC2...0xDF: (need, low, high) = (1, 0x80, 0xBF)
        case 0xE0: (need, low, high) = (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: (need, low, high) = (2, 0x80, 0xBF)
        case 0xED: (need, low, high) = (2, 0x80, 0x9F)
        case 0xF0: (need, low, high) = (3, 0x90, 0xBF)
        case 0xF1...0xF3: (need, low, high) = (3, 0x80, 0xBF)
        case 0xF4: (need, low, high) = (3, 0x80, 0x8F)
        default: return i - 1
        }
      } else {
        let b = base.load(fromByteOffset: i, as: UInt8.self)
        if b < low || b > high { return i }
        (low, high) = (0x80, 0xBF)
        need -= 1
        i += 1
      }
    }
    return nil
  }

  /// True when the low three bytes of `w` are one character led by E1…EC, EE or EF (whose
  /// continuation bytes may be any of 80…BF): the lead's high nibble E and low nibble neither
  /// 0 (E0) nor D (ED), then two continuation bytes 10xxxxxx.
  @inline(__always)
  private static func isPlainThreeByte(_ w: UInt64) -> Bool {
    let lead = w & 0x0F
    return w & 0xC0_C0F0 == 0x80_80E0 && lead != 0 && lead != 0x0D
  }
}
