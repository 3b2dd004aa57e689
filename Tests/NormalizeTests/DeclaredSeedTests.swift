import AlmanacCore
import Foundation
import Testing

@testable import Normalize

/// The declared seed of a row-attributed register (`pipelines/bench-registers`): its rows
/// become each department's submitted cells, rows of one cell adding up.
@Suite struct DeclaredSeedTests {
  typealias F = Fixtures

  static func submissions(declared: String) throws -> (submissions: [Submission], findings: [Finding]) {
    let pipeline = try PipelineDefinition.load(folder: F.repoRoot.appendingPathComponent("pipelines/bench-registers"))
    let seeds = Seeds(tables: [
      "departments": F.table(
        "departments", "id,name,level,parent,valid_from,valid_to\nC001,东台市,政府,,,\nD0001,东台市环保局,部门,C001,,\n"),
      "department_aliases": F.table("department_aliases", "alias,department_id,kind,valid_from,valid_to,note\n"),
      "outcomes": F.table("outcomes", "variant,row\n予以公开,o01\n"),
      "applicant_types": F.table("applicant_types", "variant,column\n个人,a1\n"),
      "declared": F.table("declared", declared),
    ])
    let registry = DepartmentRegistry(seeds: seeds, region: pipeline.region.name)
    var attributed = AttributedSubmissions(pipeline: pipeline, seeds: seeds, registry: registry, year: 2025)
    var findings: [Finding] = []
    let submissions = attributed.submissions(findings: &findings)
    return (submissions, findings)
  }

  @Test func testDeclared_rowsOfOneCellAddUp_badRowsAreReported() throws {
    let (subs, findings) = try Self.submissions(
      declared: """
        department_id,row,column,value
        D0001,o01,a1,5
        D0001,o01,a1,7
        D0001,o02,a1,x
        D9999,o01,a1,3
        D0001,o03,a2,9223372036854775807
        D0001,o03,a2,1
        """)
    let d = try #require(subs.first)
    #expect(subs.count == 1)
    #expect(d.department == "D0001")
    #expect(d.cells.keys.count == 2)
    let o01 = try #require(d.cells.first { $0.key.hasSuffix(".o01.a1") }?.value)
    #expect(o01.value == .integer(12))
    #expect(o01.raw == "12")
    #expect(o01.sources.isEmpty)
    // The sum that would overflow keeps the rows before it.
    let o03 = try #require(d.cells.first { $0.key.hasSuffix(".o03.a2") }?.value)
    #expect(o03.value == .integer(Int64.max))
    // Not counted by any register: counted as zero.
    #expect(d.registerCells.values.allSatisfy { $0.value == .integer(0) })
    #expect(d.registerCells.keys == d.cells.keys)
    #expect(findings.map(\.code) == ["NRM-020", "NRM-020", "NRM-020"])
    #expect(findings.compactMap { $0.sources.first?.line }.sorted() == [4, 5, 7])
  }
}
