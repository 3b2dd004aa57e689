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

  @Test func testCheck_newName_givesAConfirmedRow() throws {
    let a = try ConfirmedAlias.check(
      name: " 凌海环保分局 ", departmentID: "sthj", note: "王丽确认", seeds: Self.seeds, on: "2025-12-31")
    #expect(a?.row == ["凌海环保分局", "sthj", "confirmed", "", "", "王丽确认"])
  }

  @Test func testCheck_knownName_needsNothing() throws {
    #expect(
      try ConfirmedAlias.check(name: "财政局", departmentID: "czj", note: "", seeds: Self.seeds, on: "2025-12-31") == nil)
  }

  @Test func testCheck_nameOfAnotherDepartment_isRefused() {
    #expect(throws: ConfirmedAlias.Refusal.self) {
      _ = try ConfirmedAlias.check(name: "财政局", departmentID: "sthj", note: "", seeds: Self.seeds, on: "2025-12-31")
    }
  }

  @Test func testCheck_unknownDepartmentID_isRefused() {
    #expect(throws: ConfirmedAlias.Refusal.self) {
      _ = try ConfirmedAlias.check(name: "环保分局", departmentID: "nope", note: "", seeds: Self.seeds, on: "2025-12-31")
    }
  }
}
