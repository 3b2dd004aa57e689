import AlmanacCore
import PropertyBased
import Testing

struct ByteInternerTests {
  /// Few distinct bytes and lengths around the hash's word and half-word loads (3, 4, 7, 8, 9,
  /// 16 …), so that strings sharing a prefix, a suffix or the bytes an overlapping load reads
  /// are common.
  static let bytes = Gen.element(of: [0x61, 0x62, 0xE5, 0x00] as [UInt8]).map { $0 ?? 0x61 }.array(of: 0...19)

  /// What was inserted is found with its value, whatever buffer holds the bytes; what was not
  /// is not found.
  @Test func testByteInterner_findsExactlyTheInsertedStrings() async {
    await propertyCheck(input: Self.bytes.array(of: 0...60), Self.bytes.array(of: 0...20)) { inserted, probes in
      var interner = ByteInterner()
      var expected: [[UInt8]: Int32] = [:]
      for b in inserted where expected[b] == nil {
        let value = Int32(expected.count)
        b.withUnsafeBytes { interner.insert($0, hash: ByteInterner.hash($0), value: value) }
        expected[b] = value
      }
      #expect(interner.count == expected.count)
      for b in inserted + probes {
        // A copy at another address, with bytes around it that the loads must not read.
        let padded = [0xFF] + b + [0xFF]
        let found = padded.withUnsafeBytes { raw in
          let piece = UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])
          return interner.find(piece, hash: ByteInterner.hash(piece))
        }
        #expect(found == expected[b])
      }
    }
  }

  /// Equal bytes hash equally wherever they lie; strings that differ in one byte or in length
  /// rarely collide.
  @Test func testByteInterner_hashDependsOnEveryByteAndTheLength() {
    var seen: Set<UInt64> = []
    var count = 0
    for n in 0...24 {
      let zeros = [UInt8](repeating: 0, count: n)
      seen.insert(zeros.withUnsafeBytes { ByteInterner.hash($0) })
      count += 1
      for i in 0..<n {
        var b = zeros
        b[i] = 1
        let h = b.withUnsafeBytes { ByteInterner.hash($0) }
        let again = ([7] + b).withUnsafeBytes { ByteInterner.hash(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(h == again)
        seen.insert(h)
        count += 1
      }
    }
    #expect(seen.count == count)
  }
}
