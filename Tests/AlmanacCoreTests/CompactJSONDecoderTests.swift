import AlmanacCore
import Foundation
import PropertyBased
import Testing

/// `CompactJSONDecoder` must decode what `JSONDecoder` decodes, to the same values, from what
/// either encoder wrote; what it cannot decode it must refuse (its `decode` then asks
/// `JSONDecoder`), never decode differently.
@Suite struct CompactJSONDecoderTests {
  func roundTrip<T: Codable & Equatable>(_ value: T, _ encoder: JSONEncoder = JSONEncoder()) throws {
    for data in [try encoder.encode(value), try CompactJSONEncoder.encode(value)] {
      #expect(try CompactJSONDecoder.decodeBytes(T.self, from: data) == JSONDecoder().decode(T.self, from: data))
      #expect(try CompactJSONDecoder.decodeBytes(T.self, from: data) == value)
    }
  }

  struct Mixed: Codable, Equatable {
    var text: String
    var optional: String?
    var absent: Int?
    var numbers: [Int64]
    var small: [Int8]
    var flags: [Bool]
    var nested: [[String?]]
    var byKey: [String: Int]
    var values: [CellValue]
  }

  /// Any text (escapes, controls, surrogate pairs, Han), in every place a string goes.
  @Test func testDecode_anyValueMatchesFoundation() async throws {
    let piece = Gen.element(of: [
      "a", "\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "é", "e\u{301}", "表", "😀", "\u{7F}", "\u{2028}", " ",
    ])
    let text = piece.map { $0 ?? "" }.array(of: 0...12).map { $0.joined() }
    let input = PropertyBased.zip(text, text.array(of: 0...12), Gen.int(in: Int.min...Int.max).array(of: 0...5))
    await propertyCheck(input: input) { (s: String, keys: [String], ints: [Int]) in
      var byKey: [String: Int] = [:]
      for (i, k) in keys.enumerated() { byKey[k] = i }
      let value = Mixed(
        text: s, optional: keys.first, absent: nil, numbers: ints.map { Int64($0) },
        small: ints.map { Int8(truncatingIfNeeded: $0) },
        flags: ints.map { $0 % 2 == 0 }, nested: [keys.map { $0.isEmpty ? nil : $0 }, []], byKey: byKey,
        values: [
          .integer(ints.first.map(Int64.init) ?? 0), .decimal(Decimal(string: "3.50") ?? 0), .blank(token: s), .text(s),
        ])
      try roundTrip(value)
      let pretty = JSONEncoder()
      pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
      try roundTrip(value, pretty)
    }
  }

  /// The stage outputs the runner decodes when it resumes.
  @Test func testDecode_stageOutputsMatchFoundation() throws {
    let sheet = CompactJSONEncoderTests.sheet()
    try roundTrip(sheet)
    try roundTrip([sheet, sheet])
    let figure = Figure(value: .integer(5), raw: "5", sources: [CompactJSONEncoderTests.source.ref(line: 9, column: 2)])
    var cells: FigureTable = [:]
    for i in 0..<40 { cells["t3.r\(i).np"] = figure }
    let submission = Submission(
      department: "D01", departmentName: "凌海市财政局", year: 2025, source: CompactJSONEncoderTests.source,
      forms: ["t3"], cells: cells, registerCells: ["t3.r1.zj": figure], filledOn: "2026-01-05")
    try roundTrip(NormalizedSet(submissions: [submission, submission], heldBack: []))
    let ledger = Ledger(
      year: 2025, accepted: [submission], superseded: [], heldBack: [], missing: [DepartmentRef(id: "D2", name: "乙")],
      region: ["t3.r1.np": .integer(5), "t2.a.b": .decimal(Decimal(string: "-0.25") ?? 0)])
    try roundTrip(Reconciliation(ledger: ledger, findings: sheet.findings))
  }

