import AlmanacCore
import Testing

@testable import Normalize

@Suite struct DepartmentRegistryTests {
  let registry = DepartmentRegistry(seeds: Fixtures.smallSeeds)

  @Test func testResolve_shortName() {
    #expect(
      registry.resolve("财政局", on: "2025-12-31") == .resolved(DepartmentRef(id: "czj", name: "凌海市财政局"), via: .canonical))
    #expect(
      registry.resolve("市监局", on: "2025-12-31") == .resolved(DepartmentRef(id: "scj", name: "凌海市市场监督管理局"), via: .short))
    #expect(registry.resolve("环保分局", on: "2025-12-31").ref?.id == "sthj")
    #expect(
      registry.resolve("环保分局", on: "2025-12-31")
        == .resolved(DepartmentRef(id: "sthj", name: "锦州市生态环境局凌海分局"), via: .confirmed))
  }

  @Test func testResolve_historicNameHonorsValidity() {
    let old = registry.resolve("凌海市环境保护局", on: "2018-12-31")
    #expect(old == .resolved(DepartmentRef(id: "sthj", name: "锦州市生态环境局凌海分局"), via: .historic))
    #expect(registry.resolve("凌海市环境保护局", on: "2025-12-31") == .unknown)
    #expect(registry.closest("凌海市环境保护局", limit: 3).first?.id == "sthj")
    #expect(registry.resolve("城建局", on: "2019-03-28").ref?.id == "zjj")
    #expect(registry.resolve("城建局", on: "2019-03-29").ref == nil)
    #expect(registry.expiredNames("凌海市环境保护局", on: "2025-12-31").map(\.validTo) == ["2019-03-28"])
  }

  @Test func testResolve_departmentValidity() {
    #expect(registry.resolve("海渔局", on: "2018-12-31").ref?.id == "hyj")
    #expect(registry.resolve("凌海市海洋与渔业局", on: "2025-12-31").ref == nil)
    #expect(registry.resolve("凌海市海洋与渔业局", on: nil).ref?.id == "hyj")
  }

  @Test func testResolve_regionPrefixes() {
    for name in ["凌海市财政局", "辽宁省凌海市财政局", "锦州市凌海市财政局", "辽宁省锦州市凌海市财政局", "凌海财政局", "市财政局"] {
      #expect(registry.resolve(name, on: "2025-12-31").ref?.id == "czj", "\(name)")
    }
    for name in ["凌海市生态环境局", "锦州市生态环境局凌海分局", "生态环境局"] {
      #expect(registry.resolve(name, on: "2025-12-31").ref?.id == "sthj", "\(name)")
    }
    #expect(registry.resolve("凌海市市场监督管理局", on: "2025-12-31").ref?.id == "scj")
    #expect(registry.resolve("凌海市石山镇人民政府", on: "2025-12-31").ref?.id == "ss")
    #expect(registry.resolve("金城街道办事处", on: "2025-12-31").ref?.id == "jc")
  }

  @Test func testResolve_widthSpaceAndLabelVariants() {
    for name in [
      "凌海市 财政局", "凌海市财政局\n", "填报单位：凌海市财政局", "凌海市财政局（盖章）", "　凌海市财政局　", "03_凌海市财政局", "凌海市财政局2025年度政府信息公开工作年度报告统计表",
    ] {
      #expect(registry.resolve(name, on: "2025-12-31").ref?.id == "czj", "\(name)")
    }
    #expect(registry.key("凌海市　财政局") == "财政局")
  }

  /// Within a county only its own units answer; across counties the same short name is
  /// ambiguous; a unit reached by several spellings of one key takes the best path.
  @Test func testResolve_withinParentAndBestPath() {
    let seeds = Seeds(tables: [
      "departments": Fixtures.table(
        "departments",
        """
        id,name,level,parent,valid_from,valid_to
        A,甲县人民政府,政府,,,
        B,乙县人民政府,政府,,,
        A1,环保局,部门,A,,
        B1,环保局,部门,B,,
        B2,乙县财政局,部门,B,,2020-12-31
        """),
      "department_aliases": Fixtures.table(
        "department_aliases",
        """
        alias,department_id,kind,valid_from,valid_to,note
        环保局,A1,short,,,
        环保局,A1,confirmed,,,
        财政局,B2,short,,,
        """),
    ])
    let r = DepartmentRegistry(seeds: seeds, region: "丙市")
    #expect(r.resolve("环保局", on: nil, within: "A") == .resolved(DepartmentRef(id: "A1", name: "环保局"), via: .canonical))
    #expect(r.resolve("环保局", on: nil, within: "B") == .resolved(DepartmentRef(id: "B1", name: "环保局"), via: .canonical))
    #expect(
      r.resolve("环保局", on: nil)
        == .ambiguous([DepartmentRef(id: "A1", name: "环保局"), DepartmentRef(id: "B1", name: "环保局")]))
    #expect(r.resolve("财政局", on: "2019-12-31", within: "B").ref?.id == "B2")
    #expect(r.resolve("财政局", on: "2025-12-31", within: "B") == .unknown)
    #expect(r.resolve("财政局", on: "2019-12-31", within: "A") == .unknown)
  }

  @Test func testResolve_ambiguousWithoutDate() {
    let seeds = Seeds(tables: [
      "departments": Fixtures.table(
        "departments",
        """
        id,name,level,parent,valid_from,valid_to
        a,凌海市城乡建设局,部门,,,2019-03-28
        b,凌海市住房和城乡建设局,部门,,2019-03-29,
        """),
      "department_aliases": Fixtures.table(
        "department_aliases",
        """
        alias,department_id,kind,valid_from,valid_to,note
        建设局,a,short,,2019-03-28,
        建设局,b,short,2019-03-29,,
        """),
    ])
    let r = DepartmentRegistry(seeds: seeds, region: "凌海市")
    #expect(
      r.resolve("建设局", on: nil)
        == .ambiguous([DepartmentRef(id: "a", name: "凌海市城乡建设局"), DepartmentRef(id: "b", name: "凌海市住房和城乡建设局")]))
    #expect(r.resolve("建设局", on: "2018-12-31").ref?.id == "a")
    #expect(r.resolve("建设局", on: "2025-12-31").ref?.id == "b")
  }

  @Test func testClosest_typoPutsEnvironmentFirst() {
    #expect(registry.resolve("凌海市环境保户局", on: "2025-12-31") == .unknown)
    let closest = registry.closest("凌海市环境保户局", limit: 3)
    #expect(closest.count == 3)
    #expect(closest.first == DepartmentRef(id: "sthj", name: "锦州市生态环境局凌海分局"))
    #expect(registry.closest("凌海市住房和城乡建没局", limit: 1) == [DepartmentRef(id: "zjj", name: "凌海市住房和城乡建设局")])
  }

  @Test func testExpected_levelsAndYear() {
    #expect(registry.expected(levels: ["部门"], year: 2025).map(\.id) == ["czj", "scj", "sthj", "zjj"])
    #expect(registry.expected(levels: ["部门"], year: 2018).map(\.id) == ["czj", "hyj", "scj", "sthj", "zjj"])
    #expect(registry.expected(levels: ["乡镇", "街道"], year: 2025).map(\.id) == ["jc", "ss"])
    #expect(registry.expected(levels: nil, year: 2025).count == 7)
  }

  @Test func testSimilarity_bigramDice() {
    #expect(TextSimilarity.score("财政局", "财政局") == 1)
    #expect(TextSimilarity.score("财政局", "") == 0)
    #expect(TextSimilarity.score("环境保户局", "环境保护局") > TextSimilarity.score("环境保户局", "生态环境局"))
    #expect(TextSimilarity.nearest("环保局", among: ["财政局", "环保分局", "水利局"], limit: 2) == ["环保分局", "财政局"])
  }
}
