import AlmanacCore
import Foundation
import Testing

@testable import Normalize

/// The declared seed of a row-attributed register (`pipelines/bench-registers`): its rows
/// become each department's submitted cells, rows of one cell adding up.
@Suite struct DeclaredSeedTests {
  typealias F = Fixtures

  static func setting(declared: String) throws -> (PipelineDefinition, Seeds, DepartmentRegistry) {
    let pipeline = try PipelineDefinition.load(folder: F.repoRoot.appendingPathComponent("pipelines/bench-registers"))
    let seeds = Seeds(tables: [
      "departments": F.table(
        "departments", "id,name,level,parent,valid_from,valid_to\nC001,东台市,政府,,,\nD0001,东台市环保局,部门,C001,,\n"),
      "department_aliases": F.table("department_aliases", "alias,department_id,kind,valid_from,valid_to,note\n"),
      "outcomes": F.table("outcomes", "variant,row\n予以公开,o01\n"),
      "applicant_types": F.table("applicant_types", "variant,column\n个人,a1\n"),
      "declared": F.table("declared", declared),
    ])
    return (pipeline, seeds, DepartmentRegistry(seeds: seeds, region: pipeline.region.name))
  }

  /// - Parameter scopes: the counties whose register was read (none counted anything).
  static func submissions(declared: String, scopes: [String] = ["C001"]) throws -> (
    submissions: [Submission], findings: [Finding]
  ) {
    let (pipeline, seeds, registry) = try setting(declared: declared)
    var attributed = AttributedSubmissions(pipeline: pipeline, seeds: seeds, registry: registry, year: 2025)
    attributed.add([
      AttributedCounts(
        source: SourceFile(path: "东台市-台账.csv", sha256: "s", size: 1), forms: ["register"], cells: [:], rows: [:],
        scopes: scopes)
    ])
    var findings: [Finding] = []
    let submissions = attributed.submissions(findings: &findings)
    return (submissions, findings)
  }

  /// Files' counts added as one batch or one by one (normalize merges a batch's departments on
  /// every core) give the same submissions: sums, sources and the file each is filed under.
  @Test func testAddingCounts_batchedOrOneByOne_sameSubmissions() throws {
    let (pipeline, seeds, registry) = try Self.setting(
      declared: "department_id,row,column,value\nD0001,o01,a1,5\nD0002,o02,a1,1\n")
    func counts(_ n: Int) -> AttributedCounts {
      let source = SourceFile(path: "东台市-\(n).csv", sha256: "s\(n)", size: 1)
      var cells: [String: FigureTable] = [:]
      for department in ["D0001", "D0002", "D0003"] where (n + department.count) % 3 != 1 || n % 2 == 0 {
        var table = FigureTable()
        for (k, key) in ["register.o01.a1", "register.o02.a1", "register.o01.a2"].enumerated() where (n + k) % 2 == 0 {
          table[key] = Figure(
            value: .integer(Int64(n + k)), raw: String(n + k), sources: [source.ref(line: n * 10 + k)])
        }
        cells[department] = table
      }
      return AttributedCounts(
        source: source, forms: ["register"], cells: cells,
        rows: Dictionary(uniqueKeysWithValues: cells.keys.map { ($0, Int64(n)) }))
    }
    let files = (0..<9).map(counts)
    var batched = AttributedSubmissions(pipeline: pipeline, seeds: seeds, registry: registry, year: 2025)
    batched.add(Array(files[..<5]))
    batched.add(Array(files[5...]))
    var single = AttributedSubmissions(pipeline: pipeline, seeds: seeds, registry: registry, year: 2025)
    for f in files { single.add([f]) }
    var findings: ([Finding], [Finding]) = ([], [])
    let a = batched.submissions(findings: &findings.0)
    let b = single.submissions(findings: &findings.1)
    #expect(a == b)
    #expect(findings.0 == findings.1)
    #expect(a.map(\.department) == ["D0001", "D0002", "D0003"])
    // Every file's counts are in: D0003 got the o01.a1 cell from every even file.
    let o01 = try #require(a.last?.registerCells["register.o01.a1"])
    #expect(o01.value == .integer(Int64([0, 2, 4, 6, 8].reduce(0, +))))
    #expect(o01.sources.count == 5)
  }

  /// Mid-collection, a unit whose county's register has not come in has sent nothing: no
  /// submission (REC-SUB-001 says it is missing), not its declared figures against counts of 0
  /// (an error per declared cell: 32,590 of them for 1,800 units). Once the county's register is
  /// read, a unit with no row in it is compared: 0 applications against its declared figures.
  @Test func testDeclared_unitWhoseCountysRegisterIsNotIn_isNotReceived() throws {
    let declared = "department_id,row,column,value\nD0001,o01,a1,5\n"
    #expect(try Self.submissions(declared: declared, scopes: []).submissions.isEmpty)
    let read = try Self.submissions(declared: declared, scopes: ["C001"]).submissions
    #expect(read.map(\.department) == ["D0001"])
    #expect(read.first?.registerCells.values.allSatisfy { $0.value == .integer(0) } == true)
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
    // Traced to the seed rows it adds up: file, line, the value's column.
    #expect(
      o01.sources == [
        SourceRef(file: "seeds/declared.csv", sha256: "", line: 2, column: 4),
        SourceRef(file: "seeds/declared.csv", sha256: "", line: 3, column: 4),
      ])
    // The sum that would overflow keeps the rows before it.
    let o03 = try #require(d.cells.first { $0.key.hasSuffix(".o03.a2") }?.value)
    #expect(o03.value == .integer(Int64.max))
    // Not counted by any register: counted as zero.
    #expect(d.registerCells.values.allSatisfy { $0.value == .integer(0) })
    #expect(d.registerCells.keys == d.cells.keys)
    #expect(findings.map(\.code) == ["NRM-020", "NRM-020", "NRM-020"])
    // Each names the cell at fault: the value (line 4: "x"; line 7: the sum that overflows) or
    // the unit's id (line 5: D9999).
    let places = findings.compactMap { f in f.sources.first.map { [$0.line, $0.column] } }
    #expect(places.sorted { $0.lexicographicallyPrecedes($1) } == [[4, 4], [5, 1], [7, 4]])
    #expect(findings.map(\.actual).sorted { ($0 ?? "") < ($1 ?? "") } == ["1", "D9999", "x"])
  }
}
