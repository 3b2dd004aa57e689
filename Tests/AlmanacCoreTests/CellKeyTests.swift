import AlmanacCore
import PropertyBased
import Testing

struct CellKeyTests {
  /// Parsing takes exactly the texts of three non-empty dot-free parts, ASCII or not, and
  /// gives back those parts (the reference is a plain split).
  @Test func testParse_isThreeNonEmptyPartsForAnyText() async {
    let piece = Gen.element(of: ["t3", ".", "r1", "é", "表", "_", ""]).map { $0 ?? "" }
    await propertyCheck(input: piece.array(of: 0...7)) { pieces in
      let text = pieces.joined()
      let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      let expected = parts.count == 3 && parts.allSatisfy { !$0.isEmpty } ? parts : nil
      let key = CellKey(text)
      #expect(key.map { [$0.form, $0.row, $0.column] } == expected)
      if let key { #expect(key.description == text) }
    }
    #expect(CellKey("t3.r3_3_1.np") == CellKey(form: "t3", row: "r3_3_1", column: "np"))
    #expect(CellKey("t3..np") == nil)
    #expect(CellKey(".r1.np") == nil)
    #expect(CellKey("t3.r1.") == nil)
  }

  /// `isPart` (what pipeline validation demands of form ids, row and column keys) holds of
  /// three texts exactly when the key written from them reads back as those three.
  @Test func testIsPart_isWhatParsingReadsBack() async {
    let piece = Gen.element(of: ["t3", ".", "r1", "é", "表", "_", ""]).map { $0 ?? "" }
    let part = piece.array(of: 0...3).map { $0.joined() }
    await propertyCheck(input: part, part, part) { form, row, column in
      let key = CellKey(form: form, row: row, column: column)
      let readBack = CellKey(key.description) == key
      #expect(readBack == [form, row, column].allSatisfy(CellKey.isPart))
    }
    #expect(!CellKey.isPart("a.b") && !CellKey.isPart(""))
    #expect(CellKey.isPart("r3_3_1") && CellKey.isPart("自然人"))
  }
}
