import AlmanacCore
import AlmanacTestSupport
import Foundation
import Mustache
import Testing

@testable import Draft

@Suite struct TemplateTagTests {
  @Test func testScan_placesEachTagAtItsFirstBrace() {
    let text =
      "{{! a comment\n over two lines }}\n# {{title}}\n统计期限自{{year}}年，{{{text.s1}}} {{& x }}\n{{#a}}{{^b}}{{/b}}{{/a}}{{> part}}"
    let tags = TemplateTag.scan(text)
    #expect(
      tags == [
        TemplateTag(kind: .other, name: "a comment\n over two lines", line: 1, column: 1),
        TemplateTag(kind: .variable, name: "title", line: 3, column: 3),
        TemplateTag(kind: .variable, name: "year", line: 4, column: 6),
        TemplateTag(kind: .unescaped, name: "text.s1", line: 4, column: 16),
        TemplateTag(kind: .unescaped, name: "x", line: 4, column: 30),
        TemplateTag(kind: .opening("#"), name: "a", line: 5, column: 1),
        TemplateTag(kind: .opening("^"), name: "b", line: 5, column: 7),
        TemplateTag(kind: .closing, name: "b", line: 5, column: 13),
        TemplateTag(kind: .closing, name: "a", line: 5, column: 19),
        TemplateTag(kind: .partial, name: "part", line: 5, column: 25),
      ])
  }

  @Test func testScan_stopsAtChangedDelimiters() {
    let tags = TemplateTag.scan("{{a}}\n{{=<% %>=}}\n<%b%> {{c}}")
    #expect(tags.map(\.name) == ["a"])
  }

  @Test func testUnbalanced_findsTheOpenSectionOrTheWrongClose() {
    let open = TemplateTag.unbalanced(TemplateTag.scan("{{#a}}\n{{#b}}x{{/b}}\n"))
    #expect(open?.tag.name == "a")
    #expect(open?.open == nil)
    let crossed = TemplateTag.unbalanced(TemplateTag.scan("{{#a}}{{#b}}\n{{/a}}{{/b}}"))
    #expect(crossed?.tag == TemplateTag(kind: .closing, name: "a", line: 2, column: 1))
    #expect(crossed?.open?.name == "b")
    #expect(TemplateTag.unbalanced(TemplateTag.scan("{{#a}}{{/a}}{{b}}")) == nil)
  }
}

@Suite struct ReportTemplatesTests {
  /// A template folder holding `files` (name → text).
  static func templates(_ files: [String: String]) throws -> (
    folder: TemporaryFolder, load: () throws -> ReportTemplates
  ) {
    let folder = try TemporaryFolder("report-templates")
    let templates = try folder.folder("templates")
    for (name, text) in files {
      try Data(text.utf8).write(to: templates.appendingPathComponent(name))
    }
    return (folder, { try ReportTemplates.load("templates/report.md.mustache", in: folder.url) })
  }

  @Test func testRender_namesFoundNowhere_renderEmptyAndAreReturned() throws {
    let (folder, load) = try Self.templates([
      "report.md.mustache":
        "{{% CONTENT_TYPE: MARKDOWN }}\n统计期限自{{yeer}}年{{year}}，{{a_b}}、{{f.t9.x}}、{{{text.s7}}}，{{yeer}}\n"
    ])
    defer { folder.remove() }
    let (text, unresolved) = try load().render(["year": "2025", "f": ["t3": [:] as [String: Any]]])
    #expect(text == "统计期限自年2025，、、，\n")
    // `f.t9.x` resolves its head: the root holds `f`; what lies below is checked against the
    // forms by `ReportTemplateCheck`, not here.
    #expect(unresolved == ["yeer", "a_b", "text.s7"])
  }

  @Test func testRender_sectionsAndOuterNames_areNotReported() throws {
    let (folder, load) = try Self.templates([
      "report.md.mustache":
        "{{#items}}{{name}}@{{year}};{{/items}}{{#optional}}never{{/optional}}{{^optional}}none{{/optional}}{{> part}}",
      "part.mustache": "[{{year}}]",
    ])
    defer { folder.remove() }
    let values: [String: Any] = ["year": "2025", "items": [["name": "甲"], ["name": "乙"]]]
    let (text, unresolved) = try load().render(values)
    #expect(text == "甲@2025;乙@2025;none[2025]")
    #expect(unresolved.isEmpty)
  }

