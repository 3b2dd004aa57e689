import Foundation
import Testing

@testable import AlmanacCore

struct DigestTests {
  /// The streaming file hash equals the in-memory one, around the 1 MiB read size.
  @Test func testSha256OfFile_equalsSha256OfItsBytes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for size in [0, 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) - 7] {
      let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
      let url = dir.appendingPathComponent("f\(size)")
      try data.write(to: url)
      #expect(try Digest.sha256Hex(fileAt: url) == Digest.sha256Hex(data), "size \(size)")
    }
    #expect(
      Digest.sha256Hex(Data())
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  /// Hex is two lowercase digits per byte, every byte value included.
  @Test func testHex_isTwoLowercaseDigitsPerByte() {
    let all = (0...255).map { UInt8($0) }
    #expect(Digest.hex(all) == all.map { String(format: "%02x", $0) }.joined())
    #expect(Digest.hex([UInt8]()) == "")
    #expect(
      Digest.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func testSha256OfMissingFile_throwsNamingThePath() {
    let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.csv")
    do {
      _ = try Digest.sha256Hex(fileAt: url)
      Issue.record("a missing file must not hash")
    } catch {
      #expect(error.localizedDescription.contains(url.path))
    }
  }
}
