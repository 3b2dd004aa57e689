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

  /// `field(name)` reads each row as `records[row][name]` does: the last column of a repeated
  /// name, "" past a short row's end, nil for a name the header lacks.
  @Test func testField_readsAsRecords() async {
    let field = Gen<UnicodeScalar>.unicodeScalar(in: " "..."\u{4E2D}").map(Character.init).string(of: 0...3)
    await propertyCheck(input: field.array(of: 0...5).array(of: 0...30)) { rows in
      let header = ["a", "b", "a", "c"]
      let table = SeedTable(name: "t", header: header, rows: rows, lines: rows.indices.map { $0 + 2 })
      #expect(table.rowCount == rows.count)
      let records = table.records
      for name in ["a", "b", "c", "d"] {
        let read = table.field(name)
        for r in rows.indices { #expect(read(r) == records[r][name], "\(name) of row \(r)") }
      }
    }
  }
}
