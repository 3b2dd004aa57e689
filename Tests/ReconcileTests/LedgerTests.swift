import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

@Suite struct LedgerTests {
  typealias F = ReconcileFixtures
  typealias W = WorkedExamples

  static var tablesA: F.Tables { W.departments2022[0].tables }
  static var tablesB: F.Tables { W.departments2022[1].tables }

  /// Nothing accepted (an empty inbox, or every file held back) is an error: the report would
  /// be blank tables, and must not look complete.
  @Test func testNothingAccepted_isAnError_sayingWhy() async throws {
    let empty = try await F.reconcile([])
    let none = empty.findings.filter { $0.code == "REC-SUB-005" }
    #expect(none.map(\.severity) == [.error])
    #expect(none.first?.message.contains("收件箱中没有可用的统计表") == true)
    let held = HeldBackFile(source: F.source("乱码.csv"), reason: .unknownDepartment, claimed: "某某局")
    let allHeld = try await F.reconcile([], heldBack: [held])
    #expect(allHeld.findings.first { $0.code == "REC-SUB-005" }?.message.contains("1 个文件均暂缓采用") == true)
    let some = try await F.reconcile([F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)])
    #expect(!some.findings.contains { $0.code == "REC-SUB-005" })
  }

  @Test func testResubmission_laterFilledOnSupersedes_evenWhenItsPathSortsFirst() async throws {
    var corrected = Self.tablesA
    corrected.t2["xzxk.jueding"] = 6001
    let old = F.submission("ptA", "管委会办公室", path: "z-管委会办公室.csv", filledOn: "2023年1月10日", tables: Self.tablesA)
    let new = F.submission("ptA", "管委会办公室", path: "a-管委会办公室-更正.csv", filledOn: "2023-01-20", tables: corrected)
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB)
    let r = try await F.reconcile([old, new, b])
    #expect(r.ledger.accepted.map(\.source.path) == ["a-管委会办公室-更正.csv", "b.csv"])
    #expect(r.ledger.superseded.map(\.source.path) == ["z-管委会办公室.csv"])
    #expect(r.ledger.region["t2.xzxk.jueding"] == .integer(10691))
    let f = r.findings.filter { $0.code == "REC-SUB-002" }
    #expect(f.count == 1)
    #expect(f.first?.sources == [old.source.ref(), new.source.ref()])
    #expect((f.first?.actual, f.first?.expected) == (old.source.sha256, new.source.sha256))
    let message = f.first?.message ?? ""
    for part in [old.source.path, new.source.path, old.source.sha256, new.source.sha256] {
      #expect(message.contains(part))
    }
    #expect(r.findings.map(\.code) == ["REC-SUB-002"])
  }

  @Test func testResubmission_withoutDates_pathSortingLastWins() async throws {
    let first = F.submission("ptA", "管委会办公室", path: "01_管委会办公室.csv", tables: Self.tablesA)
    let second = F.submission("ptA", "管委会办公室", path: "02_管委会办公室.csv", tables: Self.tablesA)
    let r = try await F.reconcile([second, first])
    #expect(r.ledger.accepted.map(\.source.path) == ["02_管委会办公室.csv"])
    #expect(r.ledger.superseded.map(\.source.path) == ["01_管委会办公室.csv"])
  }

  /// A copy of the same file (`表三 - 副本.csv`) is counted once and called a copy, not a
  /// resubmission of which the operator must remove the newer file.
  @Test func testResubmission_identicalCopyIsCalledACopy() async throws {
    var copy = F.submission("ptA", "管委会办公室", path: "管委会办公室 - 副本.csv", tables: Self.tablesA)
    let original = F.submission("ptA", "管委会办公室", path: "管委会办公室.csv", tables: Self.tablesA)
    copy.source.sha256 = original.source.sha256
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB)
    let r = try await F.reconcile([copy, original, b])
    #expect(r.ledger.accepted.count == 2)
    #expect(
      r.ledger.region["t2.xzxk.jueding"] == (try await F.reconcile([original, b])).ledger.region["t2.xzxk.jueding"])
    let message = r.findings.first { $0.code == "REC-SUB-002" }?.message ?? ""
    #expect(message.contains("两份内容完全相同的文件"), "\(message)")
    #expect(!message.contains("重新报送"), "\(message)")
  }

  @Test func testResubmission_undatedSheetIsOlderThanDatedOne() {
    let dated = F.submission("ptA", "x", path: "a.csv", filledOn: "2023/1/5", tables: Self.tablesA)
    let undated = F.submission("ptA", "x", path: "b.csv", tables: Self.tablesA)
    #expect(SubmissionOrder.isOlder(undated, than: dated))
    #expect(SubmissionOrder.date("２０２３年１月５日") == 20230105)
    #expect(SubmissionOrder.date("44936") == 20230110)
    #expect(SubmissionOrder.date("一月") == nil)
    // A day that does not exist is no date (it was 20250230).
    #expect(SubmissionOrder.date("2025-02-30") == nil)
    #expect(SubmissionOrder.date("2024-02-29") == 20240229)
    #expect(SubmissionOrder.date("2025-02-29") == nil)
    #expect(SubmissionOrder.date("2025年4月31日") == nil)
  }

  /// Dates as departments write them, Excel's display formats included; a date missing its
  /// year or day cannot be ordered against a full one.
  @Test func testFilledOn_readsTheWaysDatesAreWritten() {
    let dates: [(String, Int?)] = [
      ("2026年1月15日", 20260115), ("二〇二六年一月十五日", 20260115), ("二○二六年一月十五日", 20260115),
      ("2026年元月15日", 20260115), ("二〇二五年十二月三十一日", 20251231), ("2026年1月二十一日", 20260121),
      ("20260115", 20260115), ("26.1.15", 20260115), ("2026.1.15", 20260115), ("15-Jan-26", 20260115),
      ("Jan 15, 2026", 20260115), ("15 January 2026", 20260115), ("46037", 20260115),
      ("1月15日", nil), ("2026年1月", nil), ("一月", nil), ("2026年13月1日", nil), ("见附件", nil),
      // Day or month first with a two-digit year cannot be told apart: unreadable, not 2001.
      ("1/5/26", nil), ("1.5.26", nil), ("15.01.26", nil), ("25/1/26", nil), ("26-1-15", 20260115),
      ("2026-1-15 9:30", 20260115),
    ]
    for (written, expected) in dates {
      #expect(SubmissionOrder.date(written) == expected, "\(written)")
    }
    #expect(SubmissionOrder.isUnreadable("1月15日"))
    #expect(!SubmissionOrder.isUnreadable(nil) && !SubmissionOrder.isUnreadable("  "))
    #expect(!SubmissionOrder.isUnreadable("2026-01-15"))
  }

  /// A correction named after the original (`（更正）`, `-更正`, ` (1)`) replaces it when the
  /// dates do not decide: its name extends the original's, whatever character follows. The
  /// finding says the names decided, not that the original was older.
  @Test func testResubmission_sameDate_theNameThatExtendsTheOtherWins() async throws {
    var corrected = Self.tablesA
    corrected.t2["xzxk.jueding"] = 6001
    for name in ["管委会办公室（更正）.csv", "管委会办公室(更正).csv", "管委会办公室-更正.csv", "管委会办公室 (1).csv"] {
      let old = F.submission("ptA", "管委会办公室", path: "管委会办公室.csv", filledOn: "2023-01-10", tables: Self.tablesA)
      let new = F.submission("ptA", "管委会办公室", path: name, filledOn: "2023年1月10日", tables: corrected)
      let r = try await F.reconcile([old, new])
      #expect(r.ledger.accepted.map(\.source.path) == [name])
      let message = r.findings.first { $0.code == "REC-SUB-002" }?.message ?? ""
      #expect(message.contains("两份文件的填报日期相同，按文件名排序，\(name)"), "\(message)")
      #expect(!message.contains("较早"), "\(message)")
      // Only the names decided between different figures: a warning that quotes them when
      // the name says it is a correction; a copy's name (` (1)`) says nothing of which is
      // newer: an error, the report a draft until someone decides.
      let finding = r.findings.first { $0.code == "REC-SUB-002" }
      #expect(finding?.severity == (name.contains("更正") ? .warning : .error), "\(name)")
      #expect(message.contains("无法确定哪一份是最新的") == !name.contains("更正"), "\(message)")
      #expect(message.contains("两份文件有 1 处数字不同（表二「行政许可 · 本年处理决定数量」"), "\(message)")
      #expect(message.contains("」与「6001」）"), "\(message)")
    }
  }

  /// A unit's two registers (上半年 and 下半年) are as likely two halves as two copies: one
  /// replacing the other lost half the applications at info severity. An error now, whatever
  /// the dates, quoting how their counts differ.
  @Test func testResubmission_twoRegistersWithOtherCounts_isAnError() async throws {
    func register(_ path: String, filledOn: String, newApplications: Int64) -> Submission {
      let file = F.source(path)
      let figure = Figure(
        value: .integer(newApplications), raw: "\(newApplications)", sources: [file.ref(line: 3, column: 0)])
      return Submission(
        department: "ptA", departmentName: "管委会办公室", year: 2022, source: file, forms: ["register"],
        cells: [:], registerCells: FigureTable(["t3.r1.np": figure]), filledOn: filledOn)
    }
    let table = F.submission("ptA", "管委会办公室", path: "表三.csv", tables: Self.tablesA)
    for (firstDate, secondDate) in [("2023-01-10", "2023-01-10"), ("2023-01-10", "2023-07-10")] {
      let r = try await F.reconcile([
        table, register("台账（上半年）.csv", filledOn: firstDate, newApplications: 4),
        register("台账（下半年）.csv", filledOn: secondDate, newApplications: 5),
      ])
      let f = r.findings.filter { $0.code == "REC-SUB-002" }
      #expect(f.map(\.severity) == [.error], "\(firstDate) \(secondDate)")
      #expect(f.first?.message.contains("登记台账不会相加：如是分期或分处室的台账（如上半年、下半年），请合并为一份后重新报送") == true)
      #expect(f.first?.message.contains("「4」与「5」") == true)
    }
    // A register with no application (rows numbered in advance only: normalize counted
    // nothing) replaces no register that has some, whatever its name or date.
    let empty = Submission(
      department: "ptA", departmentName: "管委会办公室", year: 2022, source: F.source("台账（空白）.csv"), forms: ["register"],
      cells: [:], registerCells: [:], filledOn: "2023-01-20")
    let r = try await F.reconcile([table, register("台账.csv", filledOn: "2023-01-10", newApplications: 4), empty])
    #expect(r.ledger.accepted.map(\.source.path).sorted() == ["台账.csv", "表三.csv"])
  }

  /// Two files with the same date and the same figures (a re-export, other bytes) decided
  /// nothing that matters: info.
  @Test func testResubmission_sameDateSameFigures_isInfo() async throws {
    let old = F.submission("ptA", "管委会办公室", path: "管委会办公室.csv", filledOn: "2023-01-10", tables: Self.tablesA)
    var new = F.submission("ptA", "管委会办公室", path: "管委会办公室 (1).csv", filledOn: "2023-01-10", tables: Self.tablesA)
    new.source.sha256 = String(repeating: "e", count: 64)
    let r = try await F.reconcile([old, new])
    let finding = r.findings.first { $0.code == "REC-SUB-002" }
    #expect(finding?.severity == .info)
    #expect(finding?.message.contains("处数字不同") == false)
  }

  /// A form sent blank (the UTF-8 twin of a filled template, a copy saved before it was
  /// filled) replaces no form that has figures, though its date or name is later.
  @Test func testResubmission_blankFormReplacesNothing() async throws {
    let filled = F.submission("ptA", "管委会办公室", path: "t3-表三.gb18030.csv", tables: Self.tablesA)
    var blank = F.submission("ptA", "管委会办公室", path: "t3-表三.utf8.csv", filledOn: "2023-01-20", tables: Self.tablesA)
    blank.cells = FigureTable(
      blank.cells.map { ($0.key, Figure(value: .blank(token: ""), raw: "", sources: $0.value.sources)) })
    let r = try await F.reconcile([filled, blank])
    #expect(r.ledger.accepted.map(\.source.path) == ["t3-表三.gb18030.csv"])
    #expect(r.ledger.region["t2.xzxk.jueding"] == (try await F.reconcile([filled])).ledger.region["t2.xzxk.jueding"])
    let message = r.findings.first { $0.code == "REC-SUB-002" }?.message ?? ""
    #expect(message.contains("在 t3-表三.utf8.csv（"), "\(message)")
    #expect(message.contains("）中全部空白，未替代已填写数字的 t3-表三.gb18030.csv（"), "\(message)")
    // Blank against blank: the later one, as before.
    let r2 = try await F.reconcile([
      blank,
      {
        var b = blank; b.source = F.source("z.csv"); b.filledOn = nil; return b
      }(),
    ])
    #expect(r2.ledger.accepted.map(\.source.path) == ["t3-表三.utf8.csv"])
  }

  /// A 填报日期 that is not a date orders its file before every dated one: a warning, where
  /// the department's files compete for a form, names the file and what was written.
  @Test func testResubmission_unreadableDate_isAWarningWhereFilesCompete() async throws {
    var corrected = Self.tablesA
    corrected.t2["xzxk.jueding"] = 6001
    let old = F.submission("ptA", "管委会办公室", path: "a.csv", filledOn: "2023-01-10", tables: Self.tablesA)
    let new = F.submission("ptA", "管委会办公室", path: "a-更正.csv", filledOn: "1月20日", tables: corrected)
    let r = try await F.reconcile([old, new])
    #expect(r.ledger.accepted.map(\.source.path) == ["a.csv"])
    let warning = r.findings.filter { $0.code == "REC-SUB-006" }
    #expect(warning.map(\.severity) == [.warning])
    #expect(warning.first?.sources == [new.source.ref()])
    #expect(warning.first?.message.contains("a-更正.csv 填报日期写作“1月20日”，无法识别为日期") == true)
    let superseded = r.findings.first { $0.code == "REC-SUB-002" }?.message ?? ""
    #expect(superseded.contains("a-更正.csv（sha256 \(new.source.sha256)，填报日期“1月20日”无法识别）"), "\(superseded)")
    // Alone, its date orders nothing: no warning.
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", filledOn: "见附件", tables: Self.tablesB)
    let alone = try await F.reconcile([old, b])
    #expect(!alone.findings.contains { $0.code == "REC-SUB-006" })
  }

  @Test func testResubmission_correctedFormAloneReplacesOnlyThatForm() async throws {
    let full = F.submission("ptA", "管委会办公室", path: "a.csv", filledOn: "2023-01-10", tables: Self.tablesA)
    var t3Only = Self.tablesA
    t3Only.t3["r3_4_1"]?[0] += 1
    t3Only.t3["r1"]?[0] += 1
    t3Only = t3Only.completed()
    t3Only.t2 = [:]
    t3Only.t4 = [:]
    let fix = F.submission("ptA", "管委会办公室", path: "a-表三.csv", filledOn: "2023-01-15", tables: t3Only)
    let r = try await F.reconcile([full, fix])
    #expect(r.ledger.accepted.map(\.source.path) == ["a-表三.csv", "a.csv"])
    let kept = try #require(r.ledger.accepted.first { $0.source.path == "a.csv" })
    #expect(kept.forms == ["t2", "t4"])
    #expect(kept.cells.count == 25)
    #expect(r.ledger.superseded.map { "\($0.source.path) \($0.forms)" } == ["a.csv [\"t3\"]"])
    #expect(r.ledger.region["t3.r1.np"] == .integer(41))
    let f = r.findings.filter { $0.code == "REC-SUB-002" }
    #expect(f.map(\.form) == ["t3"])
    #expect(f.first?.message.contains("表三") == true)
  }

  /// A department's finding is shown at its subject cell, while its id stays anchored on the
  /// first source in file order: an acceptance recorded before the display change still
  /// matches (表四 in `a-表四.csv`, the 表三 total it is compared with in `z.csv`).
  @Test func testRuleFinding_shownAtSubject_idAnchoredAsBefore() async throws {
    var t23 = Self.tablesA
    t23.t4 = [:]
    var t4 = Self.tablesA
    t4.t2 = [:]
    t4.t3 = [:]
    t4.t4["fy"] = [400, 0, 0, 0, 400]
    let a = F.submission("ptA", "管委会办公室", path: "z.csv", tables: t23)
    let b = F.submission("ptA", "管委会办公室", path: "a-表四.csv", tables: t4)
    let r = try await F.reconcile([a, b])
    let f = try #require(r.findings.first { $0.code == "REC-T4-C8B" && $0.department == "ptA" })
    #expect(f.cell == "t3.r3_7.zj")
    #expect(f.sources.first?.file == "z.csv")
    let anchor = try #require(f.sources.map { "\($0.file)@\($0.sha256)" }.sorted().first)
    #expect(anchor.hasPrefix("a-表四.csv@"))
    #expect(f.id == Finding.stableID(code: f.code, department: "ptA", cell: f.cell, anchor: anchor))
  }

  @Test func testMissing_expectedDepartmentsByLevelAndValidity() async throws {
    let seeds = F.seeds([
      ("ptA", "管委会办公室", "部门", "", ""),
      ("ptB", "自然资源与规划局", "部门", "2020-01-01", ""),
      ("ptX", "潭城镇", "乡镇", "", ""),
      ("ptY", "旧商务局", "部门", "", "2021-06-30"),
      ("ptN", "新设局", "部门", "2023-03-01", ""),
      ("ptZ", "区政府", "政府", "", ""),
      ("ptM", "合并局", "部门", "", "2022-05-31"),
    ])
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let held = HeldBackFile(source: F.source("乱码.csv"), reason: .unknownDepartment, claimed: "某某局")
    let r = try await F.reconcile([a], heldBack: [held], seeds: seeds)
    #expect(
      r.ledger.missing == [
        DepartmentRef(id: "ptB", name: "自然资源与规划局"), DepartmentRef(id: "ptM", name: "合并局"),
        DepartmentRef(id: "ptX", name: "潭城镇"),
      ])
    let f = r.findings.filter { $0.code == "REC-SUB-001" }
    #expect(f.map(\.department) == ["ptB", "ptM", "ptX"])
    #expect(f.first?.message.contains("自然资源与规划局") == true)
    #expect(f.first?.severity == .warning)
    #expect(r.ledger.heldBack == [held])
    #expect(r.ledger.year == 2022)
  }

  /// A department's table short of national cells (a row deleted from the template) was
  /// counted as 0 without a word, while a blank cell got C-10: one warning per department and
  /// form names the whole rows and columns. Its totals may be deleted (forms.md §2); a
  /// 2016-style sheet is the region's own list, where no cell is asked for.
  @Test func testDepartmentTableLackingNationalCells_isAWarningNamingTheRows() async throws {
    var a = Self.tablesA
    a.t3["r3_3_3"] = nil
    a.t3 = a.t3.mapValues { Array($0.prefix(6)) }
    a.t3["r3_3_4"] = Array(a.t3["r3_3_4"]!.prefix(5))
    a.t2["xzxk.jueding"] = nil
    let subs = [
      F.submission("ptA", "管委会办公室", path: "a.csv", tables: a),
      F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB),
    ]
    let r = try await F.reconcile(subs)
    let f = r.findings.filter { $0.code == "REC-SUB-008" }
    #expect(f.map(\.department) == ["ptA", "ptA"])
    #expect(f.map(\.form) == ["t2", "t3"])
    #expect(f.allSatisfy { $0.severity == .warning })
    #expect(f.map(\.cell) == ["t2.xzxk.jueding", "t3.r3_3_3.np"])
    #expect(
      f.last?.message
        == "管委会办公室：报送的表三缺少全国统一格式的 7 个单元格（整行「（三）不予公开3.危及“三安全一稳定”」；另有 1 格，首个为表三「（三）不予公开4.保护第三方合法权益 · 其他」），"
        + "这些格按 0 计入全市汇总。请使用统一模板，补报这些数字后重新报送。")
    #expect(f.last?.sources.map(\.file) == ["a.csv"])
    #expect(r.ledger.region["t3.r3_3_3.np"] != nil)
    var narrative = try F.pipeline()
    narrative.style = .narrative
    let old = try await F.reconcile(subs, pipeline: narrative)
    #expect(!old.findings.contains { $0.code == "REC-SUB-008" })
  }

  /// On 2016-style forms a cell no department wrote anything in has no region figure (the
  /// report prints —), not 0; a blank a department wrote (`/`) counts as 0. The national
  /// tables keep 0: every cell is a count C-10 wants written.
  @Test func testRegion_cellNoDepartmentWrote_hasNoFigure_aWrittenBlankIsZero() async throws {
    var narrative = try F.pipeline()
    narrative.style = .narrative
    var a = Self.tablesA
    var b = Self.tablesB
    a.t2["xzxk.jueding"] = nil
    b.t2["xzxk.jueding"] = nil
    a.t2["xzcf.jueding"] = nil
    var subA = F.submission("ptA", "管委会办公室", path: "a.csv", tables: a)
    let subB = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b)
    let r = try await F.reconcile([subA, subB], pipeline: narrative)
    #expect(r.ledger.region["t2.xzxk.jueding"] == nil)
    let national = try await F.reconcile([subA, subB])
    #expect(national.ledger.region["t2.xzxk.jueding"] == .integer(0))
    // …and a warning says no sheet had it, so the 0 is not read as reported.
    let unwritten = national.findings.filter { $0.code == "REC-SUB-007" }
    #expect(unwritten.map(\.cell) == ["t2.xzxk.jueding"])
    #expect(unwritten.first?.severity == .warning)
    #expect(unwritten.first?.message.contains("有 1 个单元格，报送该表的单位都没有填写") == true)
    #expect(!r.findings.contains { $0.code == "REC-SUB-007" })
    #expect(r.ledger.region["t2.xzcf.jueding"] == .integer(Int64(truncating: (b.t2["xzcf.jueding"] ?? 0) as NSNumber)))
    subA.cells["t2.xzxk.jueding"] = Figure(
      value: .blank(token: "/"), raw: "/", sources: [subA.source.ref(line: 8, column: 2)])
    let withBlank = try await F.reconcile([subA, subB], pipeline: narrative)
    #expect(withBlank.ledger.region["t2.xzxk.jueding"] == .integer(0))
  }

  /// A rate (unit %) is not added up: two units' 100 % made the 2016 report print “200%”.
  @Test func testRegion_rateIsTheOneUnitsFigure_neverASum() async throws {
    var pipeline = try F.pipeline()
    let t2 = try #require(pipeline.forms.firstIndex { $0.id == "t2" })
    let row = try #require(pipeline.forms[t2].rows?.firstIndex { $0.key == "xzxk" })
    pipeline.forms[t2].rows?[row].unit = "%"
    var a = Self.tablesA
    var b = Self.tablesB
    a.t2["xzxk.jueding"] = 100
    b.t2["xzxk.jueding"] = 98
    let both = try await F.reconcile(
      [
        F.submission("ptA", "管委会办公室", path: "a.csv", tables: a),
        F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b),
      ],
      pipeline: pipeline)
    #expect(both.ledger.region["t2.xzxk.jueding"] == nil)
    let f = both.findings.filter { $0.code == "REC-RATE-001" }
    #expect(f.map(\.cell) == ["t2.xzxk.jueding"])
    #expect(f.first?.severity == .error)
    #expect(f.first?.message.contains("有 2 个单位填报了：管委会办公室（100）、自然资源与规划局（98）") == true)
    #expect(f.first?.sources.map(\.file) == ["a.csv", "b.csv"])
    // One unit reports it, the other writes 0: the region's is that unit's figure.
    b.t2["xzxk.jueding"] = 0
    let one = try await F.reconcile(
      [
        F.submission("ptA", "管委会办公室", path: "a.csv", tables: a),
        F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: b),
      ],
      pipeline: pipeline)
    #expect(one.ledger.region["t2.xzxk.jueding"] == .integer(100))
    #expect(!one.findings.contains { $0.code == "REC-RATE-001" })
    // Without the unit the same figures are summed.
    let summed = try await F.reconcile(
      [
        F.submission("ptA", "管委会办公室", path: "a.csv", tables: a),
        F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB),
      ])
    #expect(summed.ledger.region["t2.xzxk.jueding"] == .integer(100 + 4690))
  }

  @Test func testMissingForm_isNotedAndRegionUsesTheOthers() async throws {
    var noT4 = Self.tablesB
    noT4.t4 = [:]
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: noT4)
    let r = try await F.reconcile([a, b])
    let f = r.findings.filter { $0.code == "REC-SUB-003" }
    #expect(f.map { "\($0.department ?? "-") \($0.form ?? "-")" } == ["ptB t4"])
    // The region's table is short of this unit's figures: a warning, not a note in the log.
    #expect(f.allSatisfy { $0.severity == .warning })
    #expect(r.ledger.region["t4.fy.zj"] == .integer(2))
    // Two forms missing: two findings (the second shared the first's id and was dropped).
    var t3Only = Self.tablesB
    t3Only.t2 = [:]
    t3Only.t4 = [:]
    let c = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: t3Only)
    let two = try await F.reconcile([a, c]).findings.filter { $0.code == "REC-SUB-003" }
    #expect(two.map { "\($0.department ?? "-") \($0.form ?? "-")" } == ["ptB t2", "ptB t4"])
    #expect(Set(two.map(\.id)).count == 2)
  }

  @Test func testWrongYear_isHeldBackNotMixedIn() async throws {
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let old = F.submission("ptB", "自然资源与规划局", path: "b-2021.csv", year: 2021, tables: Self.tablesB)
    let r = try await F.reconcile([a, old])
    #expect(r.ledger.accepted.map(\.department) == ["ptA"])
    #expect(r.ledger.heldBack.map(\.reason) == [.wrongYear])
    #expect(r.findings.map(\.code) == ["REC-SUB-004"])
    #expect(r.ledger.region["t3.r1.np"] == .integer(40))
  }

  @Test func testOutput_isDeterministicWhateverTheInputOrder() async throws {
    let subs = W.submissions(W.departments2023, year: 2023)
    let r1 = try await F.reconcile(subs, year: 2023)
    let r2 = try await F.reconcile(subs.reversed(), year: 2023)
    #expect(try AtomicFile.json(r1) == AtomicFile.json(r2))
    #expect(Set(r1.findings.map(\.id)).count == r1.findings.count)
  }
}
