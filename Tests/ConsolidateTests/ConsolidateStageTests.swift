import AlmanacCore
import Foundation
import Ingest
import Testing

@testable import Consolidate

/// Runs the stage once on the fixture and reads back what it staged.
struct StagedRun {
  let work: URL
  let output: StagedFiles
  let context: StageContext

  static func make(_ reconciliation: Reconciliation = Fixture.reconciliation()) async throws -> StagedRun {
    let work = try Fixture.temporaryDirectory()
    let context = Fixture.context(try Fixture.pipeline(), work: work)
    var output = try await ConsolidateStage().run(reconciliation, in: context)
    // The log is staged by the last stage (draft) from every finding so far; here, right after.
    var log = reconciliation
    log.findings = (log.findings + context.findings.findings).sorted()
    try ConsolidateStage.stageLog(log, in: context, stage: "draft", into: &output)
    return StagedRun(work: work, output: output, context: context)
  }

  func data(_ path: String) throws -> Data { try Data(contentsOf: StagedFiles.stagedURL(path, in: work)) }

  func text(_ path: String) throws -> String { String(decoding: try data(path), as: UTF8.self) }

  /// Records of a staged CSV, parsed by ingest's reader (BOM stripped, gzip inflated).
  func records(_ path: String) throws -> [[String]] {
    var out: [[String]] = []
    _ = try RecordReader().read(StagedFiles.stagedURL(path, in: work), displayPath: path) { out.append($0.fields) }
    return out
  }
}

@Suite struct ConsolidateStageTests {
  static let outputs = [
    "consolidated.csv", "consolidated.csv.gz", "tables/t2.csv", "tables/t3.csv", "tables/t4.csv", "submissions.csv",
    "reconciliation.jsonl", "reconciliation.html",
  ]

  @Test func testStage_stagesEveryOutputWithItsDigest() async throws {
    let run = try await StagedRun.make()
    #expect(run.output.files.keys.sorted() == Self.outputs.sorted())
    for path in Self.outputs {
      #expect(run.output.files[path] == Digest.sha256Hex(try run.data(path)), "digest of \(path)")
    }
  }

  @Test func testStage_runTwiceGivesIdenticalBytes() async throws {
    let first = try await StagedRun.make()
    let second = try await StagedRun.make()
    #expect(first.output == second.output)
    for path in Self.outputs {
      #expect(try first.data(path) == second.data(path), "\(path) differs between runs")
    }
  }

  @Test func testStage_outputsMatchSnapshots() async throws {
    let run = try await StagedRun.make()
    for path in Self.outputs where path != "consolidated.csv.gz" {
      Snapshot.assertMatches(try run.data(path), named: path.replacingOccurrences(of: "/", with: "-"))
    }
  }

