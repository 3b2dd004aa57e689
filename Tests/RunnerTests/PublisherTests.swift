import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@testable import Runner

/// Publishing trusts a staged file its checkpoint's stamp still describes, as a reused
/// checkpoint does, and verifies any other by hashing the copy.
@Suite struct PublisherTests {
  static func manifest(_ outputs: [Manifest.FileRef]) -> Manifest {
    Manifest(
      runId: "r", pipeline: .init(name: "p", digest: "d", seedsDigest: "s"), toolVersion: "v", year: 2025,
      startedAt: "t0", finishedAt: "t1", inputs: [], outputs: outputs)
  }

  /// A staged file of a few blocks, its path and its stamp once settled.
  static func staged(in tmp: TemporaryFolder) throws -> (url: URL, bytes: Data, stamp: FileStamp) {
    let url = try tmp.folder("stage").appendingPathComponent("data.csv")
    var bytes = Data()
    for i in 0..<150_000 { bytes.append(contentsOf: "\(i),凌海市,\(i * 7)\n".utf8) }
    try bytes.write(to: url)
    let written = try #require(FileStamp.of(url))
    let stamp = try #require(FileStamp.settled(["data": written])["data"])
    return (url, bytes, stamp)
  }

  static func leftovers(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
  }

  @Test func testStagedFileWithItsRecordedStamp_isCopiedWithoutHashing() throws {
    let tmp = try TemporaryFolder("publisher-trusted")
    defer { tmp.remove() }
    let (url, bytes, stamp) = try Self.staged(in: tmp)
    let outbox = tmp.path("outbox")
    // A digest no content has: only the stamp can vouch for the file, so nothing hashed it.
    let unhashable = String(repeating: "0", count: 64)
    let stats = try Publisher(folder: outbox, displayFolder: "outbox/").publish(
      [PublishItem(path: "data.csv", source: url, sha256: unhashable, stamp: stamp)], manifest: Self.manifest)
    #expect(stats.written == ["data.csv"])
    #expect(try Data(contentsOf: outbox.appendingPathComponent("data.csv")) == bytes)
    #expect(try Self.leftovers(outbox).isEmpty)
  }

  @Test func testStagedFileWithAnotherStamp_isVerifiedAndRefusedWhenItDiffers() throws {
    let tmp = try TemporaryFolder("publisher-verified")
    defer { tmp.remove() }
    let (url, bytes, stamp) = try Self.staged(in: tmp)
    let outbox = tmp.path("outbox")
    var other = stamp
    other.mtimeNs -= 1_000_000_000
    for recorded in [nil, other] {
      #expect(throws: RunnerError.self) {
        _ = try Publisher(folder: outbox, displayFolder: "outbox/").publish(
          [PublishItem(path: "data.csv", source: url, sha256: String(repeating: "0", count: 64), stamp: recorded)],
          manifest: Self.manifest)
      }
      #expect(!FileManager.default.fileExists(atPath: outbox.appendingPathComponent("data.csv").path))
      #expect(try Self.leftovers(outbox).isEmpty)
    }
    // With its true digest it is published, stamp or not.
    let stats = try Publisher(folder: outbox, displayFolder: "outbox/").publish(
      [PublishItem(path: "data.csv", source: url, sha256: Digest.sha256Hex(bytes), stamp: other)],
      manifest: Self.manifest)
    #expect(stats.written == ["data.csv"])
    #expect(try Data(contentsOf: outbox.appendingPathComponent("data.csv")) == bytes)
  }
}

