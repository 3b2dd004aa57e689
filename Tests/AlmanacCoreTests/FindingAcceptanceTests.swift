import AlmanacCore
import Foundation
import Testing

@Suite struct FindingAcceptanceTests {
  static let header = AcceptedFindings.columns

  static func seeds(_ rows: [[String]]) -> Seeds {
    let table = SeedTable(
      name: AcceptedFindings.table, header: header, rows: rows, lines: Array(2..<(2 + rows.count)))
    return Seeds(tables: [AcceptedFindings.table: table])
  }

  static let finding = Finding(
    code: "REC-T3-S2", severity: .error, stage: "reconcile", message: "相差 3", department: "zjj", cell: "t3.r3_7.np",
    expected: "8", actual: "11", sources: [SourceRef(file: "住建局.csv", sha256: "ab", line: 24, column: 4)])

  @Test func testRows_ofTheYearWithIdReasonAndName_areDecisions() {
    let id = Self.finding.id
    let accepted = AcceptedFindings(
      seeds: Self.seeds([
        ["ffffffffffffffff", "2024", "REC-T3-S2", "zjj", "t3.r3_7.np", "8", "11", "去年的", "张三", "2025-01-20"],
        [id.uppercased(), "2025", "REC-T3-S2", "zjj", "t3.r3_7.np", "8", "11", " 单位书面确认原表无误 ", "李四", "2026-01-20"],
        [id, "2025", "REC-T3-S2", "zjj", "t3.r3_7.np", "8", "11", "重复的一行", "王五", "2026-01-21"],
        ["0123456789abcdef", "2025", "REC-S5", "", "", "", "", "", "李四", "2026-01-20"],
        ["not-an-id", "2025", "REC-S5", "", "", "", "", "理由", "李四", "2026-01-20"],
      ]), year: 2025)
    #expect(accepted.entries.map(\.id) == [id])
    #expect(
      accepted.acceptance(of: Self.finding)
        == FindingAcceptance(reason: "单位书面确认原表无误", by: "李四", on: "2026-01-20", line: 3))
    #expect(AcceptedFindings(seeds: Seeds(tables: [:]), year: 2025).isEmpty)
  }

  /// A decision holds for the finding as it was: other values (a region figure another
  /// department's file moved) need a new one, which a later row can give.
  @Test func testDecision_holdsForTheValuesItWasMadeOn() {
    var moved = Self.finding
    moved.actual = "12"
    let row = { (actual: String, reason: String) in
      [Self.finding.id, "2025", "REC-T3-S2", "zjj", "t3.r3_7.np", "8", actual, reason, "李四", "2026-01-20"]
    }
    let once = AcceptedFindings(seeds: Self.seeds([row("11", "第一次")]), year: 2025)
    #expect(once.acceptance(of: Self.finding)?.reason == "第一次")
    #expect(once.acceptance(of: moved) == nil)
    let twice = AcceptedFindings(seeds: Self.seeds([row("11", "第一次"), row("12", "数字变了，再次确认")]), year: 2025)
    #expect(twice.acceptance(of: moved)?.reason == "数字变了，再次确认")
    #expect(twice.acceptance(of: Self.finding)?.reason == "第一次")
    // The table reads values trimmed; a cell written `无　` keeps its full-width space.
    var spaced = Self.finding
    spaced.actual = "11\u{3000}"
    #expect(once.acceptance(of: spaced)?.reason == "第一次")
  }

  @Test func testSink_marksAcceptedFindings_andTheLogSaysSo() throws {
    let accepted = AcceptedFindings(
      seeds: Self.seeds([
        [Self.finding.id, "2025", "REC-T3-S2", "zjj", "t3.r3_7.np", "8", "11", "单位确认", "李四", "2026-01-20"]
      ]),
      year: 2025)
    let sink = FindingSink(accepted: accepted)
    var other = Self.finding
    other = Finding(
      code: "REC-T3-S1", severity: .error, stage: "reconcile", message: "x", department: "zjj", cell: "t3.r1.zj",
      sources: other.sources)
    sink.emit(contentsOf: [Self.finding, other])
    let got = sink.findings
    #expect(got.first { $0.code == "REC-T3-S2" }?.acceptance?.by == "李四")
    #expect(got.first { $0.code == "REC-T3-S1" }?.isOpen == true)
    // A row naming REC-SUB-005 (nothing accepted for the year) is no decision.
    let nothing = Finding(code: "REC-SUB-005", severity: .error, stage: "reconcile", message: "")
    let written = AcceptedFindings(
      seeds: Self.seeds([[nothing.id, "2025", "REC-SUB-005", "", "", "", "", "写进去了", "李四", "2026-01-20"]]), year: 2025)
    #expect(written.acceptance(of: nothing) == nil)
    // Every line of the log has the key; an accepted finding carries the decision, and reads back.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let open = String(decoding: try encoder.encode(other), as: UTF8.self)
    #expect(open.contains("\"accepted\":null"))
    let closed = try encoder.encode(try #require(got.first { $0.code == "REC-T3-S2" }))
    #expect(
      String(decoding: closed, as: UTF8.self).contains(
        "\"accepted\":{\"by\":\"李四\",\"line\":2,\"on\":\"2026-01-20\",\"reason\":\"单位确认\"}"))
    #expect(try JSONDecoder().decode(Finding.self, from: closed) == got.first { $0.code == "REC-T3-S2" })
  }
}
