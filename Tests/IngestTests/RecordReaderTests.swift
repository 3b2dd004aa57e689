import AlmanacCore
import Foundation
import Ingest
import Testing

@Suite struct RecordReaderTests {
  static let sheet: [Record] = [
    rec(["凌海市环境保护局2025年度政府信息公开工作年度报告统计表", "", "", "", ""], line: 1),
    rec(["填报单位：凌海市环境保护局", "", "", "填报日期：2026年1月10日", ""], line: 2),
    rec(["", "", "自然人", "法人或其他组织", "总计"], line: 3),
    rec(["一、本年新收政府信息公开申请数量", "", "3", "0", "3"], line: 4),
    rec(["填表人：王丽", "", "联系电话：0416-8123456", "", ""], line: 6),
  ]

  @Test func testRecordReader_gb18030SheetWithTitleMetadataFooter() throws {
    let (source, records) = try IngestFixtures.read("gb18030-sheet.csv")
    #expect(records == Self.sheet)
    #expect(source.encoding == .gb18030)
    #expect(source.encodingReason == "第 1 行不是合法 UTF-8，按 GB18030 解码")
    #expect(source.delimiter == ",")
    #expect(source.compressed == false)
    #expect(source.size == 228)
    #expect(source.path == "gb18030-sheet.csv")
    #expect(source.sha256 == (try Digest.sha256Hex(fileAt: IngestFixtures.bytes("gb18030-sheet.csv"))))
  }

  @Test func testRecordReader_utf8WithBOM() throws {
    let (source, records) = try IngestFixtures.read("utf8-bom.csv")
    #expect(records == Self.sheet)
    #expect(source.encoding == .utf8BOM)
    #expect(source.encodingReason == "文件以 UTF-8 BOM 开头")
    #expect(source.delimiter == ",")
  }

  @Test func testRecordReader_utf8WithoutBOMAndNoFinalNewline() throws {
    let (source, records) = try IngestFixtures.read("utf8-nobom.csv")
    #expect(
      records == [
        rec(["指标名称", "计量单位", "本年度"], line: 1),
        rec(["主动公开政府信息数", "条", "820"], line: 2),
        rec(["其中：政府门户网站公开数", "条", "760"], line: 3),
      ])
    #expect(source.encoding == .utf8)
    #expect(source.encodingReason == "全文为合法 UTF-8，无 BOM")
  }

  @Test func testRecordReader_firstNonUTF8ByteNamesItsLine() throws {
    let (source, records) = try IngestFixtures.read("ascii-then-gb.csv")
    #expect(records == [rec(["id", "name"], line: 1), rec(["1", "a"], line: 2), rec(["2", "环保局"], line: 3)])
    #expect(source.encoding == .gb18030)
    #expect(source.encodingReason == "第 3 行不是合法 UTF-8，按 GB18030 解码")
  }

  @Test func testRecordReader_utf16LETabSeparated() throws {
    let (source, records) = try IngestFixtures.read("utf16le-tab.txt")
    #expect(
      records == [
        rec(["表三", "", ""], line: 1),
        rec(["申请人", "自然人", "总计"], line: 2),
        rec(["新收", "1,234", "1,234"], line: 3),
      ])
    #expect(source.encoding == .utf16LE)
    #expect(source.encodingReason == "文件以 UTF-16LE BOM 开头（Excel“Unicode 文本”格式）")
    #expect(source.delimiter == "\t")
  }

  @Test func testRecordReader_gzipDetectedByMagicBytes() throws {
    let (source, records) = try IngestFixtures.read("gb18030-sheet.csv.gz")
    #expect(records == Self.sheet)
    #expect(source.compressed)
    #expect(source.encoding == .gb18030)
    #expect(source.size == 214)
    #expect(source.sha256 == (try Digest.sha256Hex(fileAt: IngestFixtures.bytes("gb18030-sheet.csv.gz"))))
  }

  @Test func testRecordReader_quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
    let (_, records) = try IngestFixtures.read("quoted.csv")
    #expect(
      records == [
        rec(["a", "b,c", "say \"hi\""], line: 1),
        rec(["line1\nline2", "x", "p\r\nq\r\nr"], [2, 3, 3]),
        rec(["after", "", "z"], line: 6),
      ])
  }

  @Test func testRecordReader_blankLinesTrailingEmptyColumnsNoFinalNewline() throws {
    let (_, records) = try IngestFixtures.read("blank-lines.csv")
    #expect(
      records == [
        rec(["1", "2", "", ""], line: 2),
        rec(["3", "4", "", ""], line: 5),
        rec(["", "", "", ""], line: 6),
        rec(["5", "6"], line: 7),
      ])
    #expect(records[2].isBlank)
  }

  @Test func testRecordReader_crlfAndLFGiveTheSameRecords() throws {
    let expected = [rec(["h1", "h2"], line: 1), rec(["v1", "v2"], line: 2), rec(["v3", "v4"], line: 4)]
    #expect(try IngestFixtures.read("lines-crlf.csv").1 == expected)
    #expect(try IngestFixtures.read("lines-lf.csv").1 == expected)
  }

  @Test func testRecordReader_semicolonDelimiter() throws {
    let (source, records) = try IngestFixtures.read("semicolon.csv")
    #expect(
      records == [rec(["a", "b", "c"], line: 1), rec(["1", "2,5", "3"], line: 2), rec(["4", "5", "6"], line: 3)])
    #expect(source.delimiter == ";")
  }

  @Test func testRecordReader_knownSHA256IsNotRecomputed() throws {
    var count = 0
    let source = try RecordReader().read(
      IngestFixtures.bytes("lines-lf.csv"), displayPath: "x.csv", sha256: "given"
    ) { _ in count += 1 }
    #expect(source.sha256 == "given")
    #expect(count == 3)
  }

  @Test func testRecordReader_byteLevelSinkSeesUTF8FieldsAndIndexes() throws {
    let sink = CollectingSink()
    let source = try RecordReader().readFields(
      IngestFixtures.bytes("gb18030-sheet.csv"), displayPath: "s.csv", sink: sink)
    #expect(sink.records == Self.sheet)
    #expect(sink.indexesInOrder)
    #expect(source.encoding == .gb18030)
  }
}
