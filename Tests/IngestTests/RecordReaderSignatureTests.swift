import AlmanacCore
import Foundation
import Ingest
import Testing

/// Inputs built in a temporary folder: signatures and encodings too small to need fixtures.
@Suite struct RecordReaderSignatureTests {
  func read(_ data: Data, name: String = "x.csv") throws -> (SourceFile, [Record]) {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent(name)
    try data.write(to: url)
    return try IngestFixtures.read(url: url, display: name)
  }

  func failure(_ data: Data) -> IngestError? {
    do {
      _ = try read(data)
      return nil
    } catch {
      return error as? IngestError
    }
  }

  @Test func testRecordReader_utf16BEWithBOM() throws {
    var data = Data([0xFE, 0xFF])
    data.append("名称\t数量\r\n环保局\t3\r\n".data(using: .utf16BigEndian) ?? Data())
    let (source, records) = try read(data)
    #expect(records == [rec(["名称", "数量"], line: 1), rec(["环保局", "3"], line: 2)])
    #expect(source.encoding == .utf16BE)
    #expect(source.delimiter == "\t")
  }

  @Test func testRecordReader_utf16WithOddByteAtEndIsInvalid() {
    var data = Data([0xFF, 0xFE])
    data.append("a\tb\r\nc".data(using: .utf16LittleEndian) ?? Data())
    data.append(0x41)
    let e = failure(data)
    #expect(e?.code == "ING-007")
    #expect(e?.line == 2)
  }

  @Test func testRecordReader_oldExcelWorkbook() {
    let e = failure(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]))
    #expect(e?.code == "ING-003")
    #expect(e?.message.contains(".xls") == true)
  }

  /// A sheet saved as a web page or an XML spreadsheet under a `.csv` name; a CSV whose first
  /// cell merely mentions markup is still a CSV.
  @Test func testRecordReader_webPageOrXMLSpreadsheet() throws {
    let html = failure(Data("\u{FEFF}\r\n<HTML xmlns:o=\"urn:schemas-microsoft-com:office:office\"><table>".utf8))
    #expect(html?.code == "ING-003")
    #expect(html?.message.contains("网页（HTML）") == true, "\(String(describing: html))")
    let xml = failure(Data("<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>".utf8))
    #expect(xml?.code == "ING-003")
    #expect(xml?.message.contains("XML") == true)
    let (_, records) = try read(Data("说明,<html> 标签\n1,2\n".utf8))
    #expect(records.count == 2)
  }

  @Test func testRecordReader_pdf() {
    let e = failure(Data("%PDF-1.7\n%âãÏÓ\n".utf8))
    #expect(e?.code == "ING-002")
    #expect(e?.message.contains("PDF") == true)
  }

  @Test func testRecordReader_gzipOfEmptyFileIsEmpty() throws {
    let e = failure(try GzipStream.compress(Data()))
    #expect(e?.code == "ING-001")
  }

  @Test func testRecordReader_gzipOfXlsxIsStillAWorkbook() throws {
    let e = failure(try GzipStream.compress(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])))
    #expect(e?.code == "ING-003")
  }

  @Test func testRecordReader_folderIsUnreadable() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try IngestFixtures.read(url: dir, display: "dir")
      Issue.record("no error")
    } catch let e as IngestError {
      #expect(e.code == "ING-013")
    }
  }
}
