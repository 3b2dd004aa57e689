import AlmanacCore
import Foundation
import Ingest
import PropertyBased
import Testing

@Suite struct ChunkingTests {
  static let fixtures = [
    "gb18030-sheet.csv", "gb18030-sheet.csv.gz", "utf8-bom.csv", "utf8-nobom.csv", "ascii-then-gb.csv",
    "utf16le-tab.txt", "quoted.csv", "blank-lines.csv", "lines-crlf.csv", "semicolon.csv",
  ]

  @Test func testRecordReader_sameRecordsAndSourceForAnyChunkSize() async throws {
    var whole: [String: (SourceFile, [Record])] = [:]
    for name in Self.fixtures { whole[name] = try IngestFixtures.read(name) }
    await propertyCheck(input: Gen.int(in: 1...48)) { chunk in
      let reader = RecordReader(limits: .defaults, chunkSize: chunk)
      for name in Self.fixtures {
        let (source, records) = try IngestFixtures.read(name, reader: reader)
        #expect(records == whole[name]?.1, "\(name) chunk \(chunk)")
        #expect(source == whole[name]?.0, "\(name) chunk \(chunk)")
      }
    }
  }

  @Test func testRecordReader_sameErrorForAnyChunkSize() async {
    let malformed = [
      "truncated.csv.gz", "invalid-gb18030.csv", "bom-invalid-utf8.csv", "unterminated-quote.csv", "bad-quote.csv",
      "binary.csv",
    ]
    var whole: [String: IngestError] = [:]
    for name in malformed { whole[name] = IngestFixtures.failure(name) }
    await propertyCheck(input: Gen.int(in: 1...48)) { chunk in
      for name in malformed {
        let e = IngestFixtures.failure(name, reader: RecordReader(limits: .defaults, chunkSize: chunk))
        #expect(e == whole[name], "\(name) chunk \(chunk)")
      }
    }
  }
}