/// The manifest is written in the first phase with the data files: when it cannot be (a full
/// disk), nothing in the outbox has changed yet, as the error says.
@Suite struct PublisherManifestTests {
  @Test func testManifestThatCannotBeWritten_leavesTheOutboxAsItWas() throws {
    let tmp = try TemporaryFolder("publisher-manifest-full")
    defer { tmp.remove() }
    let outbox = tmp.path("outbox")
    var publisher = Publisher(folder: outbox, displayFolder: "outbox/")
    _ = try publisher.publish(
      [try PublisherKeptEditsTests.item(tmp, "a.txt", "a\n")], manifest: PublisherTests.manifest)
    let manifest = try Data(contentsOf: outbox.appendingPathComponent("manifest.json"))
    publisher.writeManifestTemporary = { _, _, _ in throw RunnerError.publish(path: "manifest.json", reason: "No space")
    }
    #expect(throws: RunnerError.self) {
      _ = try publisher.publish(
        [
          try PublisherKeptEditsTests.item(tmp, "a.txt", "a2\n"), try PublisherKeptEditsTests.item(tmp, "b.txt", "b\n"),
        ],
        manifest: PublisherTests.manifest)
    }
    #expect(try String(contentsOf: outbox.appendingPathComponent("a.txt"), encoding: .utf8) == "a\n")
    #expect(!FileManager.default.fileExists(atPath: outbox.appendingPathComponent("b.txt").path))
    #expect(try Data(contentsOf: outbox.appendingPathComponent("manifest.json")) == manifest)
    #expect(try PublisherTests.leftovers(outbox).isEmpty)
  }
}

/// Published files someone changed since are kept under a tagged name before they are replaced
/// or removed; a publish that fails leaves no kept copy behind.
@Suite struct PublisherKeptEditsTests {
  static func item(_ tmp: TemporaryFolder, _ name: String, _ text: String) throws -> PublishItem {
    let url = try tmp.folder("stage").appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return PublishItem(path: name, source: url, sha256: Digest.sha256Hex(text))
  }

  @Test func testEditedFileNoLongerPublished_isKeptNotJustRemoved() throws {
    let tmp = try TemporaryFolder("publisher-kept-removed")
    defer { tmp.remove() }
    let outbox = tmp.path("outbox")
    let publisher = Publisher(folder: outbox, displayFolder: "outbox/", keptTag: "edited-r2")
    _ = try publisher.publish(
      [try Self.item(tmp, "a.txt", "a\n"), try Self.item(tmp, "b.txt", "b\n")], manifest: PublisherTests.manifest)
    try Data("b, edited\n".utf8).write(to: outbox.appendingPathComponent("b.txt"))

    let stats = try publisher.publish([try Self.item(tmp, "a.txt", "a\n")], manifest: PublisherTests.manifest)
    #expect(stats.removed == ["b.txt"])
    #expect(stats.keptEdits == [PublishStats.KeptEdit(path: "b.txt", keptAs: "b.edited-r2.txt")])
    #expect(try String(contentsOf: outbox.appendingPathComponent("b.edited-r2.txt"), encoding: .utf8) == "b, edited\n")
    #expect(!FileManager.default.fileExists(atPath: outbox.appendingPathComponent("b.txt").path))
  }

  /// A run killed while publishing left copies of edited files: one beside an original it never
  /// replaced goes (the next run keeps the edit again, once); one whose original it replaced is
  /// reported, since the killed run could not say so.
  @Test func testKeptCopiesOfAKilledRun_areSettled() throws {
    let tmp = try TemporaryFolder("publisher-kept-killed")
    defer { tmp.remove() }
    let outbox = tmp.path("outbox")
    try FileManager.default.createDirectory(
      at: outbox.appendingPathComponent("tables"), withIntermediateDirectories: true)
    func write(_ text: String, _ name: String) throws {
      try Data(text.utf8).write(to: outbox.appendingPathComponent(name))
    }
    try write("edited report\n", "report.md")
    _ = link(outbox.appendingPathComponent("report.md").path, outbox.appendingPathComponent("report.edited-r1.md").path)
    try write("new table\n", "tables/t3.csv")
    try write("edited table\n", "tables/t3.edited-r1.csv")
    try write("other run\n", "report.edited-r0.md")
    let kept = Publisher.settleKeptEdits(in: outbox, of: "r1")
    #expect(kept == [PublishStats.KeptEdit(path: "tables/t3.csv", keptAs: "tables/t3.edited-r1.csv")])
    #expect(!FileManager.default.fileExists(atPath: outbox.appendingPathComponent("report.edited-r1.md").path))
    #expect(FileManager.default.fileExists(atPath: outbox.appendingPathComponent("tables/t3.edited-r1.csv").path))
    #expect(FileManager.default.fileExists(atPath: outbox.appendingPathComponent("report.edited-r0.md").path))
    #expect(try String(contentsOf: outbox.appendingPathComponent("report.md"), encoding: .utf8) == "edited report\n")
  }

