import AlmanacCore
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
