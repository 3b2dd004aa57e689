import AlmanacCore
import Normalize
import Testing

@Suite struct ConfirmedAliasTests {
  static let seeds = Seeds(tables: [
    "departments": SeedTable(
      name: "departments", header: ["id", "name", "level", "parent", "valid_from", "valid_to"],
      rows: [
        ["zfb", "凌海市人民政府办公室", "政府", "", "", ""], ["czj", "凌海市财政局", "部门", "", "", ""],
        ["sthj", "锦州市生态环境局凌海分局", "部门", "", "2019-03-29", ""],
      ], lines: [2, 3, 4]),
    "department_aliases": SeedTable(
      name: "department_aliases", header: ["alias", "department_id", "kind", "valid_from", "valid_to", "note"],
      rows: [["财政局", "czj", "short", "", "", ""]], lines: [2]),
  ])

  static func check(_ name: String, _ department: String, note: String = "") throws -> ConfirmedAlias.Outcome {
    try ConfirmedAlias.check(name: name, department: department, note: note, seeds: seeds, on: "2025-12-31")
  }

  @Test func testCheck_newName_givesAConfirmedRow() throws {
    guard case .add(let a) = try Self.check(" 凌海环保分局 ", "sthj", note: "王丽确认") else {
      Issue.record("expected a row to add")
      return
    }
    #expect(a.row == ["凌海环保分局", "sthj", "confirmed", "", "", "王丽确认"])
  }

  /// Operators type the department's name where its id belongs: a name the registry resolves
  /// stands for its department.
  @Test func testCheck_departmentByItsName_isTheSameAsByItsID() throws {
    #expect(try Self.check("凌海环保分局", "锦州市生态环境局凌海分局") == (try Self.check("凌海环保分局", "sthj")))
    #expect(try Self.check("凌海财政", "财政局") == (try Self.check("凌海财政", "czj")))
  }

  @Test func testCheck_knownName_needsNothing() throws {
    #expect(try Self.check("财政局", "czj") == .known(DepartmentRef(id: "czj", name: "凌海市财政局")))
    #expect(try Self.check("财政局", "凌海市财政局") == .known(DepartmentRef(id: "czj", name: "凌海市财政局")))
  }

  @Test func testCheck_nameOfAnotherDepartment_isRefused() {
    #expect(throws: ConfirmedAlias.Refusal.self) { _ = try Self.check("财政局", "sthj") }
    do {
      _ = try ConfirmedAlias.check(
        name: "财政局", department: "sthj", note: "", seeds: Self.seeds, on: "2025-12-31",
        aliasesFile: "/srv/种子/department_aliases.csv")
    } catch {
      #expect("\(error)".contains("/srv/种子/department_aliases.csv"), "\(error)")
    }
  }

  @Test func testCheck_unknownDepartment_isRefused() {
    #expect(throws: ConfirmedAlias.Refusal.self) { _ = try Self.check("环保分局", "nope") }
    #expect(throws: ConfirmedAlias.Refusal.self) { _ = try Self.check("环保分局", "凌海市不存在局") }
  }
}
