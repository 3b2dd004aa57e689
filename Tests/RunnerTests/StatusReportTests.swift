import AlmanacCore
import Foundation
import Runner
import Testing

@Suite struct StatusReportTests {
  @Test func testStatus_beforeAnyRunShowsMissingAndAllFilesNew() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let s = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(s.pipeline == "test-pipeline")
    #expect(s.year == 2021)
    #expect(s.stages.map(\.label) == ["缺失", "缺失", "缺失"])
    #expect(s.pending == [StatusReport.PendingFile(path: "a.csv", change: "new")])
    #expect(s.lastRun == nil)
    #expect(!p.exists(".almanac"))
  }

  /// A run that stopped before ingest was checkpointed recorded its inputs without reading
  /// them: status lists every file as still unread (it said the inbox was as the last run saw it).
  @Test func testStatus_afterARunThatStoppedBeforeIngest_listsEveryFileUnread() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("b\n", to: "inbox/b.csv")
    let failed = try await p.run(wiring: TestWiring(log: ExecutionLog(), failing: ["count"]))
    #expect(failed.exitCode == 3)
    let s = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(s.stages.first?.state == "missing")
    #expect(s.pending.map(\.change) == ["unread", "unread"])
    #expect(s.render().contains("  尚未读取  a.csv"))
  }

  @Test func testStatus_afterChangesShowsStaleAndPendingFiles() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("b\n", to: "inbox/b.csv")
    try p.write("WARN c\n", to: "inbox/c.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))

    let clean = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(clean.stages.map(\.state) == ["complete", "complete", "complete"])
    #expect(clean.pending.isEmpty)
    #expect(clean.lastRun?.exitCode == 0)
    #expect(clean.lastRun?.findingCounts == ["warning": 1])
    #expect(clean.lastRun?.stages.map(\.status) == [.warned, .success, .success])

    try p.write("a changed\n", to: "inbox/a.csv")
    try FileManager.default.removeItem(at: p.url("inbox/b.csv"))
    try p.write("d\n", to: "inbox/d.csv")
    let cacheBefore = try p.read(".almanac/hash-cache.json")
    let s = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(s.stages.map(\.label) == ["过期", "过期", "过期"])
    #expect(s.stages[0].reason == "输入、流水线或种子表已变化")
    #expect(
      s.pending == [
        StatusReport.PendingFile(path: "a.csv", change: "changed"),
        StatusReport.PendingFile(path: "b.csv", change: "removed"),
        StatusReport.PendingFile(path: "d.csv", change: "new"),
      ])
    // status is read-only.
    #expect(try p.read(".almanac/hash-cache.json") == cacheBefore)

    let text = s.render()
    #expect(text.contains("  count  过期（输入、流水线或种子表已变化）"))
    #expect(text.contains("待处理文件：3 个"))
    #expect(text.contains("  已修改  a.csv"))
    #expect(text.contains("  已删除  b.csv"))
    #expect(text.contains("  新增  d.csv"))
    #expect(text.contains("  发现：错误 0 条，警告 1 条，提示 0 条"))
  }

  @Test func testStatus_emptyInboxAndNoRunSaySoAndNameTheRunsTheStateHolds() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let empty = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(empty.inboxFiles == 0)
    #expect(empty.otherRuns.isEmpty)
    #expect(empty.render().contains("待处理文件：无（收件箱中没有文件）"))
    #expect(!empty.render().contains("与上次运行一致"))

    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    var raw = RawSettings()
    raw.year = "2022"
    let otherYear = try StatusReport.inspect(settings: try p.settings(raw), wiring: TestWiring(log: ExecutionLog()))
    #expect(otherYear.lastRun == nil)
    #expect(otherYear.otherRuns == [StatusReport.OtherRun(pipeline: "test-pipeline", year: 2021)])
    #expect(otherYear.render().contains("状态文件夹中有 test-pipeline（2021 年度）的运行记录"))
    #expect(!p.exists(".almanac/test-pipeline/2022"))

    let sameYear = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(sameYear.lastRun != nil)
    #expect(sameYear.otherRuns.isEmpty)
    #expect(sameYear.render().contains("待处理文件：无（收件箱与上次运行一致）"))
  }

  @Test func testStatus_showsHeldBackFilesFromLastRun() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("HOLD\n", to: "inbox/held.csv")
    _ = try await p.run(wiring: HeldBackWiring())
    let s = try StatusReport.inspect(settings: try p.settings(), wiring: HeldBackWiring())
    #expect(s.heldBack == [StatusReport.HeldBack(path: "held.csv", reason: "unknownDepartment", claimed: "某某局")])
    #expect(s.render().contains("  held.csv  部门无法识别（自称：某某局）"))
    #expect(s.lastRun?.heldBack.map(\.source.path) == ["held.csv"])
    // A reused stage still reports its held-back files.
    let again = try await p.run(wiring: HeldBackWiring())
    #expect(again.stages.map(\.status) == [.reused])
    #expect(again.heldBack.map(\.source.path) == ["held.csv"])
  }
}

struct SortOutput: Codable, Sendable, Equatable {
  var accepted: [String]
  var held: [HeldBackFile]
}

/// Holds back every file whose first line is `HOLD`.
struct SortStage: Stage {
  static let name = "sort"
  func run(_ input: CountInput, in context: StageContext) async throws -> SortOutput {
    var out = SortOutput(accepted: [], held: [])
    for f in input.files {
      let text = try String(contentsOf: input.inbox.appendingPathComponent(f.path), encoding: .utf8)
      if text.hasPrefix("HOLD") {
        out.held.append(
          HeldBackFile(
            source: SourceFile(path: f.path, sha256: f.sha256, size: f.size), reason: .unknownDepartment, claimed: "某某局"
          ))
      } else {
        out.accepted.append(f.path)
      }
    }
    return out
  }
}

struct HeldBackWiring: PipelineWiring {
  func loadSeeds(folder: URL, names: [String]) throws -> Seeds { Seeds(tables: [:]) }
  func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
    [
      PipelineStep(SortStage(), fingerprint: { $0.tableFiles.map(\.fingerprintPart) }, heldBack: { $0.held }) { i in
        CountInput(inbox: i.environment.settings.inbox, files: i.environment.tableFiles)
      }
    ]
  }
}
