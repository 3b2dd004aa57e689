import PropertyBased
import Testing

@testable import Ingest

@Suite struct UTF8ValidatorTests {
  /// RFC 3629 byte by byte, without the validator's word-at-a-time fast paths: the offset of
  /// the first byte that breaks UTF-8, or nil; and whether the input ends inside a sequence.
  static func plain(_ bytes: [UInt8]) -> (breaksAt: Int?, complete: Bool) {
    var need = 0
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    for (i, b) in bytes.enumerated() {
      if need > 0 {
        if b < low || b > high { return (i, false) }
        (low, high) = (0x80, 0xBF)
        need -= 1
        continue
      }
      switch b {
      case 0x00...0x7F: continue
      case 0xC2...0xDF: (need, low, high) = (1, 0x80, 0xBF)
      case 0xE0: (need, low, high) = (2, 0xA0, 0xBF)
      case 0xE1...0xEC, 0xEE, 0xEF: (need, low, high) = (2, 0x80, 0xBF)
      case 0xED: (need, low, high) = (2, 0x80, 0x9F)
      case 0xF0: (need, low, high) = (3, 0x90, 0xBF)
      case 0xF1...0xF3: (need, low, high) = (3, 0x80, 0xBF)
      case 0xF4: (need, low, high) = (3, 0x80, 0x8F)
      default: return (i, false)
      }
    }
    return (nil, need == 0)
  }

  /// The validator fed `bytes` in chunks of the given sizes (cycled): the absolute offset of
  /// the first breaking byte, or nil; whether it ended complete; whether it saw non-ASCII.
  static func chunked(_ bytes: [UInt8], sizes: [Int]) -> (breaksAt: Int?, complete: Bool, nonASCII: Bool) {
    var validator = UTF8Validator()
    var offset = 0
    var k = 0
    return bytes.withUnsafeBytes { raw in
      while offset < raw.count {
        let end = min(raw.count, offset + sizes[k % sizes.count])
        k += 1
        if let at = validator.validate(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) {
          return (offset + at, false, validator.sawNonASCII)
        }
        offset = end
      }
      return (nil, validator.isComplete, validator.sawNonASCII)
    }
  }

  /// Pieces text is made of: ASCII runs of odd and even length, CJK (with fullwidth
  /// punctuation, led by EF) and other valid characters, and the sequences the
  /// fast paths must not take for CJK (E0 and ED with their narrower second byte, a lead
  /// followed by ASCII, overlong and out-of-range forms, stray continuation bytes).
  static let pieces: [[UInt8]] = [
    Array("a,1\r\n".utf8), Array("序号".utf8), Array("依申请公开".utf8), Array("é".utf8), Array("€".utf8),
    Array("（本级）".utf8), Array("，".utf8), Array("2025/4/24,".utf8), Array("7".utf8),
    Array("𠀀".utf8), Array("\u{FFFD}".utf8), Array("\u{3000}".utf8), [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF],
    [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEE, 0x80, 0x80],
    [0xE4, 0xB8], [0xE4, 0x41, 0x80], [0xE4, 0xB8, 0x41], [0xC0, 0xAF], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xBF],
    [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xBF, 0xBF],
  ]

  @Test func testValidator_agreesWithThePlainStateMachineWhateverTheChunking() async {
    let text = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...40)
    await propertyCheck(input: text, Gen.int(in: 1...48).array(of: 1...4)) { which, sizes in
      let bytes = which.flatMap { Self.pieces[$0] }
      let expected = Self.plain(bytes)
      let got = Self.chunked(bytes, sizes: sizes)
      #expect(got.breaksAt == expected.breaksAt)
      if expected.breaksAt == nil {
        #expect(got.complete == expected.complete)
        #expect(got.nonASCII == bytes.contains { $0 >= 0x80 })
      }
    }
  }

  @Test func testValidator_longCJKRunsEndingInABadByte() {
    for cut in 0..<12 {
      let text = Array(String(repeating: "公开", count: 20).utf8)
      var bytes = Array(text.prefix(text.count - cut))
      bytes.append(0xC0)
      bytes.append(contentsOf: text)
      #expect(Self.chunked(bytes, sizes: [1 << 16]).breaksAt == Self.plain(bytes).breaksAt)
      #expect(Self.plain(bytes).breaksAt != nil)
    }
  }
}
