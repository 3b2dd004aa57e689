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
        // Runs of three-byte characters led by E1…EC (almost all CJK), one word load each —
        // the lead's high nibble E and low nibble 1…C, then two continuation bytes 10xxxxxx —
        // and of the ASCII characters between them (digits, dates, commas), a byte each.
        // `i + 4 <= n` cannot overflow.
        var cjk = false
        while i &+ 4 <= n {
          let w = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
          if w & 0x80 == 0 {
            i &+= 1
            continue
          }
          guard w & 0x00C0_C0F0 == 0x0080_80E0, (w & 0x0F) &- 1 < 0x0C else { break }
          cjk = true
          i &+= 3
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
}
