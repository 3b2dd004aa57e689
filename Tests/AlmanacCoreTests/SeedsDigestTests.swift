import AlmanacCore
import PropertyBased
import Testing

/// `Seeds.digest` goes into every fingerprint and the manifest: its bytes must never move.
@Suite struct SeedsDigestTests {
  @Test func testDigest_isTheSha256OfNameHeaderAndRowsWithSeparators() {
    let seeds = Seeds(tables: [
      "numbers": SeedTable(name: "numbers", header: ["name", "value"], rows: [["base", "10"]], lines: [2])
    ])
    // sha256("numbers\u{1F}name\u{1E}value\u{1F}base\u{1E}10\u{1F}"), computed outside Swift.
    #expect(seeds.digest == "f3f5b392278fbdd9596d8aac77c5e9a927eea009ef6a9a1fa4cfabfe73db520b")
  }

  @Test func testDigest_coversUnicodeEmptyFieldsAndTableOrder() {
    let seeds = Seeds(tables: [
      "b": SeedTable(name: "b", header: ["k"], rows: [["v"]], lines: [2]),
      "a": SeedTable(name: "a", header: ["h"], rows: [["表", ""], ["", ""]], lines: [2, 3]),
    ])
    // sha256("a\u{1F}h\u{1F}表\u{1E}\u{1F}\u{1E}\u{1F}b\u{1F}k\u{1F}v\u{1F}").
    #expect(seeds.digest == "5c0a13400129f51c05e6338256a54b4a685b718786e22c0918899959dc2d1934")
  }

  @Test func testDigest_equalsTheBuilderOverJoinedRows() async {
    let field = Gen<UnicodeScalar>.unicodeScalar(in: "\u{1C}"..."\u{4E2D}").map(Character.init).string(of: 0...6)
    let table = PropertyBased.zip(field.array(of: 1...4), field.array(of: 1...4).array(of: 0...400))
    await propertyCheck(input: table, table) { first, second in
      let seeds = Seeds(tables: [
        "one": SeedTable(name: "one", header: first.0, rows: first.1, lines: first.1.indices.map { $0 + 2 }),
        "two": SeedTable(name: "two", header: second.0, rows: second.1, lines: second.1.indices.map { $0 + 2 }),
      ])
      var reference = Digest.Builder()
      for name in ["one", "two"] {
        guard let t = seeds[name] else { continue }
        reference.add(name)
        reference.add(t.header.joined(separator: "\u{1E}"))
        for r in t.rows { reference.add(r.joined(separator: "\u{1E}")) }
      }
      #expect(seeds.digest == reference.finalize())
      // The flat storage reads back the rows it was given.
      #expect(seeds["one"]?.rows.map { Array($0) } == first.1)
      #expect(seeds["two"]?.rows.map { Array($0) } == second.1)
    }
  }

  @Test func testDigest_largeTableAcrossBufferFlushes() {
    let rows = (0..<20_000).map { ["D\($0)", "部门\($0)", String(repeating: "x", count: $0 % 7)] }
    let seeds = Seeds(tables: [
      "declared": SeedTable(
        name: "declared", header: ["id", "name", "pad"], rows: rows, lines: rows.indices.map { $0 + 2 })
    ])
    var reference = Digest.Builder()
    reference.add("declared")
    reference.add("id\u{1E}name\u{1E}pad")
    for r in rows { reference.add(r.joined(separator: "\u{1E}")) }
    #expect(seeds.digest == reference.finalize())
  }
}
