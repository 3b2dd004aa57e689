import AlmanacCore
import Foundation
import PropertyBased
import Testing

struct NFKCTests {
  /// Every scalar `nfkc` passes through is one Foundation's NFKC leaves as it is, alone and
  /// after any other of them (so no two of them compose).
  @Test func testNFKC_stableScalarsAreLeftAsTheyAre() {
    let stable = String.nfkcStableScalars
    #expect(stable.count == 128 + 20992 + 2 + 8)
    for s in stable {
      let text = String(Character(s))
      #expect(text.precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(text.unicodeScalars))
      for before in ["a", "e", "一", "、"] {
        let pair = before + text
        #expect(pair.precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(pair.unicodeScalars))
      }
    }
  }

  /// `nfkc` equals Foundation's NFKC for any text, stable or not.
  @Test func testNFKC_equalsFoundation() async {
    let piece = Gen.element(of: ["a", "1", " ", "、", "《", "表", "（", "１", "ﬁ", "e\u{301}", "\u{3000}", "①"])
      .map { $0 ?? "" }
    await propertyCheck(input: piece.array(of: 0...8)) { pieces in
      let text = pieces.joined()
      #expect(text.nfkc.unicodeScalars.elementsEqual(text.precomposedStringWithCompatibilityMapping.unicodeScalars))
    }
  }
}
