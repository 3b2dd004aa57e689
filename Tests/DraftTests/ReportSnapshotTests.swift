import AlmanacCore
import AlmanacTestSupport
import Draft
import Foundation
import Testing

/// Golden snapshot of report.md for the 平潭 2023 figures with one department text, a missing
/// department, a held-back file and an open error. A missing snapshot is recorded and the test
/// fails; `RECORD_SNAPSHOTS=1` re-records; `DRAFT_EXPORT_DIR=DIR` also writes report.md/html to DIR.
@Suite struct ReportSnapshotTests {
  /// `Tests/Fixtures/golden/draft/`.
  static let folder = ProjectPaths.fixtures.appendingPathComponent("golden/draft")

  @Test func testReportMarkdown_matchesSnapshot() async throws {
    let ledger = PingtanFixture.ledger(
      missing: [DepartmentRef(id: "d07", name: "生态环境局")],
      heldBack: [
        HeldBackFile(
          source: SourceFile(path: "旧表_2022.csv", sha256: "aa", size: 10), reason: .wrongYear, claimed: "财政局")
      ])
    let texts = [
      TextMaterial(
        file: "一、总体情况.md", sha256: "1", section: "一", department: nil, text: "2023年，平潭综合实验区坚持以公开为常态、不公开为例外。"),
      TextMaterial(file: "六.md", sha256: "6", section: "六", department: nil, text: "2023年，无收取信息处理费情况。"),
      TextMaterial(file: "财政局-五.md", sha256: "5", section: "五", department: "财政局", text: "预决算公开*细化程度*不够。"),
    ]
    let d = try await PingtanFixture.draft(
      Reconciliation(ledger: ledger, findings: [PingtanFixture.errorFinding()]), texts: texts)
    try Self.assertSnapshot(d.markdown, named: "report.md")
    // DRAFT_EXPORT_DIR=/some/dir writes both documents there, e.g. for scripts/screenshot-report.sh.
    if let export = ProcessInfo.processInfo.environment["DRAFT_EXPORT_DIR"] {
      let dir = URL(fileURLWithPath: export)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try Data(d.markdown.utf8).write(to: dir.appendingPathComponent("report.md"))
      try Data(d.html.utf8).write(to: dir.appendingPathComponent("report.html"))
    }
  }

  static func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let url = folder.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      Issue.record("recorded snapshot \(name); review it and run the tests again", sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == expected, "report differs from Tests/Fixtures/golden/draft/\(name) (RECORD_SNAPSHOTS=1 re-records)",
      sourceLocation: sourceLocation)
  }
}
