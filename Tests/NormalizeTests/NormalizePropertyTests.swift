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
