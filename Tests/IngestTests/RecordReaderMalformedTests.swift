import AlmanacCore
import Foundation
import Ingest
import Testing

@Suite struct RecordReaderMalformedTests {
  @Test func testRecordReader_emptyFile() {
    let e = IngestFixtures.failure("empty.csv")
    #expect(e?.code == "ING-001")
    #expect(e?.line == 0)
    #expect(e?.file == "empty.csv")
    #expect(e?.message.contains("0 字节") == true)
  }

  @Test func testRecordReader_onlyBOMAndBlankLinesIsEmpty() {
    let e = IngestFixtures.failure("only-blank.csv")
    #expect(e?.code == "ING-001")
    #expect(e?.message.contains("没有任何数据行") == true)
  }

  @Test func testRecordReader_binaryFile() {
    let e = IngestFixtures.failure("binary.csv")
    #expect(e?.code == "ING-002")
    #expect(e?.line == 2)
    #expect(e?.message.contains("NUL") == true)
  }

  @Test func testRecordReader_renamedXlsx() {
    let e = IngestFixtures.failure("renamed-xlsx.csv")
    #expect(e?.code == "ING-003")
    #expect(e?.line == 0)
    #expect(e?.message.contains("另存为") == true)
  }

  @Test func testRecordReader_truncatedGzipNamesTheLineReached() {
    let e = IngestFixtures.failure("truncated.csv.gz")
    #expect(e?.code == "ING-004")
    #expect(e?.line == 188)
    #expect(e?.column == 2)
    #expect(e?.message.contains("截断") == true)
  }

  @Test func testRecordReader_invalidGB18030() {
    let e = IngestFixtures.failure("invalid-gb18030.csv")
    #expect(e?.code == "ING-006")
    #expect(e?.line == 3)
    #expect(e?.column == 2)
    #expect(e?.message.contains("0x81 0x20") == true)
  }

  /// A UTF-8 file with one stray byte (0xA0 pasted on line 4) fails GB18030 at its first
  /// Chinese text: the error named line 1 and bytes that are fine. It names the stray byte.
  @Test func testRecordReader_strayByteInUTF8_isNamedWhereItIs() {
    let e = IngestFixtures.failure("utf8-stray-byte.csv")
    #expect(e?.code == "ING-006")
    #expect(e?.line == 4)
    #expect(e?.message.contains("文件是 UTF-8 文本，但第 4 行含有不是合法 UTF-8 的字节（0xA0 0x2C）") == true, "\(e?.message ?? "")")
  }

  @Test func testRecordReader_invalidUTF8AfterBOM() {
    let e = IngestFixtures.failure("bom-invalid-utf8.csv")
    #expect(e?.code == "ING-007")
    #expect(e?.line == 2)
    #expect(e?.column == 2)
  }

  @Test func testRecordReader_unterminatedQuoteAtEOF() {
    let e = IngestFixtures.failure("unterminated-quote.csv")
    #expect(e?.code == "ING-008")
    #expect(e?.line == 2)
    #expect(e?.column == 2)
    #expect(e?.description.hasPrefix("unterminated-quote.csv:2:2: error: ") == true)
  }

  @Test func testRecordReader_strayQuote() {
    let e = IngestFixtures.failure("bad-quote.csv")
    #expect(e?.code == "ING-009")
    #expect(e?.line == 2)
    #expect(e?.column == 2)
  }

  @Test func testRecordReader_missingFile() {
    let e = IngestFixtures.failure("no-such-file.csv")
    #expect(e?.code == "ING-013")
    #expect(e?.message.contains("文件不存在") == true)
  }

  @Test func testRecordReader_fieldSizeLimit() {
    let e = IngestFixtures.failure("utf8-nobom.csv", reader: RecordReader(limits: IngestLimits(maxFieldBytes: 20)))
    #expect(e?.code == "ING-010")
    #expect(e?.line == 2)
    #expect(e?.column == 1)
  }

  @Test func testRecordReader_unterminatedQuoteHitsFieldLimitBeforeMemory() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("open.csv")
    var text = "a,b\nc,\"never closed\n"
    for i in 0..<2000 { text += "row \(i),x\n" }
    try Data(text.utf8).write(to: url)
    let reader = RecordReader(limits: IngestLimits(maxFieldBytes: 1000), chunkSize: 256)
    #expect(throws: IngestError.self) { _ = try IngestFixtures.read(url: url, display: "open.csv", reader: reader) }
    do {
      _ = try IngestFixtures.read(url: url, display: "open.csv", reader: reader)
    } catch let e as IngestError {
      #expect(e.code == "ING-010")
      #expect(e.line == 2)
      #expect(e.column == 2)
    }
  }

  @Test func testRecordReader_columnLimit() {
    let e = IngestFixtures.failure("blank-lines.csv", reader: RecordReader(limits: IngestLimits(maxColumns: 3)))
    #expect(e?.code == "ING-011")
    #expect(e?.line == 2)
    #expect(e?.column == 4)
  }

  @Test func testRecordReader_recordLimit() {
    let e = IngestFixtures.failure("blank-lines.csv", reader: RecordReader(limits: IngestLimits(maxRecords: 2)))
    #expect(e?.code == "ING-012")
    #expect(e?.line == 6)
  }

  @Test func testRecordReader_decompressedSizeLimit() {
    let e = IngestFixtures.failure(
      "gb18030-sheet.csv.gz", reader: RecordReader(limits: IngestLimits(maxDecompressedBytes: 100), chunkSize: 64))
    #expect(e?.code == "ING-005")
    #expect(e?.message.contains("100 字节") == true)
  }

  @Test func testIngestError_findingCarriesPlace() {
    let e = IngestError(code: "ING-008", file: "a.csv", line: 3, column: 2, message: "消息")
    let f = e.finding(sha256: "abc")
    #expect(f.code == "ING-008")
    #expect(f.severity == .error)
    #expect(f.stage == "ingest")
    #expect(f.sources == [SourceRef(file: "a.csv", sha256: "abc", line: 3, column: 2)])
    #expect(f.diagnostic == "a.csv:3:2: error: 消息 [ING-008]")
  }
}
