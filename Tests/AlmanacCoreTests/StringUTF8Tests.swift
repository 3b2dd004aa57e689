import AlmanacCore
import Foundation
import PropertyBased
import Testing

struct StringUTF8Tests {
  static let piece = Gen.element(of: ["市", "凌海", "凌", "海市", "a", "aa", "局", "(", "年", "é"]).map { $0 ?? "" }

  /// `utf8Range(of:)` finds the first occurrence of the needle's bytes, as a byte-by-byte scan
  /// of the UTF-8 does, and its range cuts the string where that occurrence is.
  @Test func testUTF8Range_isTheFirstByteOccurrence() async {
    await propertyCheck(input: Self.piece.array(of: 0...8), Self.piece.array(of: 0...3)) { hayPieces, needlePieces in
      let hay = hayPieces.joined()
      let needle = needlePieces.joined()
      let h = Array(hay.utf8)
      let n = Array(needle.utf8)
      var expected: Int?
      if !n.isEmpty, n.count <= h.count {
        expected = (0...(h.count - n.count)).first { Array(h[$0..<($0 + n.count)]) == n }
      }
      let found = hay.utf8Range(of: needle)
      #expect(found.map { hay.utf8.distance(from: hay.utf8.startIndex, to: $0.lowerBound) } == expected)
      if let found {
        #expect(Array(hay[found].utf8) == n)
        #expect(Array(hay[..<found.lowerBound].utf8) + n + Array(hay[found.upperBound...].utf8) == h)
      }
    }
  }
}
