import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@testable import Draft

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct DraftStageTests {
  static let titles = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
  ]

  @Test func testSentences_pingtan2023() async throws {
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []))
    let applications =
      "本年新收政府信息公开申请81件（其中自然人80件、商业企业1件），上年结转0件，办结81件，结转下年度继续办理0件。"
      + "办结的申请中，予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；无法提供31件，占38.27%；"
      + "不予处理1件，占1.23%；其他处理2件，占2.47%。"
    let appeals =
      "本年度因政府信息公开工作被申请行政复议2件，被提起行政诉讼7件（未经复议直接起诉5件，复议后起诉2件）；"
      + "行政复议结果纠正1件、尚未审结0件，行政诉讼结果纠正0件、尚未审结1件。"
    let t2 =
      "本年度制发行政规范性文件77件，废止132件，现行有效470件；作出行政许可处理决定2629件，"
      + "行政处罚处理决定1330件，行政强制处理决定54件；行政事业性收费金额5949.088667万元。"
    for doc in [d.markdown, d.html] {
      #expect(doc.contains(applications))
      #expect(doc.contains(appeals))
      #expect(doc.contains(t2))
    }
    #expect(d.markdown.contains("# 平潭综合实验区2023年度政府信息公开工作年度报告\n"))
    #expect(
      d.staged.files.keys.sorted() == ["reconciliation.html", "reconciliation.jsonl", "report.html", "report.md"])
  }

  @Test func testSentences_noApplicationsOmitsPercentages() async throws {
    var ledger = PingtanFixture.ledger()
    for key in ledger.region.keys where key.hasPrefix("t3.") { ledger.region[key] = .integer(0) }
    let d = try await PingtanFixture.draft(Reconciliation(ledger: ledger, findings: []))
    #expect(d.markdown.contains("本年新收政府信息公开申请0件，上年结转0件，办结0件，结转下年度继续办理0件。\n"))
    #expect(!d.markdown.contains("占"))
  }

  @Test func testSectionTitles_inOfficialOrder() async throws {
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []))
    let mdHeadings = d.markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    #expect(mdHeadings == Self.titles + ["附录：数据说明"])
    let subHeads = d.markdown.split(separator: "\n").filter { $0.hasPrefix("### （") }.map { String($0.dropFirst(4)) }
    #expect(subHeads == ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"])
    for title in Self.titles { #expect(d.html.contains("<h2>\(title)</h2>")) }
  }

  @Test func testPlaceholders_whenNoTextMaterial() async throws {
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []))
    #expect(d.markdown.contains("【待补充：本年度贯彻落实《中华人民共和国政府信息公开条例》的总体情况综述】"))
    #expect(d.markdown.contains("【待补充：存在的主要问题及改进情况，含上年度报告所列问题的整改情况】"))
    #expect(d.markdown.contains("【待补充：其他需要报告的事项，须说明本年度信息处理费收取情况"))
    #expect(d.markdown.components(separatedBy: "【待补充：").count - 1 == 8)
    #expect(d.html.contains("<p class=\"placeholder\">【待补充：存在的主要问题及改进情况"))
    #expect(d.findings.map(\.code) == Array(repeating: "DRF-001", count: 8))
    #expect(d.findings.allSatisfy { $0.severity == .info })
  }

  /// Templates without the national prose parts (the 2016 style) ask for no text: no
  /// placeholder findings, and material for a part they lack is a warning that it is not used
  /// (it was taken silently, and counted as used).
  @Test func testTemplatesWithoutAPart_noPlaceholderFindings_materialForItIsNotUsed() async throws {
    let texts = [
      TextMaterial(file: "一、总体情况.md", sha256: "a", section: "一", department: nil, text: "总体情况。"),
      TextMaterial(file: "环保局-五.md", sha256: "b", section: "五", department: "环保局", text: "环保局材料。"),
    ]
    let narrative = PingtanFixture.pipelineFolder.deletingLastPathComponent().appendingPathComponent("linghai-2016")
    let d = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: []), texts: texts, pipelineFolder: narrative)
    #expect(!d.findings.contains { $0.code == "DRF-001" })
    let unused = d.findings.filter { $0.code == "DRF-002" }
    #expect(unused.map { $0.sources.first?.file } == ["一、总体情况.md", "环保局-五.md"])
    #expect(unused.first?.message.contains("本流水线的报告模板没有“一、总体情况”这一部分") == true)
    #expect(!d.markdown.contains("总体情况。"))
    // The national templates have every part: material is used, placeholders are findings.
    let national = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: []), texts: Array(texts.prefix(1)))
    #expect(!national.findings.contains { $0.code == "DRF-002" })
    #expect(national.findings.filter { $0.code == "DRF-001" }.count == 7)
    // A template that opens `text` as a section names the parts inside it: they count as printed.
    let temporary = try TemporaryFolder("draft-text-section")
    defer { temporary.remove() }
    let folder = temporary.path("linghai-2016")
    try FileManager.default.copyItem(at: narrative, to: folder)
    let template = folder.appendingPathComponent("templates/report.md.mustache")
    try (try String(contentsOf: template, encoding: .utf8) + "\n{{#text}}{{{s6}}}{{/text}}\n").write(
      to: template, atomically: true, encoding: .utf8)
    let sectioned = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: []),
      texts: [TextMaterial(file: "六.md", sha256: "c", section: "六", department: nil, text: "本年度未收取信息处理费。")],
      pipelineFolder: folder)
    #expect(!sectioned.findings.contains { $0.code == "DRF-002" })
    #expect(sectioned.markdown.contains("本年度未收取信息处理费。"))
    // Only the parts named inside it: 五 is not, so its material is unused and no other part
    // asks for text.
    let five = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: []),
      texts: [TextMaterial(file: "五.md", sha256: "d", section: "五", department: nil, text: "问题。")],
      pipelineFolder: folder)
    #expect(five.findings.filter { $0.code == "DRF-002" }.map { $0.sources.first?.file } == ["五.md"])
    #expect(five.findings.filter { $0.code == "DRF-001" }.count == 1)
  }

  @Test func testText_regionWinsDepartmentListedOtherwise() async throws {
    let texts = [
      TextMaterial(file: "五、存在的主要问题.md", sha256: "a", section: "五", department: nil, text: "一是公开质量有待提高。\n二是平台建设仍需加强。"),
      TextMaterial(file: "环保局-五.md", sha256: "b", section: "五", department: "环保局", text: "环保局材料，不应出现。"),
      TextMaterial(file: "环保局-六.md", sha256: "c", section: "六", department: "环保局", text: "本局未收取信息处理费。"),
    ]
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []), texts: texts)
    #expect(d.markdown.contains("## 五、存在的主要问题及改进情况\n\n一是公开质量有待提高。\n二是平台建设仍需加强。\n"))
    #expect(!d.markdown.contains("环保局材料"))
    #expect(d.markdown.contains("> 环保局提供的材料（环保局-六.md）：\n>\n> 本局未收取信息处理费。\n"))
    #expect(d.markdown.contains("【待补充：其他需要报告的事项"))
    #expect(d.html.contains("<p>一是公开质量有待提高。</p>\n<p>二是平台建设仍需加强。</p>"))
    #expect(d.findings.count == 7)
  }

  @Test func testDraftMark_presentOnlyWithOpenErrors() async throws {
    let clean = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: [PingtanFixture.warningFinding()]))
    #expect(!clean.markdown.contains("草稿"))
    #expect(!clean.html.contains("草稿"))
    let open = try await PingtanFixture.draft(
      Reconciliation(
        ledger: PingtanFixture.ledger(), findings: [PingtanFixture.errorFinding(), PingtanFixture.warningFinding()]))
    #expect(open.markdown.hasPrefix("> **草稿**：汇总数据尚有 1 项错误未解决"))
    #expect(open.html.contains("<div class=\"draft-mark\" aria-hidden=\"true\">草稿</div>"))
    #expect(open.html.contains(".draft-mark {\n  position: fixed;"))
  }

  @Test func testNotes_listMissingHeldBackAndOpenErrors() async throws {
    let held = HeldBackFile(
      source: SourceFile(path: "未知单位2023.csv", sha256: "ff00", size: 120), reason: .unknownDepartment, claimed: "某某办")
    let ledger = PingtanFixture.ledger(
      missing: [DepartmentRef(id: "d07", name: "<script>alert(1)</script>局"), DepartmentRef(id: "d03", name: "财政局")],
      heldBack: [held])
    let d = try await PingtanFixture.draft(Reconciliation(ledger: ledger, findings: [PingtanFixture.errorFinding()]))
    #expect(d.markdown.contains("### 未报送单位\n\n- 财政局（d03）\n- \\<script\\>alert(1)\\</script\\>局（d07）\n"))
    #expect(d.markdown.contains("- 未知单位2023.csv：无法识别报送部门（文件所称单位：某某办）\n"))
    #expect(
      d.markdown.contains(
        "- \\<script\\>alert(1)\\</script\\>局，环保局.csv:12:9：表三（七）总计与各办理结果之和不符：应为81，实为80，请核对后重新报送［REC-T3-S2］"
      ))
    #expect(d.html.contains("<li>&lt;script&gt;alert(1)&lt;/script&gt;局（d07）</li>"))
    #expect(!d.html.contains("<script>"))
    #expect(d.html.contains("<li><code>未知单位2023.csv</code>：无法识别报送部门（文件所称单位：某某办）</li>"))
    #expect(!d.markdown.contains("均已报送"))
    // Every section of the shipped templates opened, every name in them found.
    #expect(!d.findings.contains { $0.code == "DRF-003" })
  }

  @Test func testNameFoundNowhereInADataSection_isAWarningAtItsPlace() async throws {
    let (temporary, folder, _) = try ReportTemplateCheckTests.national {
      $0.replacingOccurrences(of: "- {{name}}（{{id}}）", with: "- {{nmae}}（{{id}}）")
    }
    defer { temporary.remove() }
    let ledger = PingtanFixture.ledger(missing: [DepartmentRef(id: "d03", name: "财政局")])
    let d = try await PingtanFixture.draft(Reconciliation(ledger: ledger, findings: []), pipelineFolder: folder)
    #expect(d.markdown.contains("### 未报送单位\n\n- （d03）\n"))
    let warnings = d.findings.filter { $0.code == "DRF-003" }
    #expect(warnings.count == 1)
    let text = try String(contentsOf: folder.appendingPathComponent("templates/report.md.mustache"), encoding: .utf8)
    let tag = try #require(TemplateTag.scan(text).first { $0.name == "nmae" })
    #expect(warnings.first?.severity == .warning)
    #expect(
      warnings.first?.message.hasPrefix(
        "报告模板 templates/report.md.mustache:\(tag.line):\(tag.column) 的 {{nmae}} 在报告数据中没有对应的名称") == true)
    // Without the data that opens the section, the name is not met and nothing is said.
    let none = try await PingtanFixture.draft(
      Reconciliation(ledger: PingtanFixture.ledger(), findings: []), pipelineFolder: folder)
    #expect(!none.findings.contains { $0.code == "DRF-003" })
  }

  @Test func testNotes_noneSaysAllReceived() async throws {
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []))
    #expect(d.markdown.contains("## 附录：数据说明\n\n本年度各应报送单位均已报送，全部文件均已采用，汇总数据未发现需要处理的错误。\n"))
    #expect(!d.markdown.contains("未报送单位"))
  }

  @Test func testMarkdownTable_escapesPipeInDepartmentName() async throws {
    let ledger = PingtanFixture.ledger(missing: [DepartmentRef(id: "d09", name: "城管|执法局")])
    let d = try await PingtanFixture.draft(Reconciliation(ledger: ledger, findings: []))
    #expect(d.markdown.contains("- 城管\\|执法局（d09）"))
  }

  @Test func testMarkdownT3_officialRowsAndLabels() async throws {
    let d = try await PingtanFixture.draft(Reconciliation(ledger: PingtanFixture.ledger(), findings: []))
    let rows = d.markdown.split(separator: "\n").filter {
      $0.hasPrefix("| ") && $0.hasSuffix(" |") && $0.contains("| 0 |")
    }
    #expect(rows.contains("| 一、本年新收政府信息公开申请数量 |  |  | 80 | 1 | 0 | 0 | 0 | 0 | 81 |"))
    #expect(rows.contains("| 三、本年度办理结果 | （一）予以公开 |  | 22 | 0 | 0 | 0 | 0 | 0 | 22 |"))
    #expect(rows.contains("|  | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"))
    #expect(rows.contains("|  |  | 8.属于行政查询事项 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"))
    #expect(rows.contains("|  | （七）总计 |  | 80 | 1 | 0 | 0 | 0 | 0 | 81 |"))
    #expect(rows.contains("| 1 | 1 | 0 | 0 | 2 | 4 | 0 | 0 | 1 | 5 | 1 | 0 | 1 | 0 | 2 |"))
  }

  @Test func testHTML_wellFormedWithOfficialSpans() async throws {
    let d = try await PingtanFixture.draft(
      Reconciliation(
        ledger: PingtanFixture.ledger(missing: [DepartmentRef(id: "d1", name: "A&B <局>")]),
        findings: [PingtanFixture.errorFinding()]))
    let collector = TableCollector()
    let parser = XMLParser(data: Data(d.html.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
    #expect(collector.rootName == "html")
    let t3 = collector.cells["t3", default: []]
    // 10 header cells, 30 row-label cells (merged), 25 × 7 figures.
    #expect(t3.count == 215)
    #expect(t3.first == Cell(name: "th", rowspan: 3, colspan: 3, text: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"))
    #expect(t3.contains(Cell(name: "th", rowspan: 1, colspan: 7, text: "申请人情况")))
    #expect(t3.contains(Cell(name: "th", rowspan: 2, colspan: 1, text: "自然人")))
    #expect(t3.contains(Cell(name: "th", rowspan: 1, colspan: 5, text: "法人或其他组织")))
    #expect(t3.contains(Cell(name: "th", rowspan: 22, colspan: 1, text: "三、本年度办理结果")))
    #expect(t3.contains(Cell(name: "th", rowspan: 8, colspan: 1, text: "（三）不予公开")))
    #expect(t3.contains(Cell(name: "th", rowspan: 3, colspan: 1, text: "（四）无法提供")))
    #expect(t3.contains(Cell(name: "th", rowspan: 5, colspan: 1, text: "（五）不予处理")))
    #expect(t3.contains(Cell(name: "th", rowspan: 3, colspan: 1, text: "（六）其他处理")))
    #expect(t3.contains(Cell(name: "th", rowspan: 1, colspan: 3, text: "一、本年新收政府信息公开申请数量")))
    #expect(t3.contains(Cell(name: "th", rowspan: 1, colspan: 2, text: "（七）总计")))
    #expect(collector.rows["t3"] == 3 + 25)
    // Every T3 row spans 10 grid columns once the merged cells are accounted for.
    #expect(collector.gridWidths["t3"] == Array(repeating: 10, count: 28))
    #expect(collector.gridWidths["t2"] == Array(repeating: 4, count: 14))
    #expect(collector.gridWidths["t4"] == Array(repeating: 15, count: 4))
    let t4 = collector.cells["t4", default: []]
    #expect(t4.first == Cell(name: "th", rowspan: 1, colspan: 5, text: "行政复议"))
    #expect(
      t4.filter { $0.name == "td" }.map(\.text) == [
        "1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2",
      ])
    let t2 = collector.cells["t2", default: []]
    #expect(t2.filter { $0.colspan == 4 }.map(\.text) == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"])
    #expect(t2.filter { $0.name == "td" && $0.colspan == 3 }.map(\.text) == ["2629", "1330", "54", "5949.088667"])
    // Every figure names, on hovering, the command that traces it.
    #expect(d.html.contains("<td title=\"almanac explain t3.r1.np\">80</td>"))
    #expect(d.html.contains("<td colspan=\"3\" title=\"almanac explain t2.xzxk.jueding\">2629</td>"))
    #expect(d.html.contains("<td title=\"almanac explain t4.ss_fy.zj\">2</td>"))
    #expect(d.html.components(separatedBy: "title=\"almanac explain ").count - 1 == 175 + 10 + 15)
    #expect(collector.text.contains("A&B <局>（d1）"))
  }

  @Test func testMissingTemplate_throwsNamingTheFile() async throws {
    var p = try PingtanFixture.pipeline()
    p.report = ReportDefinition(markdownTemplate: "templates/nope.md.mustache")
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("draft-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    let context = StageContext(
      findings: FindingSink(), workDirectory: work, logger: .init(label: "t"), pipeline: p,
      pipelineFolder: PingtanFixture.pipelineFolder, seeds: Seeds(tables: [:]), year: 2023)
    await #expect(
      throws: DraftError(
        file: "templates/nope.md.mustache", message: "流水线文件夹中没有这个报告模板，请检查 pipeline.yaml 的 report 配置")
    ) {
      _ = try await DraftStage().run(
        DraftInput(reconciliation: Reconciliation(ledger: PingtanFixture.ledger(), findings: []), texts: []),
        in: context)
    }
  }
}

