import AlmanacCore
import Foundation
import Runner
import Testing

@Suite struct RunnerPublishTests {
  @Test func testPublish_writesStagedBytesAndManifestLast() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\n", to: "inbox/a.csv")
    try p.write("说明\n", to: "inbox/notes.txt")
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 0)
    #expect(r.publish?.written == ["tables/lines.csv", "total.txt"])
    #expect(r.publish?.manifestWritten == true)
    #expect(r.publish?.folder == "outbox/2021/")

    let staged = p.stageFolder(3, "publish").appendingPathComponent("out")
    for path in ["total.txt", "tables/lines.csv"] {
      let published = p.url("outbox/2021/\(path)")
      #expect(try Data(contentsOf: published) == Data(contentsOf: staged.appendingPathComponent(path)))
      let attrs = try FileManager.default.attributesOfItem(atPath: published.path)
      #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o644)
      #expect(mtimeNs(published) <= mtimeNs(p.url("outbox/2021/manifest.json")))
    }
    #expect(try p.read("outbox/2021/tables/lines.csv") == "file,lines\na.csv,2\n")

    let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: p.url("outbox/2021/manifest.json")))
    #expect(manifest.runId == r.runID)
    #expect(manifest.pipeline.name == "test-pipeline")
    #expect(manifest.toolVersion == AlmanacVersion.current)
    #expect(manifest.toolBuild == BuildIdentity.current)
    #expect(manifest.year == 2021)
    #expect(manifest.inputs.map(\.path) == ["a.csv", "notes.txt"])
    #expect(manifest.inputs[0].sha256 == Digest.sha256Hex("a\nb\n"))
    #expect(manifest.inputs[0].size == 4)
    #expect(
      manifest.outputs.map { "\($0.path) \($0.size) \($0.sha256)" } == [
        "tables/lines.csv 19 \(Digest.sha256Hex("file,lines\na.csv,2\n"))",
        "total.txt 9 \(Digest.sha256Hex("total=12\n"))",
      ])

    let state = try FileManager.default.attributesOfItem(atPath: p.url(".almanac").path)
    #expect((state[.posixPermissions] as? NSNumber)?.intValue == 0o700)
  }

  @Test func testPublish_unchangedRerunRewritesNothing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let manifestBefore = try p.read("outbox/2021/manifest.json")
    let stampBefore = FileStamp.of(p.url("outbox/2021/total.txt"))
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.written == [])
    #expect(r.publish?.manifestWritten == false)
    #expect(try p.read("outbox/2021/manifest.json") == manifestBefore)
    #expect(FileStamp.of(p.url("outbox/2021/total.txt")) == stampBefore)
    #expect(r.nothingChanged)
  }

  @Test func testPublish_changedFileRewrittenOthersKept() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    try p.write("name,value\nbase,20\n", to: "seeds/numbers.csv")
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.written == ["total.txt"])
    #expect(r.publish?.unchanged == ["tables/lines.csv"])
    #expect(r.publish?.manifestWritten == true)
    #expect(try p.read("outbox/2021/total.txt") == "total=21\n")
  }

  @Test func testPublish_unwritableOutboxExits3AndKeepsCheckpoints() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    // Tests run as root, so permissions cannot stop a write: a regular file in the path does.
    try p.write("not a folder", to: "blocked")
    let r = try await p.run(RawSettings(outbox: "blocked/outbox"), wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 3)
    #expect(r.failure?.kind == .stage)
    #expect(r.failure?.message.hasPrefix("无法写入输出目录 \(p.url("blocked/outbox/2021").path)") == true)
    #expect(r.stages.map(\.status) == [.success, .success, .success])
    #expect(p.exists(".almanac/test-pipeline/2021/03-publish/checkpoint.json"))
    #expect(try p.read("blocked") == "not a folder")
  }

  @Test func testPublish_removesFilesNoLongerStagedOnly() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    try p.write("operator's own file\n", to: "outbox/2021/readme.txt")
    // An earlier manifest that listed a file this run no longer stages.
    var manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: p.url("outbox/2021/manifest.json")))
    manifest.outputs.append(Manifest.FileRef(path: "old.csv", sha256: "x", size: 1))
    try AtomicFile.json(manifest).write(to: p.url("outbox/2021/manifest.json"))
    try p.write("stale\n", to: "outbox/2021/old.csv")
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.removed == ["old.csv"])
    #expect(!p.exists("outbox/2021/old.csv"))
    #expect(try p.read("outbox/2021/readme.txt") == "operator's own file\n")
  }

  @Test func testPublish_removesTemporariesOfAKilledRun() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    try p.write("half", to: "outbox/2021/tables/.lines.csv.tmp-4242")
    try p.write("x\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(!p.exists("outbox/2021/tables/.lines.csv.tmp-4242"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: p.url("outbox/2021/tables").path) == ["lines.csv"])
  }

  @Test func testRun_neverTouchesInboxFiles() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nERROR x\n", to: "inbox/a.csv")
    try p.write("hidden\n", to: "inbox/.partial.csv")
    let before = FileStamp.of(p.url("inbox/a.csv"))
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.inputs.map(\.path) == ["a.csv"])
    #expect(FileStamp.of(p.url("inbox/a.csv")) == before)
    #expect(try p.read("inbox/a.csv") == "a\nERROR x\n")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: p.url("inbox").path).sorted() == [".partial.csv", "a.csv"])
  }
}
