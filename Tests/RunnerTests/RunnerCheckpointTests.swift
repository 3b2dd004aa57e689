import AlmanacCore
import Foundation
import Runner
import Testing

@Suite struct RunnerCheckpointTests {
  @Test func testRun_writesOutputThenCheckpointAndReusesOnRerun() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\n", to: "inbox/a.csv")
    try p.write("x\n", to: "inbox/sub/b.csv")
    let log = ExecutionLog()

    let first = try await p.run(wiring: TestWiring(log: log))
    #expect(first.exitCode == 0)
    #expect(log.ran == ["count", "sum", "publish"])
    #expect(first.stages.map(\.status) == [.success, .success, .success])
    #expect(first.stages[0].counters["files_parsed"] == 2)
    #expect(first.hash == HashStats(files: 2, filesHashed: 2, bytesHashed: 6))

    for (i, stage) in ["count", "sum", "publish"].enumerated() {
      let folder = p.stageFolder(i + 1, stage)
      let cpURL = folder.appendingPathComponent("checkpoint.json")
      let cp = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: cpURL))
      #expect(cp.stage == stage)
      #expect(cp.version == Checkpoint.currentVersion)
      #expect(cp.status == .success)
      for (path, sha) in cp.outputs {
        let file = folder.appendingPathComponent(path)
        #expect(try Digest.sha256Hex(fileAt: file) == sha)
        #expect(mtimeNs(file) <= mtimeNs(cpURL), "checkpoint must be written after \(path)")
      }
    }
    let countOutput = try JSONDecoder().decode(
      CountOutput.self, from: Data(contentsOf: p.stageFolder(1, "count").appendingPathComponent("output.json")))
    #expect(countOutput == CountOutput(lines: ["a.csv": 2, "sub/b.csv": 1]))
    #expect(try p.read("outbox/2021/total.txt") == "total=13\n")

    log.reset()
    let second = try await p.run(wiring: TestWiring(log: log))
    #expect(second.exitCode == 0)
    #expect(log.ran.isEmpty)
    #expect(second.stages.map(\.status) == [.reused, .reused, .reused])
    #expect(second.counter("files_parsed") == 0)
    #expect(second.hash == HashStats(files: 2, filesHashed: 0, bytesHashed: 0))
    #expect(second.nothingChanged)
    #expect(RunSummary.render(second).contains(RunSummary.nothingChangedLine))
    #expect(log.checkpointsSeenDuringRun.isEmpty)
  }

  @Test func testRun_changedInputRerunsStageAndDownstream() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))

    log.reset()
    try p.write("a\nb\nc\n", to: "inbox/a.csv")
    let changed = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["count", "sum", "publish"])
    #expect(changed.stages.map(\.status) == [.success, .success, .success])
    #expect(changed.stages[0].reason == "输入、流水线或种子表已变化")
    #expect(changed.hash.filesHashed == 1)
    #expect(try p.read("outbox/2021/total.txt") == "total=13\n")
    // The rerun saw no checkpoint of its own: it was removed before the stage started.
    #expect(log.checkpointsSeenDuringRun.isEmpty)
  }

  @Test func testRun_seedChangeRerunsEveryStage() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    log.reset()
    try p.write("name,value\nbase,100\n", to: "seeds/numbers.csv")
    let r = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["count", "sum", "publish"])
    #expect(r.hash.filesHashed == 0)
    #expect(try p.read("outbox/2021/total.txt") == "total=101\n")
  }

  @Test func testRun_pipelineTemplateChangeRerunsEveryStage() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    log.reset()
    try p.write("# {{title}}\n", to: "pipelines/test/templates/report.md.mustache")
    _ = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["count", "sum", "publish"])
  }

  @Test func testRun_fromRerunsThatStageAndLaterOnly() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    log.reset()
    let r = try await p.run(RawSettings(from: "sum"), wiring: TestWiring(log: log))
    #expect(log.ran == ["sum", "publish"])
    #expect(r.stages.map(\.status) == [.reused, .success, .success])
    #expect(r.stages[1].reason == "--from sum")
    #expect(r.exitCode == 0)
  }

  @Test func testRun_forceIgnoresAllCheckpoints() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    log.reset()
    let r = try await p.run(RawSettings(force: true), wiring: TestWiring(log: log))
    #expect(log.ran == ["count", "sum", "publish"])
    #expect(r.stages.allSatisfy { $0.reason == "--force" })
    // The outputs are the same bytes, so nothing in the outbox is rewritten.
    #expect(r.publish?.written == [])
    #expect(r.publish?.unchanged == ["tables/lines.csv", "total.txt"])
  }

  @Test func testRun_damagedOutputIsDetectedAndRerun() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    log.reset()
    try p.write("{\"total\":999}", to: ".almanac/test-pipeline/2021/02-sum/output.json")
    let r = try await p.run(wiring: TestWiring(log: log))
    // sum rebuilds the same output, so publish (keyed on it) stays reused.
    #expect(log.ran == ["sum"])
    #expect(r.stages.map(\.status) == [.reused, .success, .reused])
    #expect(r.stages[1].reason == "输出文件 output.json 缺失或已损坏")
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
  }

  @Test func testRun_unknownCheckpointVersionIsStale() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    let url = p.stageFolder(3, "publish").appendingPathComponent("checkpoint.json")
    var cp = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: url))
    cp.version = 99
    try AtomicFile.json(cp).write(to: url)
    log.reset()
    _ = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["publish"])
  }

  @Test func testRun_failingStageExits3KeepsEarlierCheckpointsAndResumes() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    let goodTotal = try p.read("outbox/2021/total.txt")
    let goodManifest = try p.read("outbox/2021/manifest.json")

    try p.write("a\nb\n", to: "inbox/a.csv")
    log.reset()
    let failed = try await p.run(wiring: TestWiring(log: log, failing: ["sum"]))
    #expect(failed.exitCode == 3)
    #expect(failed.failure?.kind == .stage)
    #expect(failed.failure?.stage == "sum")
    #expect(failed.failure?.message.contains("disk full (simulated)") == true)
    #expect(failed.stages.map(\.status) == [.success, .failed, .notRun])
    #expect(failed.publish == nil)
    #expect(try p.read("outbox/2021/total.txt") == goodTotal)
    #expect(try p.read("outbox/2021/manifest.json") == goodManifest)
    #expect(p.exists(".almanac/test-pipeline/2021/01-count/checkpoint.json"))
    #expect(!p.exists(".almanac/test-pipeline/2021/02-sum/checkpoint.json"))

    log.reset()
    let resumed = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["sum", "publish"])
    #expect(resumed.stages.map(\.status) == [.reused, .success, .success])
    #expect(resumed.exitCode == 0)
    #expect(try p.read("outbox/2021/total.txt") == "total=12\n")
  }

  /// Commits overlap the next stage: when writing a stage's folder fails, the stage is reported
  /// failed, the stages after it (which may have run meanwhile) are not committed, and a rerun
  /// resumes at the failed stage.
  @Test func testRun_failingCommitFailsItsStageAndLeavesNoLaterCheckpoint() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    let failed = try await p.run(wiring: TestWiring(log: log, failingWrites: ["sum"]))
    #expect(failed.exitCode == 3)
    #expect(failed.failure?.stage == "sum")
    #expect(failed.failure?.message.contains("disk full (simulated)") == true)
    #expect(failed.stages.map(\.status) == [.success, .failed, .notRun])
    #expect(failed.stages[0].fingerprint != nil)
    #expect(failed.publish == nil)
    #expect(!p.exists("outbox/2021/total.txt"))
    #expect(p.exists(".almanac/test-pipeline/2021/01-count/checkpoint.json"))
    #expect(!p.exists(".almanac/test-pipeline/2021/02-sum/checkpoint.json"))
    #expect(!p.exists(".almanac/test-pipeline/2021/03-publish/checkpoint.json"))

    log.reset()
    let resumed = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["sum", "publish"])
    #expect(resumed.stages.map(\.status) == [.reused, .success, .success])
    #expect(try p.read("outbox/2021/total.txt") == "total=12\n")
  }

  /// An output declared for the next step only leaves memory once that step ran; a later
  /// reader still gets it, decoded from the stage folder.
  @Test func testRun_outputForNextStepOnlyIsReloadedWhenAskedLater() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\nc\n", to: "inbox/a.csv")
    try p.write("d\n", to: "inbox/b.csv")
    let report = try await p.run(wiring: TestWiring(log: ExecutionLog(), countOnlyForNextStep: true))
    #expect(report.exitCode == 0)
    #expect(report.stages.map(\.status) == [.success, .success, .success])
    #expect(try p.read("outbox/2021/total.txt") == "total=14\n")
    #expect(try p.read("outbox/2021/tables/lines.csv").contains("a.csv,3"))
  }

  @Test func testRun_reusedStageFindingsStillCount() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("ok\nERROR here\nWARN there\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    let first = try await p.run(wiring: TestWiring(log: log))
    #expect(first.exitCode == 1)
    #expect(first.findings.map(\.code) == ["TST-001", "TST-002"])
    #expect(first.stages[0].status == .warned)
    let second = try await p.run(wiring: TestWiring(log: log))
    #expect(second.stages[0].status == .reused)
    #expect(second.findings == first.findings)
    #expect(second.exitCode == 1)
    #expect(try p.read("outbox/2021/total.txt") == "total=13\n")
  }
}