  /// Names some items lack (`rs` on a heading that spans nothing) are blank there, not
  /// reported; noncharacters in the data that are not a marker are kept.
  @Test func testRender_optionalKeysAndStrayNoncharacters() throws {
    let (folder, load) = try Self.templates([
      "report.md.mustache": "{{#heads}}<th rowspan=\"{{rs}}\">{{text}}</th>{{/heads}}{{{prose}}}{{nmae}}"
    ])
    defer { folder.remove() }
    // U+FDD0 and U+FDD1 (noncharacters, which Swift literals refuse): one pair around "9",
    // an index no marker has, and one lone U+FDD0.
    let open = String(Character(Unicode.Scalar(0xFDD0 as UInt32) ?? "?"))
    let close = String(Character(Unicode.Scalar(0xFDD1 as UInt32) ?? "?"))
    let stray = "甲\(open)9\(close)乙\(open)x"
    let values: [String: Any] = ["heads": [["text": "a", "rs": "2"], ["text": "b"]], "prose": stray]
    let (text, unresolved) = try load().render(values, optional: ["rs"])
    #expect(text == "<th rowspan=\"2\">a</th><th rowspan=\"\">b</th>" + stray)
    #expect(unresolved == ["nmae"])
  }

  @Test func testRender_aValidTemplate_rendersAsMustacheDoes() throws {
    let source =
      "{{% CONTENT_TYPE: MARKDOWN }}\n# {{title}}\n{{#rows}}- {{v}} {{{raw}}}\n{{/rows}}{{^rows}}无{{/rows}}\n"
    let (folder, load) = try Self.templates(["report.md.mustache": source])
    defer { folder.remove() }
    let values: [String: Any] = ["title": "A*B", "rows": [["v": "<1>", "raw": "**x**"], ["v": "2_3", "raw": ""]]]
    _ = MarkdownContentType.register
    let plain = try MustacheTemplate(string: source).render(values)
    #expect(try load().render(values) == (plain, []))
  }

  /// A template saved by Notepad or WPS on Chinese Windows ("ANSI" is GB18030, "Unicode" is
  /// UTF-16 with BOM, "UTF-8" may add a BOM) renders as its UTF-8 original does.
  @Test func testLoad_templatesSavedInWindowsEncodings_renderAlike() throws {
    let source = "# {{title}}\n统计期限自{{year}}年1月1日起。\n"
    let values: [String: Any] = ["title": "凌海市2025年度报告", "year": "2025"]
    let expected = try {
      let (folder, load) = try Self.templates(["report.md.mustache": source])
      defer { folder.remove() }
      return try load().render(values).text
    }()
    let gb18030 = try #require(source.data(using: String.Encoding(rawValue: 0x8000_0632)))
    #expect(Array(gb18030.prefix(14)) == Array("# {{title}}\n统".utf8.prefix(12)) + [0xCD, 0xB3])
    let saved: [Data] = [
      Data([0xEF, 0xBB, 0xBF]) + Data(source.utf8), try #require(source.data(using: .utf16)), gb18030,
    ]
    for bytes in saved {
      let folder = try TemporaryFolder("report-templates-encoding")
      defer { folder.remove() }
      try bytes.write(to: try folder.folder("templates").appendingPathComponent("report.md.mustache"))
      let templates = try ReportTemplates.load("templates/report.md.mustache", in: folder.url)
      #expect(templates.render(values).text == expected)
    }
    let broken = try TemporaryFolder("report-templates-broken")
    defer { broken.remove() }
    try Data([0x61, 0x81, 0x20, 0x62]).write(
      to: try broken.folder("templates").appendingPathComponent("report.md.mustache"))
    #expect(throws: DraftError.self) { try ReportTemplates.load("templates/report.md.mustache", in: broken.url) }
  }

