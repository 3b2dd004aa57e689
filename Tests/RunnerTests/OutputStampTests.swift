import AlmanacCore
import Foundation
import Runner
import Testing

/// Checkpoints record each output's `stat` so a rerun trusts untouched files without hashing them.
@Suite struct OutputStampTests {
  @Test func testCheckpoint_recordsTheStampOfEveryOutput() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    for (i, stage) in ["count", "sum", "publish"].enumerated() {
      let folder = p.stageFolder(i + 1, stage)
      let cp = try readCheckpoint(folder)
      let stamps = try #require(cp.stamps)
      #expect(Set(stamps.keys) == Set(cp.outputs.keys))
      for path in cp.outputs.keys {
        #expect(stamps[path] == FileStamp.of(folder.appendingPathComponent(path)))
      }
    }
    #expect(
      try Set(readCheckpoint(p.stageFolder(3, "publish")).outputs.keys) == [
        "output.json", "findings.json", "out/total.txt", "out/tables/lines.csv",
      ])
  }

  @Test func testRun_sameSizeEditOfAnOutputIsDetected() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    let output = p.stageFolder(2, "sum").appendingPathComponent("output.json")
    let original = try String(contentsOf: output, encoding: .utf8)
    #expect(original.contains("11"))
    let before = try #require(FileStamp.of(output))
    try overwriteInPlace(output, with: original.replacingOccurrences(of: "11", with: "99"))
    let after = try #require(FileStamp.of(output))
    #expect(after.size == before.size)
    #expect(after.inode == before.inode)

    log.reset()
    let r = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["sum"])
    #expect(r.stages.map(\.status) == [.reused, .success, .reused])
    #expect(r.stages[1].reason == "输出文件 output.json 缺失或已损坏")
    #expect(try String(contentsOf: output, encoding: .utf8) == original)
  }

  @Test func testRun_sameSizeEditOfAStagedFileRerunsItsStage() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    let staged = p.stageFolder(3, "publish").appendingPathComponent("out/total.txt")
    try overwriteInPlace(staged, with: "total=99\n")

    log.reset()
    let r = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["publish"])
    #expect(r.stages[2].reason == "输出文件 out/total.txt 缺失或已损坏")
    #expect(try String(contentsOf: staged, encoding: .utf8) == "total=11\n")
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
  }

  @Test func testStageFolder_matchingStampIsTrustedWithoutHashing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let folder = p.stageFolder(3, "publish")
    var cp = try readCheckpoint(folder)
    let fingerprint = cp.inputFingerprint
    // A recorded digest that no content has: only the stamp can vouch for the file now.
    cp.outputs["findings.json"] = String(repeating: "0", count: 64)
    try writeCheckpoint(cp, folder)
    let stageFolder = StageFolder(runFolder: folder.deletingLastPathComponent(), index: 2, stage: "publish")
    #expect(stageFolder.state(fingerprint: fingerprint).isComplete)

    // Without a matching stamp the file is hashed, and the digest no longer matches.
    try overwriteInPlace(folder.appendingPathComponent("findings.json"), with: "[]\n")
    #expect(stageFolder.state(fingerprint: fingerprint) == .stale(reason: "输出文件 findings.json 缺失或已损坏"))
  }

  @Test func testRun_checkpointWithoutStampsIsVerifiedByHashing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let log = ExecutionLog()
    _ = try await p.run(wiring: TestWiring(log: log))
    for (i, stage) in ["count", "sum", "publish"].enumerated() {
      var cp = try readCheckpoint(p.stageFolder(i + 1, stage))
      cp.stamps = nil
      try writeCheckpoint(cp, p.stageFolder(i + 1, stage))
    }
    let json = try String(
      contentsOf: p.stageFolder(2, "sum").appendingPathComponent("checkpoint.json"), encoding: .utf8)
    #expect(!json.contains("stamps"))

    log.reset()
    let reused = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran.isEmpty)
    #expect(reused.stages.map(\.status) == [.reused, .reused, .reused])

    let output = p.stageFolder(2, "sum").appendingPathComponent("output.json")
    let original = try String(contentsOf: output, encoding: .utf8)
    try overwriteInPlace(output, with: original.replacingOccurrences(of: "11", with: "99"))
    let r = try await p.run(wiring: TestWiring(log: log))
    #expect(log.ran == ["sum"])
    #expect(r.stages[1].reason == "输出文件 output.json 缺失或已损坏")
  }

  private func readCheckpoint(_ folder: URL) throws -> Checkpoint {
    try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: folder.appendingPathComponent("checkpoint.json")))
  }

  private func writeCheckpoint(_ cp: Checkpoint, _ folder: URL) throws {
    try AtomicFile.json(cp).write(to: folder.appendingPathComponent("checkpoint.json"))
  }
}

/// Rewrites a file's bytes through the same inode, as an editor saving in place would.
func overwriteInPlace(_ url: URL, with text: String) throws {
  let handle = try FileHandle(forWritingTo: url)
  defer { try? handle.close() }
  try handle.truncate(atOffset: 0)
  try handle.write(contentsOf: Data(text.utf8))
}