  /// The reconciliation page says how to trace a finding's cell; an id a shell would need
  /// quoting for, or a cell the forms do not define, gets no command.
  @Test func testTraceCommand_forTheFindingsCellAndDepartment() throws {
    let catalog = FormCatalog(forms: try Fixture.pipeline().forms)
    func finding(cell: String?, department: String?) -> Finding {
      Finding(code: "X", severity: .error, stage: "reconcile", message: "m", department: department, cell: cell)
    }
    #expect(
      ReconciliationPage.traceCommand(finding(cell: "t3.r1.zj", department: "czj"), catalog: catalog)
        == "almanac explain t3.r1.zj --department czj")
    #expect(
      ReconciliationPage.traceCommand(finding(cell: "t3.r1.zj", department: nil), catalog: catalog)
        == "almanac explain t3.r1.zj")
    #expect(ReconciliationPage.traceCommand(finding(cell: "t3.r1.zj", department: "a b;rm"), catalog: catalog) == nil)
    #expect(ReconciliationPage.traceCommand(finding(cell: "t3.r1.zj", department: "-x"), catalog: catalog) == nil)
    #expect(ReconciliationPage.traceCommand(finding(cell: "t9.r1.zj", department: "czj"), catalog: catalog) == nil)
    #expect(ReconciliationPage.traceCommand(finding(cell: nil, department: "czj"), catalog: catalog) == nil)
  }

  @Test func testGzip_holdsTheSameBytesAsTheCSV() async throws {
    let run = try await StagedRun.make()
    let gz = try run.data("consolidated.csv.gz")
    #expect(Array(gz.prefix(2)) == [0x1F, 0x8B])
    #expect(try run.records("consolidated.csv.gz") == run.records("consolidated.csv"))
  }

  @Test func testConsolidated_orderAndKinds() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("consolidated.csv")
    #expect(rows.first == ConsolidatedDataset.header)
    let body = rows.dropFirst()
    // D01: 10 t2 + 175 t3 + 15 t4 submitted, 2 register; D02: 10 t2 + 175 t3; region: 10 + 175 + 15.
    #expect(body.count == 587)
    var groups: [String] = []
    for r in body where groups.last != "\(r[1])/\(r[3])" { groups.append("\(r[1])/\(r[3])") }
    #expect(groups == ["D01/submitted", "D01/register", "D02/submitted", "REGION/region"])
    let first = Array(body.first ?? [])
    #expect(
      first == [
        "2021", "D01", "凌海市教育局", "submitted", "t2", "guizhang", "zhifa", "规章", "本年制发件数", "0", "", "0",
        "2021/教育局-v2.csv", Fixture.shaA, "4", "2", "summed",
      ])
    let region = body.filter { $0[1] == "REGION" }
    #expect(region.first?[2] == "凌海市")
    #expect(region.first?[12] == "")
    let r37 = region.first { $0[4] == "t3" && $0[5] == "r3_7" && $0[6] == "zj" }
    #expect(r37?[7] == "三、本年度办理结果 > （七）总计")
    #expect(r37?[8] == "申请人情况 > 总计")
    #expect(r37?[9] == "13")
    let fee = region.first { $0[5] == "xzsyxsf" }
    #expect(fee?[9] == "1.75")
    #expect(fee?[10] == "万元")
    // A department's figure is in its cell's declared unit too, written with it or not
    // (`0.50` in the fee column was a figure without a unit).
    let fees = body.filter { $0[3] == "submitted" && $0[5] == "xzsyxsf" }
    #expect(
      fees.map { [$0[1], $0[9], $0[10], $0[11]] } == [["D01", "1.25", "万元", "1.25万元"], ["D02", "0.5", "万元", "0.50"]])
    #expect(first[10] == "")
    let sy = body.first { $0[1] == "D01" && $0[5] == "r1" && $0[6] == "sy" }
    #expect(sy?[8] == "申请人情况 > 法人或其他组织 > 商业企业")
  }

  /// `region_use` says which department rows add up to each region row, and why the others
  /// do not: every region cell that is not a total equals the sum of its `summed` rows.
  @Test func testConsolidated_regionUse_summedRowsAddUpToTheRegion() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("consolidated.csv")
    let column = try #require(rows.first?.firstIndex(of: "region_use"))
    let body = rows.dropFirst()
    var sums: [String: Decimal] = [:]
    var region: [String: Decimal] = [:]
    var uses: [String: Set<String>] = [:]
    for r in body {
      let key = "\(r[4]).\(r[5]).\(r[6])"
      if r[3] == "region" {
        #expect(r[column] == "")
        region[key] = Decimal(string: r[9])
        continue
      }
      uses[r[3], default: []].insert(r[column])
      if r[column] == "summed" { sums[key, default: 0] += Decimal(string: r[9]) ?? 0 }
    }
    for (key, value) in region where !key.hasSuffix(".zj") && !key.contains(".r3_7.") && !key.hasSuffix(".xj") {
      #expect((sums[key] ?? 0) == value, "\(key)")
    }
    // Totals are checked, not added; the fixture's negative figure is refused by S-5, its
    // blank counted as 0, its text added to nothing; the register's counts of cells D01's
    // table also fills are only compared.
    #expect(uses["submitted"]?.isSuperset(of: ["summed", "total", "refused", "blank", "text"]) == true)
    #expect(uses["register"] == ["compared"])
    let negative = body.first { $0[1] == "D02" && $0[5] == "xzcf" && $0[6] == "jueding" }
    #expect(negative?[9] == "-3")
    #expect(negative?[column] == "refused")
  }

  @Test func testConsolidated_neutralizesFormulasAndKeepsNegativeNumbers() async throws {
    let run = try await StagedRun.make()
    let text = try run.text("consolidated.csv")
    #expect(text.hasPrefix("\u{FEFF}year,"))
    #expect(text.contains("\r\n"))
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    let rows = try run.records("consolidated.csv")
    func row(_ dept: String, _ r: String, _ c: String) -> [String]? {
      rows.first { $0[1] == dept && $0[3] == "submitted" && $0[5] == r && $0[6] == c }
    }
    #expect(row("D02", "guizhang", "zhifa")?[9] == "'=HYPERLINK(\"http://evil.example/x\",\"点击\")")
    #expect(row("D02", "guizhang", "zhifa")?[11] == "'=HYPERLINK(\"http://evil.example/x\",\"点击\")")
    #expect(row("D02", "gfxwj", "zhifa")?[9] == "'@SUM(A1:A9)")
    #expect(row("D02", "xzcf", "jueding")?[9] == "-3")
    #expect(row("D02", "xzcf", "jueding")?[11] == "'-3")
    #expect(row("D02", "xzqz", "jueding")?[9] == "")
    #expect(row("D02", "xzqz", "jueding")?[11] == "'-")
    #expect(text.contains(",-3,,'-3,"))
    // A `<script>` name is data in CSV too: kept verbatim (Excel shows it as text).
    #expect(row("D02", "r1", "np")?[2] == Fixture.evilName)
  }

  @Test func testSubmissions_listsEveryStatus() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("submissions.csv")
    #expect(rows.first == SubmissionsList.header)
    #expect(
      Array(rows.dropFirst()) == [
        ["D01", "凌海市教育局", "部门", "received", "已报送", "2021/教育局-v2.csv", Fixture.shaA, "", ""],
        ["D01", "凌海市教育局", "部门", "superseded", "已被替代", "2021/教育局.csv", Fixture.shaOld, "", ""],
        ["D02", Fixture.evilName, "乡镇", "received", "已报送", "2021/某镇.csv", Fixture.shaB, "", ""],
        ["D03", "凌海市财政局", "部门", "missing", "未报送", "", "", "", ""],
        ["", "某某局", "", "held_back", "暂缓采用", "2021/不明.csv", Fixture.shaX, "unreadable", "文件无法读取，已隔离"],
      ])
  }

  @Test func testSubmissions_joinsSeveralFilesWithSemicolons() {
    var t2Only = Fixture.d01
    t2Only.source = SourceFile(path: "2021/教育局-表二.csv", sha256: "ee", size: 1)
    var ledger = Fixture.reconciliation().ledger
    ledger.accepted.append(t2Only)
    let rows = SubmissionsList.rows(of: ledger, seeds: Fixture.seeds)
    #expect(rows.first?.fields[5] == "2021/教育局-v2.csv;2021/教育局-表二.csv")
    #expect(rows.first?.fields[6] == "\(Fixture.shaA);ee")
  }

  /// A unit that sent some forms is 已报送, with the required forms it did not send as its reason.
  @Test func testSubmissions_receivedUnitNamesTheFormsItDidNotSend() {
    let rows = SubmissionsList.rows(
      of: Fixture.reconciliation().ledger, seeds: Fixture.seeds, missingForms: ["D02": ["表四"]])
    let d02 = rows.first { $0.departmentID == "D02" && $0.status == .received }
    #expect(
      d02.map { [$0.fields[3], $0.fields[4], $0.fields[7], $0.fields[8]] } == [
        "received", "已报送", "missing_forms", "缺表四",
      ])
    let d01 = rows.first { $0.departmentID == "D01" && $0.status == .received }
    #expect(d01?.fields[7] == "" && d01?.fields[8] == "")
  }

  @Test func testFindingsLog_oneSortedKeyObjectPerLine() async throws {
    let run = try await StagedRun.make()
    let text = try run.text("reconciliation.jsonl")
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    try #require(lines.count == Fixture.findings.count + 1)
    #expect(lines.last == "")
    let first = String(lines[0])
    #expect(first.hasPrefix("{\"accepted\":null,\"actual\":"))
    #expect(first.contains("\"department\":null"))
    #expect(first.contains("\"file\":\"2021/不明.csv\""))
    let decoded = try lines.dropLast().map { try JSONDecoder().decode(Finding.self, from: Data($0.utf8)) }
    #expect(decoded == Fixture.findings.sorted())
  }

  @Test func testHTML_escapesDataAndGroupsByDepartment() async throws {
    let run = try await StagedRun.make()
    let html = try run.text("reconciliation.html")
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
    #expect(html.hasSuffix("</body>\n</html>\n"))
    #expect(!html.contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;（D02）"))
    #expect(html.contains("不一致&lt;b&gt;请核对&lt;/b&gt;"))
    #expect(!html.contains("<b>请核对"))
    #expect(html.contains("\"SimSun\", \"宋体\", \"Noto Serif CJK SC\", serif"))
    #expect(html.contains("@media print"))
    #expect(
      html.contains(
        "共 4 条核对结果：<span class=\"sev-error\">错误 2 条</span>，<span class=\"sev-warning\">警告 1 条</span>，<span class=\"sev-info\">提示 1 条</span>。"
      ))
    let region = try #require(html.range(of: "<h2>全市汇总（凌海市）</h2>"))
    let d01 = try #require(html.range(of: "<h2>凌海市教育局（D01）</h2>"))
    let d02 = try #require(html.range(of: "<h2>&lt;script&gt;alert(1)&lt;/script&gt;（D02）</h2>"))
    let files = try #require(html.range(of: "<h2>未能确定报送单位的文件</h2>"))
    #expect(region.lowerBound < d01.lowerBound && d01.lowerBound < d02.lowerBound && d02.lowerBound < files.lowerBound)
    #expect(html.contains("<code>2021/某镇.csv:12:10</code>（sha256 b2b2b2b2b2b2）"))
    #expect(html.contains("<th>应为</th><td>4</td><th>实为</th><td>5</td><th>差额</th><td>1</td>"))
    #expect(html.contains("<h3><code>REC-T3-S1</code> 总计等于各类申请人之和（1 条）</h3>"))
    #expect(html.contains("处理建议：</b>请核对该行各列数字与总计，修正后重新报送。"))
    #expect(html.contains("可用 <code>almanac accept 编号 --reason 理由 --by 姓名</code> 记录确认"))
    #expect(Self.balancedTags(html))
  }

  /// An accepted finding shows the decision, and the summary counts it apart.
  @Test func testHTML_acceptedFindingShowsTheDecision() throws {
    var rec = Fixture.reconciliation()
    let i = try #require(rec.findings.firstIndex { $0.severity == .error })
    rec.findings[i].acceptance = FindingAcceptance(reason: "单位<书面>确认", by: "李四", on: "2026-01-20", line: 3)
    let page = ReconciliationPage(
      reconciliation: rec, regionName: "凌海市", year: 2021, title: "政府信息公开工作年度报告", rules: [],
      catalog: FormCatalog(forms: [])
    ).html
    #expect(page.contains("；其中 1 条已审核确认，不再影响报告定稿。</p>"))
    #expect(page.contains("<span class=\"badge\">错误 · 已审核确认</span>"))
    #expect(page.contains("<b>审核确认：</b>李四，2026-01-20：单位&lt;书面&gt;确认（<code>accepted_findings.csv</code> 第 3 行）"))
    #expect(Self.balancedTags(page))
  }

  /// A decision no finding matches any more is an ACC-001 note at its row: the finding is gone
  /// (corrected, or its file replaced: the same check on the same cell gives its new id), or
  /// its values moved. A decision in effect, or one a later row renewed, says nothing.
  @Test func testStaleAcceptances() {
    func finding(_ sha: String, actual: String) -> Finding {
      Finding(
        code: "REC-T3-S2", severity: .error, stage: "reconcile", message: "", department: "zjj", cell: "t3.r3_7.np",
        expected: "8", actual: actual, sources: [SourceRef(file: "住建局.csv", sha256: sha, line: 24, column: 4)])
    }
    let old = finding("aa", actual: "11")
    let entry = { (f: Finding, actual: String, line: Int) in
      AcceptedFindings.Entry(
        id: f.id, code: f.code, department: "zjj", cell: "t3.r3_7.np", expected: "8", actual: actual,
        acceptance: FindingAcceptance(reason: "确认", by: "李四", on: "2026-01-20", line: line))
    }
    let accepted = AcceptedFindings(entries: [entry(old, "11", 2)])
    #expect(ConsolidateStage.staleAcceptances(accepted, findings: [old]) == [])
    let replaced = finding("bb", actual: "11")
    let gone = ConsolidateStage.staleAcceptances(accepted, findings: [replaced])
    #expect(gone.map(\.code) == ["ACC-001"])
    #expect(gone.first?.sources == [SourceRef(file: "seeds/accepted_findings.csv", sha256: "", line: 2)])
    #expect(gone.first?.message.contains("不在本次运行的核对结果中") == true)
    #expect(gone.first?.message.contains("almanac accept \(replaced.id)") == true)
    let moved = finding("aa", actual: "12")
    let changed = ConsolidateStage.staleAcceptances(accepted, findings: [moved])
    #expect(changed.first?.message.contains("确认时应为 8、实为 11，本次应为 8、实为 12") == true)
    let renewed = AcceptedFindings(entries: [entry(old, "11", 2), entry(old, "12", 3)])
    #expect(ConsolidateStage.staleAcceptances(renewed, findings: [moved]) == [])
    // A row naming REC-SUB-005, which cannot be accepted, says so.
    let empty = Finding(code: "REC-SUB-005", severity: .error, stage: "reconcile", message: "")
    let never = AcceptedFindings(entries: [
      AcceptedFindings.Entry(
        id: empty.id, code: "REC-SUB-005", department: "", cell: "", expected: "", actual: "",
        acceptance: FindingAcceptance(reason: "确认", by: "李四", on: "2026-01-20", line: 4))
    ])
    let note = ConsolidateStage.staleAcceptances(never, findings: [empty])
    #expect(note.first?.message.contains("（REC-SUB-005）不能确认") == true, "\(note)")
    // Both rows of a renewed decision gone stale are two notes, not one.
    let both = ConsolidateStage.staleAcceptances(renewed, findings: [finding("aa", actual: "13")])
    #expect(Set(both.map(\.id)).count == 2)
  }

  @Test func testHTML_noFindingsSaysSo() {
    var rec = Fixture.reconciliation()
    rec.findings = []
    let page = ReconciliationPage(
      reconciliation: rec, regionName: "凌海市", year: 2021, title: "政府信息公开工作年度报告", rules: [],
      catalog: FormCatalog(forms: []))
    #expect(page.html.contains("未发现需要处理的问题。"))
    #expect(!page.html.contains("almanac accept"))
    #expect(page.html.contains("共 0 条核对结果"))
  }

  @Test func testStage_emitsCON001WhenRegionCellsAreMissing() async throws {
    var rec = Fixture.reconciliation()
    rec.ledger.region = rec.ledger.region.filter { !$0.key.hasPrefix("t4.") }
    let run = try await StagedRun.make(rec)
    let emitted = run.context.findings.findings
    #expect(emitted.map(\.code) == ["CON-001"])
    #expect(emitted.first?.cell == "t4.fy.wc")
    #expect(emitted.first?.actual == nil && emitted.first?.expected == nil)
    // Staff read the cell by its labels; the key is there for `explain`.
    #expect(emitted.first?.message.contains("15 个单元格没有数值（首个为「行政复议 · 结果维持」（t4.fy.wc））") == true)
    #expect(try run.text("reconciliation.jsonl").contains("\"code\":\"CON-001\""))
    let t4 = try run.records("tables/t4.csv")
    try #require(t4.count == 4)
    #expect(t4[3] == Array(repeating: "", count: 15))
  }

  /// Every opened non-void element is closed in order (well-formedness of what we generate).
  static func balancedTags(_ html: String) -> Bool {
    let void: Set<String> = ["meta", "br", "hr", "img", "link", "input"]
    var stack: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
      guard let close = rest[open...].firstIndex(of: ">") else { return false }
      let tag = rest[rest.index(after: open)..<close]
      rest = rest[rest.index(after: close)...]
      if tag.hasPrefix("!") { continue }
      if tag.hasPrefix("/") {
        guard stack.popLast() == String(tag.dropFirst()) else { return false }
        continue
      }
      let name = String(tag.prefix { $0 != " " })
      if !void.contains(name) { stack.append(name) }
    }
    return stack.isEmpty
  }
}