  @Test func testLoad_syntaxErrors_sayWhereInChinese() throws {
    let cases: [(String, String)] = [
      ("# {{title}}\n统计期限自{{#year}}年\n", "templates/report.md.mustache:2:6: 报告模板写法有误：区段 {{#year}} 没有对应的结束标签 {{/year}}"),
      (
        "{{#a}}{{#b}}\n{{/a}}{{/b}}",
        "templates/report.md.mustache:2:1: 报告模板写法有误：结束标签 {{/a}} 与第 1 行的 {{#b}} 不对应，应先写 {{/b}}"
      ),
      (
        "{{% CONTENT_TYPE: WORD }}\n",
        "templates/report.md.mustache:1:26: 报告模板写法有误：{{% … }} 只能写 {{% CONTENT_TYPE: MARKDOWN }}、HTML 或 TEXT"
      ),
      // With changed delimiters the scan knows no tags: the parser's place, not a guess.
      (
        "{{#z}}{{/z}}{{=<% %>=}}<%#a%>\n<%#b%>x<%/b%>\n",
        "templates/report.md.mustache:3:1: 报告模板写法有误：有区段（{{#…}} 或 {{^…}}）到文件末尾仍未结束"
      ),
    ]
    for (source, expected) in cases {
      let (folder, load) = try Self.templates(["report.md.mustache": source])
      defer { folder.remove() }
      #expect(throws: (any Error).self) { try load() }
      do {
        _ = try load()
      } catch let e as DraftError {
        #expect(e.description.hasPrefix(expected), "\(e.description)")
      }
    }
  }
}

@Suite struct ReportTemplateCheckTests {
  @Test(arguments: ["disclosure-2021", "linghai-2016", "bench-registers"])
  func testShippedPipelines_haveNoTemplateProblems(_ name: String) throws {
    let folder = ProjectPaths.root.appendingPathComponent("pipelines/\(name)")
    let pipeline = try PipelineDefinition.load(folder: folder)
    #expect(ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder) == [])
  }

  /// The national pipeline copied, with `edit` applied to its Markdown template.
  static func national(_ edit: (String) -> String) throws -> (TemporaryFolder, URL, PipelineDefinition) {
    let temporary = try TemporaryFolder("template-check")
    let folder = temporary.path("disclosure-2021")
    try FileManager.default.copyItem(at: ProjectPaths.nationalPipeline, to: folder)
    let template = folder.appendingPathComponent("templates/report.md.mustache")
    let text = try String(contentsOf: template, encoding: .utf8)
    try Data(edit(text).utf8).write(to: template)
    return (temporary, folder, try PipelineDefinition.load(folder: folder))
  }