struct Cell: Equatable, CustomStringConvertible {
  var name: String
  var rowspan: Int
  var colspan: Int
  var text: String
  var description: String { "<\(name) rs=\(rowspan) cs=\(colspan)>\(text)" }
}

/// Collects the cells of every `<table id=…>` and checks the grid width of each row.
final class TableCollector: NSObject, XMLParserDelegate {
  var rootName: String?
  var cells: [String: [Cell]] = [:]
  var rows: [String: Int] = [:]
  var gridWidths: [String: [Int]] = [:]
  var text = ""
  private var table: String?
  private var current: Cell?
  /// Per table: for each grid column, how many more rows a rowspan still covers.
  private var pending: [Int] = []
  private var rowWidth = 0

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    if rootName == nil { rootName = name }
    switch name {
    case "table":
      table = attributes["id"]
      pending = []
    case "tr" where table != nil:
      rowWidth = 0
    case "th", "td":
      guard table != nil else { return }
      current = Cell(
        name: name, rowspan: Int(attributes["rowspan"] ?? "1") ?? 1, colspan: Int(attributes["colspan"] ?? "1") ?? 1,
        text: "")
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    text += string
    current?.text += string
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    guard let t = table else { return }
    switch name {
    case "th", "td":
      guard let c = current else { return }
      cells[t, default: []].append(c)
      // Skip grid columns still covered by rowspans from earlier rows.
      while rowWidth < pending.count, pending[rowWidth] > 0 { rowWidth += 1 }
      for col in rowWidth..<(rowWidth + c.colspan) {
        if col >= pending.count { pending.append(0) }
        pending[col] = c.rowspan
      }
      rowWidth += c.colspan
      current = nil
    case "tr":
      while rowWidth < pending.count, pending[rowWidth] > 0 { rowWidth += 1 }
      rows[t, default: 0] += 1
      gridWidths[t, default: []].append(rowWidth)
      pending = pending.map { max(0, $0 - 1) }
    case "table":
      table = nil
    default: break
    }
  }
}
