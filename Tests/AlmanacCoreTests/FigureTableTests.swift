import Foundation
import PropertyBased
import Testing

@testable import AlmanacCore

struct FigureTableTests {
  static let keys = ["t3.r1.np", "t3.r1.zj", "t3.r10.np", "t2.a.b", "表.行.列", "t3.r1", "", "é", "e\u{301}"]

  /// An edit: set key `k` to a figure of value `v`, or remove it when `v` is negative; every
  /// third edit, keep only the figures of even value instead (or, in the dictionary test,
  /// those whose keys have an even number of bytes when `v` is odd).
  static let edits = Gen.int(in: 0...(keys.count - 1)).array(of: 0...160).map { ks in
    ks.enumerated().map { i, k in (key: keys[k], value: Int64((i * 7 + k) % 9) - 2, filter: i % 3 == 2) }
  }

  /// Figures of every shape the table keeps: plain counts (packed) with no source, one, or
  /// several in files whose names are canonically equivalent but spelled differently (they
  /// must come back as spelled), and figures kept whole (a raw that is not the digits, a
  /// unit, a column too wide to pack, a decimal).
  static func figure(_ v: Int64) -> Figure {
    let a = SourceRef(file: "a.csv", sha256: "s", line: Int(v) + 3, column: 2)
    let composed = SourceRef(file: "\u{E9}.csv", sha256: "t", line: 1, column: 4)
    let decomposed = SourceRef(file: "e\u{301}.csv", sha256: "t", line: 2, column: 4)
    switch v % 7 {
    case 0: return Figure(value: .integer(v), raw: String(v), sources: [])
    case 1: return Figure(value: .integer(v), raw: String(v), sources: [a])
    case 2: return Figure(value: .integer(v), raw: String(v), sources: [decomposed, a, composed, decomposed])
    case 3: return Figure(value: .integer(v), raw: " \(v)", sources: [a])
    case 4: return Figure(value: .integer(v), unit: "万元", raw: String(v), sources: [composed])
    case 5:
      return Figure(
        value: .integer(v), raw: String(v), sources: [SourceRef(file: "a.csv", sha256: "s", line: 1, column: 1 << 40)])
    default: return Figure(value: .decimal(Decimal(v) / 10), raw: "0.\(v)", sources: [a, decomposed])
    }
  }

  /// The figures the edits set (removals and filters left out), as a dictionary.
  static func figures(_ edits: [(key: String, value: Int64, filter: Bool)]) -> [String: Figure] {
    var figures: [String: Figure] = [:]
    for e in edits where e.value >= 0 { figures[e.key] = figure(e.value) }
    return figures
  }

