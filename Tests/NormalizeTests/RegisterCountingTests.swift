import AlmanacCore
import Testing

@testable import Normalize

@Suite struct RegisterCountingTests {
  typealias F = Fixtures

  func group(_ type: String, _ result: String, _ carried: String, _ n: Int64, _ lines: [Int]) -> RegisterGroup {
    RegisterGroup(values: [type, result, carried], count: n, sampleLines: lines)
  }

  func outcome(
    _ groups: [RegisterGroup], received: [RegisterReceivedTally]? = nil, repeats: RegisterRepeatedNumbers? = nil
  ) -> SheetOutcome {
    let register = SheetRegister(
      form: "register", headerLine: 3, groupBy: ["applicant_type", "result", "carried"], columns: [4, 6, 8],
      groups: RegisterGroups(groups),
      dataRows: groups.reduce(0) { $0 + $1.count }, received: received, repeatedNumbers: repeats)
    let sheet = Sheet(
      source: F.source("inbox/财政局-台账.csv"), claims: F.claims(metadata: "凌海市财政局", titleYear: 2025), registers: [register]
    )
    return F.normalizer().normalize(sheet)
  }

  func count(_ o: SheetOutcome, _ key: String) -> Int64? {
    if case .integer(let v) = o.submission?.registerCells[key]?.value { return v }
    return nil
  }

  @Test func testRegister_countsNewCarriedPendingAndTotals() throws {
    let o = outcome([
      group("自然人", "予以公开", "否", 3, [4, 5, 6]),
      group("公民", "属于国家秘密", "是", 1, [7]),
      group("企业", "办理中", "", 2, [8, 9]),
      group("律师事务所", "", "", 1, [10]),
      group(" 自然人 ", "不予公开—属于国家秘密", "否", 1, [13]),
    ])
    let s = try #require(o.submission)
    #expect(o.findings == [])
    #expect(s.forms == ["register"])
    #expect(s.cells == [:])
    // every t3 cell of the national layout is computed, zeros included
    #expect(s.registerCells.count == 175)
    #expect(count(o, "t3.r1.np") == 4)
    #expect(count(o, "t3.r2.np") == 1)
    #expect(count(o, "t3.r1.sy") == 2)
    #expect(count(o, "t3.r1.fl") == 1)
    #expect(count(o, "t3.r1.zj") == 7)
    #expect(count(o, "t3.r2.zj") == 1)
    #expect(count(o, "t3.r3_1.np") == 3)
    #expect(count(o, "t3.r3_3_1.np") == 2)
    #expect(count(o, "t3.r3_7.np") == 5)
    #expect(count(o, "t3.r3_7.sy") == 0)
    #expect(count(o, "t3.r3_7.zj") == 5)
    #expect(count(o, "t3.r4.sy") == 2)
    #expect(count(o, "t3.r4.fl") == 1)
    #expect(count(o, "t3.r4.zj") == 3)
    #expect(count(o, "t3.r3_2.np") == 0)
    #expect(s.registerCells["t3.r3_3_1.np"]?.sources.map(\.line) == [7, 13])
    #expect(s.registerCells["t3.r3_2.np"]?.sources == [F.source("inbox/财政局-台账.csv").ref(line: 3)])
    #expect(s.registerCells["t3.r1.zj"]?.raw == "7")
  }

  /// A column holding something else (a different value on every row) is listed up to
  /// `listedUnrecognized` values, the most frequent, one finding each; the rest share one.
  /// A register sent back blank counts nothing, so it is compared with no 表三 (every filled
  /// cell was a REC-REG-001 error against its zeros); an info finding says so.
  @Test func testRegister_withoutApplications_countsNothing() throws {
    let o = outcome([])
    let s = try #require(o.submission)
    #expect(s.registerCells.isEmpty)
    #expect(o.findings.map(\.code) == ["NRM-025"])
    #expect(o.findings.first?.severity == .info)
    #expect(o.findings.first?.message.contains("没有申请记录") == true)
  }

