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
    #expect {
      _ = try PipelineDefinition.parse(yaml: yaml, file: "p.yaml")
    } throws: { error in
      "\(error)".contains("unknown key 'region.expectedLevel'")
    }
  }
}
