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

  @Test func testGzipStream_emptyInputCompresses() throws {
    #expect(try GzipStream.decompress(GzipStream.compress(Data())) == Data())
  }
}
