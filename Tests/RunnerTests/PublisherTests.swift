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
