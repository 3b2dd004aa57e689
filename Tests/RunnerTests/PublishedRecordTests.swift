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
