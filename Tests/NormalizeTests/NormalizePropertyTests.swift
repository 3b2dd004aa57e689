import AlmanacCore
import PropertyBased
import Testing

@testable import Normalize

@Suite struct NormalizePropertyTests {
  typealias F = Fixtures

  @Test func testRegistry_whitespaceAndPrefixDoNotChangeResolution() async throws {
    let registry = DepartmentRegistry(seeds: try F.shippedSeeds())
    let current = registry.departments.filter { $0.isValid(on: "2025-12-31") && $0.level != "政府" }
    let prefixes = ["", "凌海市", "辽宁省凌海市", "锦州市凌海市", "辽宁省锦州市凌海市"]
    await propertyCheck(
      input: Gen.int(in: 0...(current.count - 1)), Gen.element(of: prefixes),
      Gen.element(of: [" ", "\n", "\u{3000}", "\t"]),
      Gen.int(in: 0...30)
    ) { index, prefix, space, position in
      let d = current[index]
      var name = (prefix ?? "") + registry.key(d.name)
      let at = name.index(name.startIndex, offsetBy: min(position, name.count))
      name.insert(contentsOf: space ?? " ", at: at)
      #expect(registry.resolve(name, on: "2025-12-31").ref?.id == d.id, "\(name)")
    }
  }

  /// A figure's register lines, de-duplicated without a set, are the set's sorted members.
  @Test func testDistinctSorted_isTheSortedSet() async {
    await propertyCheck(input: Gen.int(in: 0...12).array(of: 0...20)) { lines in
      #expect(SheetNormalizer.distinctSorted(lines) == Array(Set(lines)).sorted())
    }
  }

  /// Adding a file's counts to a department's, plain counts summed from their packed sources,
  /// makes what summing the rebuilt figures (`AttributedSubmissions.sum`) makes: the same
  /// figures, sources united in order and cut at `maxSourcesPerFigure`, and the same bytes
  /// when encoded (files numbered alike). Sources come from paths that are canonically equal
  /// but spelled apart, one path with two digests, in order or not, repeated or not; some
  /// figures are not plain counts.
  @Test func testAddCounts_matchesSummingFigures() async throws {
    let files = [("\u{E9}.csv", "t"), ("e\u{301}.csv", "t"), ("a.csv", "s"), ("a.csv", "r"), ("b.csv", "s")]
    let keys = ["t.o1.a1", "t.o10.a1", "\u{E9}"]
    func table(_ numbers: [Int]) -> FigureTable {
      var figures: [String: Figure] = [:]
      var rest = numbers[...]
      while rest.count >= 3 {
        let key = keys[rest.removeFirst() % keys.count]
        let shape = rest.removeFirst() % 5
        let n = Int64(rest.removeFirst())
        let sources = rest.prefix(Int(n) % 90).map { v in
          SourceRef(file: files[v % 5].0, sha256: files[v % 5].1, line: v / 5 % 8, column: v / 40 % 2)
        }
        rest = rest.dropFirst(sources.count)
        switch shape {
        case 2: figures[key] = Figure(value: .integer(n), raw: String(n), sources: sources.sorted())
        case 3: figures[key] = Figure(value: .integer(n), raw: String(n), sources: sources)
        case 4: figures[key] = Figure(value: .integer(n), raw: " \(n)", sources: sources)
        default:
          figures[key] = Figure(value: .integer(n), raw: String(n), sources: SheetNormalizer.union(sources, []))
        }
      }
      return FigureTable(figures)
    }
    let numbers = Gen.int(in: 0...200).array(of: 0...600)
    await propertyCheck(input: numbers, numbers) { a, b in
      var fast = table(a)
      AttributedSubmissions.addCounts(table(b), to: &fast)
      var slow = table(a)
      slow.merge(table(b), combine: AttributedSubmissions.sum)
      #expect(fast == slow)
      let encoded = try CompactJSONEncoder.encode(fast)
      let expected = try CompactJSONEncoder.encode(slow)
      #expect(encoded == expected)
    }
  }

