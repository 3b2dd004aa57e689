import AlmanacCore
import AlmanacTestSupport
import Foundation
import Runner
import Testing

/// An operator copies a new version of a file into the inbox, or edits the pipeline, while a
/// run has it: the run must not use bytes other than the ones its recorded digests describe.
@Suite struct InputChangeTests {
  /// The real stages, but one inbox file is rewritten after the runner listed and hashed the
  /// inbox and before ingest reads it (where a copy in progress would land).
  struct RewritingWiring: PipelineWiring {
    let file: URL
    var appended = "\r\n"

    func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
      try StandardWiring().loadSeeds(folder: folder, names: names)
    }

    func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
      let handle = try FileHandle(forWritingTo: file)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(appended.utf8))
      try handle.close()
      return try StandardWiring().steps(for: environment)
    }
  }

  @Test func testFileRewrittenAfterHashing_failsIngestAndTheRerunReadsOnlyIt() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let example = ProjectPaths.fixtures.appendingPathComponent("projects/linghai-2025/inbox")
    for name in ["交通局2025年度统计.csv", "人社局-表三.csv"] {
      try FileManager.default.copyItem(
        at: example.appendingPathComponent(name), to: p.url("inbox").appendingPathComponent(name))
    }
    let raw = RawSettings(
      pipeline: ProjectPaths.nationalPipeline.path, seeds: ProjectPaths.seeds.path, year: "2025")

    let changed = p.url("inbox/交通局2025年度统计.csv")
    let first = try await p.run(raw, wiring: RewritingWiring(file: changed))
    #expect(first.exitCode == 3)
    #expect(first.failure?.stage == "ingest")
    #expect(first.failure?.message.contains("交通局2025年度统计.csv") == true)
    #expect(first.failure?.message.contains("被改动") == true)
    #expect(!p.exists("outbox/2025/consolidated.csv"))

    let second = try await p.run(raw, wiring: StandardWiring())
    #expect(second.failure == nil)
    let ingest = second.stages.first { $0.name == "ingest" }
    #expect(ingest?.counters["files_reused"] == 1)
    #expect(ingest?.counters["files_parsed"] == 1)
    #expect(second.inputs.first { $0.path == "交通局2025年度统计.csv" }?.sha256 == (try Digest.sha256Hex(fileAt: changed)))
    #expect(p.exists("outbox/2025/consolidated.csv"))
  }

  /// Text material is read by the draft step, after every other stage: a file rewritten since
  /// the listing fails that step, and the rerun drafts from the new text.
  @Test func testTextMaterialRewrittenAfterHashing_failsTheDraft() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let example = ProjectPaths.fixtures.appendingPathComponent("projects/linghai-2025/inbox")
    try FileManager.default.copyItem(
      at: example.appendingPathComponent("人社局-表三.csv"), to: p.url("inbox").appendingPathComponent("人社局-表三.csv"))
    try p.write("本年度，测试市坚持以公开为常态。\n", to: "inbox/一、总体情况.md")
    let raw = RawSettings(
      pipeline: ProjectPaths.nationalPipeline.path, seeds: ProjectPaths.seeds.path, year: "2025")

    let first = try await p.run(raw, wiring: RewritingWiring(file: p.url("inbox/一、总体情况.md"), appended: "补充。\n"))
    #expect(first.exitCode == 3)
    #expect(first.failure?.stage == "draft")
    #expect(first.failure?.message.contains("一、总体情况.md（内容与列出收件箱时不同）") == true)
    #expect(!p.exists("outbox/2025/report.md"))

    let second = try await p.run(raw, wiring: StandardWiring())
    #expect(second.failure == nil)
    #expect(second.stages.first { $0.name == "ingest" }?.status == .reused)
    #expect(try p.read("outbox/2025/report.md").contains("坚持以公开为常态。\n补充。"))
  }

  /// Text material put into the inbox after the listing is left for the next run, as a table
  /// would be: the manifest and the draft's fingerprint name only what was listed.
  @Test func testTextMaterialAddedAfterHashing_waitsForTheNextRun() async throws {
    struct AddingWiring: PipelineWiring {
      let file: URL
      func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
        try StandardWiring().loadSeeds(folder: folder, names: names)
      }
      func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
        try Data("本年度，测试市坚持以公开为常态。\n".utf8).write(to: file)
        // And one the draft cannot place: it is not reported before it is listed either.
        try Data("随手记下的话。\n".utf8).write(to: file.deletingLastPathComponent().appendingPathComponent("随手记.md"))
        return try StandardWiring().steps(for: environment)
      }
    }
    let p = try TestProject()
    defer { p.remove() }
    let example = ProjectPaths.fixtures.appendingPathComponent("projects/linghai-2025/inbox")
    try FileManager.default.copyItem(
      at: example.appendingPathComponent("人社局-表三.csv"), to: p.url("inbox").appendingPathComponent("人社局-表三.csv"))
    let raw = RawSettings(
      pipeline: ProjectPaths.nationalPipeline.path, seeds: ProjectPaths.seeds.path, year: "2025")

    let first = try await p.run(raw, wiring: AddingWiring(file: p.url("inbox/一、总体情况.md")))
    #expect(first.failure == nil)
    #expect(!first.inputs.contains { $0.path == "一、总体情况.md" })
    #expect(try !p.read("outbox/2025/report.md").contains("坚持以公开为常态"))
    #expect(!first.findings.contains { $0.code == "DRF-002" })

    let second = try await p.run(raw, wiring: StandardWiring())
    #expect(second.inputs.contains { $0.path == "一、总体情况.md" })
    #expect(try p.read("outbox/2025/report.md").contains("坚持以公开为常态"))
    #expect(second.findings.filter { $0.code == "DRF-002" }.map(\.sources.first?.file) == ["随手记.md"])
  }

  /// A report template edited after the run took the pipeline folder's digest fails the draft
  /// (the digest is in the manifest and every fingerprint); the rerun drafts from the new one.
  @Test func testTemplateEditedDuringTheRun_failsTheDraft() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try FileManager.default.copyItem(at: ProjectPaths.nationalPipeline, to: p.url("pipelines/national"))
    let example = ProjectPaths.fixtures.appendingPathComponent("projects/linghai-2025/inbox")
    try FileManager.default.copyItem(
      at: example.appendingPathComponent("人社局-表三.csv"), to: p.url("inbox").appendingPathComponent("人社局-表三.csv"))
    let template = try #require(
      FileManager.default.contentsOfDirectory(atPath: p.url("pipelines/national/templates").path)
        .sorted().first { $0.hasSuffix(".mustache") })
    let raw = RawSettings(pipeline: "pipelines/national", seeds: ProjectPaths.seeds.path, year: "2025")

    let edit = RewritingWiring(file: p.url("pipelines/national/templates/\(template)"), appended: "\n编辑中\n")
    let first = try await p.run(raw, wiring: edit)
    #expect(first.exitCode == 3)
    #expect(first.failure?.stage == "draft")
    #expect(first.failure?.message.contains("在本次运行期间被修改") == true)
    #expect(!p.exists("outbox/2025/report.md"))

    let second = try await p.run(raw, wiring: StandardWiring())
    #expect(second.failure == nil)
    #expect(p.exists("outbox/2025/report.md"))
  }
}
