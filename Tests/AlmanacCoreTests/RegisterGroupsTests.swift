import AlmanacCore
import Foundation
import PropertyBased
import Testing

struct RegisterGroupsTests {
  static let pool = ["自然人", "法人或其他组织-商业企业", "予以公开", "", "D0001", "o01", "其他", "a\"b\\c"]

  /// A group made from one generated number: values and keys drawn from a small pool (so
  /// strings repeat across groups and between values and keys), keys absent, nil or set,
  /// zero to three sample lines.
  static func group(_ n: Int) -> RegisterGroup {
    var x = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15 | 1
    func next(_ bound: Int) -> Int {
      x ^= x << 13
      x ^= x >> 7
      x ^= x << 17
      return Int(x % UInt64(bound))
    }
    let width = next(4)
    let values = (0..<width).map { _ in pool[next(pool.count)] }
    let keys: [String?]? =
      next(3) == 0 ? nil : (0..<(width + next(2))).map { _ in next(3) == 0 ? nil : pool[next(pool.count)] }
    return RegisterGroup(
      values: values, count: Int64(next(10_000)), sampleLines: (0..<next(4)).map { _ in next(100_000) }, keys: keys)
  }

  /// The groups with their strings stored otherwise than `init` stores them: every string of
  /// the pool, in reverse and twice over, unused ones among them.
  static func storedOtherwise(_ groups: [RegisterGroup]) -> RegisterGroups {
    var other = RegisterGroups()
    var index: [String: Int32] = [:]
    for s in Self.pool.reversed() { _ = other.addString(s + "x") }
    for s in Self.pool.reversed() { index[s] = other.addString(s) }
    func number(_ s: String) -> Int32 {
      guard let i = index[s] else { preconditionFailure("\(s) is not in the pool") }
      return i
    }
    for g in groups {
      other.append(
        count: g.count, sampleLines: g.sampleLines, valueCount: g.values.count, value: { number(g.values[$0]) },
        keyCount: g.keys?.count, key: { g.keys?[$0].map(number) ?? -1 })
    }
    return other
  }

  static let groups = Gen.int(in: 0...Int.max).array(of: 0...12).map { $0.map(group) }

  /// Stored flat, the groups read back as they were given, whole and part by part.
  @Test func testFlatStorage_readsBackTheGroups() async {
    await propertyCheck(input: Self.groups) { groups in
      let flat = RegisterGroups(groups)
      #expect(Array(flat) == groups)
      #expect(flat.count == groups.count)
      for (g, group) in groups.enumerated() {
        #expect(flat.rowCount(g) == group.count)
        #expect((0..<flat.valueCount(g)).map { flat.value(g, $0) } == group.values)
        #expect(flat.keyCount(g).map { n in (0..<n).map { flat.key(g, $0) } } == group.keys)
        #expect(Array(flat.sampleLines(g)) == group.sampleLines)
      }
    }
  }

  /// Both encoders write the packed form with the same bytes, however the strings were stored,
  /// and both decoders read it back; the array of groups earlier versions wrote is still read.
  @Test func testCodable_packedForm() async throws {
    await propertyCheck(input: Self.groups) { groups in
      let flat = RegisterGroups(groups)
      let json = try CompactJSONEncoder.encode(flat)
      #expect(try JSONEncoder.sorted.encode(flat) == json)
      #expect(try CompactJSONEncoder.encode(Self.storedOtherwise(groups)) == json)
      #expect(try JSONDecoder().decode(RegisterGroups.self, from: json) == flat)
      #expect(try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: json) == flat)
      let old = try JSONEncoder.sorted.encode(groups)
      #expect(try JSONDecoder().decode(RegisterGroups.self, from: old) == flat)
      #expect(try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: old) == flat)
    }
  }

  /// The packed form, written out: a group is its count, its values, its keys (or -1) and its
  /// sample lines, strings numbered in the order first cited.
  @Test func testPackedForm_bytes() throws {
    let groups: RegisterGroups = [
      RegisterGroup(values: ["市城管局", "自然人"], count: 12, sampleLines: [71], keys: ["D1823", nil]),
      RegisterGroup(values: ["其他", "自然人"], count: 1, sampleLines: [], keys: nil),
    ]
    let expected =
      #"{"groups":[[12,2,0,1,2,2,-1,71],[1,2,3,1,-1]],"strings":["市城管局","自然人","D1823","其他"]}"#
    #expect(String(decoding: try CompactJSONEncoder.encode(groups), as: UTF8.self) == expected)
  }