  /// Two cases the property above meets only now and then: sources past the limit, and one
  /// source named by two spellings of a path that are `==` (kept once, as first spelled).
  @Test func testAddCounts_limitAndEquivalentPaths() throws {
    let composed = SourceRef(file: "\u{E9}.csv", sha256: "t", line: 3, column: 0)
    let decomposed = SourceRef(file: "e\u{301}.csv", sha256: "t", line: 3, column: 0)
    let first = (1...40).map { SourceRef(file: "a.csv", sha256: "s", line: $0, column: 0) } + [composed]
    let second = (30...70).map { SourceRef(file: "a.csv", sha256: "s", line: $0, column: 0) } + [decomposed]
    func table(_ n: Int64, _ sources: [SourceRef]) -> FigureTable {
      FigureTable(["t.o1.a1": Figure(value: .integer(n), raw: String(n), sources: SheetNormalizer.union(sources, []))])
    }
    for (x, y) in [(first, second), (second, first), (Array(first.suffix(3)), Array(second.suffix(2)))] {
      var fast = table(2, x)
      AttributedSubmissions.addCounts(table(3, y), to: &fast)
      var slow = table(2, x)
      slow.merge(table(3, y), combine: AttributedSubmissions.sum)
      #expect(fast == slow)
      #expect(try CompactJSONEncoder.encode(fast) == CompactJSONEncoder.encode(slow))
      let figure = try #require(fast["t.o1.a1"])
      #expect(figure.value == .integer(5))
      #expect(figure.sources.count == min(SheetNormalizer.maxSourcesPerFigure, Set(x + y).count))
      // `==` matches either spelling: the one kept is the first table's.
      let kept = figure.sources.filter { $0 == composed }
      #expect(kept.count == (x.count < 10 ? 1 : 0))
      if let k = kept.first { #expect(Array(k.file.utf8) == Array(x[x.count - 1].file.utf8)) }
    }
  }

  @Test func testGrid_columnOrderDoesNotMatter() async {
    let paths: [[String]] = [
      ["申请人情况", "自然人"], ["申请人情况", "法人或其他组织", "商业企业"], ["申请人情况", "法人或其他组织", "科研机构"],
      ["申请人情况", "法人或其他组织", "社会公益组织"], ["申请人情况", "法人或其他组织", "法律服务机构"],
      ["申请人情况", "法人或其他组织", "其他"], ["申请人情况", "总计"],
    ]
    let keys = ["np", "sy", "ky", "gy", "fl", "qt", "zj"]
    await propertyCheck(input: Gen.shuffled(Array(0..<7))) { order in
      let cells = order.enumerated().map { column, i in
        SheetCell(columnPath: paths[i], value: .integer(Int64(i + 1)), raw: String(i + 1), line: 6, column: column + 4)
      }
      let table = SheetTable(
        form: "t3", headerLines: [3], rows: [SheetRow(labelPath: ["一、本年新收政府信息公开申请数量"], line: 6, cells: cells)])
      let sheet = Sheet(source: F.source(), claims: F.claims(metadata: "财政局"), tables: [table])
      let s = F.normalizer().normalize(sheet).submission
      for (i, k) in keys.enumerated() {
        #expect(s?.cells["t3.r1.\(k)"]?.value == .integer(Int64(i + 1)))
        #expect(s?.cells["t3.r1.\(k)"]?.sources.first?.column == (order.firstIndex(of: i) ?? -1) + 4)
      }
    }
  }

  @Test func testSimilarity_symmetricAndBounded() async {
    await propertyCheck(input: Gen.letterOrNumber.string(of: 0...8), Gen.letterOrNumber.string(of: 0...8)) { a, b in
      let s = TextSimilarity.score(a, b)
      #expect(s >= 0 && s <= 1)
      #expect(s == TextSimilarity.score(b, a))
      #expect(TextSimilarity.score(a, a) == 1)
    }
  }
}