  @Test func testRegister_manyUnrecognizedValues_listTheFrequentOnesAndOneFindingForTheRest() throws {
    let limit = SheetNormalizer.listedUnrecognized
    var groups = [group("自然人", "予以公开", "否", 2, [4, 5])]
    // One value on three rows, then limit + 5 values on one row each.
    groups.append(group("张三", "予以公开", "否", 3, [6, 7, 8]))
    for i in 0..<(limit + 5) { groups.append(group("申请人\(i + 10)", "予以公开", "否", 1, [100 + i])) }
    let o = outcome(groups)
    let findings = o.findings.filter { $0.code == "NRM-011" }
    #expect(findings.count == limit + 1)
    #expect(findings.contains { $0.actual == "张三" })
    let rest = try #require(findings.first { $0.message.contains("未逐一列出") })
    // The listed values are the most frequent (张三) and then the first by value.
    let listed = findings.filter { $0.id != rest.id }.compactMap(\.actual)
    #expect(listed.count == limit)
    #expect(Set(listed).count == limit)
    #expect(rest.actual == "6")
    #expect(rest.message.contains("另有 6 个值无法识别"))
    #expect(rest.message.contains("共 6 条登记未计入表三"))
    #expect(!listed.contains { rest.message.contains("「\($0)」") })
    #expect(rest.sources.count == 6)
    // Every row is still accounted for: only the recognized rows are counted.
    #expect(count(o, "t3.r1.np") == 2)
    // Unchanged below the limit.
    let few = outcome(Array(groups.prefix(limit + 1)))
    #expect(few.findings.filter { $0.code == "NRM-011" }.count == limit)
    #expect(!few.findings.contains { $0.message.contains("未逐一列出") })
  }

  @Test func testRegister_unmappedValuesAreFindingsNotCounted() throws {
    let o = outcome([
      group("自然人", "予以公开", "否", 2, [4, 5]),
      group("外星人", "予以公开", "否", 1, [11]),
      group("自然人", "不知道", "否", 2, [12, 14]),
      group("其他", "信息不存在", "待定", 1, [15]),
      group("自然人", "（七）总计", "否", 1, [16]),
    ])
    #expect(o.findings.map(\.code) == ["NRM-011", "NRM-012", "NRM-012", "NRM-013"])
    // A row counted nowhere leaves the department's 表三 short: an error (the report stays
    // 草稿); a carry-over value that is unclear still counts the row (as new): a warning.
    #expect(o.findings.map(\.severity) == [.error, .error, .error, .warning])
    #expect(o.findings[2].actual == "（七）总计")
    #expect(o.findings[0].actual == "外星人")
    #expect(o.findings[0].sources.map(\.line) == [11])
    #expect(o.findings[0].message.contains("「申请人类型」值「外星人」无法识别，共 1 条登记未计入表三（示例行：11）"))
    #expect(o.findings[0].message.contains("seeds/applicant_types.csv"))
    #expect(o.findings[1].message.contains("共 2 条登记未计入表三（示例行：12、14）"))
    #expect(o.findings[1].message.contains("最接近的已知写法"))
    #expect(o.findings[3].message.contains("「是否上年结转」值「待定」"))
    #expect(count(o, "t3.r1.np") == 2)
    #expect(count(o, "t3.r1.qt") == 1)
    #expect(count(o, "t3.r3_4_1.qt") == 1)
    #expect(count(o, "t3.r1.zj") == 3)
  }

  /// A blank 申请人类型 is no spelling to register (doing so, as the advice said, counted rows
  /// nobody filled in): the finding asks to fill it in.
  @Test func testRegister_blankValue_asksToFillItIn() throws {
    let o = outcome([group("自然人", "予以公开", "否", 2, [4, 5]), group("", "予以公开", "否", 3, [6, 7, 8])])
    #expect(o.findings.map(\.code) == ["NRM-011"])
    #expect(o.findings[0].message.contains("登记台账有 3 条登记的「申请人类型」未填写，未计入表三（示例行：6、7、8）"))
    #expect(o.findings[0].message.contains("不要把空白登记为任何写法"))
    #expect(!o.findings[0].message.contains("seeds/"))
  }

