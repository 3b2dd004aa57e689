import AlmanacCore
import Foundation
import Testing

@testable import Consolidate

@Suite struct LineageTests {
  static func lineage() throws -> Lineage {
    Lineage(reconciliation: Fixture.reconciliation(), forms: try Fixture.pipeline().forms, regionName: "凌海市")
  }

  /// The value printed in the staged `tables/t3.csv` for a row index and column index.
  static func t3Cell(_ run: StagedRun, row: Int, column: Int) throws -> String {
    let rows = try run.records("tables/t3.csv")
    try #require(row < rows.count && column < rows[row].count)
    return rows[row][column]
  }

  @Test func testExplain_totalEqualsTableCellForT3R1ZJ() async throws {
    let run = try await StagedRun.make()
    let answer = try Self.lineage().explain(try #require(CellKey("t3.r1.zj")))
    #expect(answer.recomputed)
    #expect(answer.total == "12")
    #expect(answer.total == (try Self.t3Cell(run, row: 3, column: 9)))
    #expect(answer.value == "12" && answer.matches)
    // 6 applicant columns × 2 departments, none of them the 总计 itself.
    #expect(answer.contributions.count == 12)
    #expect(!answer.contributions.contains { $0.cell.hasSuffix(".zj") })
    let np = answer.contributions.first { $0.department == "D01" && $0.cell == "t3.r1.np" }
    #expect(np?.value == "5")
    #expect(np?.sources == [SourceRef(file: "2021/教育局-v2.csv", sha256: Fixture.shaA, line: 12, column: 4)])
  }

  @Test func testExplain_totalEqualsTableCellForT3R37ZJ() async throws {
    let run = try await StagedRun.make()
    let answer = try Self.lineage().explain(try #require(CellKey("t3.r3_7.zj")))
    #expect(answer.total == "13")
    #expect(answer.total == (try Self.t3Cell(run, row: 26, column: 9)))
    #expect(answer.matches)
    // 21 result rows × 6 applicant columns × 2 departments.
    #expect(answer.contributions.count == 21 * 6 * 2)
    let cells = Set(answer.contributions.map(\.cell))
    #expect(cells.contains("t3.r3_6_3.qt") && cells.contains("t3.r3_1.np"))
    #expect(!cells.contains("t3.r1.np") && !cells.contains("t3.r4.np") && !cells.contains("t3.r3_7.np"))
  }

  @Test func testExplain_plainCellSumsDepartments() throws {
    let answer = try Self.lineage().explain(try #require(CellKey("t2.xzcf.jueding")))
    #expect(!answer.recomputed)
    #expect(answer.contributions.map { "\($0.department)=\($0.value)" } == ["D01=10", "D02=-3"])
    // D02's −3 is an S-5 error, listed and not counted.
    #expect(answer.contributions.map(\.counted) == [true, false])
    #expect(answer.total == "10" && answer.value == "10" && answer.matches)
    #expect(answer.text.contains("[数字无效（负数或非整数件数），未计入]"), "\(answer.text)")
    // The department's own cell is read as its rules read it: −3 is its figure (S-5 reports it).
    let own = try Self.lineage().explain(try #require(CellKey("t2.xzcf.jueding")), department: "D02")
    #expect(own.contributions.map(\.counted) == [true] && own.total == "-3" && own.matches)
  }

  @Test func testExplain_blankAndTextAreListedButNotCounted() throws {
    let answer = try Self.lineage().explain(try #require(CellKey("t3.r2.np")))
    #expect(answer.contributions.map(\.counted) == [true, false])
    #expect(answer.contributions.last?.raw == "/")
    #expect(answer.total == "2")
    let text = try Self.lineage().explain(try #require(CellKey("t2.guizhang.zhifa")))
    #expect(text.contributions.map(\.counted) == [true, false])
    #expect(text.text.contains("[非数值，未计入]"))
  }

  @Test func testExplain_departmentShowsRegisterForComparison() throws {
    let answer = try Self.lineage().explain(try #require(CellKey("t3.r1.np")), department: "D01")
    #expect(answer.department == "D01" && answer.departmentName == "凌海市教育局")
    #expect(answer.contributions.map(\.kind) == [.submitted, .register])
    #expect(answer.contributions.map(\.counted) == [true, false])
    #expect(answer.contributions.last?.sources.count == 5)
    #expect(answer.total == "5" && answer.value == "5")
  }

  /// A unit that sent its register and no 表三: the register's count is its figure (it was
  /// “（无数值）… 与表中数值不一致，请核对”, for the figure the region adds).
  @Test func testExplain_registerOnlyDepartment_showsTheCountAsItsFigure() throws {
    var rec = Fixture.reconciliation()
    let i = try #require(rec.ledger.accepted.firstIndex { $0.department == "D01" })
    let table = rec.ledger.accepted[i].cells
    var kept = FigureTable()
    for (n, key) in table.keys.enumerated() where !key.hasPrefix("t3.") { kept[key] = table.figure(at: n) }
    rec.ledger.accepted[i].cells = kept
    let lineage = Lineage(reconciliation: rec, forms: try Fixture.pipeline().forms, regionName: "凌海市")
    let answer = try lineage.explain(try #require(CellKey("t3.r1.np")), department: "D01")
    #expect(answer.value == "5" && answer.matches && answer.fromRegister == true)
    #expect(answer.text.contains("凌海市教育局（D01）：5（按登记台账统计，未报送统计表）"), "\(answer.text)")
    #expect(answer.text.contains("与表中数值一致"))
    // Every row's line is listed: nothing more to say.
    #expect(!answer.text.contains("条登记之和"))
    // Where the count has more rows than lines kept, the lines are examples, and it says so.
    var figure = try #require(rec.ledger.accepted[i].registerCells["t3.r1.np"])
    figure.value = .integer(124)
    figure.raw = "124"
    rec.ledger.accepted[i].registerCells["t3.r1.np"] = figure
    let more = try Lineage(reconciliation: rec, forms: try Fixture.pipeline().forms, regionName: "凌海市")
      .explain(try #require(CellKey("t3.r1.np")), department: "D01")
    #expect(more.text.contains("t3.r1.np = 124  [台账统计]"), "\(more.text)")
    #expect(more.text.contains("（此数为台账中 124 条登记之和，以上 5 行为示例；"), "\(more.text)")
  }

  /// A unit whose 表三 lacks a row its register counts: the region reads the table (the
  /// form's figures), so the count is compared only — in `explain` and in `region_use` —,
  /// and the summed rows still add up to the region's figure.
  @Test func testRegisterBesideATableLackingTheRow_isComparedNotAdded() throws {
    var rec = Fixture.reconciliation()
    let i = try #require(rec.ledger.accepted.firstIndex { $0.department == "D01" })
    let table = rec.ledger.accepted[i].cells
    var kept = FigureTable()
    for (n, key) in table.keys.enumerated() where key != "t3.r1.np" { kept[key] = table.figure(at: n) }
    rec.ledger.accepted[i].cells = kept
    let forms = try Fixture.pipeline().forms
    let lineage = Lineage(reconciliation: rec, forms: forms, regionName: "凌海市")
    let own = try lineage.explain(try #require(CellKey("t3.r1.np")), department: "D01")
    #expect(own.fromRegister == nil && own.value == nil)
    #expect(own.contributions.map(\.counted) == [false])
    let region = try lineage.explain(try #require(CellKey("t3.r1.np")))
    #expect(!region.contributions.contains { $0.department == "D01" && $0.counted })
    var bytes: [UInt8] = []
    _ = try ConsolidatedDataset.writeCSV(of: rec, catalog: FormCatalog(forms: forms), regionName: "凌海市") {
      bytes += $0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let registerRow = text.split(separator: "\r\n").first {
      $0.hasPrefix("2021,D01,") && $0.contains(",register,t3,r1,np,")
    }
    #expect(registerRow?.hasSuffix(",compared") == true, "\(registerRow ?? "")")
  }

  @Test func testExplain_departmentChecksumComparesWithItsWrittenTotal() throws {
    var rec = Fixture.reconciliation()
    rec.ledger.accepted[1].cells["t3.r1.zj"]?.value = .integer(5)
    rec.ledger.accepted[1].cells["t3.r1.zj"]?.raw = "5"
    let lineage = Lineage(reconciliation: rec, forms: try Fixture.pipeline().forms, regionName: "凌海市")
    let answer = try lineage.explain(try #require(CellKey("t3.r1.zj")), department: Fixture.evilName)
    #expect(answer.department == "D02")
    #expect(answer.value == "5" && answer.total == "4" && !answer.matches)
    #expect(answer.text.contains("与表中数值不一致"))
    // Where the department wrote the 总计 in question, under its value.
    let written = try #require(rec.ledger.accepted[1].cells["t3.r1.zj"]?.sources.first)
    #expect(answer.written?.sources.first == written)
    #expect(answer.text.contains("：5\n      \(written.location)  sha256 \(written.sha256.prefix(12))\n由明细单元格重新计算的合计：4"))
  }

  /// A department's 总计 left blank is not checked (the region recomputes it): the answer
  /// says so and reports no disagreement.
  @Test func testExplain_departmentsBlankTotal_isNotChecked() throws {
    var rec = Fixture.reconciliation()
    rec.ledger.accepted[1].cells["t3.r1.zj"]?.value = .blank(token: "—")
    rec.ledger.accepted[1].cells["t3.r1.zj"]?.raw = "—"
    let lineage = Lineage(reconciliation: rec, forms: try Fixture.pipeline().forms, regionName: "凌海市")
    let answer = try lineage.explain(try #require(CellKey("t3.r1.zj")), department: "D02")
    #expect(answer.matches)
    #expect(answer.text.contains("：空白（原文“—”），总计留空不核对，汇总按明细重算"), "\(answer.text)")
    #expect(answer.text.contains("由明细单元格重新计算的合计：4\n"), "\(answer.text)")
    #expect(!answer.text.contains("不一致"))
  }

  /// A department's cell written `/` is counted as 0, as the region counts it: the answer
  /// says so, agrees with itself and lists the one figure (it listed nothing and called the
  /// 0 a disagreement).
  @Test func testExplain_departmentsBlankCell_isZeroAndListed() throws {
    let lineage = try Self.lineage()
    let key = try #require(CellKey("t3.r2.np"))
    let blank = try #require(try lineage.explain(key).contributions.last)
    let answer = try lineage.explain(key, department: blank.department)
    #expect(answer.matches && answer.total == "0")
    #expect(answer.written?.raw == "/")
    let text = answer.text
    #expect(text.contains("（\(blank.department)）：空白（原文“/”），按 0 计\n各来源合计：0（与表中数值一致）"), "\(text)")
    #expect(text.contains("来源（共 1 项）：\n"), "\(text)")
    #expect(text.contains("t3.r2.np = 空白（原文“/”）  [空白，按 0 计]"), "\(text)")
  }

  @Test func testExplainDerived_subtotalAddsItsRowsAndShareDividesByTheTotal() throws {
    let lineage = try Self.lineage()
    let figures = ReportFigures(pipeline: try Fixture.pipeline())
    let region = lineage.reconciliation.ledger.region
    for (group, rows) in [("gkbf", ["r3_1", "r3_2"]), ("wftg", ["r3_4_1", "r3_4_2", "r3_4_3"])] {
      let sum = try lineage.explain(
        "sum.t3.\(group).np", figure: try #require(figures.figure(named: "sum.t3.\(group).np")))
      let expected = rows.compactMap { region["t3.\($0).np"]?.number }.reduce(0, +)
      #expect(sum.value == DecimalFormat.plain(expected))
      #expect(sum.cells.map(\.cell) == rows.map { "t3.\($0).np" })
      #expect(sum.formula == rows.map { "t3.\($0).np" }.joined(separator: " + "))

      let share = try lineage.explain("pct.t3.\(group)", figure: try #require(figures.figure(named: "pct.t3.\(group)")))
      let part = rows.compactMap { region["t3.\($0).zj"]?.number }.reduce(0, +)
      let whole = try #require(region["t3.r3_7.zj"]?.number)
      #expect(share.numerator == DecimalFormat.plain(part))
      #expect(share.value == DecimalFormat.percent(part, of: whole).map { $0 + "%" })
      #expect(share.cells.last?.cell == "t3.r3_7.zj" && share.baseValue == DecimalFormat.plain(whole))
    }
    // Names the report does not derive.
    for name in ["sum.t3.nope.zj", "sum.t3.gkbf.xj", "pct.t3.sq", "pct.t3.r1", "pct.t2.r3_1", "sum.t3.gkbf"] {
      #expect(figures.figure(named: name) == nil, "\(name)")
    }
  }

  @Test func testExplainDerived_aZeroTotalHasNoShare() throws {
    var rec = Fixture.reconciliation()
    rec.ledger.region["t3.r3_7.zj"] = .integer(0)
    let lineage = Lineage(reconciliation: rec, forms: try Fixture.pipeline().forms, regionName: "凌海市")
    let figure = try #require(ReportFigures(pipeline: try Fixture.pipeline()).figure(named: "pct.t3.r3_1"))
    let share = try lineage.explain("pct.t3.r3_1", figure: figure)
    #expect(share.value == nil)
    #expect(share.text.contains("全市汇总（凌海市）：（总计为 0，报告不写百分比）"))
  }

  @Test func testExplain_unknownCellListsValidKeys() throws {
    #expect(throws: LineageError.self) { try Self.lineage().explain(CellKey(form: "t3", row: "r9", column: "zj")) }
    do {
      _ = try Self.lineage().explain(CellKey(form: "t2", row: "xzxk", column: "zhifa"))
      Issue.record("t2.xzxk.zhifa is not a cell of 表二")
    } catch let e as LineageError {
      #expect(e.description.contains("t3.{r1|r2|r3_1|"))
      #expect(e.description.contains("t4.{fy|ss_zj|ss_fy}.{wc|jz|qt|wj|zj}"))
    }
  }

  /// What operators type for a cell: upper case, full-width characters and the input
  /// method's 。, the form by its printed number.
  @Test func testKeyTyped_forgivesCaseWidthAndTheFormsPrintedNumber() throws {
    let catalog = FormCatalog(forms: try Fixture.pipeline().forms)
    let t3r1zj = CellKey(form: "t3", row: "r1", column: "zj")
    for typed in ["t3.r1.zj", "T3.R1.ZJ", "ｔ３．ｒ１．ｚｊ", "t3。r1。zj", "表三.r1.zj", " t3 . r1 . zj "] {
      #expect(catalog.key(typed: typed) == t3r1zj, "\(typed)")
    }
    #expect(catalog.key(typed: "表二.guizhang.zhifa") == CellKey(form: "t2", row: "guizhang", column: "zhifa"))
    for typed in ["t3.r1", "t3.r1.zz", "表九.r1.zj", "t3.r1.zj.x", ""] {
      #expect(catalog.key(typed: typed) == nil, "\(typed)")
    }
  }

  @Test func testExplain_unknownDepartmentThrowsNamingTheAcceptedOnes() throws {
    let accepted = ["D01（凌海市教育局）", "D02（\(Fixture.evilName)）"]
    #expect(throws: LineageError.unknownDepartment("D03", accepted: accepted)) {
      try Self.lineage().explain(CellKey(form: "t3", row: "r1", column: "np"), department: "D03")
    }
    let message = LineageError.unknownDepartment("D03", accepted: accepted).description
    #expect(message.contains("已采用报送的单位：D01（凌海市教育局）、D02"))
    // By name as well as by id.
    let byName = try Self.lineage().explain(CellKey(form: "t3", row: "r1", column: "np"), department: "凌海市教育局")
    #expect(!byName.contributions.isEmpty && byName.contributions.allSatisfy { $0.department == "D01" })
  }

  /// A cell the table has no figure for, and no department wrote: nothing to compare, not
  /// “不一致”. The answer names the year it is for.
  @Test func testExplain_noFigureAnywhere_isNotADisagreement() throws {
    let answer = try Self.lineage().explain(try #require(CellKey("t4.fy.wc")), department: "D02")
    #expect(answer.year == 2021)
    #expect(answer.text.contains("无数值可比"), "\(answer.text)")
    #expect(!answer.text.contains("不一致"), "\(answer.text)")
  }

  @Test func testRegionWhole_namesTheLevel() {
    #expect(RegionDefinition.whole(of: "凌海市") == "全市")
    #expect(RegionDefinition.whole(of: "平潭综合实验区") == "全区")
    #expect(RegionDefinition.whole(of: "龙门县") == "全县")
    #expect(RegionDefinition.whole(of: "福建省") == "全省")
    #expect(RegionDefinition.whole(of: "") == "全区")
  }

  @Test func testExplain_textOutput() throws {
    let text = try Self.lineage().explain(try #require(CellKey("t2.xzsyxsf.wanyuan"))).text
    #expect(
      text == """
        t2.xzsyxsf.wanyuan  表二 主动公开政府信息情况（2021 年度）
          行：行政事业性收费
          列：本年收费金额（单位：万元）
        全市汇总（凌海市）：1.75
        各来源合计：1.75（与表中数值一致）
        来源（共 2 项）：
          凌海市教育局（D01）  t2.xzsyxsf.wanyuan = 1.25（原文“1.25万元”）
              2021/教育局-v2.csv:8:2  sha256 a1a1a1a1a1a1
          <script>alert(1)</script>（D02）  t2.xzsyxsf.wanyuan = 0.5（原文“0.50”）
              2021/某镇.csv:9:2  sha256 b2b2b2b2b2b2

        """)
  }

  @Test func testLoad_readsTheCheckpointedReconciliation() throws {
    let dir = try Fixture.temporaryDirectory()
    let url = ReconcileOutputLocator().reconcileOutput(state: dir, pipeline: "disclosure-2021", year: 2021)
    #expect(url.path.hasSuffix("/disclosure-2021/2021/03-reconcile/output.json"))
    try AtomicFile.write(try AtomicFile.json(Fixture.reconciliation()), to: url)
    #expect(ReconcileOutputLocator().years(state: dir, pipeline: "disclosure-2021") == [2021])
    let lineage = try Lineage.load(from: url, forms: try Fixture.pipeline().forms, regionName: "凌海市")
    #expect(try lineage.explain(try #require(CellKey("t3.r3_7.zj"))).total == "13")
    #expect(throws: LineageError.self) {
      try Lineage.load(from: dir.appendingPathComponent("none.json"), forms: [], regionName: "")
    }
  }
}
