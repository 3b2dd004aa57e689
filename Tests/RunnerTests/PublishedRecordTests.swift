import AlmanacCore
import Foundation
import Runner
import Testing

/// `published.json` lets an unchanged rerun trust the outbox by `stat`; a file changed by hand
/// (edited, even to the same size, or deleted) is still found and rewritten.
@Suite struct PublishedRecordTests {
  @Test func testPublish_recordsShaAndStampOfEveryPublishedFile() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let record = try readRecord(p)
    #expect(record.folder == p.url("outbox/2021").standardizedFileURL.path)
    #expect(record.files.keys.sorted() == ["tables/lines.csv", "total.txt"])
    #expect(record.files["total.txt"]?.sha256 == Digest.sha256Hex("total=11\n"))
    for (path, entry) in record.files {
      #expect(entry.stamp == FileStamp.of(p.url("outbox/2021/\(path)")))
    }

    // An unchanged rerun leaves the record, like the outbox, untouched.
    let recordStamp = FileStamp.of(recordURL(p))
    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.written == [])
    #expect(r.publish?.unchanged == ["tables/lines.csv", "total.txt"])
    #expect(FileStamp.of(recordURL(p)) == recordStamp)
  }

  @Test func testPublish_handEditedOutboxFileIsRestored() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: p.url("outbox/2021/manifest.json")))

    try p.write("total=12345\n", to: "outbox/2021/total.txt")
    let edited = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(edited.stages.map(\.status) == [.reused, .reused, .reused])
    #expect(edited.publish?.written == ["total.txt"])
    #expect(edited.publish?.unchanged == ["tables/lines.csv"])
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
    // A file was rewritten, so the manifest is too (for this run), listing the same outputs.
    #expect(edited.publish?.manifestWritten == true)
    let rewritten = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: p.url("outbox/2021/manifest.json")))
    #expect(rewritten.outputs == manifest.outputs)
    #expect(rewritten.runId == edited.runID)
    #expect(try readRecord(p).files["total.txt"]?.stamp == FileStamp.of(p.url("outbox/2021/total.txt")))
    // The operator's edit is not lost: it is kept beside, under a name tagged with the run.
    let kept = "total.edited-\(edited.runID).txt"
    #expect(edited.publish?.keptEdits == [PublishStats.KeptEdit(path: "total.txt", keptAs: kept)])
    #expect(try p.read("outbox/2021/\(kept)") == "total=12345\n")
    #expect(!rewritten.outputs.contains { $0.path == kept })
    // Kept once: the next run finds the outbox as it left it.
    let again = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(again.publish?.keptEdits == [])
    #expect(again.publish?.written == [])
    #expect(try p.read("outbox/2021/\(kept)") == "total=12345\n")
  }

  /// A file this tool wrote and nobody touched is replaced without a kept copy when the inputs
  /// change; one it never wrote, found where an output goes, is kept.
  @Test func testPublish_onlyFilesChangedByOthersAreKept() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("mine\n", to: "outbox/2021/total.txt")
    let first = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(first.publish?.keptEdits.map(\.path) == ["total.txt"])
    #expect(try p.read("outbox/2021/total.edited-\(first.runID).txt") == "mine\n")

    try p.write("a\nb\n", to: "inbox/a.csv")
    let changed = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(changed.publish?.written.isEmpty == false)
    #expect(changed.publish?.keptEdits == [])
    // Without the record, the manifest's sha256 still tells the tool's own file apart.
    try FileManager.default.removeItem(at: recordURL(p))
    try p.write("a\nb\nc\n", to: "inbox/a.csv")
    let unrecorded = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(unrecorded.publish?.written.isEmpty == false)
    #expect(unrecorded.publish?.keptEdits == [])
  }

  @Test func testKeptName_putsTheTagBeforeTheExtensions() {
    #expect(PublishStats.keptName("report.md", tag: "edited-1") == "report.edited-1.md")
    #expect(PublishStats.keptName("consolidated.csv.gz", tag: "t") == "consolidated.t.csv.gz")
    #expect(PublishStats.keptName("tables/t3.csv", tag: "t") == "tables/t3.t.csv")
    #expect(PublishStats.keptName("README", tag: "t") == "README.t")
    #expect(PublishStats.keptName(".hidden", tag: "t") == ".hidden.t")
  }

  @Test func testPublish_sameSizeEditOfOutboxFileIsRestored() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let target = p.url("outbox/2021/tables/lines.csv")
    let before = try #require(FileStamp.of(target))
    try overwriteInPlace(target, with: "file,lines\na.csv,9\n")
    #expect(FileStamp.of(target)?.size == before.size)
    #expect(FileStamp.of(target)?.inode == before.inode)

    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.written == ["tables/lines.csv"])
    #expect(try p.read("outbox/2021/tables/lines.csv") == "file,lines\na.csv,1\n")
  }

  @Test func testPublish_deletedOutboxFileIsRestored() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    try FileManager.default.removeItem(at: p.url("outbox/2021/total.txt"))

    let r = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(r.publish?.written == ["total.txt"])
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
    let again = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(again.publish?.written == [])
  }

  @Test func testPublish_missingOrDamagedRecordFallsBackToHashing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    try FileManager.default.removeItem(at: recordURL(p))
    let noRecord = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(noRecord.publish?.written == [])
    #expect(try readRecord(p).files.keys.sorted() == ["tables/lines.csv", "total.txt"])

    try Data("not json".utf8).write(to: recordURL(p))
    try p.write("total=0\n", to: "outbox/2021/total.txt")
    let damaged = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(damaged.publish?.written == ["total.txt"])
    #expect(try p.read("outbox/2021/total.txt") == "total=11\n")
    #expect(try readRecord(p).files.keys.sorted() == ["tables/lines.csv", "total.txt"])
  }

  @Test func testPublish_recordOfAnotherOutboxIsIgnored() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    _ = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    let other = try await p.run(RawSettings(outbox: "other"), wiring: TestWiring(log: ExecutionLog()))
    #expect(other.publish?.written == ["tables/lines.csv", "total.txt"])
    #expect(try p.read("other/2021/total.txt") == "total=11\n")
    #expect(try readRecord(p).folder == p.url("other/2021").standardizedFileURL.path)
  }

  private struct Record: Decodable {
    struct Entry: Decodable {
      var sha256: String
      var stamp: FileStamp
    }
    var version: Int
    var folder: String
    var files: [String: Entry]
  }

  private func recordURL(_ p: TestProject) -> URL { p.url(".almanac/test-pipeline/2021/published.json") }

  private func readRecord(_ p: TestProject) throws -> Record {
    try JSONDecoder().decode(Record.self, from: Data(contentsOf: recordURL(p)))
  }
}