  /// Rows of another year were counted in the report's without a word: one received after it
  /// is an error (it is in this year's 表三), one before it not marked 结转 a warning (counted
  /// as new), a 收到日期 that is no day a warning; last year's rows marked 结转 are right.
  @Test func testRegister_receivedOutsideTheYear_areFindings() throws {
    let o = outcome(
      [group("自然人", "予以公开", "否", 5, [4, 5, 6, 7, 8])],
      received: [
        RegisterReceivedTally(year: nil, carried: "否", rows: 1, sampleLines: [7], example: "2025-02-30"),
        RegisterReceivedTally(year: 2024, carried: "否", rows: 1, sampleLines: [5]),
        RegisterReceivedTally(year: 2024, carried: "是", rows: 1, sampleLines: [4]),
        RegisterReceivedTally(year: 2025, carried: "否", rows: 1, sampleLines: [3]),
        RegisterReceivedTally(year: 2026, carried: "否", rows: 1, sampleLines: [6]),
      ])
    #expect(o.findings.map(\.code) == ["NRM-029", "NRM-029", "NRM-030"])
    #expect(o.findings.map(\.severity) == [.error, .warning, .warning])
    #expect(o.findings[0].message.contains("1 条登记的「收到日期」在 2026 年，晚于报告年度 2025 年，已计入本年度表三（示例行：6）"))
    #expect(o.findings[1].message.contains("在 2024 年，早于报告年度 2025 年，且「是否上年结转」未标为“是”，已按本年新收计入表三（示例行：5）"))
    #expect(o.findings[2].message.contains("无法识别为日期（如「2025-02-30」）"))
    #expect(o.findings.map { $0.sources.map(\.line) } == [[6], [5], [7]])
    #expect(Set(o.findings.map(\.id)).count == 3)
  }

  /// An application entered twice was counted twice without a word: repeated 申请编号 are a
  /// warning naming the numbers and their lines (in the number's column); the counts stay as
  /// written.
  @Test func testRegister_repeatedApplicationNumbers_areAWarning() throws {
    let o = outcome(
      [group("自然人", "予以公开", "否", 5, [4, 5, 6, 7, 8])],
      repeats: RegisterRepeatedNumbers(
        column: 2, numbers: 2, rows: 3,
        examples: [
          .init(number: "环依申〔2025〕1号", firstLine: 4, line: 6), .init(number: "环依申〔2025〕2号", firstLine: 5, line: 7),
          .init(number: "环依申〔2025〕1号", firstLine: 4, line: 8),
        ]))
    #expect(o.findings.map(\.code) == ["NRM-031"])
    #expect(o.findings[0].severity == .warning)
    #expect(
      o.findings[0].message.contains(
        "登记台账有 2 个「申请编号」在多行重复出现，比不重复时多出 3 行，如「环依申〔2025〕1号」（第 4、6 行）、「环依申〔2025〕2号」（第 5、7 行）"))
    #expect(o.findings[0].message.contains("都已按行计入表三"))
    #expect(o.findings[0].sources.map(\.line) == [4, 5, 6, 7, 8])
    #expect(o.findings[0].sources.allSatisfy { $0.column == 2 })
    #expect(o.findings[0].actual == "环依申〔2025〕1号")
    #expect(count(o, "t3.r1.np") == 5)
  }

  @Test func testRegister_missingResultColumnIsError() {
    let register = SheetRegister(
      form: "register", headerLine: 3, groupBy: ["applicant_type", "carried"], columns: [4, 8],
      groups: [RegisterGroup(values: ["自然人", "否"], count: 1, sampleLines: [4])], dataRows: 1)
    let sheet = Sheet(source: F.source(), claims: F.claims(metadata: "财政局"), registers: [register])
    let o = F.normalizer().normalize(sheet)
    #expect(o.findings.map(\.code) == ["NRM-014"])
    #expect(o.findings[0].severity == .error)
    #expect(o.findings[0].message.contains("缺少「办理结果」列"))
    #expect(o.submission?.registerCells == [:])
  }
}
