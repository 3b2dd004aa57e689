import AlmanacCore
import Foundation
import Testing

@testable import Consolidate

@Suite struct PreviousDatasetLoaderTests {
  @Test func testLoad_readsBackWhatTheStageWrote() async throws {
    let run = try await StagedRun.make()
    let previous = try PreviousDatasetLoader.load(run.work.appendingPathComponent("out"))
    #expect(previous.year == 2021)
    #expect(previous.source.path.hasSuffix("out/consolidated.csv"))
    #expect(previous.source.sha256 == run.output.files["consolidated.csv"])
    #expect(previous.region == Fixture.reconciliation().ledger.region)
    #expect(previous.departments.keys.sorted() == ["D01", "D02"])
    #expect(previous.departmentNames.keys.sorted() == ["D01", "D02"])
    #expect(previous.departmentNames["D01"]?.isEmpty == false)
    #expect(previous.departments["D01"]?["t2.xzsyxsf.wanyuan"] == .decimal(Decimal(string: "1.25") ?? 0))
    #expect(previous.departments["D01"]?["t3.r4.np"] == .integer(1))
    #expect(previous.departments["D02"]?["t2.xzcf.jueding"] == .integer(-3))
    #expect(previous.departments["D02"]?["t2.xzqz.jueding"] == .blank(token: "-"))
    #expect(previous.departments["D02"]?["t3.r2.np"] == .blank(token: "/"))
    #expect(previous.departments["D02"]?["t2.guizhang.zhifa"] == .text("=HYPERLINK(\"http://evil.example/x\",\"点击\")"))
    #expect(previous.departments["D01"]?.count == 200)
  }

  @Test func testLoad_readsTheGzipWhenThePlainFileIsAbsent() async throws {
    let run = try await StagedRun.make()
    let out = run.work.appendingPathComponent("out")
    try FileManager.default.removeItem(at: out.appendingPathComponent("consolidated.csv"))
    let previous = try PreviousDatasetLoader.load(out)
    #expect(previous.source.path.hasSuffix("consolidated.csv.gz"))
    #expect(previous.region["t3.r3_7.zj"] == .integer(13))
  }

  @Test func testLoad_rejectsAFileThatIsNotAConsolidatedCSV() throws {
    let dir = try Fixture.temporaryDirectory()
    let url = dir.appendingPathComponent("consolidated.csv")
    try Data("\u{FEFF}year,department_id,value\r\n2020,D01,3\r\n".utf8).write(to: url)
    #expect(
      throws: PreviousDatasetError(
        file: url.path, line: 1, column: 0, message: "表头缺少列 kind；这不是 Almanac 输出的 consolidated.csv")
    ) {
      try PreviousDatasetLoader.load(dir)
    }
  }

  @Test func testLoad_rejectsMixedYearsNamingLineAndColumn() throws {
    let dir = try Fixture.temporaryDirectory()
    let url = dir.appendingPathComponent("consolidated.csv")
    var w = CSVWriter()
    w.row(ConsolidatedDataset.header)
    w.row(["2020", "REGION", "凌海市", "region", "t3", "r1", "np", "", "", "3", "", "3", "", "", "", ""])
    w.row(["2019", "REGION", "凌海市", "region", "t3", "r1", "sy", "", "", "1", "", "1", "", "", "", ""])
    try w.data.write(to: url)
    do {
      _ = try PreviousDatasetLoader.load(dir)
      Issue.record("mixed years must be rejected")
    } catch let e as PreviousDatasetError {
      #expect((e.line, e.column) == (3, 1))
      #expect(e.description.hasPrefix("\(url.path):3:1: error: 文件中出现多个年度（2020 与 2019）"))
    }
  }

  /// A unit that sent only its register last year: its counts were its figures, and C-1's
  /// shares read them (it was listed as missing from last year); beside a table, the
  /// register's counts were only compared and are not read.
  @Test func testLoad_registerOnlyUnitsFiguresAreItsCounts() throws {
    let dir = try Fixture.temporaryDirectory()
    var w = CSVWriter()
    w.row(ConsolidatedDataset.header)
    func row(_ id: String, _ kind: String, _ column: String, _ value: String) -> [String] {
      [
        "2022", id, id == "REGION" ? "凌海市" : "单位\(id)", kind, "t3", "r4", column, "", "", value, "", value, "", "", "",
        "",
      ]
    }
    w.row(row("D01", "submitted", "np", "1"))
    w.row(row("D01", "register", "np", "5"))
    w.row(row("D02", "register", "np", "2"))
    w.row(row("REGION", "region", "np", "3"))
    try w.data.write(to: dir.appendingPathComponent("consolidated.csv"))
    let previous = try PreviousDatasetLoader.load(dir)
    #expect(previous.departments["D01"]?["t3.r4.np"] == .integer(1))
    #expect(previous.departments["D02"]?["t3.r4.np"] == .integer(2))
    #expect(previous.departmentNames["D02"] == "单位D02")
  }

  @Test func testLoad_missingFolderIsAnError() {
    #expect(throws: PreviousDatasetError.self) {
      try PreviousDatasetLoader.load(URL(fileURLWithPath: "/nonexistent/outbox/2020"))
    }
  }
}
