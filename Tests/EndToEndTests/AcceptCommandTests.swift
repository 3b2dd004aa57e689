import AlmanacCore
import Foundation
import Testing

/// `almanac accept`, end to end on the 2025 example: an auditor accepts every error, the next
/// run publishes a final report (exit 0) that lists them with the decisions; a department's
/// resubmitted file makes its findings new ones, open again, and the old decisions ACC-001.
@Suite struct AcceptCommandTests {
  struct Project {
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var seeds: URL { root.appendingPathComponent("seeds") }
    var outbox: URL { root.appendingPathComponent("outbox") }
    var year: URL { outbox.appendingPathComponent("2025") }

    func almanac(_ arguments: [String]) throws -> GoldenProcessResult {
      try GoldenHarness.almanac(arguments, in: root)
    }

    func run() throws -> GoldenProcessResult {
      try almanac([
        "run", "--pipeline", GoldenHarness.pipeline.path, "--seeds", seeds.path, "--inbox", inbox.path, "--outbox",
        outbox.path, "--state", root.appendingPathComponent("state").path, "--year", "2025", "--quiet",
      ])
    }

    func accept(_ ids: [String], reason: String = "单位书面确认原表无误", by: String = "李四") throws -> GoldenProcessResult {
      try almanac(
        ["accept"] + ids + [
          "--reason", reason, "--by", by, "--outbox", outbox.path, "--seeds", seeds.path, "--on", "2026-01-20",
        ])
    }

    func findings() throws -> [Finding] {
      let text = try String(contentsOf: year.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
      return try text.split(separator: "\n").map { try JSONDecoder().decode(Finding.self, from: Data($0.utf8)) }
    }

    func report() throws -> String {
      try String(contentsOf: year.appendingPathComponent("report.md"), encoding: .utf8)
    }
  }

  static func project(_ label: String) throws -> Project {
    let root = try GoldenHarness.temporaryFolder(label)
    try FileManager.default.copyItem(at: GoldenRuns.linghaiInbox, to: root.appendingPathComponent("inbox"))
    try FileManager.default.copyItem(at: GoldenHarness.seeds, to: root.appendingPathComponent("seeds"))
    return Project(root: root)
  }

  @Test func testAcceptingEveryError_publishesTheFinalReport_untilAFileChanges() throws {
    let p = try Self.project("accept")
    defer { try? FileManager.default.removeItem(at: p.root) }
    let first = try p.run()
    #expect(first.code == 1, "\(first.stderr)")
    #expect(try p.report().contains("**草稿**"))
    let errors = try p.findings().filter { $0.severity == .error }
    #expect(errors.count == 8)

    // Ids as the page shows them, some shortened to their first 8 digits.
    let ids = errors.enumerated().map { i, f in i.isMultiple(of: 2) ? String(f.id.prefix(8)) : f.id }
    let accepted = try p.accept(ids)
    #expect(accepted.code == 0, "\(accepted.stderr)")
    #expect(accepted.stdout.contains("已确认：核对结果 \(errors[0].id)"))
    // Twice is once: the decision is already recorded, to take effect at the next run.
    let again = try p.accept([errors[0].id])
    #expect(again.code == 0 && again.stdout.contains("无需再次确认"), "\(again)")
    let table = try String(contentsOf: p.seeds.appendingPathComponent("accepted_findings.csv"), encoding: .utf8)
    #expect(table.split(separator: "\n").count == 1 + 8)
    let validated = try p.almanac(["validate", "--pipeline", GoldenHarness.pipeline.path, "--seeds", p.seeds.path])
    #expect(validated.code == 0, "\(validated)")

    let second = try p.run()
    #expect(second.code == 0, "\(second.stdout)\(second.stderr)")
    let report = try p.report()
    #expect(!report.contains("**草稿**"))
    #expect(report.contains("### 经审核确认的问题"))
    #expect(report.components(separatedBy: "审核确认（李四，2026-01-20）：单位书面确认原表无误").count - 1 == 8)
    let logged = try p.findings().filter { $0.severity == .error }
    #expect(logged.allSatisfy { $0.acceptance?.by == "李四" })
    let page = try String(contentsOf: p.year.appendingPathComponent("reconciliation.html"), encoding: .utf8)
    #expect(page.contains("其中 8 条已审核确认"))

    // The table decides, not the published log: a table removed since is no decision.
    let tableURL = p.seeds.appendingPathComponent("accepted_findings.csv")
    let kept = try Data(contentsOf: tableURL)
    try FileManager.default.removeItem(at: tableURL)
    let anew = try p.accept([errors[0].id])
    #expect(anew.code == 0 && anew.stdout.contains("已确认：核对结果 \(errors[0].id)"), "\(anew)")
    try kept.write(to: tableURL)

    // 住建局 sends its sheet again: its findings are new ones (open), its old decisions say so.
    let sheet = p.inbox.appendingPathComponent("住建局2025年度统计表.csv")
    let handle = try FileHandle(forWritingTo: sheet)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("\r\n".utf8))
    try handle.close()
    let third = try p.run()
    #expect(third.code == 1)
    let now = try p.findings()
    let stale = now.filter { $0.code == "ACC-001" }
    let reopened = now.filter { $0.severity == .error && $0.isOpen }
    #expect(!reopened.isEmpty)
    #expect(stale.count == reopened.count, "\(stale.map(\.message))")
    for f in reopened {
      #expect(stale.contains { $0.message.contains("almanac accept \(f.id)") }, "\(f.id)")
    }
  }

