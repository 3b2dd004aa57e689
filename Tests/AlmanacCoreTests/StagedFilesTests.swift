import AlmanacCore
import Foundation
import Testing

struct StagedFilesTests {
  struct Refused: Error {}

  /// A staged file written piece by piece has the pieces' bytes and their digest.
  @Test func testWriteProducing_digestIsTheFilesSha256() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let pieces: [[UInt8]] = [Array("a,b\r\n".utf8), [], Array(repeating: 0x41, count: 70_000), Array("终".utf8)]
    let sha = try StagedFiles.write("tables/x.csv", in: dir) { append in
      for p in pieces { try p.withUnsafeBytes { try append($0) } }
    }
    let url = StagedFiles.stagedURL("tables/x.csv", in: dir)
    let written = try Data(contentsOf: url)
    #expect(written == Data(pieces.joined()))
    #expect(sha == Digest.sha256Hex(written))
  }

  /// A producer that fails leaves neither the file nor a temporary behind, and an earlier
  /// file of that name as it was.
  @Test func testWriteProducing_failureLeavesTheOldFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try StagedFiles.write("d.csv", in: dir) { append in try Array("old".utf8).withUnsafeBytes { try append($0) } }
    #expect(throws: Refused.self) {
      _ = try StagedFiles.write("d.csv", in: dir) { append in
        try Array("new, half".utf8).withUnsafeBytes { try append($0) }
        throw Refused()
      }
    }
    let folder = StagedFiles.stagedURL("d.csv", in: dir).deletingLastPathComponent()
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["d.csv"])
    #expect(try Data(contentsOf: folder.appendingPathComponent("d.csv")) == Data("old".utf8))
  }
}
