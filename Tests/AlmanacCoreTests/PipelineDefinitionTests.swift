import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@Suite struct PipelineDefinitionTests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func testLoad_disclosure2021_hasTheNationalForms() throws {
    let def = try PipelineDefinition.load(folder: Self.repoRoot.appendingPathComponent("pipelines/disclosure-2021"))
    #expect(def.name == "disclosure-2021")
    #expect(def.form("t2")?.cellKeys.count == 10)
    #expect(def.form("t3")?.cellKeys.count == 175)
    #expect(def.form("t4")?.cellKeys.count == 15)
    #expect(def.form("register")?.kind == .register)
  }

  /// Definition files saved by Notepad or WPS on Chinese Windows (GB18030, UTF-16, UTF-8 with
  /// BOM) load as their UTF-8 originals do; bytes valid in none are refused in Chinese.
  @Test func testLoad_definitionsSavedInWindowsEncodings_loadAlike() throws {
    let original = Self.repoRoot.appendingPathComponent("pipelines/disclosure-2021")
    let expected = try PipelineDefinition.load(folder: original)
    let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    for encoding in [gb18030, .utf16] {
      let root = try TemporaryFolder("pipeline-encoding")
      defer { root.remove() }
      let copy = root.path("disclosure-2021")
      try FileManager.default.copyItem(at: original, to: copy)
      for name in ["pipeline.yaml", "forms.yaml", "rules.yaml"] {
        let url = copy.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        try #require(text.data(using: encoding)).write(to: url)
      }
      let loaded = try PipelineDefinition.load(folder: copy)
      #expect(loaded.forms == expected.forms)
      #expect(loaded.rules == expected.rules)
      #expect(loaded.title == expected.title)
    }
    let root = try TemporaryFolder("pipeline-encoding-broken")
    defer { root.remove() }
    let copy = root.path("disclosure-2021")
    try FileManager.default.copyItem(at: original, to: copy)
    try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0x81, 0x20]).write(to: copy.appendingPathComponent("rules.yaml"))
    do {
      _ = try PipelineDefinition.load(folder: copy)
      Issue.record("rules.yaml in no encoding was loaded")
    } catch {
      #expect("\(error)".contains("流水线定义文件不是有效的 UTF-8、GB18030 或 UTF-16 文本"), "\(error)")
    }
  }

  /// A mistyped `--pipeline` names what the path is and the pipeline folders beside it.
  @Test func testLoad_notAPipelineFolder_saysWhatItIsAndListsThePipelinesBesideIt() throws {
    let root = try TemporaryFolder("pipeline-folder")
    defer { root.remove() }
    let pipelines = try root.folder("pipelines")
    for name in ["disclosure-2021", "linghai-2016"] {
      let folder = pipelines.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data("version: 1\n".utf8).write(to: folder.appendingPathComponent("pipeline.yaml"))
    }
    try FileManager.default.createDirectory(
      at: pipelines.appendingPathComponent("notes"), withIntermediateDirectories: true)
    func message(_ url: URL) -> String {
      do {
        _ = try PipelineDefinition.load(folder: url)
        return "loaded"
      } catch {
        return "\(error)"
      }
    }
    let siblings = "pipeline folders in \(pipelines.path): disclosure-2021, linghai-2016"
    #expect(
      message(pipelines.appendingPathComponent("disclosure2021"))
        == "\(pipelines.path)/disclosure2021: no such pipeline folder; \(siblings)")
    #expect(
      message(pipelines.appendingPathComponent("notes"))
        == "\(pipelines.path)/notes: this folder has no pipeline.yaml, so it is not a pipeline folder; \(siblings)")
    let file = pipelines.appendingPathComponent("linghai-2016/pipeline.yaml")
    #expect(
      message(file)
        == "\(file.path): is a file, not a pipeline folder; give the folder that holds it: --pipeline \(pipelines.path)/linghai-2016"
    )
    #expect(
      message(root.path("nowhere/x")).hasSuffix(
        "x: no such pipeline folder; --pipeline (or ALMANAC_PIPELINE) names a folder holding pipeline.yaml, e.g. pipelines/disclosure-2021"
      ))
  }

  @Test func testParse_unknownKey_isRejectedWithItsPath() {
    let yaml = """
      version: 1
      name: x
      title: t
      style: national-2021
      region: {name: 凌海市, expectedLevel: [部门]}
      """
    #expect(
      Self.problem(yaml)
        == "p.yaml:5:21: 没有“region.expectedLevel”这个键（拼错了？）；这里可写的键：expectedLevels, name [PIPE-009]")
  }

  /// What `parse` throws for `yaml`, as the CLI prints it after "almanac: error: ".
  static func problem(_ yaml: String, file: String = "p.yaml") -> String {
    do {
      _ = try PipelineDefinition.parse(yaml: yaml, file: file)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  static let valid = """
    version: 1
    name: x
    title: 政府信息公开工作年度报告
    style: national-2021
    region:
      name: 凌海市
      expectedLevels: [部门, 乡镇]
    seeds: [departments]
    """

  /// Each way a hand-edited pipeline.yaml breaks its schema names the line and column, the key
  /// as written and what was expected, in Chinese, with one code (PIPE-009); before, the
  /// decoder's Swift wording ("DecodingError.typeMismatch … Path: version") came without a line.
  @Test func testParse_schemaProblems_nameLineColumnAndWhatWasExpected() {
    #expect(Self.problem(Self.valid) == "no error")
    func edited(_ from: String, _ to: String) -> String {
      Self.problem(Self.valid.replacingOccurrences(of: from, with: to))
    }
    #expect(edited("version: 1", "version: one") == "p.yaml:1:10: version：应为整数，实际写的是“one” [PIPE-009]")
    #expect(
      edited("version: 1", "version: 2") == "p.yaml:1:10: version：本版 Almanac 只读第 1 版的流水线定义，这里写的是 2 [PIPE-009]")
    #expect(edited("title: 政府信息公开工作年度报告\n", "") == "p.yaml:1:1: 文件顶层缺少必填的键“title” [PIPE-009]")
    #expect(edited("  name: 凌海市\n", "") == "p.yaml:6:3: “region”缺少必填的键“name” [PIPE-009]")
    #expect(
      edited("seeds: [departments]", "seeds: departments")
        == "p.yaml:8:8: seeds：应为列表（每项一行“- …”，或写作 [甲, 乙]），实际写的是“departments” [PIPE-009]")
    #expect(
      edited("style: national-2021", "style: national-2012")
        == "p.yaml:4:8: style：“national-2012”不是可写的值，应为 “national-2021”、“narrative” 之一 [PIPE-009]")
    #expect(edited("  name: 凌海市", "  name:") == "p.yaml:6:8: region.name：不能为空 [PIPE-009]")
    #expect(edited("title: 政府信息公开工作年度报告", "title: \"  \"") == "p.yaml:3:8: title：不能为空 [PIPE-009]")
    #expect(
      edited("  name: 凌海市", "  name: 凌海市\n  name: 锦州市")
        == "p.yaml:6:3: 同一层里键“name”写了不止一次，只能保留一个 [PIPE-009]")
    // A syntax error shows libyaml's words, where the construct opened, and the line with a
    // caret under the column (two terminal columns per Chinese character).
    #expect(
      edited("[部门, 乡镇]", "[部门, 乡镇")
        == """
        p.yaml:8:6: YAML 写法有误：did not find expected ',' or ']'（while parsing a flow sequence，始于第 7 行第 19 列） [PIPE-009]
          seeds: [departments]
               ^
        """)
    #expect(
      edited("seeds: [departments]", "seeds: [departments]\nlimits: {maxColumns: many}")
        == "p.yaml:9:22: limits.maxColumns：应为整数，实际写的是“many” [PIPE-009]")
    // Values that decoded but would have done something else without a word.
    #expect(
      edited("seeds: [departments]", "seeds: [departments]\nyear: 25")
        == "p.yaml:9:7: year：应为四位数的报告年度（如 2025），这里写的是 25 [PIPE-009]")
    #expect(
      edited("[部门, 乡镇]", "[部门, 街到]")
        == "p.yaml:7:24: region.expectedLevels[1]：“街到”不是可写的值，应为 “政府”、“部门”、“乡镇”、“街道” 之一 [PIPE-009]")
    #expect(
      edited(
        "seeds: [departments]",
        "seeds: [departments]\nforms:\n  - {id: t2, name: 表二, kind: grid, anchors: [a], columns: [{key: w, label: 金额, unit: 万圆}]}"
      )
      .hasSuffix("forms[0].columns[0].unit：“万圆”不是可写的单位，应为金额单位（元、千元、万元、百万元、千万元、亿元）、百分比（%、‰）或计量单位（件、条、人次、万份等） [PIPE-009]")
    )
  }

  /// forms.yaml and rules.yaml name their own file and the value's place in their list.
  @Test func testLoad_badWordInFormsOrRules_namesItsFileLineAndTheWordsAllowed() throws {
    let original = Self.repoRoot.appendingPathComponent("pipelines/disclosure-2021")
    for (file, from, to, expected) in [
      ("forms.yaml", "kind: grid", "kind: gird", "forms[0].kind：“gird”不是可写的值，应为 “grid”、“register”、“indicator” 之一"),
      (
        "rules.yaml", "severity: error", "severity: eror",
        "rules[0].severity：“eror”不是可写的值，应为 “info”、“warning”、“error” 之一"
      ),
      ("forms.yaml", "type: count", "type: cout", "forms[0].type：“cout”不是可写的值，应为 “count”、“amount” 之一"),
      // A register's field names are its own keys: a mistyped one left its column unread.
      (
        "forms.yaml", "uniqueField: app_no", "uniqueField: app_nr",
        "forms[3].counts.uniqueField：“app_nr”不是可写的字段名（本表 fields 中的 key），应为 “seq”、“app_no”、“unit”、“applicant_type”、“received”、“result”、“replied”、“carried”、“note” 之一"
      ),
      (
        "forms.yaml", "dataRowField: seq", "dataRowField: 序号",
        "forms[3].dataRowField：“序号”不是可写的字段名（本表 fields 中的 key），应为 “seq”、“app_no”、“unit”、“applicant_type”、“received”、“result”、“replied”、“carried”、“note” 之一"
      ),
    ] {
      let root = try TemporaryFolder("pipeline-choice")
      defer { root.remove() }
      let copy = root.path("disclosure-2021")
      try FileManager.default.copyItem(at: original, to: copy)
      let url = copy.appendingPathComponent(file)
      let text = try String(contentsOf: url, encoding: .utf8)
      let range = try #require(text.range(of: from))
      let line = text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
      let column =
        text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).last!.count
        + from.prefix { $0 != ":" }.count + 3
      try text.replacingCharacters(in: range, with: to).write(to: url, atomically: true, encoding: .utf8)
      do {
        _ = try PipelineDefinition.load(folder: copy)
        Issue.record("\(file) with “\(to)” was loaded")
      } catch {
        #expect("\(error)" == "\(url.path):\(line):\(column): \(expected) [PIPE-009]")
      }
    }
  }
}
