import AlmanacCore
import Foundation
import PropertyBased
import Testing

struct FigureTableTests {
  static let keys = ["t3.r1.np", "t3.r1.zj", "t3.r10.np", "t2.a.b", "表.行.列", "t3.r1", "", "é", "e\u{301}"]

  /// An edit: set key `k` to a figure of value `v`, or remove it when `v` is negative; every
  /// third edit, keep only the figures of even value instead.
  static let edits = Gen.int(in: 0...(keys.count - 1)).array(of: 0...40).map { ks in
    ks.enumerated().map { i, k in (key: keys[k], value: Int64((i * 7 + k) % 9) - 2, filter: i % 3 == 2) }
  }

  static func figure(_ v: Int64) -> Figure {
    Figure(value: .integer(v), raw: String(v), sources: [SourceRef(file: "a.csv", sha256: "s", line: Int(v) + 3)])
  }

  /// After any edits, the table holds what a dictionary given the same edits holds, in key order.
  @Test func testEdits_matchADictionary() async {
    await propertyCheck(input: Self.edits) { edits in
      var table = FigureTable()
      var reference: [String: Figure] = [:]
      for e in edits {
        if e.filter {
          let even = { (f: Figure) in if case .integer(let v) = f.value { v % 2 == 0 } else { false } }
          table = table.filter { even($0.value) }
          reference = reference.filter { even($0.value) }
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
      #expect(FigureTable(reference) == table)
      #expect(FigureTable(reference).hashValue == table.hashValue)
    }
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

  /// Encoded as the dictionary's JSON object by both encoders, and decoded back.
  @Test func testCodable_isTheDictionary() async throws {
    await propertyCheck(input: Self.edits) { edits in
      var reference: [String: Figure] = [:]
      for e in edits where e.value >= 0 { reference[e.key] = Self.figure(e.value) }
      let table = FigureTable(reference)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let foundation = try encoder.encode(reference)
      #expect(try encoder.encode(table) == foundation)
      #expect(try CompactJSONEncoder.encode(table) == foundation)
      #expect(try JSONDecoder().decode(FigureTable.self, from: foundation) == table)
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
