import AlmanacCore
import AlmanacTestSupport
import Foundation
import Ingest
import PropertyBased
import Testing

@Suite struct SeedLoaderTests {
  var seeds: URL { IngestFixtures.root.appendingPathComponent("bytes/seeds") }

  @Test func testSeedLoader_readsHeaderRowsAndLines() throws {
    let loaded = try SeedLoader.load(folder: seeds, names: ["applicant_types"])
    #expect(
      loaded["applicant_types"]
        == SeedTable(
          name: "applicant_types", header: ["variant", "column"], rows: [["自然人", "np"], ["商业企业", "sy"]],
          lines: [2, 4]))
  }

  @Test func testSeedLoader_extraNonEmptyFieldNamesLineAndColumn() {
    let expected = IngestError(
      code: "ING-014", file: "seeds/result_aliases.csv", line: 2, column: 3,
      message: "种子表有误：第 2 行有 3 列，比表头的 2 列多，且多出的第 3 列不为空。")
    #expect(throws: expected) {
      _ = try SeedLoader.load(folder: seeds, names: ["result_aliases"])
    }
  }

  /// The loader builds tables from field bytes; it reads what the record reader reads, taken
  /// as seeds are: the first non-blank record is the header (trimmed), blank records (empty
  /// or whitespace, U+3000 included) are skipped, short rows padded, empty cells past the
  /// header dropped. Quoted fields bring commas, quotes and line breaks.
  @Test func testSeedLoader_readsWhatTheRecordReaderReads() async throws {
    let cell = Gen<String?>.element(of: ["", " ", "\u{3000}", "a", "表", " x ", "a,b", "\"q\"", "l\nm", "12"]).map {
      $0 ?? ""
    }
    let rows = cell.array(of: 0...5).array(of: 0...12)
    let folder = try TemporaryFolder("seed-loader")
    defer { folder.remove() }
    await propertyCheck(input: rows) { rows in
      var csv = "\u{FEFF} k , v ,w\r\n"
      for row in rows {
        csv +=
          row.map {
            $0.contains(where: { ",\"\n".contains($0) }) ? "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" : $0
          }
          .joined(separator: ",") + "\r\n"
      }
      let url = folder.path("t.csv")
      try? Data(csv.utf8).write(to: url)
      var reference = SeedTable(name: "t", header: ["k", "v", "w"])
      var longRow = false
      _ = try? RecordReader().read(url, displayPath: "t.csv") { record in
        guard !record.isBlank, record.line > 1 else { return }
        var cells = record.fields
        if cells.count > 3, cells[3...].contains(where: { !$0.isEmpty }) { longRow = true }
        cells = Array(cells.prefix(3))
        while cells.count < 3 { cells.append("") }
        reference.append(cells, line: record.line)
      }
      do {
        let loaded = try SeedLoader.loadTable(folder: folder.url, name: "t")
        #expect(!longRow)
        #expect(loaded == reference)
        #expect(loaded.header == ["k", "v", "w"])
      } catch let e as IngestError {
        #expect(longRow && e.code == "ING-014", "\(e)")
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
  }

  @Test func testSeedLoader_missingFile() {
    do {
      _ = try SeedLoader.load(folder: seeds, names: ["departments"])
      Issue.record("no error")
    } catch let e as IngestError {
      #expect(e.code == "ING-014")
      #expect(e.file == "seeds/departments.csv")
      #expect(e.message.contains("找不到种子文件 \(seeds.path)/departments.csv；该目录中应有 departments.csv"), "\(e.message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  /// The folder given as --seeds is named in full, with what is wrong with it and the flag.
  @Test func testSeedLoader_missingOrWrongFolder_saysSoWithTheFlag() throws {
    func message(_ folder: URL) -> String {
      do {
        _ = try SeedLoader.load(folder: folder, names: ["departments"])
        return ""
      } catch {
        return (error as? IngestError)?.message ?? "\(error)"
      }
    }
    let absent = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/seeds")
    #expect(message(absent).contains("种子目录 \(absent.path) 不存在；请用 --seeds（或环境变量 ALMANAC_SEEDS）"))
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("departments.csv")
    try Data("id,name\n".utf8).write(to: file)
    #expect(message(file).contains("\(file.path) 是一个文件，不是目录"))
  }
}

@Suite struct TextEncoder8Tests {
  @Test func testTextEncoder8_gb18030Bytes() throws {
    #expect(Array(try TextEncoder8.gb18030("凌海a")) == [0xC1, 0xE8, 0xBA, 0xA3, 0x61])
    // Outside the BMP: a four-byte GB18030 sequence.
    #expect(Array(try TextEncoder8.gb18030("𠀋")) == [0x95, 0x32, 0x83, 0x37])
    #expect(try TextEncoder8.gb18030("") == Data())
  }
}

@Suite struct DelimiterSnifferTests {
  func sniff(_ s: String, complete: Bool = true) -> String {
    let d = Array(s.utf8).withUnsafeBytes { DelimiterSniffer.sniff($0, complete: complete) }
    return String(UnicodeScalar(d))
  }

  @Test func testDelimiterSniffer_choices() {
    #expect(sniff("a,b,c\n1,2,3\n") == ",")
    #expect(sniff("a\tb\n1,234\t5\n") == "\t")
    #expect(sniff("a;b\n\"1,5\";2\n") == ";")
    #expect(sniff("a;b;c\n1,5;2,5;3\n") == ";")
    #expect(sniff("only\none column\n") == ",")
    #expect(sniff("") == ",")
    #expect(sniff("\"x\ty\"\n") == ",")
  }
}