  /// After any edits, the table holds what a dictionary given the same edits holds, in key order.
  @Test func testEdits_matchADictionary() async {
    await propertyCheck(input: Self.edits) { edits in
      var table = FigureTable()
      var reference: [String: Figure] = [:]
      for e in edits {
        if e.filter, e.value % 2 == 0 {
          let even = { (f: Figure) in if case .integer(let v) = f.value { v % 2 == 0 } else { false } }
          table = table.filter { even($0.value) }
          reference = reference.filter { even($0.value) }
        } else if e.filter {
          // By key alone (`filterKeys`): keys of an even number of bytes.
          let kept = { (k: String) in k.utf8.count % 2 == 0 }
          table = table.filterKeys(kept)
          reference = reference.filter { kept($0.key) }
        } else if e.value < 0 {
          #expect(table.removeValue(forKey: e.key) == reference.removeValue(forKey: e.key))
        } else {
          table[e.key] = Self.figure(e.value)
          reference[e.key] = Self.figure(e.value)
        }
        #expect(table.count == reference.count)
      }
      #expect(table.dictionary == reference)
      #expect(table.keys == reference.keys.sorted())
      for k in Self.keys { #expect(table[k] == reference[k]) }
      for i in 0..<table.count {
        let figure = table.figure(at: i)
        let flat = table.flat(at: i)
        #expect(flat.value == figure.value && flat.unit == figure.unit && flat.raw == figure.raw)
        #expect(flat.firstSource == figure.sources.first)
      }
      #expect(FigureTable(reference) == table)
      #expect(FigureTable(reference).hashValue == table.hashValue)
    }
  }

  /// Replacing figures again and again leaves the table equal to the dictionary, and what the
  /// replaced figures stored does not pile up.
  @Test func testRepeatedReplacement_isCompacted() throws {
    var table = FigureTable()
    var reference: [String: Figure] = [:]
    for i in 0..<500 {
      let key = Self.keys[i % 3]
      let figure = Self.figure(Int64(i % 7 == 0 ? 2 : i))
      table[key] = figure
      reference[key] = figure
      if i % 11 == 0 {
        table[Self.keys[4]] = nil
        reference[Self.keys[4]] = nil
      } else if i % 5 == 0 {
        table[Self.keys[4]] = figure
        reference[Self.keys[4]] = figure
      }
      #expect(table.storedParts <= 2 * 65 + 4 * 4)
    }
    #expect(table == FigureTable(reference))
    #expect(try CompactJSONEncoder.encode(table) == CompactJSONEncoder.encode(FigureTable(reference)))
  }

  /// Merging two tables gives what merging the two dictionaries gives, combining shared keys.
  @Test func testMerge_matchesDictionaryMerge() async {
    await propertyCheck(input: Self.edits, Self.edits) { a, b in
      var x: [String: Figure] = [:]
      var y: [String: Figure] = [:]
      for e in a where e.value >= 0 { x[e.key] = Self.figure(e.value) }
      for e in b where e.value >= 0 { y[e.key] = Self.figure(e.value + 10) }
      let combine = { (p: Figure, q: Figure) in
        Figure(value: .text(p.raw + "+" + q.raw), raw: p.raw + q.raw, sources: p.sources + q.sources)
      }
      var table = FigureTable(x)
      table.merge(FigureTable(y), combine: combine)
      #expect(table == FigureTable(x.merging(y, uniquingKeysWith: combine)))
      #expect(table.keys == Array(Set(x.keys).union(y.keys)).sorted())
    }
  }

  /// A register's counts for one department, made straight into a table, are the table of
  /// the same figures made one by one: equal, and encoded to the same bytes. Cells in key
  /// order take the packed path; repeated or unordered keys are sorted the ordinary way (the
  /// last of a repeated key wins).
  @Test func testCountsFromOneFile_matchFigures() async throws {
    let file = SourceFile(path: "e\u{301}-登记.csv", sha256: "ab", size: 1)
    await propertyCheck(input: Gen.int(in: 0...40).array(of: 0...60)) { numbers in
      var cells: [(key: String, count: Int64, lines: [Int])] = []
      var rest = numbers[...]
      while rest.count >= 3 {
        let k = rest.removeFirst()
        let count = Int64(rest.removeFirst())
        let lines = Array(Set(rest.prefix(rest.removeFirst() % 4).map { $0 * 3 })).sorted()
        cells.append((Self.keys[k % Self.keys.count], count, lines))
      }
      if numbers.first.map({ $0 % 2 == 0 }) ?? false {
        var seen = Set<String>()
        cells = cells.filter { seen.insert($0.key).inserted }.sorted { $0.key < $1.key }
      }
      let table = FigureTable(counts: cells, file: file)
      var figures: [String: Figure] = [:]
      for c in cells {
        figures[c.key] = Figure(
          value: .integer(c.count), raw: String(c.count), sources: c.lines.map { file.ref(line: $0) })
      }
      #expect(table == FigureTable(figures))
      let encoded = try CompactJSONEncoder.encode(table)
      let expected = try CompactJSONEncoder.encode(FigureTable(figures))
      #expect(encoded == expected)
    }
  }

  /// The table `edits` leave (built by setting, removing and filtering, so its files are
  /// numbered in the order the edits met them, not in key order).
  static func edited(_ edits: [(key: String, value: Int64, filter: Bool)]) -> FigureTable {
    var table = FigureTable()
    for e in edits {
      if e.filter {
        table = table.filter { if case .integer(let v) = $0.value.value { v % 2 == 0 } else { false } }
      } else if e.value < 0 {
        table[e.key] = nil
      } else {
        table[e.key] = Self.figure(e.value)
      }
    }
    return table
  }

  /// Both encoders write the packed form with the same bytes, whatever order the table was
  /// built in, and both decoders read it back; the object of figures earlier versions wrote
  /// is still read as the same table.
  @Test func testCodable_packedForm() async throws {
    await propertyCheck(input: Self.edits) { edits in
      let table = Self.edited(edits)
      let rebuilt = FigureTable(table.dictionary)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let json = try CompactJSONEncoder.encode(table)
      #expect(try encoder.encode(table) == json)
      #expect(try CompactJSONEncoder.encode(rebuilt) == json)
      #expect(try JSONDecoder().decode(FigureTable.self, from: json) == table)
      #expect(try CompactJSONDecoder.decodeBytes(FigureTable.self, from: json) == table)
      let old = try encoder.encode(table.dictionary)
      #expect(try JSONDecoder().decode(FigureTable.self, from: old) == table)
      #expect(try CompactJSONDecoder.decodeBytes(FigureTable.self, from: old) == table)
    }
  }

  /// The packed form, written out: keys once, plain counts as integers, each file once (in
  /// the order first cited), other figures whole.
  @Test func testPackedForm_bytes() throws {
    let a = SourceRef(file: "a.csv", sha256: "s", line: 7, column: 2)
    let b = SourceRef(file: "b.csv", sha256: "t", line: 3, column: 4)
    let table: FigureTable = [
      "t.r2.c": Figure(value: .integer(5), raw: "5", sources: [b, a]),
      "t.r1.c": Figure(value: .integer(12), raw: "12", sources: [a]),
      "t.r3.c": Figure(value: .integer(0), raw: "0", sources: []),
      "t.r4.c": Figure(value: .decimal(Decimal(string: "1.5")!), raw: "1.5", sources: [b]),
    ]
    let expected =
      #"{"counts":[[12,0,7,2],[5,1,3,4,0,7,2],[0],[]],"files":[["a.csv","s"],["b.csv","t"]],"#
      + #""keys":["t.r1.c","t.r2.c","t.r3.c","t.r4.c"],"#
      + #""others":[{"raw":"1.5","sources":[{"column":4,"file":"b.csv","line":3,"sha256":"t"}],"value":{"d":"1.5"}}]}"#
    #expect(String(decoding: try CompactJSONEncoder.encode(table), as: UTF8.self) == expected)
  }

  /// Members in another order, unknown members, white space, escaped file names and keys out
  /// of order are read as `JSONDecoder` reads them.
  @Test func testPackedForm_oddButValidJSON() throws {
    let json = #"""
      { "keys" : ["b", "a"], "extra": {"x": [1]},
        "others": [{"raw": " 7", "sources": [], "value": {"i": "7"}}],
        "files": [["x\"y.csv", "s"], ["e\u0301.csv", "t"]],
        "counts": [ [ 3, 1, 9, 2, 0, 4, 1 ], [] ] }
      """#
    let expected: FigureTable = [
      "b": Figure(
        value: .integer(3), raw: "3",
        sources: [
          SourceRef(file: "e\u{301}.csv", sha256: "t", line: 9, column: 2),
          SourceRef(file: "x\"y.csv", sha256: "s", line: 4, column: 1),
        ]),
      "a": Figure(value: .integer(7), raw: " 7", sources: []),
    ]
    let decoded = try CompactJSONDecoder.decodeBytes(FigureTable.self, from: Data(json.utf8))
    #expect(decoded == expected)
    #expect(decoded.keys == ["a", "b"])
    #expect(Array(decoded.figure(at: 1).sources[0].file.utf8) == Array("e\u{301}.csv".utf8))
    #expect(try JSONDecoder().decode(FigureTable.self, from: Data(json.utf8)) == expected)
  }

  /// A packed table whose parts do not fit together is an error for both decoders, not a guess.
  @Test func testPackedForm_inconsistent_throws() {
    let files = #""files":[["a.csv","s"]]"#
    for json in [
      #"{"counts":[[1]],\#(files),"keys":["a","b"],"others":[]}"#,  // fewer counts than keys
      #"{"counts":[[1,0,1]],\#(files),"keys":["a"],"others":[]}"#,  // not a triple
      #"{"counts":[[1,1,1,1]],\#(files),"keys":["a"],"others":[]}"#,  // no file 1
      #"{"counts":[[1,-1,1,1]],\#(files),"keys":["a"],"others":[]}"#,
      #"{"counts":[[1,0,1,4294967296]],\#(files),"keys":["a"],"others":[]}"#,  // column too wide
      #"{"counts":[[]],\#(files),"keys":["a"],"others":[]}"#,  // no figure in others
      #"{"counts":[[1]],\#(files),"keys":["a"],"others":[{"raw":"1","sources":[],"value":{"i":"1"}}]}"#,
      #"{"counts":[[1],[2]],\#(files),"keys":["a","a"],"others":[]}"#,  // one key twice
      #"{"counts":[[1.5]],\#(files),"keys":["a"],"others":[]}"#,
      #"{"counts":[[1]],"files":[["a.csv"]],"keys":["a"],"others":[]}"#,
      #"{"counts":[[1]],"keys":["a"],"others":[]}"#,
    ] {
      #expect(throws: (any Error).self, "\(json)") {
        try CompactJSONDecoder.decodeBytes(FigureTable.self, from: Data(json.utf8))
      }
      #expect(throws: (any Error).self, "\(json)") { try JSONDecoder().decode(FigureTable.self, from: Data(json.utf8)) }
    }
  }

  /// The compact decoder packs plain counts as it reads them and decodes other figures whole:
  /// the table equals the one encoded and `JSONDecoder`'s, from compact or pretty JSON, and
  /// every source's file comes back spelled as it was (canonically equivalent names differ).
  @Test func testCompactDecoder_readsTheTableAsJSONDecoderDoes() async throws {
    await propertyCheck(input: Self.edits) { edits in
      let reference = Self.figures(edits)
      let table = FigureTable(reference)
      let pretty = JSONEncoder()
      pretty.outputFormatting = [.prettyPrinted]
      for json in [
        try CompactJSONEncoder.encode(table), try pretty.encode(table), try pretty.encode(reference),
      ] {
        let decoded = try CompactJSONDecoder.decodeBytes(FigureTable.self, from: json)
        #expect(decoded == table)
        #expect(decoded == (try JSONDecoder().decode(FigureTable.self, from: json)))
        #expect(decoded.keys == table.keys)
        for i in table.indices {
          let files = { (t: FigureTable) in t.figure(at: i).sources.map { Array($0.file.utf8) } }
          #expect(files(decoded) == files(table))
          #expect(decoded.plainNumber(at: i) == table.plainNumber(at: i))
        }
      }
    }
  }

  /// Members in any order, unknown members, a null unit, escaped names and keys out of order
  /// are read as `Codable` reads them; a figure that is not a plain count is kept whole.
  @Test func testCompactDecoder_oddButValidJSON() throws {
    let json = #"""
      {"b":{"sources":[{"sha256":"s","line":3,"file":"x\"y.csv","column":2,"extra":1}],"unit":null,
            "value":{"i":"7"},"raw":"7","note":[1,{"a":"}"}]},
       "a":{"value":{"i":"7"},"raw":" 7","sources":[]},
       "c":{"raw":"1.5","sources":[{"column":1,"file":"é.csv","line":1,"sha256":"t"}],"value":{"d":"1.5"}}}
      """#
    let decoded = try CompactJSONDecoder.decodeBytes(FigureTable.self, from: Data(json.utf8))
    let expected: FigureTable = [
      "b": Figure(
        value: .integer(7), raw: "7", sources: [SourceRef(file: "x\"y.csv", sha256: "s", line: 3, column: 2)]),
      "a": Figure(value: .integer(7), raw: " 7", sources: []),
      "c": Figure(
        value: .decimal(Decimal(string: "1.5")!), raw: "1.5",
        sources: [SourceRef(file: "e\u{301}.csv", sha256: "t", line: 1, column: 1)]),
    ]
    #expect(decoded == expected)
    #expect(decoded.keys == ["a", "b", "c"])
    #expect(decoded.plainNumber(at: 1) == 7)
    #expect(decoded.plainNumber(at: 0) == nil)
    #expect(Array(decoded.figure(at: 2).sources[0].file.utf8) == Array("e\u{301}.csv".utf8))
    #expect(decoded == (try JSONDecoder().decode(FigureTable.self, from: Data(json.utf8))))
  }

  /// A figure without one of its members, or a source without one of its, is an error as for
  /// `JSONDecoder`, not a guess.
  @Test func testCompactDecoder_missingMember_throws() {
    for json in [
      #"{"a":{"raw":"1","sources":[]}}"#,
      #"{"a":{"value":{"i":"1"},"sources":[]}}"#,
      #"{"a":{"value":{"i":"1"},"raw":"1"}}"#,
      #"{"a":{"value":{"i":"1"},"raw":"1","sources":[{"file":"f","line":1,"column":1}]}}"#,
    ] {
      #expect(throws: (any Error).self) { try CompactJSONDecoder.decodeBytes(FigureTable.self, from: Data(json.utf8)) }
      #expect(throws: (any Error).self) { try CompactJSONDecoder.decode(FigureTable.self, from: Data(json.utf8)) }
    }
  }

  /// A filter that keeps every figure returns the same table; one that drops some keeps the
  /// rest in order.
  @Test func testFilter_keepsOrder() {
    let table: FigureTable = ["b": Self.figure(2), "a": Self.figure(1), "c": Self.figure(3)]
    #expect(table.filter { _ in true } == table)
    #expect(table.filter { $0.key != "b" }.keys == ["a", "c"])
    #expect(table.filter { $0.key != "a" }.keys == ["b", "c"])
    #expect(table.filter { _ in false }.isEmpty)
    #expect(table.map(\.key) == ["a", "b", "c"])
  }
}
