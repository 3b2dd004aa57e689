import AlmanacCore
import AlmanacTestSupport
import Foundation
import Runner
import Testing

@Suite struct ExitStatusTests {
  @Test func testCode_mapsFailuresAndFindings() {
    #expect(ExitStatus.code(failure: nil, findingCounts: [:], strict: false) == 0)
    #expect(ExitStatus.code(failure: nil, findingCounts: [.info: 3, .warning: 2], strict: false) == 0)
    #expect(ExitStatus.code(failure: nil, findingCounts: [.warning: 2], strict: true) == 1)
    #expect(ExitStatus.code(failure: nil, findingCounts: [.info: 2], strict: true) == 0)
    #expect(ExitStatus.code(failure: nil, findingCounts: [.error: 1], strict: false) == 1)
    #expect(ExitStatus.code(failure: .usage, findingCounts: [.error: 1], strict: false) == 2)
    #expect(ExitStatus.code(failure: .stage, findingCounts: [.error: 1], strict: false) == 3)
    #expect(ExitStatus.code(failure: .locked, findingCounts: [:], strict: false) == 75)
  }

  @Test func testRun_warningsExit0AndStrictExit1() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("WARN a\n", to: "inbox/a.csv")
    let plain = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(plain.exitCode == 0)
    let strict = try await p.run(RawSettings(strict: true), wiring: TestWiring(log: ExecutionLog()))
    #expect(strict.exitCode == 1)
    // --strict changes the exit code only, never what is reused or published.
    #expect(strict.stages.map(\.status) == [.reused, .reused, .reused])
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
  }

  /// An error an auditor accepted (seeds/accepted_findings.csv) is logged with the decision and
  /// does not count: exit 0; the summary counts it apart. Another error keeps exit 1.
  @Test func testRun_acceptedErrorsDoNotCount() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write(
      try p.read("pipelines/test/pipeline.yaml").replacingOccurrences(
        of: "seeds: [numbers]", with: "seeds: [numbers, accepted_findings]"), to: "pipelines/test/pipeline.yaml")
    try p.write("ERROR a\n", to: "inbox/a.csv")
    let finding = Finding(
      code: "TST-001", severity: .error, stage: "count", message: "",
      sources: [SourceRef(file: "a.csv", sha256: Digest.sha256Hex("ERROR a\n"), line: 1, column: 1)])
    try p.write(
      AcceptedFindings.columns.joined(separator: ",") + "\n\(finding.id),2021,TST-001,,,,,单位已书面说明,李四,2026-01-20\n",
      to: "seeds/accepted_findings.csv")
    let lines = LineRecorder()
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()), lines: lines)
    #expect(r.exitCode == 0)
    #expect(r.acceptedCount == 1 && r.findingCounts[.error] == nil)
    #expect(RunSummary.render(r).contains("发现：错误 0 条，警告 0 条，提示 0 条（另有已审核确认 1 条）"))
    #expect(RunSummary.render(r).contains("结论：完成（退出码 0）"))
    #expect(lines.lines.contains { $0.contains("[TST-001] 已审核确认（李四，2026-01-20）：单位已书面说明") }, "\(lines.lines)")
    try p.write("ERROR a\nERROR b\n", to: "inbox/a.csv")
    let changed = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    // The file changed: its findings are new ones, open until reviewed.
    #expect(changed.exitCode == 1)
    #expect(changed.acceptedCount == 0)
  }

  @Test func testRun_errorFindingsExit1AndStillPublish() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("ERROR a\n", to: "inbox/a.csv")
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 1)
    #expect(r.publish?.written == ["tables/lines.csv", "total.txt"])
  }

  @Test func testRun_invalidPipelineExits2AndRunsNothing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("version: 1\nname: x\nbogus: true\n", to: "pipelines/test/pipeline.yaml")
    let log = ExecutionLog()
    let r = try await p.run(wiring: TestWiring(log: log))
    #expect(r.exitCode == 2)
    #expect(r.failure?.kind == .usage)
    #expect(log.ran.isEmpty)
    #expect(!p.exists(".almanac"))
  }

  @Test func testRun_missingSeedsExit2() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try FileManager.default.removeItem(at: p.url("seeds/numbers.csv"))
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 2)
    #expect(r.failure?.message == "\(p.url("seeds/numbers.csv").path): seed table missing")
  }

  @Test func testRun_unknownFromStageExits2() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let log = ExecutionLog()
    let r = try await p.run(RawSettings(from: "nope"), wiring: TestWiring(log: log))
    #expect(r.exitCode == 2)
    #expect(r.failure?.message == "--from nope: no such stage; stages are count, sum, publish")
    #expect(log.ran.isEmpty)
  }

  /// The standard wiring knows its stage names up front: a mistyped `--from` is refused before
  /// the state folder is made or the inbox hashed, and the names are those the run reports.
  @Test func testRun_standardWiring_unknownFromStageExits2BeforeTouchingState() async throws {
    let p = try TestProject()
    defer { p.remove() }
    var raw = RawSettings(
      pipeline: ProjectPaths.nationalPipeline.path, seeds: ProjectPaths.seeds.path, year: "2025", from: "normalise")
    let refused = try await p.run(raw, wiring: StandardWiring())
    #expect(refused.exitCode == 2)
    #expect(
      refused.failure?.message
        == "--from normalise: no such stage; stages are ingest, normalize, reconcile, consolidate, draft")
    #expect(!p.exists(".almanac"))

    raw.from = nil
    let ran = try await p.run(raw, wiring: StandardWiring())
    #expect(ran.failure == nil)
    #expect(ran.stages.map(\.name) == StandardWiring().stageNames)
  }

  @Test func testRun_missingInboxExits2() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let r = try await p.run(RawSettings(inbox: "nowhere"), wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 2)
    #expect(r.failure?.message == "inbox folder \(p.url("nowhere").path) does not exist; create it or pass --inbox")
    // Refused with the configuration, before the state folder is made.
    #expect(!p.exists(".almanac"))

    try p.write("a,1\n", to: "a-file.csv")
    let file = try await p.run(RawSettings(inbox: "a-file.csv"), wiring: TestWiring(log: ExecutionLog()))
    #expect(file.exitCode == 2)
    #expect(file.failure?.message.contains("is a file, not a folder") == true)
  }
}
