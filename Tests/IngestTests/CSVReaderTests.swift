import AlmanacCore
import Foundation
import Ingest
import PropertyBased
import Testing

@Suite struct CSVReaderTests {
  @Test func testCSVReader_crlfInsideAndOutsideQuotes() throws {
    let text = "a,\"x\r\ny\"\r\nb,c\r\r\nd\n"
    let records = try CollectingSink.parse(Array(text.utf8))
    // CR CR LF is two line ends: the first CR alone, then CRLF.
    #expect(records == [rec(["a", "x\r\ny"], [1, 1]), rec(["b", "c"], line: 3), rec(["d"], line: 5)])
  }

  @Test func testCSVReader_loneCRIsALineEnd() throws {
    let records = try CollectingSink.parse(Array("a\rb\r\rc".utf8))
    #expect(records == [rec(["a"], line: 1), rec(["b"], line: 2), rec(["c"], line: 4)])
  }

  @Test func testCSVReader_tabDelimiter() throws {
    let records = try CollectingSink.parse(Array("a\tb,c\t\n".utf8), delimiter: UInt8(ascii: "\t"))
    #expect(records == [rec(["a", "b,c", ""], line: 1)])
  }

  @Test func testCSVReader_quoteAfterClosingQuoteIsAnError() {
    #expect(throws: IngestError.self) { _ = try CollectingSink.parse(Array("a,\"b\"c\n".utf8)) }
    do {
      _ = try CollectingSink.parse(Array("x\n\"ok\",\"b\"c\n".utf8))
    } catch let e as IngestError {
      #expect(e.code == "ING-009")
      #expect(e.line == 2)
      #expect(e.column == 2)
      #expect(e.message.contains("“c”"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func testCSVReader_unterminatedQuoteNamesWhereTheFieldStarts() {
    do {
      _ = try CollectingSink.parse(Array("a\nb,c,\"open\n\n\nmore".utf8), pieces: [3])
      Issue.record("no error")
    } catch let e as IngestError {
      #expect(e.code == "ING-008")
      #expect(e.line == 2)
      #expect(e.column == 3)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func testCSVReader_sameRecordsForAnyChunking() async {
    let text = Array(
      "表,\"a,b\",\"say \"\"x\"\"\"\r\n\r\n\"l1\r\nl2\nl3\",,\r\n,,,\n last \t,\"q\"\r\nend".utf8)
    let whole = (try? CollectingSink.parse(text)) ?? []
    #expect(
      whole == [
        rec(["表", "a,b", "say \"x\""], line: 1),
        rec(["l1\r\nl2\nl3", "", ""], [3, 5, 5]),
        rec(["", "", "", ""], line: 6),
        rec(["last", "q"], line: 7),
        rec(["end"], line: 8),
      ])
    await propertyCheck(input: Gen.int(in: 1...17).array(of: 1...6)) { pieces in
      let records = try CollectingSink.parse(text, pieces: pieces)
      #expect(records == whole)
    }
  }

  static let alphabet: [Character] = [
    "a", "Z", "1", " ", ",", "\"", "\r", "\n", "\r\n", "环", "保", "局", "，", "\t", ";", "𠀋",
  ]

  /// Random records, written RFC 4180 style with every field quoted.
  static let records = Gen<Character?>.element(of: alphabet).map { $0 ?? "a" }.string(of: 0...6)
    .array(of: 1...4).array(of: 1...8)

  @Test func testCSVReader_roundTripsQuotedRandomRecords() async {
    await propertyCheck(input: Self.records, Gen.bool()) { rows, crlf in
      let (text, expected) = Self.write(rows, lineEnd: crlf ? "\r\n" : "\n")
      let records = try CollectingSink.parse(Array(text.utf8), pieces: [7, 1, 64])
      #expect(records == expected)
    }
  }

  /// Quoted fields (some with line breaks) between unquoted runs, short and long (plain rows of
  /// 100 bytes between the random ones): the reader skips the line-break scan for fields parsed
  /// where no quote can be open, and must still number lines, whatever the chunking.
  @Test func testCSVReader_roundTripsMinimallyQuotedRandomRecords() async {
    let plain = [String(repeating: "p", count: 60), String(repeating: "环", count: 12), "1"]
    let input = PropertyBased.zip(Self.records, Gen.int(in: 0...4).array(of: 8), Gen.bool(), Gen.int(in: 1...300))
    await propertyCheck(input: input) { rows, plainRows, crlf, piece in
      var all: [[String]] = []
      for (i, row) in rows.enumerated() {
        all.append(row)
        all += Array(repeating: plain, count: plainRows[i % plainRows.count])
      }
      let (text, expected) = Self.write(all, lineEnd: crlf ? "\r\n" : "\n", quoteAll: false)
      let whole = try CollectingSink.parse(Array(text.utf8))
      let pieces = try CollectingSink.parse(Array(text.utf8), pieces: [piece])
      #expect(whole == expected)
      #expect(pieces == expected)
    }
  }

  @Test func testRecordReader_roundTripsRandomRecordsInUTF8AndGB18030Files() async throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    await propertyCheck(count: 40, input: Self.records, Gen.int(in: 1...40), Gen.bool()) { rows, chunk, gb in
      let (text, expected) = Self.write(rows, lineEnd: "\r\n")
      let url = dir.appendingPathComponent("r.csv")
      try (gb ? TextEncoder8.gb18030(text) : Data(text.utf8)).write(to: url)
      let (_, records) = try IngestFixtures.read(
        url: url, display: "r.csv", reader: RecordReader(limits: .defaults, chunkSize: chunk))
      #expect(records == expected)
    }
  }

  /// The CSV text for `rows` and the records (with start lines) a reader must return. With
  /// `quoteAll` false, only fields that need quotes get them (as Excel writes).
  static func write(_ rows: [[String]], lineEnd: String, quoteAll: Bool = true) -> (String, [Record]) {
    var text = ""
    var line = 1
    var expected: [Record] = []
    for row in rows {
      var lines: [Int] = []
      for (i, field) in row.enumerated() {
        if i > 0 { text += "," }
        lines.append(line)
        let plain = !field.isEmpty && !field.unicodeScalars.contains { ",\"\r\n \t".unicodeScalars.contains($0) }
        if !quoteAll && plain {
          text += field
        } else {
          text += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        line +=
          field.unicodeScalars.reduce(into: (0, false)) { acc, s in
            if s == "\n" {
              acc.0 += acc.1 ? 0 : 1; acc.1 = false
            } else if s == "\r" {
              acc.0 += 1; acc.1 = true
            } else {
              acc.1 = false
            }
          }.0
      }
      text += lineEnd
      line += 1
      expected.append(Record(fields: row, lines: lines))
    }
    return (text, expected)
  }
}
