import AlmanacCore
import Foundation
import PropertyBased
import Testing

/// `CompactJSONEncoder` must write exactly what `JSONEncoder` writes with sorted keys and
/// unescaped slashes, so stage checkpoints do not depend on which encoder ran.
@Suite struct CompactJSONEncoderTests {
  func foundation<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self)
  }

  func compact<T: Encodable>(_ value: T) throws -> String {
    let bytes = try CompactJSONEncoder.encode(value)
    // Every keyed container also through the path large ones take: the same bytes.
    let inPlace = try CompactJSONEncoder.encodeBytes(value, largeContainer: 0)
    #expect(inPlace == [UInt8](bytes))
    // Streamed in the smallest pieces, when the value can be: the same bytes and a newline.
    if let pieces = try? streamed(value) { #expect(Array(pieces.joined()) == [UInt8](bytes) + [0x0A]) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The pieces `CompactJSONEncoder.stream` hands on, flushing whenever it may.
  func streamed<T: Encodable>(_ value: T) throws -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    try CompactJSONEncoder.stream(value, flushEvery: 1) { pieces.append(Array($0)) }
    return pieces
  }

  static let source = SourceFile(
    path: "凌海市-财政局/登记 \"A\".csv", sha256: String(repeating: "ab", count: 32), size: 12, compressed: true,
    encoding: .gb18030, encodingReason: "按 GB18030 解码\n（含换行）", delimiter: "\t")

  static func sheet() -> Sheet {
    var claims = SheetClaims()
    claims.titleDepartment = "凌海市财政局"
    claims.titleYear = 2025
    let table = SheetTable(
      form: "t3", caption: nil, headerLines: [3, 4],
      rows: [
        SheetRow(
          labelPath: ["（一）予以公开", ""], line: 5,
          cells: [
            SheetCell(columnPath: ["自然人"], value: .integer(12), raw: "12", line: 5, column: 2),
            SheetCell(
              columnPath: ["金额"], value: .decimal(Decimal(string: "3.50") ?? 0), unit: "万元", raw: "3.50万元", line: 5,
              column: 3),
            SheetCell(columnPath: ["x"], value: .blank(token: "/"), raw: "/", line: 5, column: 4),
            SheetCell(columnPath: ["y"], value: .text("a\\b\u{1}\u{1F}\u{7F}😀"), raw: "", line: 5, column: 5),
          ])
      ])
    let register = SheetRegister(
      form: "register", headerLine: 2, groupBy: ["unit", "result"], columns: [3, 6],
      groups: [
        RegisterGroup(values: ["市环保局（本级）", "公开"], count: 7, sampleLines: [3], keys: ["D0001", nil]),
        RegisterGroup(values: ["", "b"], count: 1, sampleLines: []),
      ], dataRows: 8)
    let finding = Finding(
      code: "ING-101", severity: .warning, stage: "ingest", message: "第 3 行\t“说明”", department: nil, cell: "t3.r1.np",
      sources: [source.ref(line: 3, column: 2)])
    return Sheet(
      source: source, claims: claims, tables: [table], registers: [register], recordCount: 9, findings: [finding])
  }

  @Test func testEncode_sheetMatchesFoundation() throws {
    let sheet = Self.sheet()
    #expect(try compact(sheet) == foundation(sheet))
    #expect(try compact([sheet, sheet]) == foundation([sheet, sheet]))
  }

  @Test func testEncode_submissionsAndDictionariesMatchFoundation() throws {
    let figure = Figure(value: .integer(5), raw: "5", sources: [Self.source.ref(line: 9)])
    let submission = Submission(
      department: "D0001", departmentName: "凌海市环境保护局", year: 2025, source: Self.source, forms: ["register"],
      cells: [
        "requests.o01.a1": figure, "requests.o01.a10": figure, "requests.o01.a2": figure,
        "t2.r1.b": Figure(value: .decimal(Decimal(string: "-0.125") ?? 0), unit: "万元", raw: "-0.125万元", sources: []),
        "t2.r1.c": Figure(value: .blank(token: "—"), raw: "—", sources: [Self.source.ref(), Self.source.ref(line: 2)]),
        "t2.r1.d": Figure(value: .text("n/a \"x\""), raw: "n/a", sources: []),
      ],
      registerCells: ["requests.o02.a1": figure], filledOn: nil)
    let set = NormalizedSet(
      submissions: [submission], heldBack: [HeldBackFile(source: Self.source, reason: .wrongYear, claimed: nil)])
    #expect(try compact(set) == foundation(set))
    let intKeys: [Int: [String?]] = [10: ["a", nil], 2: [], -1: [nil]]
    #expect(try compact(intKeys) == foundation(intKeys))
    let empty: [String: [Int]] = [:]
    #expect(try compact(empty) == foundation(empty))
    #expect(try compact(["b": true, "a": false]) == foundation(["b": true, "a": false]))
    #expect(try compact(Int64.min) == "-9223372036854775808")
    struct Widths: Encodable {
      var a: Int8 = -8
      var b: Int16 = 16
      var c: Int32 = -32
      var d: UInt = 1
      var e: UInt8 = 255
      var f: UInt16 = 16
      var g: UInt32 = 32
      var h: UInt64 = .max
      var i: Int32? = nil
      var j: [Int32?] = [nil, 3]
    }
    #expect(try compact(Widths()) == foundation(Widths()))
  }

  @Test func testEncode_anyStringMatchesFoundation() async {
    let scalars = Gen.unicodeScalar(in: "\u{0}"..."\u{2FF}")
    await propertyCheck(input: scalars.array(of: 0...12)) { list in
      var s = String.UnicodeScalarView()
      s.append(contentsOf: list)
      let text = String(s)
      #expect((try? compact(["k" + text: text])) == (try? foundation(["k" + text: text])))
      #expect((try? compact(["k" + text: text])) != nil)
    }
  }

  /// Keyed containers with entries repeated (the last wins), out of order and empty, through
  /// both ordering paths, for any entry sizes.
  @Test func testEncode_keyedContainersInPlaceMatchFoundation() async {
    struct Entries: Encodable {
      var pairs: [(String, String)]
      struct Key: CodingKey {
        var stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
      }
      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in pairs { try c.encode(v, forKey: Key(stringValue: k)) }
      }
    }
    let key = Gen.unicodeScalar(in: "a"..."d").map { String($0) }
    let value = Gen.int(in: 0...40).map { String(repeating: "v\\", count: $0) }
    await propertyCheck(input: zip(key, value).array(of: 0...6)) { list in
      let pairs = list.map { ($0.0, $0.1) }
      let expected = Dictionary(pairs, uniquingKeysWith: { $1 })
      let bytes = try? CompactJSONEncoder.encodeBytes(Entries(pairs: pairs), largeContainer: 0)
      #expect(bytes.map { String(decoding: $0, as: UTF8.self) } == (try? foundation(expected)))
      #expect(bytes == (try? CompactJSONEncoder.encodeBytes(Entries(pairs: pairs))))
    }
  }

  /// The stage outputs stream (their outer keys are declared in order) in many pieces, with
  /// exactly the bytes of the one-buffer encoding; a value whose outer keys come out of order
  /// after streaming began is refused, so the caller starts over.
  @Test func testStream_stageOutputsStreamWithTheSameBytes() throws {
    let figure = Figure(value: .integer(5), raw: "5", sources: [Self.source.ref(line: 9)])
    let submission = Submission(
      department: "D0001", departmentName: "凌海市环境保护局", year: 2025, source: Self.source, forms: ["register"],
      cells: ["requests.o01.a1": figure], registerCells: ["requests.o01.a2": figure])
    let held = HeldBackFile(source: Self.source, reason: .wrongYear, claimed: "x")
    let set = NormalizedSet(submissions: [submission, submission, submission], heldBack: [held])
    let ledger = Ledger(
      year: 2025, accepted: [submission, submission], superseded: [submission], heldBack: [held],
      missing: [DepartmentRef(id: "D0002", name: "财政局")], region: ["requests.o01.a1": .integer(10)])
    let finding = Finding(code: "REC-001", severity: .error, stage: "reconcile", message: "差 1")
    let reconciliation = Reconciliation(ledger: ledger, findings: [finding, finding])
    for (value, whole) in [
      (set as any Encodable, try CompactJSONEncoder.encodeBytes(set)),
      (reconciliation, try CompactJSONEncoder.encodeBytes(reconciliation)),
      ([Self.sheet(), Self.sheet()], try CompactJSONEncoder.encodeBytes([Self.sheet(), Self.sheet()])),
    ] {
      let pieces = try streamed(value)
      #expect(pieces.count > 2)
      #expect(Array(pieces.joined()) == whole + [0x0A])
    }

    struct LateKey: Encodable {
      enum CodingKeys: String, CodingKey { case b, a }
      func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([1, 2, 3], forKey: .b)
        try c.encode(0, forKey: .a)
      }
    }
    #expect(throws: CompactJSONEncoder.Unsupported.self) { try streamed(LateKey()) }
    #expect(try compact(LateKey()) == foundation(LateKey()))
  }

  /// Figures are written in key order for any keys: long ones sharing their first 16 bytes,
  /// prefixes of one another, non-ASCII.
  @Test func testEncode_figureKeysInOrderForAnyKeys() async {
    let letter = Gen.element(of: ["a", "b", ".", "é", "e\u{301}", "f", "表", "\u{0}"]).map { $0 ?? "a" }
    let key = letter.array(of: 0...20).map { "requests.o01" + $0.joined() }
    await propertyCheck(input: key.array(of: 0...8)) { keys in
      let figure = Figure(value: .integer(1), raw: "1", sources: [])
      let cells = Dictionary(keys.map { ($0, figure) }, uniquingKeysWith: { a, _ in a })
      let submission = Submission(
        department: "D", departmentName: "n", year: 2025, source: Self.source, forms: [], cells: FigureTable(cells))
      #expect((try? compact(submission)) == (try? foundation(submission)))
    }
  }

  @Test func testJSON_fallsBackForFloatingPoint() throws {
    struct Timed: Encodable {
      var seconds: Double
      var name: String
    }
    #expect(throws: CompactJSONEncoder.Unsupported.self) {
      try CompactJSONEncoder.encode(Timed(seconds: 1.5, name: "x"))
    }
    let data = try AtomicFile.json(Timed(seconds: 1.5, name: "x/y"), pretty: false)
    #expect(String(decoding: data, as: UTF8.self) == "{\"name\":\"x/y\",\"seconds\":1.5}\n")
  }
}