  /// A packed group whose parts do not fit together is an error for both decoders.
  @Test func testPackedForm_inconsistent_throws() {
    for json in [
      #"{"groups":[[1,1,1,-1]],"strings":["a"]}"#,  // no string 1
      #"{"groups":[[1,1,-1,-1]],"strings":["a"]}"#,  // a nil value
      #"{"groups":[[1,2,0,-1]],"strings":["a"]}"#,  // two values, one given
      #"{"groups":[[1,1,0,2,0]],"strings":["a"]}"#,  // two keys, one given
      #"{"groups":[[1,1]],"strings":["a"]}"#,
      #"{"groups":[[1,0,-2]],"strings":[]}"#,
      #"{"groups":[[1,0,-1,1.5]],"strings":[]}"#,
      #"{"groups":[[1,0,-1]]}"#,
    ] {
      #expect(throws: (any Error).self, "\(json)") {
        try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: Data(json.utf8))
      }
      #expect(throws: (any Error).self, "\(json)") {
        try JSONDecoder().decode(RegisterGroups.self, from: Data(json.utf8))
      }
    }
  }

  /// The compact decoder reads the groups straight into flat storage: the same groups as
  /// `JSONDecoder`, from compact or pretty JSON, members in any order, unknown ones skipped.
  @Test func testCompactDecoder_readsTheGroupsAsJSONDecoderDoes() async throws {
    await propertyCheck(input: Self.groups) { groups in
      let flat = RegisterGroups(groups)
      let compact = try CompactJSONEncoder.encode(flat)
      #expect(try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: compact) == flat)
      let pretty = JSONEncoder()
      pretty.outputFormatting = [.prettyPrinted]
      for unsorted in [try pretty.encode(flat), try pretty.encode(groups)] {
        #expect(try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: unsorted) == flat)
        #expect(
          try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: unsorted)
            == JSONDecoder().decode(RegisterGroups.self, from: unsorted))
      }
    }
    let odd = Data(
      (#"[ {"sampleLines":[3,4],"extra":{"a":[1,"]"]},"keys":null,"count":7,"values":["a\u00e9b","x\"y",""]},"#
        + #" {"values":["\u00e9","e\u0301","x\"y"],"count":1,"sampleLines":[],"keys":["o01",null]} ]"#).utf8)
    let decoded = try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: odd)
    #expect(
      Array(decoded) == [
        RegisterGroup(values: ["a\u{e9}b", "x\"y", ""], count: 7, sampleLines: [3, 4]),
        RegisterGroup(values: ["\u{e9}", "e\u{301}", "x\"y"], count: 1, sampleLines: [], keys: ["o01", nil]),
      ])
    #expect(Array(decoded[1].values[1].utf8) == [0x65, 0xCC, 0x81])
  }

  /// A group without one of its members is an error (as for `JSONDecoder`), not a guess.
  @Test func testCompactDecoder_missingMember_throws() {
    for json in [
      #"[{"values":[],"count":1}]"#, #"[{"values":[],"sampleLines":[]}]"#, #"[{"count":1,"sampleLines":[]}]"#,
    ] {
      #expect(throws: (any Error).self) {
        try CompactJSONDecoder.decodeBytes(RegisterGroups.self, from: Data(json.utf8))
      }
      #expect(throws: (any Error).self) { try CompactJSONDecoder.decode(RegisterGroups.self, from: Data(json.utf8)) }
    }
    #expect(throws: (any Error).self) {
      try CompactJSONDecoder.decodeBytes(
        RegisterGroups.self, from: Data(#"[{"values":[1],"count":1,"sampleLines":[]}]"#.utf8))
    }
  }

  /// Equality and hashing are by the groups, not by how the strings were stored.
  @Test func testEquality_ignoresStringTableOrder() async {
    await propertyCheck(input: Self.groups) { groups in
      let other = Self.storedOtherwise(groups)
      let flat = RegisterGroups(groups)
      #expect(other == flat)
      #expect(other.hashValue == flat.hashValue)
      if !groups.isEmpty { #expect(RegisterGroups(groups.dropFirst()) != flat) }
    }
  }
}

extension JSONEncoder {
  fileprivate static var sorted: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
  }
}