/// A region figure's unit is the one its row or column declares: 万元 for 表二's fee, % for the
/// 2016 forms' rates, 万份 for their leaflets, none for counts (every amount was labelled 万元).
@Suite struct RegionUnitTests {
  @Test func testRegionUnit_isTheDeclaredOne() throws {
    let national = FormCatalog(forms: try Fixture.pipeline().forms)
    #expect(
      ConsolidatedDataset.regionUnit(CellKey(form: "t2", row: "xzsyxsf", column: "wanyuan"), catalog: national) == "万元")
    #expect(ConsolidatedDataset.regionUnit(CellKey(form: "t3", row: "r1", column: "np"), catalog: national) == "")
    let narrative = try PipelineDefinition.load(
      folder: Fixture.repoRoot.appendingPathComponent("pipelines/linghai-2016"))
    let catalog = FormCatalog(forms: narrative.forms)
    let rate = try #require(
      narrative.forms.flatMap { f in (f.rows ?? []).map { (f, $0) } }.first { $0.1.key == "mxw_bjl" })
    #expect(rate.1.type == .amount)
    #expect(
      ConsolidatedDataset.regionUnit(CellKey(form: rate.0.id, row: "mxw_bjl", column: "bnd"), catalog: catalog) == "%")
    #expect(
      ConsolidatedDataset.regionUnit(CellKey(form: rate.0.id, row: "gkr_cl", column: "bnd"), catalog: catalog) == "万份")
    #expect(
      ConsolidatedDataset.regionUnit(CellKey(form: rate.0.id, row: "zdgk", column: "bnd"), catalog: catalog) == "")
  }
}
