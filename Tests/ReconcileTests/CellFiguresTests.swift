import AlmanacCore
import Testing

@testable import Reconcile

/// A department's figures are places in its parts' tables: each kind of place reads back the
/// figure it names, for catalog cells and for keys the catalog does not number.
@Suite struct CellFiguresTests {
  static func figure(_ v: Int64, _ path: String) -> Figure {
    Figure(value: .integer(v), raw: String(v), sources: [SourceRef(file: path, sha256: "s", line: Int(v))])
  }

  @Test func testPlaces_readBackTheirFigures() {
    let numbered = CellKey(form: "t3", row: "r1", column: "np")
    let other = CellKey(form: "x", row: "r", column: "c")
    let numbers = [numbered: 0, CellKey(form: "t3", row: "r1", column: "zj"): 1]
    let a = Submission(
      department: "D", departmentName: "d", year: 2025, source: SourceFile(path: "a.csv", sha256: "a", size: 1),
      forms: [], cells: ["t3.r1.np": Self.figure(1, "a.csv"), "x.r.c": Self.figure(2, "a.csv")])
    let b = Submission(
      department: "D", departmentName: "d", year: 2025, source: SourceFile(path: "b.csv", sha256: "b", size: 1),
      forms: [], cells: [:], registerCells: ["t2.r.c": Self.figure(3, "b.csv"), "t3.r1.np": Self.figure(4, "b.csv")])
    var figures = CellFigures(numbers: numbers, parts: [a, b])
    #expect(figures[numbered] == nil)
    #expect(figures[other] == nil)

    figures.point(numbered, at: .cell(part: 0, index: 0))
    figures.point(other, at: .cell(part: 0, index: 1))
    #expect(figures[numbered] == Self.figure(1, "a.csv"))
    #expect(figures[other] == Self.figure(2, "a.csv"))

    // A later place for the same key wins, as a later assignment did.
    figures.point(numbered, at: .registerCell(part: 1, index: 1))
    #expect(figures[numbered] == Self.figure(4, "b.csv"))

    let total = CellKey(form: "t3", row: "r1", column: "zj")
    figures.add(total, Self.figure(9, "-"))
    figures.add(CellKey(form: "y", row: "r", column: "c"), Self.figure(8, "-"))
    #expect(figures[total] == Self.figure(9, "-"))
    #expect(figures[CellKey(form: "y", row: "r", column: "c")] == Self.figure(8, "-"))
    #expect(figures[other] == Self.figure(2, "a.csv"))
    #expect(figures[CellKey(form: "t2", row: "r", column: "c")] == nil)
  }
}
