import AlmanacCore
import Foundation
import PropertyBased
import Testing

@testable import Ingest

@Suite struct GB18030DecoderTests {
  /// Every two-byte code and every BMP four-byte code iconv accepts, plus samples outside the BMP.
  static let valid: [UInt8] = {
    guard let cd = Iconv(from: "GB18030", to: "UTF-8") else { return [] }
    var out = [UInt8](repeating: 0, count: 16)
    func ok(_ seq: [UInt8]) -> Bool {
      seq.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { cd.convert(input, into: $0).stop == .done }
      }
    }
    var bytes: [UInt8] = []
    for lead in UInt8(0x81)...0xFE {
      for trail in UInt8(0x40)...0xFE where trail != 0x7F && ok([lead, trail]) {
        bytes += [lead, trail, UInt8(ascii: ",")]
      }
    }
    for b1 in UInt8(0x81)...0x84 {
      for b2 in UInt8(0x30)...0x39 {
        for b3 in stride(from: UInt8(0x81), through: 0xFE, by: 7) {
          for b4 in UInt8(0x30)...0x39 where ok([b1, b2, b3, b4]) { bytes += [b1, b2, b3, b4, 10] }
        }
      }
    }
    for seq: [UInt8] in [[0x90, 0x30, 0x81, 0x30], [0x95, 0x32, 0x83, 0x37], [0xE3, 0x32, 0x9A, 0x35]] {
      if ok(seq) { bytes += seq + [UInt8(ascii: "a")] }
    }
    return bytes
  }()

  static func viaIconv(_ bytes: [UInt8]) -> [UInt8] {
    guard let cd = Iconv(from: "GB18030", to: "UTF-8") else { return [] }
    var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
    let produced = bytes.withUnsafeBytes { input in out.withUnsafeMutableBytes { cd.convert(input, into: $0).produced }
    }
    return Array(out[..<produced])
  }

  /// Feeds `bytes` in chunks of `chunk` to `step` (which emits pieces), then `finish`: what was
  /// emitted until the end or the fault, and the fault (nil when none).
  static func feed(
    _ bytes: [UInt8], chunk: Int,
    step: (UnsafeRawBufferPointer, (UnsafeRawBufferPointer) -> Void) throws -> Void, finish: () throws -> Void
  ) -> (out: [UInt8], fault: ByteFault?) {
    var out: [UInt8] = []
    do {
      try bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let end = min(raw.count, offset + chunk)
          try step(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { out += $0 }
          offset = end
        }
      }
      try finish()
      return (out, nil)
    } catch let fault as ByteFault {
      return (out, fault)
    } catch {
      return (out, .io("\(error)"))
    }
  }

  static func viaTable(_ bytes: [UInt8], chunk: Int) throws -> [UInt8] {
    guard let decoder = GB18030Decoder(chunkSize: chunk) else { return [] }
    let result = feed(bytes, chunk: chunk, step: { try decoder.decode($0, emit: $1) }, finish: decoder.finish)
    if let fault = result.fault { throw fault }
    return result.out
  }

  @Test func testGB18030Decoder_matchesIconvForEveryCode() throws {
    #expect(Self.valid.count > 100_000)
    let expected = Self.viaIconv(Self.valid)
    #expect(expected.count > Self.valid.count)
    #expect(try Self.viaTable(Self.valid, chunk: 1 << 16) == expected)
  }

  @Test func testGB18030Decoder_anyChunkingMatches() async {
    let sample = Array(Self.valid.prefix(3000) + Self.valid.suffix(400))
    let expected = Self.viaIconv(sample)
    await propertyCheck(input: Gen.int(in: 1...33)) { chunk in
      let decoded = try Self.viaTable(sample, chunk: chunk)
      #expect(decoded == expected)
    }
  }

  @Test func testGB18030Decoder_rejectsWhatIconvRejects() {
    for bad: [UInt8] in [[0x80], [0xFF], [0x81, 0x20], [0x81, 0x7F], [0x81, 0x30, 0x20, 0x30]] {
      #expect(throws: ByteFault.self) {
        _ = try Self.viaTable([UInt8(ascii: "a")] + bad + [UInt8(ascii: "b")], chunk: 64)
      }
    }
    // A lead byte at the very end of the file is an unfinished sequence.
    #expect(throws: ByteFault.invalidGB18030("0x81")) { _ = try Self.viaTable([UInt8(ascii: "a"), 0x81], chunk: 64) }
  }

  /// What `GB18030Passthrough` hands on for `bytes` fed in chunks of `chunk`, and the fault it
  /// threw (nil when none).
  static func viaPassthrough(_ bytes: [UInt8], chunk: Int) -> (passed: [UInt8], fault: ByteFault?) {
    guard let passthrough = GB18030Passthrough() else { return ([], .io("no iconv")) }
    let result = feed(bytes, chunk: chunk, step: { try passthrough.pass($0, emit: $1) }, finish: passthrough.finish)
    return (result.out, result.fault)
  }

  /// The decoder's output before its fault, and the fault.
  static func decodedUntilFault(_ bytes: [UInt8], chunk: Int) -> (decoded: [UInt8], fault: ByteFault?) {
    guard let decoder = GB18030Decoder(chunkSize: chunk) else { return ([], .io("no iconv")) }
    let result = feed(bytes, chunk: chunk, step: { try decoder.decode($0, emit: $1) }, finish: decoder.finish)
    return (result.out, result.fault)
  }

  @Test func testGB18030Passthrough_passesEveryValidCodeUnchanged() {
    let result = Self.viaPassthrough(Self.valid, chunk: 1 << 16)
    #expect(result.fault == nil)
    #expect(result.passed == Self.valid)
  }

  /// Every pair of a non-ASCII first byte and a second byte that does not start a four-byte
  /// sequence: the passthrough accepts it exactly when iconv decodes it.
  @Test func testGB18030Passthrough_judgesEveryTwoBytePairAsIconvDoes() throws {
    let cd = try #require(Iconv(from: "GB18030", to: "UTF-8"))
    var out = [UInt8](repeating: 0, count: 16)
    var disagreements: [String] = []
    var accepted = 0
    for lead in UInt8(0x80)...0xFF {
      for trail in UInt8(0x00)...0xFF where !(0x30...0x39).contains(trail) {
        let pair = [lead, trail]
        let iconvAccepts = pair.withUnsafeBytes { input in
          out.withUnsafeMutableBytes {
            let r = cd.convert(input, into: $0)
            return r.stop == .done && r.consumed == 2
          }
        }
        let passes = Self.viaPassthrough([UInt8(ascii: "a")] + pair + [UInt8(ascii: ",")], chunk: 64).fault == nil
        if passes { accepted += 1 }
        if passes != iconvAccepts { disagreements.append(String(format: "%02X %02X", lead, trail)) }
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    #expect(accepted > 20_000)
  }

  /// Valid text with one bad sequence put anywhere, cut into chunks of any size: the
  /// passthrough stops where the decoder stops, with the same fault, so errors name the same
  /// line and column whichever reads the file.
  @Test func testGB18030Passthrough_faultsWhereTheDecoderFaults() async {
    let text = Array(Self.valid.prefix(600))
    let bad: [[UInt8]] = [[0x80], [0xFF], [0x81, 0x20], [0x81, 0x7F], [0x81, 0x30, 0x20, 0x30], [0x81]]
    await propertyCheck(input: Gen.int(in: 1...33), Gen.int(in: 0...(bad.count - 1)), Gen.int(in: 0...600)) {
      chunk, which, at in
      // Cut at a sequence boundary of the valid text: after a delimiter.
      let cut = text[..<at].lastIndex { $0 == UInt8(ascii: ",") || $0 == 10 || $0 == UInt8(ascii: "a") }
      let head = cut.map { Array(text[...$0]) } ?? []
      let input = head + bad[which] + (which == bad.count - 1 ? [] : text)
      let passed = Self.viaPassthrough(input, chunk: chunk)
      let decoded = Self.decodedUntilFault(input, chunk: chunk)
      #expect(passed.fault != nil)
      #expect(passed.fault == decoded.fault)
      #expect(Self.viaIconv(passed.passed) == decoded.decoded)
    }
  }

  /// Pieces of GB18030 text: ASCII runs of odd and even length, two-byte characters (Han, a
  /// fullwidth parenthesis, the ideographic space), four-byte ones, and invalid sequences
  /// (a lone 0x80 or 0xFF, a lead byte before ASCII or 0x7F, a broken four-byte sequence,
  /// a lead byte alone).
  static let pieces: [[UInt8]] = [
    Array("a".utf8), Array("1,".utf8), Array("2025/4/24,".utf8), Array("\r\n".utf8), [0xB6, 0xAB], [0xCA, 0xD0],
    [0xA3, 0xA8], [0xA1, 0xA1], [0x81, 0x30, 0x81, 0x30], [0x95, 0x32, 0x83, 0x37], [0x80], [0xFF], [0x81, 0x20],
    [0x81, 0x7F], [0x81, 0x30, 0x20, 0x30], [0x81],
  ]

  /// Any mix of those pieces, cut into chunks of any size: the passthrough hands on what the
  /// decoder decodes and faults where it faults (its word-at-a-time loop must step over ASCII
  /// runs of either parity and stop at the same byte as the decoder).
  @Test func testGB18030Passthrough_agreesWithTheDecoderOnAnyMixOfPieces() async {
    let text = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...40)
    await propertyCheck(input: text, Gen.int(in: 1...64)) { which, chunk in
      let input = which.flatMap { Self.pieces[$0] }
      let passed = Self.viaPassthrough(input, chunk: chunk)
      let decoded = Self.decodedUntilFault(input, chunk: chunk)
      #expect(passed.fault == decoded.fault)
      #expect(Self.viaIconv(passed.passed) == decoded.decoded)
      if decoded.fault == nil { #expect(passed.passed == input) }
    }
  }

  @Test func testGB18030FieldDecoder_decodesLikeIconv() throws {
    let decoder = try #require(GB18030FieldDecoder())
    let sample = Array(Self.valid.prefix(5000))
    let text = sample.withUnsafeBytes { decoder.string($0) }
    #expect(Array(text.utf8) == Self.viaIconv(sample))
    #expect([UInt8]("plain ASCII".utf8).withUnsafeBytes { decoder.string($0) } == "plain ASCII")
  }
}