  /// Integers short enough to be read in place and longer ones read as text come back as
  /// JSONDecoder reads them; one that does not fit its type, or is not an integer, is refused.
  @Test func testDecode_integersAsFoundationReadsThem() throws {
    let json = Data(
      "[0,-0,7,-12,99999999999999999,-99999999999999999,999999999999999999,9223372036854775807,-9223372036854775808]"
        .utf8)
    #expect(
      try CompactJSONDecoder.decodeBytes([Int64].self, from: json) == JSONDecoder().decode([Int64].self, from: json))
    #expect(try CompactJSONDecoder.decodeBytes([Int].self, from: Data("[-5, 12 ]".utf8)) == [-5, 12])
    func refused<T: Decodable>(_ json: String, as type: T.Type) {
      #expect(throws: (any Error).self, "\(json)") { try CompactJSONDecoder.decodeBytes(type, from: Data(json.utf8)) }
    }
    refused("[256]", as: [UInt8].self)
    refused("[-1]", as: [UInt].self)
    refused("[1.5]", as: [Int].self)
    refused("[-]", as: [Int].self)
    refused("[1-2]", as: [Int].self)
    refused("[9223372036854775808]", as: [Int64].self)
  }

  /// Broken documents are refused here; `decode` then gives JSONDecoder's answer.
  @Test func testDecode_refusesBrokenJSON() {
    for text in [
      "", "[", "[\"a\",]", "[\"a\" \"b\"]", "[\"abc]", "[\"\\x\"]", "[\"\\uD800\"]", "[\"\\uD800\\u0041\"]",
      "[\"a\"]x", "[\"a\"] ]", "[\"\\u12G4\"]", "{\"a\":\"b\"}", "[\"a\"\n",
    ] {
      let data = Data(text.utf8)
      #expect(throws: (any Error).self, "\(text)") { try CompactJSONDecoder.decodeBytes([String].self, from: data) }
      // With the fallback, JSONDecoder's answer (it takes a trailing comma, for one).
      #expect(
        (try? CompactJSONDecoder.decode([String].self, from: data))
          == (try? JSONDecoder().decode([String].self, from: data)))
    }
    // Wrong types and missing keys.
    #expect(throws: (any Error).self) { try CompactJSONDecoder.decodeBytes([Int].self, from: Data("[\"1\"]".utf8)) }
    #expect(throws: (any Error).self) { try CompactJSONDecoder.decodeBytes(Int8.self, from: Data("300".utf8)) }
    #expect(throws: (any Error).self) {
      try CompactJSONDecoder.decodeBytes(DepartmentRef.self, from: Data("{\"id\":\"x\"}".utf8))
    }
    #expect(throws: (any Error).self) { try CompactJSONDecoder.decodeBytes(String.self, from: Data("null".utf8)) }
  }

  /// An object at the top ends where its closing brace is: anything after it is refused.
  @Test func testDecode_refusesBytesAfterATopLevelObject() throws {
    for text in ["{\"id\":\"x\",\"name\":\"y\"} x", "{\"id\":\"x\",\"name\":\"y\"}}", "{\"id\":\"x\",\"name\":\"y\"},"]
    {
      #expect(throws: (any Error).self, "\(text)") {
        try CompactJSONDecoder.decodeBytes(DepartmentRef.self, from: Data(text.utf8))
      }
    }
    let ok = Data("  {\"id\":\"x\",\"name\":\"y\"}\n".utf8)
    #expect(try CompactJSONDecoder.decodeBytes(DepartmentRef.self, from: ok) == DepartmentRef(id: "x", name: "y"))
    // An array of objects: the first object opened is not the top.
    let list = Data("[{\"id\":\"x\",\"name\":\"y\"},{\"id\":\"z\",\"name\":\"w\"}]".utf8)
    #expect(try CompactJSONDecoder.decodeBytes([DepartmentRef].self, from: list).map(\.id) == ["x", "z"])
  }

  /// Members decoded in the reverse of their order in the file: the decoder goes back over
  /// pages it has already passed (and, from a file, may have dropped).
  struct Backwards: Codable, Equatable {
    var z: [Submission]
    var a: [Submission]
    var m: String

    enum CodingKeys: String, CodingKey { case z, m, a }
  }

  /// Decoded from a mapped file whose pages are dropped behind the decoder every few hundred
  /// bytes, a checkpoint comes back as JSONDecoder reads it, whatever order members are read
  /// in; a missing file throws, a broken one gets JSONDecoder's answer.
  @Test func testDecodeFile_dropsPagesAndStillMatchesFoundation() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-mapped-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let figure = Figure(value: .integer(5), raw: "5", sources: [CompactJSONEncoderTests.source.ref(line: 9, column: 2)])
    var cells: FigureTable = [:]
    for i in 0..<60 { cells["t3.r\(i).np"] = figure }
    let submissions = (0..<360).map { i in
      Submission(
        department: "D\(i)", departmentName: "凌海市财政局", year: 2025, source: CompactJSONEncoderTests.source,
        forms: ["t3"], cells: cells, registerCells: ["t3.r1.zj": figure])
    }
    let set = NormalizedSet(submissions: submissions, heldBack: [])
    let backwards = Backwards(z: submissions, a: Array(submissions.prefix(7)), m: "中")
    let setURL = folder.appendingPathComponent("set.json")
    let backURL = folder.appendingPathComponent("back.json")
    try CompactJSONEncoder.encode(set).write(to: setURL)
    let sorted = JSONEncoder()
    sorted.outputFormatting = [.sortedKeys]
    try sorted.encode(backwards).write(to: backURL)
    #expect(try Data(contentsOf: setURL).count > 100 * 4096)
    for step in [1, 300, 5000, 4 << 20] {
      #expect(try CompactJSONDecoder.decodeMapped(NormalizedSet.self, contentsOf: setURL, dropEvery: step) == set)
      #expect(try CompactJSONDecoder.decodeMapped(Backwards.self, contentsOf: backURL, dropEvery: step) == backwards)
    }
    #expect(try CompactJSONDecoder.decode(NormalizedSet.self, contentsOf: setURL) == set)
    #expect(throws: (any Error).self) {
      try CompactJSONDecoder.decode(NormalizedSet.self, contentsOf: folder.appendingPathComponent("none.json"))
    }
    #expect(throws: (any Error).self) {
      try CompactJSONDecoder.decodeMapped([String].self, contentsOf: folder.appendingPathComponent("none.json"))
    }
    let broken = folder.appendingPathComponent("broken.json")
    try Data("[\"a\",]".utf8).write(to: broken)
    #expect(
      (try? CompactJSONDecoder.decode([String].self, contentsOf: broken))
        == (try? JSONDecoder().decode([String].self, from: Data(contentsOf: broken))))
  }

  /// Invalid UTF-8 inside a string: refused here, and `decode` gives JSONDecoder's answer.
  @Test func testDecode_invalidUTF8FallsBackToFoundation() {
    let data = Data([0x22, 0xFF, 0x22])
    #expect(throws: (any Error).self) { try CompactJSONDecoder.decodeBytes(String.self, from: data) }
    let foundation = Result { try JSONDecoder().decode(String.self, from: data) }
    let ours = Result { try CompactJSONDecoder.decode(String.self, from: data) }
    #expect((try? ours.get()) == (try? foundation.get()))
  }
}