  @Test func testRefusals_sayWhatIsWrong_andWriteNothing() throws {
    let p = try Self.project("accept-refused")
    defer { try? FileManager.default.removeItem(at: p.root) }
    _ = try p.run()
    let findings = try p.findings()
    let info = try #require(findings.first { $0.severity == .info })
    let error = try #require(findings.first { $0.severity == .error })
    let cases: [([String], [String], String)] = [
      (["0000000000000000"], [], "没有编号为 0000000000000000 的核对结果"),
      (["12ab"], [], "不是核对结果编号"),
      ([info.id], [], "只是提示"),
      ([error.id], ["--reason", " "], "--reason 不能为空"),
      ([error.id], ["--year", "2019"], "2019 年度还没有发布的核对记录"),
      // A mistyped seeds folder would take the decision where no run reads it.
      ([error.id], ["--seeds", p.root.appendingPathComponent("seedz").path], "不是基础数据文件夹"),
    ]
    for (ids, extra, message) in cases {
      let r = try p.almanac(
        ["accept"] + ids + ["--reason", "理由", "--by", "李四", "--outbox", p.outbox.path, "--seeds", p.seeds.path] + extra)
      #expect(r.code == 2, "\(ids) \(extra): \(r)")
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: p.seeds.appendingPathComponent("accepted_findings.csv").path))
    #expect(!FileManager.default.fileExists(atPath: p.root.appendingPathComponent("seedz").path))
  }

  /// Nothing accepted for the year (REC-SUB-005) cannot be accepted: one decision, with no
  /// department, cell or file to tie it to, would pass every empty run of the year.
  @Test func testNothingAccepted_cannotBeAccepted() throws {
    let p = try Self.project("accept-empty")
    defer { try? FileManager.default.removeItem(at: p.root) }
    try FileManager.default.removeItem(at: p.inbox)
    try FileManager.default.createDirectory(at: p.inbox, withIntermediateDirectories: true)
    let run = try p.run()
    #expect(run.code == 1)
    let nothing = try #require(try p.findings().first { $0.code == "REC-SUB-005" })
    let refused = try p.accept([nothing.id])
    #expect(refused.code == 2 && refused.stderr.contains("不能确认"), "\(refused)")
    #expect(try p.report().contains("- 凌海市：2025年度没有任何单位的统计表被采用"))
  }
}
