import AlmanacCore
import Foundation
import Runner
import Testing

/// Emits a finding for every text file while building the count input.
struct InputFindingWiring: PipelineWiring {
  let log: ExecutionLog
  func loadSeeds(folder: URL, names: [String]) throws -> Seeds { Seeds(tables: [:]) }
  func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
    [
      PipelineStep(CountStage(log: log, fail: false), fingerprint: { $0.inbox.map(\.fingerprintPart) }) { i in
        for t in i.environment.textFiles {
          i.findings.emit(
            Finding(
              code: "TST-009", severity: .warning, stage: "count", message: "文本材料未使用",
              sources: [SourceRef(file: t.path, sha256: t.sha256)]))
        }
        return CountInput(inbox: i.environment.settings.inbox, files: i.environment.tableFiles)
      }
    ]
  }
}

@Suite struct StepInputsTests {
  @Test func testInputFindings_belongToTheStageAndSurviveReuse() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("文字\n", to: "inbox/s1.md")
    let log = ExecutionLog()
    let first = try await p.run(wiring: InputFindingWiring(log: log))
    #expect(first.findings.map(\.code) == ["TST-009"])
    #expect(first.stages[0].status == .warned)
    #expect(first.stages[0].findingCounts == ["warning": 1])
    let second = try await p.run(wiring: InputFindingWiring(log: log))
    #expect(log.ran == ["count"])
    #expect(second.findings == first.findings)
  }
}
