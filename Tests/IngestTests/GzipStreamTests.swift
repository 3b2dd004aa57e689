import Foundation
import Ingest
import PropertyBased
import Testing

@Suite struct GzipStreamTests {
  @Test func testGzipStream_compressIsDeterministicAndHasNoTimestamp() throws {
    let data = Data("序号,名称\r\n1,环保局\r\n".utf8)
    let a = try GzipStream.compress(data)
    let b = try GzipStream.compress(data)
    #expect(a == b)
    #expect(Array(a.prefix(4)) == [0x1F, 0x8B, 0x08, 0x00])
    #expect(Array(a[4..<8]) == [0, 0, 0, 0])
    #expect(try GzipStream.decompress(a) == data)
  }

  @Test func testGzipStream_roundTripsRandomBytes() async {
    await propertyCheck(input: Gen.uint8(in: 0...255).array(of: 0...2000)) { bytes in
      let data = Data(bytes)
      let back = try GzipStream.decompress(GzipStream.compress(data))
      #expect(back == data)
    }
  }

  @Test func testGzipStream_concatenatedMembersReadAsOne() throws {
    let joined = try GzipStream.compress(Data("a,b\n".utf8)) + GzipStream.compress(Data("c,d\n".utf8))
    #expect(try GzipStream.decompress(joined) == Data("a,b\nc,d\n".utf8))
  }

  /// Members are compressed in parallel but the bytes depend only on the input and the block
  /// size: the input cut every `blockSize` bytes, member after member, however it came in
  /// pieces (empty ones wherever they are); an empty input is one empty member.
  @Test func testGzipStream_memberWriterIsMembersInOrder() async throws {
    let pieces = Gen.uint8(in: 0...255).array(of: 0...700).array(of: 0...12)
    await propertyCheck(input: pieces, Gen.int(in: 1...1500)) { pieces, block in
      for chunks in [pieces, [[]] + pieces + [[]], pieces.flatMap { [$0, []] }] {
        var blocks = Data()
        var writer = GzipStream.MemberWriter(blockSize: block) { blocks.append($0) }
        for c in chunks { try c.withUnsafeBytes { try writer.add($0) } }
        try writer.finish()
        let input = Data(chunks.joined())
        var expected = Data()
        for start in stride(from: 0, to: input.count, by: block) {
          expected.append(try GzipStream.compress(input[start..<min(input.count, start + block)]))
        }
        if input.isEmpty { expected.append(try GzipStream.compress(Data())) }
        #expect(blocks == expected)
        #expect(try GzipStream.decompress(blocks) == Data(chunks.joined()))
      }
    }
  }

  @Test func testGzipStream_emptyInputCompresses() throws {
    #expect(try GzipStream.decompress(GzipStream.compress(Data())) == Data())
  }
}

@Suite struct GzipTrailerTests {
  func write(_ data: Data) throws -> (URL, URL) {
    let dir = try IngestFixtures.temporaryDirectory()
    let url = dir.appendingPathComponent("t.csv.gz")
    try data.write(to: url)
    return (dir, url)
  }

  @Test func testRecordReader_gzipWithZeroPaddingReads() throws {
    let (dir, url) = try write(try GzipStream.compress(Data("a,b\nc,d\n".utf8)) + Data(count: 512))
    defer { try? FileManager.default.removeItem(at: dir) }
    let (source, records) = try IngestFixtures.read(url: url, display: "t.csv.gz")
    #expect(records == [rec(["a", "b"], line: 1), rec(["c", "d"], line: 2)])
    #expect(source.compressed)
    #expect(source.encodingReason == "全文只含 ASCII 字符，按 UTF-8 读取（无 BOM）")
  }

  @Test func testRecordReader_gzipWithTrailingGarbageIsAnError() throws {
    let (dir, url) = try write(try GzipStream.compress(Data("a,b\nc,d\n".utf8)) + Data("junk".utf8))
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(throws: IngestError.self) { _ = try IngestFixtures.read(url: url, display: "t.csv.gz") }
    do {
      _ = try IngestFixtures.read(url: url, display: "t.csv.gz")
    } catch let e as IngestError {
      #expect(e.code == "ING-004")
      #expect(e.line == 3)
      #expect(e.message.contains("多余") || e.message.contains("无法识别"))
    }
  }
}
