import Foundation
import Testing

/// Issues 4 and 5: the built `almanac` on fixture inboxes, end to end.
///
/// - `Tests/Fixtures/projects/linghai-2025`: 21 sheets of 14 凌海市 units with realistic noise; every noise item
///   gives exactly its finding (`expected.json`, written by `make_inbox.py`), the region tables are
///   the generator's hand-computed sums, and seven outputs match their goldens.
/// - `Tests/Fixtures/projects/pingtan`: the published 平潭 2022 and 2023 tables (report-2021.md §5) split over
///   departments; the region tables come out exactly as published.
/// - `explain`, `templates`, and determinism (two fresh runs, byte-identical outputs).
@Suite struct GoldenEndToEndTests {
  static let linghaiGoldens = [
    "reconciliation.jsonl", "tables/t2.csv", "tables/t3.csv", "tables/t4.csv", "submissions.csv", "consolidated.csv",
    "report.md",
  ]

  // MARK: - linghai-2025

  @Test func testLinghai2025_exitCodeIsOneBecauseErrorsNeedAnAuditor() throws {
    let run = try GoldenRuns.linghai2025.get()
    #expect(run.code == 1, "almanac exited \(run.code):\n\(run.output)")
  }

  @Test func testLinghai2025_findingsAreExactlyTheInjectedNoise() throws {
    let run = try GoldenRuns.linghai2025.get()
    let expected = try GoldenHarness.expected("linghai-2025")
    let want = try Self.triples(expected["findings"])
    let got = try run.findings().map(Self.triple).sorted()
    #expect(
      got == want.sorted(),
      "unexpected: \(Set(got).subtracting(want).sorted())\nmissing: \(Set(want).subtracting(got).sorted())")
    // Every unit registered for 2025 that sent nothing is missing, and only those.
    let missing = Set(got.filter { $0.hasPrefix("REC-SUB-001|") }.map { $0.split(separator: "|")[1] })
    let expectedMissing = try Set(GoldenHarness.expectedDepartments(year: 2025)).subtracting(
      Self.strings(expected["accepted"]))
    #expect(missing == Set(expectedMissing.map { Substring($0) }))
    #expect(missing.count == 35)
  }

  /// The 35 units that sent nothing: the console shows three REC-SUB-001 lines and one naming
  /// the other 32, the summary names five and points to `status`, which lists all 35.
  @Test func testLinghai2025_missingUnitsAreFoldedOnTheConsoleAndListedByStatus() throws {
    let run = try GoldenRuns.linghai2025.get()
    let lines = run.output.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0.hasSuffix("[REC-SUB-001]") }.count == 4, "\(run.output)")
    #expect(
      lines.contains {
        $0.hasPrefix("全区: warning: 另有 32 个单位有同类核对结果：白台子镇（btz）、凌海市城市管理综合行政执法局（cgj）、")
          && $0.contains(" 等（完整列表见 ")
      }, "\(run.output)")
    #expect(
      lines.contains(
        "未报送：35 个单位（安屯乡（at）、班吉塔镇（bjt）、板石沟乡（bsg）、白台子镇（btz）、凌海市城市管理综合行政执法局（cgj） 等，全部名单见 almanac status）"),
      "\(run.output)")
    #expect(lines.contains("核对：采用 13 个单位的报表，35 个单位未报送，核对规则 1151 次，核对结果 48 条"), "\(run.output)")

    let status = try GoldenHarness.almanac(
      [
        "status", "--pipeline", GoldenHarness.pipeline.path, "--seeds", GoldenHarness.seeds.path, "--inbox",
        run.root.appendingPathComponent("inbox").path, "--outbox", run.root.appendingPathComponent("outbox").path,
        "--state", run.state.path, "--year", "2025",
      ], in: run.root)
    #expect(status.code == 0, "\(status.stderr)")
    let screen = status.stdout.split(separator: "\n").map(String.init)
    #expect(screen.contains("未报送的单位：35 个（上次运行时；请催报）"), "\(status.stdout)")
    let listed = screen.filter { $0.hasPrefix("  ") && $0.contains("（") && !$0.contains(".csv") }
      .flatMap { $0.dropFirst(2).components(separatedBy: "、") }
    #expect(listed.count == 35, "\(status.stdout)")
    #expect(listed.first == "安屯乡（at）" && listed.last == "凌海市自然资源局（zrj）", "\(listed)")
  }

  /// The report's own findings are in the log an auditor reads (staged by draft, the last
  /// stage): the eight prose parts without text material, each with its id to accept.
  @Test func testLinghai2025_reportFindingsAreInTheLog() throws {
    let run = try GoldenRuns.linghai2025.get()
    let drf = try run.allFindings().filter { ($0["code"] as? String) == "DRF-001" }
    #expect(drf.count == 8)
    #expect(drf.allSatisfy { ($0["stage"] as? String) == "draft" && ($0["id"] as? String)?.count == 16 })
    let page = try run.text("reconciliation.html")
    #expect(page.contains("DRF-001"))
  }

  @Test func testLinghai2025_findingsCarryTheNoiseValues() throws {
    let findings = try GoldenRuns.linghai2025.get().findings()
    func one(_ code: String, _ department: String?, _ cell: String? = nil) -> [String: Any]? {
      let matches = findings.filter {
        $0["code"] as? String == code && $0["department"] as? String == department
          && (cell == nil || $0["cell"] as? String == cell)
      }
      #expect(matches.count == 1, "\(code) \(department ?? "region") \(cell ?? ""): \(matches.count) findings")
      return matches.first
    }
    func values(_ f: [String: Any]?) -> [String?] {
      [f?["expected"] as? String, f?["actual"] as? String, f?["difference"] as? String]
    }
    // The register counts 2 applications 本机关不掌握 where the 表三 says 3.
    #expect(values(one("REC-REG-001", "sthj", "t3.r3_4_1.np")) == ["2", "3", "1"])
    let reg = one("REC-REG-001", "sthj", "t3.r3_4_1.np")
    let regFiles = Set(((reg?["sources"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String })
    #expect(regFiles == ["环保局-依申请公开登记台账.csv", "环保局-表三.csv"])
    // The typo breaks the row's total and the np column's （七）总计 (6 reported, 7 in the breakdown).
    #expect(values(one("REC-T3-S1", "sthj", "t3.r3_4_1.zj")) == ["3", "2", "-1"])
    #expect(values(one("REC-T3-S2", "sthj", "t3.r3_7.np")) == ["7", "6", "-1"])
    // zjj: breakdown 8, （七）总计 11 — while 10 新收 + 1 结转 = 11 + 0 holds (no S-3 for zjj).
    #expect(values(one("REC-T3-S2", "zjj", "t3.r3_7.np")) == ["8", "11", "3"])
    #expect(values(one("REC-T3-S2", "zjj", "t3.r3_7.zj")) == ["8", "11", "3"])
    #expect(!findings.contains { $0["code"] as? String == "REC-T3-S3" && $0["department"] as? String == "zjj" })
    // The region's （七）总计 is recomputed from the breakdowns: −3 (zjj) + 1 (sthj) in np.
    #expect(values(one("REC-T3-S3", nil, "t3.r1.np")) == ["70", "72", "2"])
    #expect(values(one("REC-T3-S3", nil, "t3.r1.zj")) == ["82", "84", "2"])
    // Blank tokens, each reported with what was written.
    for (cell, token) in [
      ("t2.guizhang.zhifa", "/"), ("t2.guizhang.feizhi", "/"), ("t2.guizhang.youxiao", "/"), ("t3.r3_5_4.ky", "—"),
      ("t4.ss_fy.jz", "无"),
    ] {
      #expect(one("REC-C10", "scj", cell)?["actual"] as? String == token, "REC-C10 \(cell)")
    }
    // The unknown department: held back with the three closest registered names.
    let unknown = one("NRM-001", nil)
    let message = unknown?["message"] as? String ?? ""
    #expect(message.contains("凌海市科学技术局"))
    let closest =
      message.components(separatedBy: "最接近的已登记单位：").dropFirst().first?
      .components(separatedBy: "。").first ?? ""
    let ids = closest.components(separatedBy: "、").compactMap { name -> String? in
      guard let open = name.lastIndex(of: "（"), let close = name.lastIndex(of: "）") else { return nil }
      return String(name[name.index(after: open)..<close])
    }
    let registered = try Set(GoldenHarness.expectedDepartments(year: 2025))
    #expect(ids.count == 3 && ids.allSatisfy(registered.contains), "closest names: \(closest)")
    // The historic name in the title is noted, the file is resolved through 填报单位 and file name.
    #expect((one("NRM-015", "sthj")?["message"] as? String)?.contains("凌海市环境保护局") == true)
    // The resubmission: the corrected 表三 replaces the older file's 表三 only.
    let resubmission = one("REC-SUB-002", "jyj")
    #expect(resubmission?["form"] as? String == "t3")
    let files = ((resubmission?["sources"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
    #expect(files == ["教育局2025年政务公开统计表.csv", "教育局2025年政务公开统计表（更正）.csv"])
  }

  @Test func testLinghai2025_regionTablesAreTheHandComputedSums() throws {
    let run = try GoldenRuns.linghai2025.get()
    let expected = try GoldenHarness.expected("linghai-2025")
    let t3 = try GoldenTables.t3(run)
    let t4 = try GoldenTables.t4(run)
    let t2 = try GoldenTables.t2(run)
    let want3 = try #require(expected["t3"] as? [String: Int])
    let want4 = try #require(expected["t4"] as? [String: Int])
    let want2 = try #require(expected["t2"] as? [String: String])
    #expect(want3.count == 175 && want4.count == 15 && want2.count == 10)
    for (key, value) in want3.sorted(by: { $0.key < $1.key }) { #expect(t3[key] == String(value), "t3.\(key)") }
    for (key, value) in want4.sorted(by: { $0.key < $1.key }) { #expect(t4[key] == String(value), "t4.\(key)") }
    for (key, value) in want2.sorted(by: { $0.key < $1.key }) { #expect(t2[key] == value, "t2.\(key)") }
  }

  @Test func testLinghai2025_submissionsListEveryUnitWithItsStatus() throws {
    let run = try GoldenRuns.linghai2025.get()
    let expected = try GoldenHarness.expected("linghai-2025")
    let records = GoldenCSV.records(try GoldenCSV.read(run.url("submissions.csv")))
    var got = Set<String>()
    for r in records { got.insert("\(r["department_id"] ?? "")|\(r["status"] ?? "")") }
    var want = Set<String>()
    for id in try Self.strings(expected["accepted"]) { want.insert("\(id)|received") }
    for id in try Self.strings(expected["missing"]) { want.insert("\(id)|missing") }
    want.insert("jyj|superseded")
    want.insert("|held_back")
    #expect(got == want)
    #expect(records.count == want.count, "one line per unit and status")
    let held = records.first { $0["status"] == "held_back" }
    #expect(held?["files"] == (try Self.strings(expected["heldBack"])).first)
    let superseded = records.first { $0["status"] == "superseded" }
    #expect(superseded?["files"] == (try Self.strings(expected["superseded"])).first)
    let sthj = records.first { $0["department_id"] == "sthj" && $0["status"] == "received" }
    #expect(sthj?["files"]?.components(separatedBy: ";").count == 3, "表三, 表二+表四 and the register are all used")
  }

  @Test func testLinghai2025_outputsMatchGoldens() throws {
    let run = try GoldenRuns.linghai2025.get()
    for name in Self.linghaiGoldens { GoldenSnapshot.check(name, of: run, test: "linghai-2025") }
  }

  @Test func testLinghai2025_twoFreshRunsAreByteIdentical() throws {
    let a = try GoldenHarness.run(inbox: GoldenRuns.linghaiInbox, year: 2025, label: "determinism-a")
    let b = try GoldenHarness.run(inbox: GoldenRuns.linghaiInbox, year: 2025, label: "determinism-b")
    defer {
      try? FileManager.default.removeItem(at: a.root)
      try? FileManager.default.removeItem(at: b.root)
    }
    #expect(a.code == b.code)
    let filesA = GoldenHarness.files(under: a.outbox)
    let filesB = GoldenHarness.files(under: b.outbox)
    #expect(filesA == filesB)
    #expect(
      filesA.contains("manifest.json") && filesA.contains("report.html") && filesA.contains("consolidated.csv.gz"))
    for name in filesA where name != "manifest.json" {
      let x = FileManager.default.contents(atPath: a.url(name).path)
      let y = FileManager.default.contents(atPath: b.url(name).path)
      #expect(x != nil && x == y, "\(name) differs between two fresh runs")
    }
  }

  // MARK: - explain

  @Test(arguments: ["t3.r1.zj", "t3.r3_7.zj"])
  func testExplain_listsEveryContributorAndAddsUpToTheTableCell(cell: String) throws {
    let run = try GoldenRuns.linghai2025.get()
    let result = try GoldenHarness.almanac(
      [
        "explain", cell, "--json", "--state", run.state.path, "--pipeline", GoldenHarness.pipeline.path, "--year",
        "2025",
      ], in: run.root)
    #expect(result.code == 0, "explain exited \(result.code): \(result.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let contributions = try #require(json["contributions"] as? [[String: Any]])

    // The published cell.
    let parts = cell.split(separator: ".").map(String.init)
    let tableValue = try #require(try GoldenTables.t3(run)["\(parts[1]).\(parts[2])"])
    #expect(json["total"] as? String == tableValue)
    #expect(json["value"] as? String == tableValue)

    // Σ of the counted contributions = the cell.
    var sum = Decimal(0)
    for c in contributions where c["counted"] as? Bool == true {
      sum += try #require(Decimal(string: c["value"] as? String ?? ""), "value of \(c)")
    }
    #expect(sum == Decimal(string: tableValue))

    // Every contributor: exactly the accepted departments' submitted breakdown cells in
    // consolidated.csv, with the same values (blank tokens listed but not counted).
    let rows = parts[1] == "r3_7" ? GoldenTables.t3ResultRows : [parts[1]]
    let breakdown = Set(rows.flatMap { r in GoldenTables.t3BreakdownColumns.map { "t3.\(r).\($0)" } })
    var consolidated: [String: String] = [:]
    for r in GoldenCSV.records(try GoldenCSV.read(run.url("consolidated.csv")))
    where r["kind"] == "submitted" && r["form"] == "t3" {
      let key = "t3.\(r["row_key"] ?? "").\(r["column_key"] ?? "")"
      if breakdown.contains(key) { consolidated["\(r["department_id"] ?? "")|\(key)"] = r["value"] ?? "" }
    }
    var listed: [String: String] = [:]
    for c in contributions {
      let key = "\(c["department"] as? String ?? "")|\(c["cell"] as? String ?? "")"
      #expect(listed[key] == nil, "\(key) listed twice")
      listed[key] = c["value"] as? String ?? ""
      #expect((c["counted"] as? Bool) == !(listed[key] ?? "").isEmpty, "counted flag of \(key)")
    }
    #expect(listed == consolidated)
    let accepted = try Self.strings(try GoldenHarness.expected("linghai-2025")["accepted"])
    #expect(Set(contributions.compactMap { $0["department"] as? String }) == Set(accepted))
    #expect(contributions.count == accepted.count * breakdown.count)
  }

  /// The figures the report computes (subtotals and shares in section 三's sentence) are
  /// explained as the report writes them, from the cells they add up.
  @Test func testExplain_derivedFiguresAreTheReportsOwn() throws {
    let run = try GoldenRuns.linghai2025.get()
    let report = try String(contentsOf: run.url("report.md"), encoding: .utf8)
    func explain(_ name: String) throws -> [String: Any] {
      let result = try GoldenHarness.almanac(
        ["explain", name, "--json", "--state", run.state.path, "--pipeline", GoldenHarness.pipeline.path], in: run.root)
      #expect(result.code == 0, "explain \(name) exited \(result.code): \(result.stderr)")
      return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
    for (group, words) in [("gkbf", "予以公开及部分公开"), ("bygk", "不予公开"), ("wftg", "无法提供"), ("qtcl", "其他处理")] {
      let sum = try explain("sum.t3.\(group).zj")
      let share = try explain("pct.t3.\(group)")
      let count = try #require(sum["value"] as? String)
      let percent = try #require(share["value"] as? String)
      #expect(report.contains("\(words)\(count)件，占\(percent)"), "\(words)\(count)件，占\(percent)")
      #expect(share["numerator"] as? String == count)
      // The cells added up, each with its own lineage, add up to the figure.
      let cells = try #require(sum["cells"] as? [[String: Any]])
      let total = cells.compactMap { ($0["value"] as? String).flatMap { Decimal(string: $0) } }.reduce(0, +)
      #expect(total == Decimal(string: count))
      #expect(cells.allSatisfy { ($0["contributions"] as? [Any]) != nil })
    }
    let text = try GoldenHarness.almanac(
      ["explain", "ＰＣＴ．ｔ３．ｇｋｂｆ", "--state", run.state.path, "--pipeline", GoldenHarness.pipeline.path], in: run.root)
    #expect(text.code == 0, "\(text.stderr)")
    #expect(text.stdout.contains("（四舍五入保留两位小数）"), "\(text.stdout)")
    let unknown = try GoldenHarness.almanac(
      ["explain", "sum.t3.nope.zj", "--state", run.state.path, "--pipeline", GoldenHarness.pipeline.path], in: run.root)
    #expect(unknown.code == 2)
    #expect(unknown.stderr.contains("sum.t3.{sq|gkbf|bygk|wftg|bycl|qtcl}"), "\(unknown.stderr)")
  }

  /// `--department` as staff name a unit: the short name the registry knows (`人社局`) finds
  /// the unit the run accepted under its full name.
  @Test func testExplain_departmentByShortName() throws {
    let run = try GoldenRuns.linghai2025.get()
    let byShortName = try GoldenHarness.almanac(
      [
        "explain", "t3.r1.zj", "--department", "人社局", "--state", run.state.path, "--pipeline",
        GoldenHarness.pipeline.path, "--seeds", GoldenHarness.seeds.path,
      ], in: run.root)
    #expect(byShortName.code == 0, "\(byShortName.stderr)")
    #expect(byShortName.stdout.contains("凌海市人力资源和社会保障局（rsj）："), "\(byShortName.stdout)")
  }

  /// The locations come from `ALMANAC_*` as for `run`; an empty variable is unset, and a bad
  /// year is a usage error rather than a silent fallback to the latest reconciled year.
  @Test func testExplain_readsTheEnvironmentLikeRun() throws {
    let run = try GoldenRuns.linghai2025.get()
    let env = [
      "ALMANAC_STATE": run.state.path, "ALMANAC_PIPELINE": GoldenHarness.pipeline.path, "ALMANAC_YEAR": "2025",
    ]
    let fromEnvironment = try GoldenHarness.almanac(["explain", "t3.r1.zj", "--json"], in: run.root, environment: env)
    #expect(fromEnvironment.code == 0, "explain exited \(fromEnvironment.code): \(fromEnvironment.stderr)")
    #expect(fromEnvironment.stdout.contains("\"contributions\""))

    var badYear = env
    badYear["ALMANAC_YEAR"] = "20x5"
    let refused = try GoldenHarness.almanac(["explain", "t3.r1.zj"], in: run.root, environment: badYear)
    #expect(refused.code == 2)
    #expect(refused.stderr.contains("year '20x5' is not a report year"), "\(refused.stderr)")

    var emptyState = env
    emptyState["ALMANAC_STATE"] = ""
    let defaulted = try GoldenHarness.almanac(["explain", "t3.r1.zj"], in: run.root, environment: emptyState)
    #expect(defaulted.code == 2)
    #expect(
      defaulted.stderr.contains("\(run.root.path)/.almanac/disclosure-2021/2025/"), "\(defaulted.stderr)")
  }

  @Test func testTemplates_emptyPipelineVariableMeansTheDefaultAndBadYearIsRefused() throws {
    let root = try GoldenHarness.temporaryFolder("templates-env")
    let out = root.appendingPathComponent("t")
    let made = try GoldenHarness.almanac(
      ["templates", "--out", out.path], in: GoldenHarness.repoRoot,
      environment: ["ALMANAC_PIPELINE": "", "ALMANAC_YEAR": "2024"])
    #expect(made.code == 0, "templates exited \(made.code): \(made.stderr)")
    let t3 = try String(contentsOf: out.appendingPathComponent("t3-表三.utf8.csv"), encoding: .utf8)
    #expect(t3.contains("2024"))
    let refused = try GoldenHarness.almanac(
      ["templates", "--out", out.path, "--year", "24"], in: GoldenHarness.repoRoot)
    #expect(refused.code == 2)
    #expect(refused.stderr.contains("year '24' is not a report year"), "\(refused.stderr)")
  }

  /// An application entered twice in a register (a number repeated) is a warning through the
  /// real CLI, naming the two lines in the number's column, and it survives the checkpoints:
  /// a run resumed from normalize and one reusing every file's ingest cache say it again.
  @Test func testRun_repeatedApplicationNumber_isNRM031_throughTheCheckpoints() throws {
    let root = try GoldenHarness.temporaryFolder("repeated-number")
    defer { try? FileManager.default.removeItem(at: root) }
    let inbox = root.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    let register = """
      锦州市生态环境局凌海分局2025年依申请公开登记台账,,,,,,,
      序号,申请编号,申请人类型,收到日期,办理结果,答复日期,是否上年结转,备注
      1,HB-2025-001,自然人,2025-02-11,予以公开,2025-02-25,否,
      2,HB-2025-002,自然人,2025-03-04,予以公开,2025-03-18,否,
      3,HB-2025-001,自然人,2025-03-05,予以公开,2025-03-19,否,
      4,HB-2025-004,自然人,2025-04-02,部分公开,2025-04-20,否,

      """
    try Data(("\u{FEFF}" + register).utf8).write(to: inbox.appendingPathComponent("环保局-依申请公开登记台账.csv"))
    func run(_ extra: [String]) throws -> [[String: Any]] {
      let r = try GoldenHarness.almanac(
        [
          "run", "--pipeline", GoldenHarness.pipeline.path, "--seeds", GoldenHarness.seeds.path, "--inbox", inbox.path,
          "--outbox", root.appendingPathComponent("outbox").path, "--state", root.appendingPathComponent("state").path,
          "--year", "2025", "--quiet",
        ] + extra, in: root)
      #expect(r.code == 0 || r.code == 1, "\(r.stderr)")
      let log = try String(
        contentsOf: root.appendingPathComponent("outbox/2025/reconciliation.jsonl"), encoding: .utf8)
      return log.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }.filter { $0["code"] as? String == "NRM-031" }
    }
    for extra in [[], ["--from", "normalize"], ["--force"]] {
      let found = try run(extra)
      #expect(found.count == 1, "\(extra)")
      #expect(found.first?["severity"] as? String == "warning")
      #expect((found.first?["message"] as? String)?.contains("如「HB-2025-001」（第 3、5 行）") == true, "\(found)")
      let sources = found.first?["sources"] as? [[String: Any]] ?? []
      #expect(sources.map { $0["line"] as? Int } == [3, 5])
      #expect(sources.allSatisfy { $0["column"] as? Int == 2 })
    }
  }

  /// A unit's full name longer than a file name may be (255 bytes) made `templates` fail with
  /// “File name too long” half-way through the units: its folder name is cut, and two units
  /// whose names are alike once cut get folders of their own.
  @Test func testTemplates_perDepartment_longUnitNamesGetFoldersOfTheirOwn() throws {
    let root = try GoldenHarness.temporaryFolder("templates-long")
    defer { try? FileManager.default.removeItem(at: root) }
    let seeds = root.appendingPathComponent("seeds")
    try FileManager.default.copyItem(at: GoldenHarness.seeds, to: seeds)
    let departments = seeds.appendingPathComponent("departments.csv")
    var text = try String(contentsOf: departments, encoding: .utf8)
    let newline = text.contains("\r\n") ? "\r\n" : "\n"
    let long = "凌海市" + String(repeating: "非常长的单位名称", count: 12)
    while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
    text += newline + "long1,\(long)一局,部门,lhs,," + newline + "long2,\(long)二局,部门,lhs,," + newline
    try text.write(to: departments, atomically: true, encoding: .utf8)
    let out = root.appendingPathComponent("units")
    let made = try GoldenHarness.almanac(
      [
        "templates", "--out", out.path, "--per-department", "--pipeline", GoldenHarness.pipeline.path, "--seeds",
        seeds.path, "--year", "2025",
      ], in: root)
    #expect(made.code == 0, "templates exited \(made.code): \(made.stderr)")
    let expected = try GoldenHarness.expectedDepartments(year: 2025)
    let folders = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(folders.count == expected.count + 2, "\(folders.sorted())")
    #expect(folders.allSatisfy { $0.utf8.count <= 180 })
    let cut = folders.filter { $0.hasPrefix("凌海市非常长") || $0 == "long2" }
    #expect(cut.count == 2 && cut.contains("long2"), "\(cut.sorted())")
    for folder in cut {
      let t3 = try String(contentsOf: out.appendingPathComponent("\(folder)/t3-表三.utf8.csv"), encoding: .utf8)
      #expect(t3.contains("填报单位：,\(long)"))
    }
  }

  /// `--per-department`: a folder per unit expected for the year, its sheets naming it; a unit's
  /// sheet, sent back as it is, is taken for that unit (not held back as naming no sender).
  @Test func testTemplates_perDepartment_sheetsNameTheirUnit() throws {
    let root = try GoldenHarness.temporaryFolder("templates-units")
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("units")
    let made = try GoldenHarness.almanac(
      [
        "templates", "--out", out.path, "--per-department", "--pipeline", GoldenHarness.pipeline.path, "--seeds",
        GoldenHarness.seeds.path, "--year", "2025",
      ], in: root)
    #expect(made.code == 0, "templates exited \(made.code): \(made.stderr)")
    let expected = try GoldenHarness.expectedDepartments(year: 2025)
    let folders = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(folders.count == expected.count)
    #expect(made.stdout.contains("已为 \(expected.count) 个应报送 2025 年度的单位各生成一套模板"), "\(made.stdout)")
    let unit = try #require(folders.first { $0 == "凌海市财政局" })
    let t3 = try String(contentsOf: out.appendingPathComponent("\(unit)/t3-表三.utf8.csv"), encoding: .utf8)
    #expect(t3.hasPrefix("凌海市财政局2025年度"))
    #expect(t3.contains("填报单位：,凌海市财政局,填报日期："))

    let inbox = root.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: out.appendingPathComponent("\(unit)/t3-表三.gb18030.csv"), to: inbox.appendingPathComponent("表三.csv"))
    let run = try GoldenHarness.almanac(
      [
        "run", "--pipeline", GoldenHarness.pipeline.path, "--seeds", GoldenHarness.seeds.path, "--inbox", inbox.path,
        "--outbox", root.appendingPathComponent("outbox").path, "--state", root.appendingPathComponent("state").path,
        "--year", "2025", "--quiet",
      ], in: root)
    let submissions = try String(
      contentsOf: root.appendingPathComponent("outbox/2025/submissions.csv"), encoding: .utf8)
    #expect(submissions.contains("czj,凌海市财政局,部门,received,"), "\(run.stderr)")
    #expect(!run.stderr.contains("NRM-001"), "\(run.stderr)")

    // Sent back blank, the sheet has a REC-C10 per cell: the console shows three and one line
    // for the rest; the reconciliation log keeps every one.
    let loud = try GoldenHarness.almanac(
      [
        "run", "--pipeline", GoldenHarness.pipeline.path, "--seeds", GoldenHarness.seeds.path, "--inbox", inbox.path,
        "--outbox", root.appendingPathComponent("outbox").path, "--state", root.appendingPathComponent("state").path,
        "--year", "2025", "--force",
      ], in: root)
    let console = loud.stdout + loud.stderr
    let log = try String(contentsOf: root.appendingPathComponent("outbox/2025/reconciliation.jsonl"), encoding: .utf8)
    let blanks = log.components(separatedBy: "\"code\":\"REC-C10\"").count - 1
    #expect(blanks > 100)
    #expect(console.components(separatedBy: "[REC-C10]").count - 1 == 4, "\(console)")
    #expect(console.contains("表三.csv: warning: 该文件另有 \(blanks - 3) 条同类核对结果未逐条列出"), "\(console)")
  }

  /// Blank sheets written into the inbox would be read by the next run as departments' files;
  /// a file where the folder should be was a write error (exit 3) naming a temporary file.
  @Test func testTemplates_outInTheInboxOrAFileIsRefused() throws {
    let root = try GoldenHarness.temporaryFolder("templates-out")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("inbox"), withIntermediateDirectories: true)
    try Data().write(to: root.appendingPathComponent("afile"))
    let pipeline = ["--pipeline", GoldenHarness.pipeline.path, "--year", "2025"]
    for (out, says) in [
      ("inbox", "is in the inbox"), ("inbox/空白表", "is in the inbox"), ("afile", "is a file"),
      ("", "--out must not be empty"),
    ] {
      let refused = try GoldenHarness.almanac(["templates", "--out", out] + pipeline, in: root)
      #expect(refused.code == 2, "\(out): \(refused.stderr)")
      #expect(refused.stderr.contains(says), "\(out): \(refused.stderr)")
    }
    #expect(GoldenHarness.files(under: root.appendingPathComponent("inbox")).isEmpty)
    let elsewhere = try GoldenHarness.almanac(
      ["templates", "--out", "blank"] + pipeline, in: root, environment: ["ALMANAC_INBOX": "incoming"])
    #expect(elsewhere.code == 0, "\(elsewhere.stderr)")
    let intoInbox = try GoldenHarness.almanac(
      ["templates", "--out", "inbox"] + pipeline, in: root, environment: ["ALMANAC_INBOX": "incoming"])
    #expect(intoInbox.code == 0, "inbox/ is not the inbox when ALMANAC_INBOX names another: \(intoInbox.stderr)")
  }

  /// `verify` checks last year's dataset the cross-year checks read: the manifest records it
  /// by full path and digest, and a corrected, republished last year is a change (it said 一致
  /// while the published C-1 findings came from the old figures).
  @Test func testVerify_checksLastYearsDatasetToo() throws {
    let parent = try GoldenHarness.temporaryFolder("verify-previous")
    defer { try? FileManager.default.removeItem(at: parent) }
    let y2022 = try GoldenHarness.run(inbox: GoldenRuns.pingtanInbox(2022), year: 2022, label: "y2022", in: parent)
    let y2023 = try GoldenHarness.run(
      inbox: GoldenRuns.pingtanInbox(2023), year: 2023, previous: y2022.outbox, label: "y2023", in: parent)
    #expect(try y2023.text("manifest.json").contains("\"previous\""))
    let verify = [
      "verify", "--outbox", y2023.outbox.deletingLastPathComponent().path, "--year", "2023", "--inbox",
      y2023.root.appendingPathComponent("inbox").path,
    ]
    let clean = try GoldenHarness.almanac(verify, in: y2023.root)
    #expect(clean.code == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(clean.stdout.contains("上年数据（--previous）：\(y2022.outbox.path)/consolidated.csv  与清单一致"), "\(clean.stdout)")
    let handle = try FileHandle(forWritingTo: y2022.url("consolidated.csv"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("\r\n".utf8))
    try handle.close()
    let changed = try GoldenHarness.almanac(verify, in: y2023.root)
    #expect(changed.code == 1, "\(changed.stdout)")
    #expect(changed.stdout.contains("已更换") && changed.stdout.contains("跨年度核对"), "\(changed.stdout)")
  }

  // MARK: - pingtan (report-2021.md §5)

  @Test(arguments: [GoldenPublished.pingtan2022, GoldenPublished.pingtan2023])
  func testPingtan_regionTablesAreThePublishedOnes(published: GoldenPublished) throws {
    let run = try GoldenRuns.pingtan(published.year)
    let t3 = try GoldenTables.t3(run)
    let t4 = try GoldenTables.t4(run)
    let t2 = try GoldenTables.t2(run)
    #expect(published.t3.count == 175 && published.t4Cells.count == 15 && published.t2.count == 10)
    for (key, value) in published.t3.sorted(by: { $0.key < $1.key }) {
      #expect(t3[key] == String(value), "\(published.year) t3.\(key)")
    }
    for (key, value) in published.t4Cells.sorted(by: { $0.key < $1.key }) {
      #expect(t4[key] == String(value), "\(published.year) t4.\(key)")
    }
    for (key, value) in published.t2.sorted(by: { $0.key < $1.key }) {
      #expect(t2[key] == value, "\(published.year) t2.\(key)")
    }
    for name in ["reconciliation.jsonl", "tables/t2.csv", "tables/t3.csv", "tables/t4.csv"] {
      GoldenSnapshot.check(name, of: run, test: "pingtan-\(published.year)")
    }
  }

  @Test(arguments: [2022, 2023])
  func testPingtan_findingsAreMissingUnitsAndThePublishedBreaksOnly(year: Int) throws {
    let run = try GoldenRuns.pingtan(year)
    #expect(run.code == 0, "warnings only: \(run.output)")
    let sent: Set<String> = year == 2022 ? ["zfb", "zrj", "scj", "ss"] : ["zfb", "zrj", "scj", "ss", "gaj"]
    var want = try GoldenHarness.expectedDepartments(year: year).filter { !sent.contains($0) }.map {
      "REC-SUB-001|\($0)|"
    }
    if year == 2023 {
      // 698 + 77 − 132 = 643 ≠ 470 (the 2023 clean-up), and 5949.088667 万元 has 6 decimals.
      want += [
        "REC-T2-C2||t2.gfxwj.youxiao", "REC-T2-C2|zfb|t2.gfxwj.youxiao", "REC-C9||t2.xzsyxsf.wanyuan",
        "REC-C9|scj|t2.xzsyxsf.wanyuan",
      ]
    }
    let findings = try run.findings()
    #expect(findings.map(Self.triple).sorted() == want.sorted())
    if year == 2023 {
      let region = findings.first { $0["code"] as? String == "REC-T2-C2" && $0["department"] is NSNull }
      #expect(region?["expected"] as? String == "643" && region?["actual"] as? String == "470")
      let zfb = findings.first { $0["code"] as? String == "REC-T2-C2" && $0["department"] as? String == "zfb" }
      #expect(zfb?["expected"] as? String == "275" && zfb?["actual"] as? String == "102")
    }
  }

  // MARK: - templates

  @Test func testTemplates_zeroFilledSheetsGiveOnlyMissingDepartmentFindings() throws {
    let root = try GoldenHarness.temporaryFolder("templates")
    defer { try? FileManager.default.removeItem(at: root) }
    let templates = root.appendingPathComponent("templates")
    let made = try GoldenHarness.almanac(
      ["templates", "--out", templates.path, "--year", "2025", "--pipeline", GoldenHarness.pipeline.path], in: root)
    #expect(made.code == 0, "templates exited \(made.code): \(made.stderr)")
    let names = GoldenHarness.files(under: templates)
    var want: [String] = []
    for (form, label) in [("register", "依申请公开登记台账"), ("t2", "表二"), ("t3", "表三"), ("t4", "表四")] {
      want += ["\(form)-\(label).gb18030.csv", "\(form)-\(label).utf8.csv"]
    }
    #expect(names == want.sorted())

    // 凌海市财政局 fills the UTF-8 templates, 石山镇 the GB18030 ones (the same sheets, decoded).
    let inbox = root.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    for (form, label) in [("t2", "表二"), ("t3", "表三"), ("t4", "表四")] {
      let utf8 = try GoldenCSV.read(templates.appendingPathComponent("\(form)-\(label).utf8.csv"))
      let gbData = try #require(
        FileManager.default.contents(atPath: templates.appendingPathComponent("\(form)-\(label).gb18030.csv").path))
      let gb = GoldenCSV.parse(try GoldenIconv.utf8(fromGB18030: gbData))
      #expect(gb == utf8, "\(form): the GB18030 template is the UTF-8 one")

      let czj = try #require(GoldenTemplateFiller.fill(utf8, form: form, department: "凌海市财政局", filledOn: "2026年1月10日"))
      let zeros = czj.joined().filter { $0 == "0" }.count
      #expect(zeros == ["t2": 10, "t3": 175, "t4": 15][form], "\(form): value cells filled")
      try Data(("\u{FEFF}" + GoldenCSV.write(czj)).utf8).write(to: inbox.appendingPathComponent("财政局-\(label).csv"))
      let ss = try #require(GoldenTemplateFiller.fill(gb, form: form, department: "石山镇", filledOn: "2026年1月12日"))
      try GoldenIconv.gb18030(GoldenCSV.write(ss)).write(to: inbox.appendingPathComponent("石山镇-\(label).csv"))
    }

    let run = try GoldenHarness.run(inbox: inbox, year: 2025, label: "templates-run")
    defer { try? FileManager.default.removeItem(at: run.root) }
    #expect(run.code == 0, "almanac exited \(run.code):\n\(run.output)")
    let expected = try GoldenHarness.expectedDepartments(year: 2025).filter { $0 != "czj" && $0 != "ss" }
    #expect(try run.findings().map(Self.triple).sorted() == expected.map { "REC-SUB-001|\($0)|" }.sorted())
    let t3 = try GoldenTables.t3(run)
    #expect(t3.count == 175 && t3.values.allSatisfy { $0 == "0" })
    let t4 = try GoldenTables.t4(run)
    #expect(t4.count == 15 && t4.values.allSatisfy { $0 == "0" })
    let t2 = try GoldenTables.t2(run)
    #expect(t2.count == 10 && t2.values.allSatisfy { $0 == "0" })
    let submissions = GoldenCSV.records(try GoldenCSV.read(run.url("submissions.csv")))
    #expect(Set(submissions.filter { $0["status"] == "received" }.compactMap { $0["department_id"] }) == ["czj", "ss"])
  }

  // MARK: - helpers

  /// `code|department|cell` of a finding (empty for null).
  static func triple(_ f: [String: Any]) -> String {
    "\(f["code"] as? String ?? "?")|\(f["department"] as? String ?? "")|\(f["cell"] as? String ?? "")"
  }

  /// `expected.json` findings `[[code, department|null, cell|null]]` as triples.
  static func triples(_ value: Any?) throws -> [String] {
    guard let list = value as? [[Any]] else { throw GoldenError("expected.json: findings is not a list of lists") }
    return list.map { item in item.map { ($0 as? String) ?? "" }.joined(separator: "|") }
  }

  static func strings(_ value: Any?) throws -> [String] {
    guard let list = value as? [String] else { throw GoldenError("expected.json: not a list of strings") }
    return list
  }
}
