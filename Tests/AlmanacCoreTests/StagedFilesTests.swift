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

struct WriteCompactJSONTests {
  struct LateKey: Encodable {
    enum CodingKeys: String, CodingKey { case b, a }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(Array(0..<300_000), forKey: .b)
      try c.encode("x", forKey: .a)
    }
  }

  struct Timed: Encodable {
    var seconds: Double
    var names: [String]
  }

  /// Whether streamed, started over after streaming part of it (keys out of order), or left
  /// to `JSONEncoder` (a Double), the file holds `json(value, pretty: false)` and the digest is
  /// its sha256.
  @Test func testWriteCompactJSON_everyPathWritesTheSameBytes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compact-json-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func check<T: Encodable>(_ value: T, _ name: String) throws {
      let url = dir.appendingPathComponent(name)
      let sha = try AtomicFile.writeCompactJSON(value, to: url)
      let written = try Data(contentsOf: url)
      #expect(written == (try AtomicFile.json(value, pretty: false)), "\(name)")
      #expect(sha == Digest.sha256Hex(written), "\(name)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") } == [])
    }
    try check(["rows": Array(repeating: "凌海市财政局", count: 200_000)], "streamed.json")
    try check(LateKey(), "late-key.json")
    try check(Timed(seconds: 1.5, names: ["a/b"]), "double.json")
  }
}
