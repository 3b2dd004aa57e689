import AlmanacCore
import Foundation
import Runner
import Testing

/// A `DeferredStage` is built when it runs, never when it is reused.
@Suite struct DeferredStageTests {
  /// The count → sum → publish wiring with `count` built through a `DeferredStage`.
  struct DeferredWiring: PipelineWiring {
    let log: ExecutionLog
    let built: ExecutionLog

    func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
      try TestWiring(log: log).loadSeeds(folder: folder, names: names)
    }

    func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
      var steps = try TestWiring(log: log).steps(for: environment)
      let log = self.log
      let built = self.built
      steps[0] = PipelineStep(
        DeferredStage {
          built.record("count", workDirectory: URL(fileURLWithPath: "/nonexistent"))
          return CountStage(log: log, fail: false)
        },
        fingerprint: { $0.tableFiles.map(\.fingerprintPart) }
      ) { i in CountInput(inbox: i.environment.settings.inbox, files: i.environment.tableFiles) }
      return steps
    }
  }

  @Test func testDeferredStage_isBuiltOnlyWhenItRuns() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    let built = ExecutionLog()
    let first = try await p.run(wiring: DeferredWiring(log: log, built: built))
    #expect(first.exitCode == 0)
    #expect(built.ran == ["count"])
    #expect(log.ran == ["count", "sum", "publish"])
    #expect(try p.read("outbox/2021/total.txt") == "total=12\n")

    log.reset()
    built.reset()
    let second = try await p.run(wiring: DeferredWiring(log: log, built: built))
    #expect(second.stages.map(\.status) == [.reused, .reused, .reused])
    #expect(built.ran.isEmpty)

    try p.write("a\nb\nc\n", to: "inbox/a.csv")
    let third = try await p.run(wiring: DeferredWiring(log: log, built: built))
    #expect(third.stages.map(\.status) == [.success, .success, .success])
    #expect(built.ran == ["count"])
    #expect(try p.read("outbox/2021/total.txt") == "total=13\n")
  }
}
