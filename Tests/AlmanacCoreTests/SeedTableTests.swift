import AlmanacCore
import PropertyBased
import Testing

@Suite struct SeedTableTests {
  /// `cell(_:_:)` reads what `rows[r][c]` reads, and "" past a short row's end.
  @Test func testCell_matchesTheRowsAndIsEmptyPastARowsEnd() async {
    let field = Gen<UnicodeScalar>.unicodeScalar(in: " "..."\u{4E2D}").map(Character.init).string(of: 0...5)
    await propertyCheck(input: field.array(of: 0...5).array(of: 0...40)) { rows in
      let table = SeedTable(name: "t", header: ["a", "b"], rows: rows, lines: rows.indices.map { $0 + 2 })
      for (r, row) in rows.enumerated() {
        for c in 0..<6 {
          #expect(table.cell(r, c) == (c < row.count ? row[c] : ""))
          if c < row.count { #expect(table.cell(r, c) == table.rows[r][c]) }
        }
      }
    }
  }
}
