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