  @Test func testMistypedNamesAndCells_areErrorsAtTheirPlaces() throws {
    let (temporary, folder, pipeline) = try Self.national {
      $0.replacingOccurrences(of: "统计期限自{{year}}年", with: "统计期限自{{yeer}}年")
        .replacingOccurrences(of: "{{f.t2.xzxk.jueding}}", with: "{{f.t2.xzxk.juedin}}")
        .replacingOccurrences(of: "{{sum.t3.bygk.zj}}", with: "{{sum.t3.bygkk.zj}}")
        .replacingOccurrences(of: "{{{text.s6}}}", with: "{{{text.s7}}}")
        .replacingOccurrences(of: "{{pct.t3.wftg}}", with: "{{pct.t3.wftgg}}")
    }
    defer { temporary.remove() }
    let problems = ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder)
    let file = folder.appendingPathComponent("templates/report.md.mustache").path
    let text = try String(contentsOfFile: file, encoding: .utf8)
    func place(_ written: String) -> String {
      let tag = TemplateTag.scan(text).first { $0.written == written }
      return "\(file):\(tag?.line ?? 0):\(tag?.column ?? 0): error: "
    }
    // 行政许可's figure is written twice (section 二 and the table): one line each.
    #expect(problems.count == 6, "\(problems)")
    #expect(problems.contains { $0.contains("{{pct.t3.wftgg}} 不是报告能计算的百分比") })
    #expect(problems.contains { $0.contains("{{{text.s7}}} 没有对应的数据：“text”之下没有“s7”") })
    #expect(problems.filter { $0.contains("{{f.t2.xzxk.juedin}}") }.count == 2)
    #expect(problems.contains { $0.hasPrefix(place("{{yeer}}") + "报告模板中的 {{yeer}} 不是报告数据中的名称") })
    #expect(
      problems.contains {
        $0.hasPrefix(place("{{f.t2.xzxk.juedin}}") + "报告模板中的 {{f.t2.xzxk.juedin}} 没有对应的数据：“f.t2.xzxk”之下没有“juedin”")
          && $0.hasSuffix("可用的有：jueding [PIPE-007]")
      })
    #expect(problems.contains { $0.hasPrefix(place("{{sum.t3.bygkk.zj}}")) && $0.contains("“sum.t3”之下没有“bygkk”") })
    #expect(!problems.contains { $0.contains("report.html.mustache") })
  }

  @Test func testMissingPartial_isAnErrorAtItsTag() throws {
    let (temporary, folder, pipeline) = try Self.national { $0 + "\n{{> material.htm}}\n" }
    defer { temporary.remove() }
    let problems = ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder)
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.contains("{{> material.htm}} 引用的部分模板“material.htm.mustache”不在模板文件夹中") == true)
    #expect(problems.first?.hasSuffix("可用的：material.html、report.html、report.md [PIPE-008]") == true)
  }

  /// A value that is a whole group prints in an order that changes from run to run.
  @Test func testValueThatIsAGroup_isAnError_asASectionItIsFine() throws {
    let (temporary, folder, pipeline) = try Self.national {
      $0 + "\n{{f.t3.r1}}\n{{#f.t3.r1}}{{zj}}{{/f.t3.r1}}\n{{pct.t3}}\n{{{text.s1_paras}}}\n{{f}}\n{{.}}\n"
        + "{{.f.t3.r1.zz}}\n{{#notes.missing}}{{name}}{{.}}{{/notes.missing}}\n"
    }
    defer { temporary.remove() }
    let problems = ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder)
    #expect(problems.count == 6, "\(problems)")
    for written in ["{{f.t3.r1}}", "{{pct.t3}}", "{{{text.s1_paras}}}", "{{f}}", "{{.}}"] {
      #expect(problems.contains { $0.contains("报告模板中的 \(written) 指向一组数据而不是一个数值或一段文字") }, "\(written)")
    }
    // A leading dot names the root outside every section: checked as the path it is.
    #expect(problems.contains { $0.contains("报告模板中的 {{.f.t3.r1.zz}} 没有对应的数据：“f.t3.r1”之下没有“zz”") })
  }

  /// A file no template includes (an old copy kept beside, even one with a syntax error) is
  /// neither parsed nor checked; a partial the report includes is.
  @Test func testUnreachedFile_isNotChecked() throws {
    let (temporary, folder, pipeline) = try Self.national { $0 }
    defer { temporary.remove() }
    try Data("旧稿 {{yeer}} {{f.t3.r9.zj}} {{> gone}}".utf8).write(
      to: folder.appendingPathComponent("templates/report-old.md.mustache"))
    try Data("改到一半 {{#notes.hasMissing}} 未写完".utf8).write(
      to: folder.appendingPathComponent("templates/report.md - 副本.mustache"))
    // What a Mac leaves on a USB stick beside each file: binary, not text.
    try Data([0x00, 0x05, 0x16, 0x07, 0xFF, 0xFE, 0x00, 0x80]).write(
      to: folder.appendingPathComponent("templates/._report.md.mustache"))
    #expect(ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder) == [])
    let templates = try ReportTemplates.load("templates/report.md.mustache", in: folder)
    #expect(templates.library.getTemplate(named: "report.md - 副本") == nil)

    // A parent named by a value (`{{<*name}}`) may be any file: all are read.
    let (dynamic, parentFolder, _) = try Self.national {
      $0.replacingOccurrences(of: "## 一、总体情况", with: "{{<*year}}{{/*year}}\n## 一、总体情况")
    }
    defer { dynamic.remove() }
    try Data("父模板".utf8).write(to: parentFolder.appendingPathComponent("templates/2025.mustache"))
    let withParent = try ReportTemplates.load("templates/report.md.mustache", in: parentFolder)
    #expect(withParent.library.getTemplate(named: "2025") != nil)

    let (again, included, withPartial) = try Self.national {
      $0.replacingOccurrences(of: "## 一、总体情况", with: "{{> extra}}\n## 一、总体情况")
    }
    defer { again.remove() }
    try Data("附注 {{#year}} 未结束".utf8).write(to: included.appendingPathComponent("templates/extra.mustache"))
    let problems = ReportTemplateCheck.problems(pipeline: withPartial, pipelineFolder: included)
    #expect(
      problems.contains { $0.contains("templates/extra.mustache:1:4: error: 报告模板写法有误：区段 {{#year}}") }, "\(problems)")
  }

  @Test func testSyntaxError_isOneProblemNamingTheOpenSection() throws {
    let (temporary, folder, pipeline) = try Self.national {
      $0.replacingOccurrences(of: "{{/notes.hasMissing}}", with: "")
    }
    defer { temporary.remove() }
    let problems = ReportTemplateCheck.problems(pipeline: pipeline, pipelineFolder: folder)
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.contains("区段 {{#notes.hasMissing}} 没有对应的结束标签 {{/notes.hasMissing}} [PIPE-006]") == true)
  }
}