  @Test func testFailedPublish_leavesNoKeptCopy() throws {
    let tmp = try TemporaryFolder("publisher-kept-failed")
    defer { tmp.remove() }
    let outbox = tmp.path("outbox")
    let publisher = Publisher(folder: outbox, displayFolder: "outbox/", keptTag: "edited-r2")
    _ = try publisher.publish([try Self.item(tmp, "a.txt", "a\n")], manifest: PublisherTests.manifest)
    try Data("a, edited\n".utf8).write(to: outbox.appendingPathComponent("a.txt"))
    var changed = try Self.item(tmp, "a.txt", "a2\n")
    // A second item whose staged file is gone: publishing fails after a.txt was linked aside.
    let missing = PublishItem(
      path: "z.txt", source: tmp.path("stage/none.txt"), sha256: String(repeating: "0", count: 64))
    changed.stamp = nil
    #expect(throws: RunnerError.self) {
      _ = try publisher.publish([changed, missing], manifest: PublisherTests.manifest)
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted()
    #expect(names == ["a.txt", "manifest.json"])
    #expect(try String(contentsOf: outbox.appendingPathComponent("a.txt"), encoding: .utf8) == "a, edited\n")
  }
}

extension PublisherKeptEditsTests {
  /// Where the outbox has no hard links (a FAT or SMB share), the edited file is copied.
  @Test func testKeptEdit_isCopiedWhereThereAreNoLinks() throws {
    let tmp = try TemporaryFolder("publisher-kept-copy")
    defer { tmp.remove() }
    let file = tmp.path("report.md")
    try Data("edited\n".utf8).write(to: file)
    try Publisher.linkOrCopy(file, to: tmp.path("report.kept.md")) { _, _ in -1 }
    #expect(try String(contentsOf: tmp.path("report.kept.md"), encoding: .utf8) == "edited\n")
    #expect(FileStamp.of(tmp.path("report.kept.md"))?.inode != FileStamp.of(file)?.inode)
    try Publisher.linkOrCopy(file, to: tmp.path("report.linked.md"))
    #expect(FileStamp.of(tmp.path("report.linked.md"))?.inode == FileStamp.of(file)?.inode)
    #expect(throws: RunnerError.self) { try Publisher.linkOrCopy(file, to: tmp.path("report.kept.md")) { _, _ in -1 } }
  }
}

extension PublisherKeptEditsTests {
  /// An edited file no longer published whose edit cannot be kept aside (here a folder holds
  /// the kept name) stays where it is: removing it would lose the edit.
  @Test func testEditedFileThatCannotBeKept_isNotRemoved() throws {
    let tmp = try TemporaryFolder("publisher-kept-blocked")
    defer { tmp.remove() }
    let outbox = tmp.path("outbox")
    let publisher = Publisher(folder: outbox, displayFolder: "outbox/", keptTag: "edited-r2")
    _ = try publisher.publish(
      [try Self.item(tmp, "a.txt", "a\n"), try Self.item(tmp, "b.txt", "b\n")], manifest: PublisherTests.manifest)
    try Data("b, edited\n".utf8).write(to: outbox.appendingPathComponent("b.txt"))
    try FileManager.default.createDirectory(
      at: outbox.appendingPathComponent("b.edited-r2.txt"), withIntermediateDirectories: false)

    let stats = try publisher.publish([try Self.item(tmp, "a.txt", "a\n")], manifest: PublisherTests.manifest)
    #expect(stats.removed == [])
    #expect(stats.keptEdits == [])
    #expect(try String(contentsOf: outbox.appendingPathComponent("b.txt"), encoding: .utf8) == "b, edited\n")
  }
}
