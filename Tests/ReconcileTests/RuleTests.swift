import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

/// One test per rule of rules.yaml and per built-in check: each fires on a violating fixture and
/// the worked examples of report-2021.md §5 stay silent.
@Suite struct RuleTests {
  typealias F = ReconcileFixtures
  typealias W = WorkedExamples

  static var baseA: F.Tables { W.departments2022[0].tables }
  static var baseB: F.Tables { W.departments2022[1].tables }

  static func run(
    a: F.Tables? = nil, b: F.Tables? = nil, previous: PreviousDataset? = nil,
    tweak: (inout Submission) -> Void = { _ in }
  ) async throws -> Reconciliation {
    var subA = F.submission("ptA", "管委会办公室", path: "a.csv", tables: a ?? baseA)
    tweak(&subA)
    let subB = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b ?? baseB)
    return try await F.reconcile([subA, subB], previous: previous)
  }

  static func only(_ r: Reconciliation, _ code: String) -> [Finding] { r.findings.filter { $0.code == code } }

  static func previous(department: [String: CellValue] = [:], region: [String: CellValue] = [:]) -> PreviousDataset {
    PreviousDataset(
      year: 2021, region: region, departments: ["ptA": department],
      source: SourceFile(path: "outbox/2021/consolidated.csv", sha256: "prev", size: 1))
  }

  // MARK: worked examples

  @Test func testWorkedExample2022_regionEqualsPublished_andNothingFires() async throws {
    let r = try await F.reconcile(W.submissions(W.departments2022, year: 2022))
    #expect(r.ledger.region == W.regionValues(W.published2022))
    #expect(r.findings == [])
  }

  @Test func testWorkedExample2022_withThe2021Carryover_crossYearRulesHold() async throws {
    // report-2021.md §5.2: 2021 结转 1 = 2022 上年结转 1; 665 + 88 − 55 = 698.
    var region: [String: CellValue] = ["t2.gfxwj.youxiao": .integer(665), "t2.guizhang.youxiao": .integer(0)]
    for c in F.t3Columns { region["t3.r4.\(c)"] = .integer(c == "np" || c == "zj" ? 1 : 0) }
    let prev = PreviousDataset(
      year: 2021, region: region, departments: [:], source: F.source("outbox/2021/consolidated.csv"))
    let r = try await F.reconcile(W.submissions(W.departments2022, year: 2022), previous: prev)
    #expect(r.findings == [])
  }

  @Test func testWorkedExample2023_regionEqualsPublished_onlyC9AndTheKnownC2BreakFire() async throws {
    let r2022 = try await F.reconcile(W.submissions(W.departments2022, year: 2022))
    let prev = PreviousDataset(
      year: 2022, region: r2022.ledger.region, departments: [:], source: F.source("outbox/2022/consolidated.csv"))
    let r = try await F.reconcile(W.submissions(W.departments2023, year: 2023), previous: prev, year: 2023)
    #expect(r.ledger.region == W.regionValues(W.published2023))
    #expect(
      r.findings.map { "\($0.code) \($0.department ?? "-") \($0.cell ?? "-")" } == [
        "REC-T2-C2 - t2.gfxwj.youxiao",
        "REC-C9 - t2.xzsyxsf.wanyuan",
        "REC-C9 ptA t2.xzsyxsf.wanyuan",
      ])
    let c2 = try #require(Self.only(r, "REC-T2-C2").first)
    // 698 + 77 − 132 = 643 ≠ 470 (Δ −173), report-2021.md §5.3.
    #expect((c2.expected, c2.actual, c2.difference, c2.severity) == ("643", "470", "-173", .warning))
    #expect(c2.sources.contains(F.source("outbox/2022/consolidated.csv").ref()))
  }

  /// A cross-year finding is shown at this year's cell: last year's dataset (named
  /// `2022/consolidated.csv`, which sorts before the sheets `a.csv`, `b.csv`) is its last source.
  @Test func testCrossYearFinding_isShownAtThisYearsSheet() async throws {
    let r2022 = try await F.reconcile(W.submissions(W.departments2022, year: 2022))
    let dataset = F.source("2022/consolidated.csv")
    let prev = PreviousDataset(year: 2022, region: r2022.ledger.region, departments: [:], source: dataset)
    let r = try await F.reconcile(W.submissions(W.departments2023, year: 2023), previous: prev, year: 2023)
    let c2 = try #require(Self.only(r, "REC-T2-C2").first)
    #expect(c2.sources.last == dataset.ref())
    #expect(c2.sources.first?.file != dataset.path)
    #expect(c2.sources.dropLast().allSatisfy { $0.line > 0 })
  }

  // MARK: strict identities

  @Test func testS1_rowTotalDisagrees_firesNamingBothValues_regionTotalIsRecomputed() async throws {
    var a = Self.baseA
    a.t3["r1"]?[6] = 44  // np 40 + sy 3 = 43
    let r = try await Self.run(a: a)
    let f = try #require(Self.only(r, "REC-T3-S1").first)
    #expect(Self.only(r, "REC-T3-S1").count == 1)
    #expect(
      (f.department, f.form, f.cell, f.expected, f.actual, f.difference) == ("ptA", "t3", "t3.r1.zj", "43", "44", "1"))
    #expect(f.severity == .error && f.stage == "reconcile")
    #expect(f.message.contains("管委会办公室") && f.message.contains("填报为 44") && f.message.contains("按明细计算为 43"))
    #expect(f.sources.contains(F.source("a.csv").ref(line: 10, column: 10)))
    #expect(f.sources.count == 7)
    // The region's total comes from the breakdowns (74), not from the departments' totals (75).
    #expect(r.ledger.region["t3.r1.zj"] == .integer(74))
  }

  @Test func testS2_breakdownDisagreesWithTotal_whileS3Balances_isCaught() async throws {
    var a = Self.baseA
    a.t3["r3_1"] = [20, 0, 0, 0, 0, 0, 20]  // was 21: the breakdown now sums to 40, （七）总计 still says 41
    let r = try await Self.run(a: a)
    let s2 = Self.only(r, "REC-T3-S2").filter { $0.department == "ptA" }
    #expect(s2.map(\.cell) == ["t3.r3_7.np", "t3.r3_7.zj"])
    #expect((s2.first?.expected, s2.first?.actual, s2.first?.difference) == ("40", "41", "1"))
    #expect(Self.only(r, "REC-T3-S3").filter { $0.department == "ptA" } == [])
    #expect(Self.only(r, "REC-T3-S1") == [])
    // Region （七）总计 is recomputed from the breakdowns, so the region's own 勾稽关系 breaks.
    #expect(r.ledger.region["t3.r3_7.np"] == .integer(71))
    let regionS3 = Self.only(r, "REC-T3-S3").filter { $0.department == nil }
    #expect(regionS3.map(\.cell) == ["t3.r1.np", "t3.r1.zj"])
    #expect((regionS3.first?.expected, regionS3.first?.actual) == ("71", "72"))
    // The region's finding names the departments' figures behind its cells: both files, the
    // departments' own （七）总计 among them, each place once; the department that makes the
    // difference first, its （七）总计 that its outcomes do not add up to leading (the finding
    // is shown there, not at its 本年新收, which is right), then the rest in order.
    let sources = try #require(regionS3.first?.sources)
    #expect(Set(sources.map(\.file)) == ["a.csv", "b.csv"])
    let total = CellKey(form: "t3", row: "r3_7", column: "np")
    #expect(sources.contains(F.figure(.integer(0), key: total, file: F.source("a.csv")).sources[0]))
    #expect(sources.contains(F.figure(.integer(0), key: total, file: F.source("b.csv")).sources[0]))
    #expect(sources.count == Set(sources).count)
    let fromA = sources.prefix { $0.file == "a.csv" }
    #expect(fromA.count == 4 && fromA.first == F.figure(.integer(0), key: total, file: F.source("a.csv")).sources[0])
    #expect(Array(fromA.dropFirst()) == fromA.dropFirst().sorted())
    #expect(Array(sources.dropFirst(4)) == sources.dropFirst(4).sorted())
    // ptA's own S-3 holds by its declared total (41); the region's reads the total its outcomes
    // make (40), and says which department the difference comes from.
    let message = try #require(regionS3.first?.message)
    #expect(message.contains("差额来自（各单位的总计按其明细重算）：管委会办公室（相差 1）。"), "\(message)")
    #expect(!message.contains("自然资源与规划局"))
  }

  @Test func testRegionFinding_blankTotal_namesTheDepartmentWhoseOutcomesAreMissing() async throws {
    // ptA reports 3 more new applications (row total too) and no outcome for them.
    var a = Self.baseA
    a.t3["r1"] = a.t3["r1"].map { row in [row[0] + 3] + row.dropFirst(1).dropLast() + [row[6] + 3] }
    let written = try await Self.run(a: a)
    #expect(Self.only(written, "REC-T3-S3").contains { $0.department == "ptA" && $0.cell == "t3.r1.np" })
    // With its （七）总计 left blank, its own S-3 cannot be checked (a blank total asserts
    // nothing); the region's still fails, and names ptA.
    let blank = try await Self.run(a: a) { s in
      s.cells["t3.r3_7.np"] = F.figure(
        .blank(token: ""), key: CellKey(form: "t3", row: "r3_7", column: "np"), file: s.source)
    }
    #expect(Self.only(blank, "REC-T3-S3").filter { $0.department == "ptA" && $0.cell == "t3.r1.np" } == [])
    let region = try #require(
      Self.only(blank, "REC-T3-S3").first { $0.department == nil && $0.cell == "t3.r1.np" })
    #expect(region.difference == "3")
    #expect(region.message.contains("差额来自（各单位的总计按其明细重算）：管委会办公室（相差 3）。"), "\(region.message)")
    #expect(region.sources.first?.file == "a.csv")
  }

  /// A department that did not send one of the forms a region rule reads counts as 0 there, as
  /// in the region's sums; the finding says so, since the department has no such finding of its
  /// own. A rule with a constant term names no departments: their differences would not add up.
  @Test func testRegionShares_sayWhenAFormWasNotSent_andAreLeftOutForConstants() async throws {
    var pipeline = try F.pipeline()
    pipeline.rules = [
      RuleDefinition(code: "T-X", severity: .error, scope: "region", title: "测试", formula: "t3.r1.np = t4.fy.wc"),
      RuleDefinition(code: "T-C", severity: .error, scope: "region", title: "测试", formula: "t3.r1.np + 1 = t4.fy.wc"),
    ]
    var a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.baseA)
    a.cells = a.cells.filter { !$0.key.hasPrefix("t4.") }
    a.forms = a.forms.filter { $0 != "t4" }
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.baseB)
    let r = try await F.reconcile([a, b], pipeline: pipeline)
    let shared = try #require(r.findings.first { $0.code == "T-X" })
    #expect(shared.message.contains("管委会办公室（相差"), "\(shared.message)")
    #expect(shared.message.contains("，未报送表四，按 0 计）"), "\(shared.message)")
    let constant = try #require(r.findings.first { $0.code == "T-C" })
    #expect(!constant.message.contains("差额来自"), "\(constant.message)")

    // A total defined by a rate (here a division) is no sum of the departments' parts.
    var rated = pipeline
    rated.rules = [
      RuleDefinition(
        code: "T-D", severity: .error, scope: "department", title: "测试", formula: "t4.fy.zj = t4.fy.wc / t4.fy.jz"),
      RuleDefinition(code: "T-S", severity: .error, scope: "region", title: "测试", formula: "t4.fy.zj = t4.ss_fy.wc"),
    ]
    var b6 = Self.baseB
    b6.t4["fy"] = [6, 3, 0, 0, 9]
    b6.t4["ss_fy"] = [5, 0, 0, 0, 5]
    let byRate = try await F.reconcile([F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b6)], pipeline: rated)
    let noShares = byRate.findings.filter { $0.code == "T-S" }
    // Nor is a total the region took from another form.
    var crossForm = pipeline
    crossForm.rules = [
      RuleDefinition(
        code: "T-F", severity: .error, scope: "department", title: "测试", formula: "t4.fy.zj = t3.r4.np"),
      RuleDefinition(code: "T-G", severity: .error, scope: "region", title: "测试", formula: "t4.fy.zj = t4.fy.wc"),
    ]
    let fromT3 = try await F.reconcile(
      [F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b6)], pipeline: crossForm)
    let crossed = fromT3.findings.filter { $0.code == "T-G" }
    #expect(crossed.count == 1 && crossed.allSatisfy { !$0.message.contains("差额来自") }, "\(fromT3.findings)")
    #expect(noShares.count == 1 && noShares.allSatisfy { !$0.message.contains("差额来自") }, "\(byRate.findings)")
  }

  @Test func testS3_flowDoesNotBalance_fires() async throws {
    var a = Self.baseA
    a.t3["r4"] = [1, 0, 0, 0, 0, 0, 1]
    let r = try await Self.run(a: a)
    let s3 = Self.only(r, "REC-T3-S3").filter { $0.department == "ptA" }
    #expect(s3.map(\.cell) == ["t3.r1.np", "t3.r1.zj"])
    #expect((s3.first?.expected, s3.first?.actual, s3.first?.difference) == ("42", "41", "-1"))
  }

  @Test func testS4_t4GroupTotalDisagrees_fires() async throws {
    var a = Self.baseA
    a.t4["fy"]?[4] = 3
    let r = try await Self.run(a: a)
    let f = try #require(Self.only(r, "REC-T4-S4").first)
    #expect(Self.only(r, "REC-T4-S4").count == 1)
    #expect((f.department, f.cell, f.expected, f.actual, f.difference) == ("ptA", "t4.fy.zj", "2", "3", "1"))
    #expect(r.ledger.region["t4.fy.zj"] == .integer(2))
  }

  @Test func testS1X_localSubtotalColumn_checkedOnlyWhereFilled() async throws {
    let r = try await Self.run { s in
      s.cells["t3.r1.xj"] = F.figure(.integer(2), key: CellKey(form: "t3", row: "r1", column: "xj"), file: s.source)
      s.cells["t3.r2.xj"] = F.figure(.integer(0), key: CellKey(form: "t3", row: "r2", column: "xj"), file: s.source)
    }
    let f = Self.only(r, "REC-T3-S1X")
    #expect(f.map(\.cell) == ["t3.r1.xj"])
    #expect((f.first?.expected, f.first?.actual) == ("3", "2"))
    #expect(r.ledger.region["t3.r1.xj"] == nil)
  }

  // MARK: conventions

  @Test func testC1_carryOverDiffersFromLastYear_warns() async throws {
    let r = try await Self.run(previous: Self.previous(department: ["t3.r4.np": .integer(5)]))
    let f = Self.only(r, "REC-T3-C1")
    #expect(f.map(\.cell) == ["t3.r2.np"])
    #expect((f.first?.expected, f.first?.actual, f.first?.difference, f.first?.severity) == ("5", "1", "-4", .warning))
    #expect(f.first?.sources.first == SourceRef(file: "a.csv", sha256: Digest.sha256Hex("a.csv"), line: 11, column: 4))
    #expect(f.first?.sources.last?.file == "outbox/2021/consolidated.csv")
  }

  @Test func testC2_inForceChainBreaks_warns() async throws {
    let r = try await Self.run(previous: Self.previous(department: ["t2.gfxwj.youxiao": .integer(300)]))
    let f = Self.only(r, "REC-T2-C2")
    #expect(f.map(\.cell) == ["t2.gfxwj.youxiao"])
    #expect((f.first?.expected, f.first?.actual, f.first?.difference) == ("320", "400", "80"))
  }

  @Test func testC1_regionBreak_namesTheUnitThatStoppedSending() async throws {
    // Last year a township carried 2 applications over; this year it sent nothing. No
    // department check can show that: the region's finding names it.
    let previous = PreviousDataset(
      year: 2021, region: ["t3.r4.np": .integer(3)],
      departments: [
        "ptA": ["t3.r4.np": .integer(1)], "ptB": ["t3.r4.np": .integer(0)], "ptGone": ["t3.r4.np": .integer(2)],
      ],
      departmentNames: ["ptGone": "平潭综合实验区城关镇"],
      source: SourceFile(path: "2021/consolidated.csv", sha256: "prev", size: 1))
    let r = try await Self.run(previous: previous)
    let f = Self.only(r, "REC-T3-C1").filter { $0.department == nil && $0.cell == "t3.r2.np" }
    #expect((f.first?.expected, f.first?.actual, f.first?.difference) == ("3", "1", "-2"))
    #expect(f.first?.message.contains("差额来自：平潭综合实验区城关镇（相差 -2，本年未报送，按 0 计）。") == true)
    // The departments that carried over what they said they would are not named.
    #expect(f.first?.message.contains("管委会办公室（") == false)
    #expect(Self.only(r, "REC-T3-C1").allSatisfy { $0.department == nil })
  }

  @Test func testC1_regionBreak_namesAUnitNewThisYear() async throws {
    // The office's carried-over application has no line in last year's dataset (the unit
    // was not registered then): its own check cannot run, the region's names it.
    let previous = PreviousDataset(
      year: 2021, region: ["t3.r4.np": .integer(0)], departments: ["ptB": ["t3.r4.np": .integer(0)]],
      source: SourceFile(path: "2021/consolidated.csv", sha256: "prev", size: 1))
    let r = try await Self.run(previous: previous)
    let f = Self.only(r, "REC-T3-C1").filter { $0.cell == "t3.r2.np" }
    #expect(f.map(\.department) == [nil])
    #expect(f.first?.message.contains("差额来自：管委会办公室（相差 1，上年数据中没有该单位，按 0 计）。") == true)
    #expect(f.first?.sources.first?.file == "a.csv")
  }

  @Test func testC3_moreIssuedThanInForceAndRepealed_warns() async throws {
    var a = Self.baseA
    a.t2["gfxwj.zhifa"] = 500
    let r = try await Self.run(a: a)
    let f = Self.only(r, "REC-T2-C3")
    #expect(f.map(\.cell) == ["t2.gfxwj.zhifa"])
    #expect((f.first?.expected, f.first?.actual, f.first?.difference) == ("430", "500", "70"))
  }

  @Test func testC4_countyLevelRegulation_warns() async throws {
    var a = Self.baseA
    a.t2["guizhang.youxiao"] = 2
    let r = try await Self.run(a: a)
    let f = Self.only(r, "REC-T2-C4")
    #expect(
      f.map { "\($0.department ?? "-") \($0.cell ?? "-")" } == ["- t2.guizhang.youxiao", "ptA t2.guizhang.youxiao"])
    #expect((f.first?.expected, f.first?.actual) == ("0", "2"))
  }

  @Test func testC7_unpaidFeeCases_hintAtSectionSix() async throws {
    var a = Self.baseA
    a.t3["r3_6_2"] = [1]
    a.t3["r1"]?[0] += 1
    let r = try await Self.run(a: a.completed())
    let f = Self.only(r, "REC-T3-C7")
    #expect(f.map { "\($0.department ?? "-") \($0.cell ?? "-")" } == ["- t3.r3_6_2.zj", "ptA t3.r3_6_2.zj"])
    #expect((f.first?.expected, f.first?.actual, f.first?.severity) == ("0", "1", .warning))
    #expect(f.first?.message.contains("六、其他需要报告的事项") == true)
    #expect(r.findings.filter { $0.severity == .error } == [])
  }

  @Test func testC8_suitsAfterReviewExceedReviews_isInfo() async throws {
    var b = Self.baseB
    b.t4["ss_fy"] = [1, 0, 0, 0, 1]
    let r = try await Self.run(b: b)
    let f = Self.only(r, "REC-T4-C8").filter { $0.department == "ptB" }
    #expect(f.map(\.cell) == ["t4.ss_fy.zj"])
    #expect((f.first?.expected, f.first?.actual, f.first?.severity) == ("0", "1", .info))
  }

  @Test func testC8B_casesExceedHandledApplications_isInfo() async throws {
    var b = Self.baseB
    b.t4["fy"] = [40, 0, 0, 0, 40]
    let r = try await Self.run(b: b)
    let f = Self.only(r, "REC-T4-C8B").filter { $0.department == "ptB" }
    #expect(f.map(\.cell) == ["t3.r3_7.zj"])
    #expect((f.first?.expected, f.first?.actual, f.first?.difference) == ("31", "40", "9"))
  }

  // MARK: built-in checks

  @Test func testS5_negativeFractionAndText_areErrors() async throws {
    let r = try await Self.run { s in
      let file = s.source
      func key(_ k: String) -> CellKey { CellKey(k) ?? CellKey(form: "", row: "", column: "") }
      s.cells["t2.xzcf.jueding"] = F.figure(.integer(-1), key: key("t2.xzcf.jueding"), file: file)
      s.cells["t2.xzqz.jueding"] = F.figure(
        .decimal(Decimal(string: "1.5") ?? 0), key: key("t2.xzqz.jueding"), file: file)
      s.cells["t3.r3_3_1.np"] = F.figure(.text("若干"), key: key("t3.r3_3_1.np"), file: file)
    }
    let f = Self.only(r, "REC-S5")
    #expect(f.map(\.cell) == ["t2.xzcf.jueding", "t2.xzqz.jueding", "t3.r3_3_1.np"])
    #expect(f[1].message.contains("为 1.5，件数应为整数，未计入汇总"))
    #expect(f[0].message.contains("为负数 -1，件数不能小于 0，未计入汇总"))
    #expect(f.map(\.actual) == ["-1", "1.5", "若干"])
    #expect(f.map(\.expected) == [">= 0", "非负整数", "非负整数"])
    #expect(f.allSatisfy { $0.severity == .error && $0.department == "ptA" })
    #expect(f.last?.sources == [F.source("a.csv").ref(line: 14, column: 4)])
    // Text is not summed: the region keeps the other department's value (0). Nor is a
    // figure S-5 refuses (the report printed 办结80.5件): the region has ptB's figures only.
    #expect(r.ledger.region["t3.r3_3_1.np"] == .integer(0))
    let base = try await Self.run()
    for cell in ["t2.xzcf.jueding", "t2.xzqz.jueding"] {
      let bOnly = try #require(base.ledger.region[cell]?.number) - (Self.baseA.t2[String(cell.dropFirst(3))] ?? 0)
      #expect(r.ledger.region[cell]?.number == bOnly, "\(cell)")
    }
  }

  /// What Excel and WPS leave in a cell instead of a number gets advice on that cause.
  @Test func testS5_spreadsheetLeftoversSayWhatHappened() async throws {
    let texts = ["#VALUE!", "#ref!", "=SUM(D6:D9)", "1.2E+03", "若干", "(3)", "（1,234）", "(1.50)", "(0)"]
    let cells = [
      "t3.r3_1.np", "t3.r3_1.sy", "t3.r3_1.ky", "t3.r3_1.gy", "t3.r3_1.fl", "t3.r3_1.qt", "t3.r3_2.np",
      "t2.xzsyxsf.wanyuan", "t3.r3_2.sy",
    ]
    let r = try await Self.run { s in
      for (cell, text) in zip(cells, texts) {
        let key = CellKey(cell) ?? CellKey(form: "", row: "", column: "")
        s.cells[cell] = F.figure(.text(text), key: key, file: s.source)
      }
    }
    let f = Dictionary(uniqueKeysWithValues: Self.only(r, "REC-S5").map { ($0.actual ?? "", $0.message) })
    #expect(f["#VALUE!"]?.contains("公式错误值") == true, "\(f)")
    #expect(f["#ref!"]?.contains("公式错误值") == true, "\(f)")
    #expect(f["=SUM(D6:D9)"]?.contains("公式本身") == true, "\(f)")
    #expect(f["1.2E+03"]?.contains("科学计数法") == true, "\(f)")
    #expect(f["若干"]?.contains("请填写件数") == true, "\(f)")
    #expect(f["若干"].map { !$0.contains("公式") && !$0.contains("科学计数法") && !$0.contains("会计格式") } == true, "\(f)")
    // Excel's accounting format shows −3 as (3).
    #expect(f["(3)"]?.contains("会计格式显示的负数 -3") == true, "\(f)")
    #expect(f["（1,234）"]?.contains("会计格式显示的负数 -1,234") == true, "\(f)")
    #expect(f["(1.50)"]?.contains("会计格式显示的负数 -1.50（Excel/WPS 把负数显示在括号中），金额不能为负") == true, "\(f)")
    #expect(f["(0)"].map { !$0.contains("会计格式") } == true, "\(f)")
  }

  /// A whole number too large for a count is not called a fraction.
  @Test func testS5_hugeWholeNumber_isTooLargeNotAFraction() async throws {
    let r = try await Self.run { s in
      let key = CellKey(form: "t3", row: "r1", column: "np")
      s.cells[key.description] = F.figure(
        .decimal(Decimal(string: "99999999999999999999") ?? 0), key: key, file: s.source)
    }
    let f = Self.only(r, "REC-S5")
    #expect(f.count == 1)
    #expect(f.first?.message.contains("为 99999999999999999999，数字过大，不可能是件数") == true, "\(f.map(\.message))")
  }

  /// A number with a unit of another kind than its cell's (normalize leaves it as text) says
  /// so, instead of “不是数字”.
  @Test func testS5_unitOfAnotherKind_isNamed() async throws {
    let texts = [
      "t2.xzcf.jueding": "865元", "t3.r3_1.np": "60%", "t2.xzsyxsf.wanyuan": "12件", "t3.r3_1.sy": "若干",
      "t3.r3_1.ky": "22余", "t3.r3_1.gy": "1,204", "t3.r3_1.fl": "6①",
    ]
    let r = try await Self.run { s in
      for (cell, text) in texts {
        let key = CellKey(cell) ?? CellKey(form: "", row: "", column: "")
        s.cells[cell] = F.figure(.text(text), key: key, file: s.source)
      }
    }
    let f = Dictionary(uniqueKeysWithValues: Self.only(r, "REC-S5").map { ($0.actual ?? "", $0.message) })
    #expect(f["865元"]?.contains("填写的“865元”带有单位“元”，而本栏填写件数，无法确定应计入的数字，未计入汇总。") == true, "\(f)")
    #expect(f["60%"]?.contains("带有单位“%”，而本栏填写件数") == true, "\(f)")
    #expect(f["12件"]?.contains("带有单位“件”，而本栏以万元为单位") == true, "\(f)")
    #expect(f["若干"]?.contains("填写的“若干”不是数字，未计入汇总。") == true, "\(f)")
    #expect(f["22余"]?.contains("填写的“22余”是约数，无法确定应计入的数字，未计入汇总。") == true, "\(f)")
    #expect(f["1,204"]?.contains("填写的“1,204”在导出的 CSV 中被千位分隔符拆到了相邻的单元格") == true, "\(f)")
    #expect(f["6①"]?.contains("填写的“6①”带有脚注或上标符号“①”，无法确定应计入的数字") == true, "\(f)")
  }

  @Test func testC9_tooManyDecimals_warnsForDepartmentAndRegion() async throws {
    var a = Self.baseA
    a.t2["xzsyxsf.wanyuan"] = W.dec("5000.123456")
    let r = try await Self.run(a: a)
    let f = Self.only(r, "REC-C9")
    #expect(f.map { "\($0.department ?? "-") \($0.actual ?? "-")" } == ["- 9116.323456", "ptA 5000.123456"])
    #expect(r.ledger.region["t2.xzsyxsf.wanyuan"] == .decimal(W.dec("9116.323456")))
    // The region's warning is shown where the decimals were written, and names who wrote them.
    let region = try #require(f.first)
    #expect(region.sources.first?.file == "a.csv")
    #expect(region.message.contains("位小数（来自管委会办公室）"), "\(region.message)")
  }

  /// A department's total it left out (no 总计 column, no （七）总计 row: forms.md §2 lets it
  /// delete them) is not checked as if written 0; the region recomputes it.
  @Test func testMissingTotals_areNotCheckedAsZero() async throws {
    let r = try await Self.run { s in
      for k in s.cells.keys where k.hasSuffix(".zj") || k.hasPrefix("t3.r3_7.") { s.cells[k] = nil }
    }
    #expect(r.findings.filter { $0.severity != .info }.map(\.code) == [], "\(r.findings.map(\.message))")
    #expect(r.ledger.region["t3.r1.zj"] == .integer(74))
  }

  /// One more than the figure `s` wrote in `cell` (a count).
  static func addOne(to cell: String, in s: inout Submission) {
    guard let key = CellKey(cell) else { return }
    let v = s.cells[cell]?.value.number ?? 0
    s.cells[cell] = F.figure(.integer(Int64(truncating: v as NSDecimalNumber) + 1), key: key, file: s.source)
  }

  /// A 表三 without its （七）总计 row is still checked: its total is its outcomes' sum, and
  /// S-3 (新收 + 结转 = 办结 + 结转下年) fails where the rows it did write do not balance.
  @Test func testMissingTotalRow_departmentIsStillCheckedForS3() async throws {
    let r = try await Self.run { s in
      for k in s.cells.keys where k.hasPrefix("t3.r3_7.") { s.cells[k] = nil }
      Self.addOne(to: "t3.r4.np", in: &s)
      Self.addOne(to: "t3.r4.zj", in: &s)
    }
    let s3 = r.findings.filter { $0.code == "REC-T3-S3" && $0.department == "ptA" }
    #expect(s3.compactMap(\.cell).sorted() == ["t3.r1.np", "t3.r1.zj"], "\(r.findings.map(\.message))")
    #expect(!r.findings.contains { $0.department == "ptA" && ["REC-T3-S1", "REC-T3-S2"].contains($0.code) })
  }

  /// A total computed for a department is never quoted as written, and a total it wrote is
  /// never replaced: without its （七）总计 row and with one outcome changed, the outcome's row
  /// total (S-1) and its column's balance (S-3) are reported, nothing about the （七）总计 row.
  @Test func testMissingTotalRow_outcomeChanged_reportsOnlyWhatWasWritten() async throws {
    let r = try await Self.run { s in
      for k in s.cells.keys where k.hasPrefix("t3.r3_7.") { s.cells[k] = nil }
      Self.addOne(to: "t3.r3_1.np", in: &s)
    }
    let own = r.findings.filter { $0.department == "ptA" && $0.severity == .error }
    #expect(own.map(\.code).sorted() == ["REC-T3-S1", "REC-T3-S3"], "\(own.map(\.message))")
    #expect(!own.contains { $0.message.contains("（七）总计 · 总计」填报为") })
    #expect(own.allSatisfy { !$0.sources.isEmpty })
  }

  /// Without its 总计 column, a department whose written （七）总计 row disagrees with its
  /// outcomes in one column gets that column's S-2 only: no S-3 on a 总计 column rebuilt from
  /// rows (it invented a difference no column has).
  @Test func testMissingTotalColumn_reportsTheColumnOnly() async throws {
    let r = try await Self.run { s in
      for k in s.cells.keys where k.hasSuffix(".zj") && k.hasPrefix("t3.") { s.cells[k] = nil }
      Self.addOne(to: "t3.r3_1.np", in: &s)
    }
    let own = r.findings.filter { $0.department == "ptA" && $0.severity == .error }
    #expect(own.map { "\($0.code) \($0.cell ?? "")" } == ["REC-T3-S2 t3.r3_7.np"], "\(own.map(\.message))")
  }

  @Test func testC10_blankTokens_areReportedWithTokenAndSource_andCountAsZero() async throws {
    let r = try await Self.run { s in
      s.cells["t3.r3_3_1.np"] = F.figure(
        .blank(token: "/"), key: CellKey(form: "t3", row: "r3_3_1", column: "np"), file: s.source)
      s.cells["t4.ss_fy.qt"] = F.figure(
        .blank(token: ""), key: CellKey(form: "t4", row: "ss_fy", column: "qt"), file: s.source)
    }
    let f = Self.only(r, "REC-C10")
    #expect(f.map(\.cell) == ["t3.r3_3_1.np", "t4.ss_fy.qt"])
    #expect(f.map(\.actual) == ["/", ""])
    #expect(f.first?.sources == [F.source("a.csv").ref(line: 14, column: 4)])
    #expect(f.first?.message.contains("“/”") == true)
    #expect(r.findings.filter { $0.severity == .error } == [])
  }

  @Test func testC10_blankTotal_isReportedOnce_notAsAMismatch() async throws {
    let r = try await Self.run { s in
      s.cells["t3.r1.zj"] = F.figure(
        .blank(token: ""), key: CellKey(form: "t3", row: "r1", column: "zj"), file: s.source)
    }
    #expect(r.findings.map { "\($0.code) \($0.cell ?? "-")" } == ["REC-C10 t3.r1.zj"])
    #expect(r.ledger.region["t3.r1.zj"] == .integer(74))
  }

  /// A register agreeing with `s`'s 表三 cell by cell (its breakdown; totals are recomputed),
  /// its rows on line 100.
  static func registerOfTable(_ s: Submission) -> [String: Figure] {
    var register: [String: Figure] = [:]
    for (k, fig) in s.cells {
      guard let key = CellKey(k), key.form == "t3", key.column != "zj", key.row != "r3_7" else { continue }
      register[k] = Figure(value: fig.value, raw: fig.raw, sources: [s.source.ref(line: 100, column: 3)])
    }
    return register
  }

  @Test func testRegister_differsFromSubmittedTable_cellByCell() async throws {
    let r = try await Self.run { s in
      var register = Self.registerOfTable(s)
      register["t3.r3_1.np"]?.value = .integer(20)
      s.registerCells = FigureTable(register)
      s.forms.append("register")
    }
    let f = Self.only(r, "REC-REG-001")
    #expect(f.map(\.cell) == ["t3.r3_1.np", "t3.r3_1.zj", "t3.r3_7.np", "t3.r3_7.zj"])
    #expect((f.first?.expected, f.first?.actual, f.first?.difference) == ("20", "21", "1"))
    #expect(
      f.first?.sources == [F.source("a.csv").ref(line: 12, column: 4), F.source("a.csv").ref(line: 100, column: 3)])
    // The submitted table, not the register, feeds the region.
    #expect(r.ledger.region["t3.r3_1.np"] == .integer(21))
  }

  /// A table without its 总计 column beside a register that agrees with it cell by cell: no
  /// REC-REG-001 on the totals it left out (they were compared as “（未填）”).
  @Test func testRegister_tableWithoutTotals_isComparedOnItsBreakdown() async throws {
    let r = try await Self.run { s in
      s.registerCells = FigureTable(Self.registerOfTable(s))
      s.forms.append("register")
      for k in s.cells.keys where k.hasPrefix("t3.") && k.hasSuffix(".zj") { s.cells[k] = nil }
    }
    #expect(Self.only(r, "REC-REG-001").isEmpty, "\(Self.only(r, "REC-REG-001").map(\.message))")
  }

  @Test func testRegisterOnly_departmentIsCheckedOnItsCountsWithRecomputedTotals() async throws {
    let r = try await Self.run { s in
      var register: [String: Figure] = [:]
      for (k, fig) in s.cells {
        guard let key = CellKey(k), key.form == "t3", key.column != "zj", key.row != "r3_7" else { continue }
        register[k] = fig
      }
      s.cells = s.cells.filter { !$0.key.hasPrefix("t3.") }
      s.registerCells = FigureTable(register)
      s.forms = ["register", "t2", "t4"]
    }
    #expect(r.findings == [])
    #expect(r.ledger.region == W.regionValues(W.published2022))
  }
}
