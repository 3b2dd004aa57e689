import AlmanacCore
import Foundation
import Ingest
import Testing

@Suite struct InspectTests {
  static func object(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  @Test func testJSON_t3FixtureHasEveryContractKey() throws {
    let url = try SheetTestSupport.fixture("t3-gb18030.csv")
    let inspection = Inspector(forms: try SheetTestSupport.forms(), labelAliases: [:]).inspect(path: url.path)
    let line = try inspection.jsonLine()
    #expect(!line.contains("\n"))
    let o = try Self.object(line)
    for key in [
      "file", "sha256", "encoding", "encodingReason", "delimiter", "records", "form", "department", "year", "findings",
      "tables",
    ] {
      #expect(o.keys.contains(key), "missing \(key)")
    }
    #expect(o["file"] as? String == url.path)
    #expect(o["sha256"] as? String == (try Digest.sha256Hex(fileAt: url)))
    #expect(o["encoding"] as? String == "GB18030")
    #expect((o["encodingReason"] as? String)?.isEmpty == false)
    #expect(o["delimiter"] as? String == ",")
    #expect(o["form"] as? [String] == ["t3"])
    #expect(o["department"] as? String == "凌海市环境保护局")
    #expect(o["year"] as? Int == 2025)
    #expect((o["findings"] as? [Any])?.isEmpty == true)
    let records = try #require(o["records"] as? [[String]])
    #expect(records.count == 31)
    #expect(records[0] == ["凌海市环境保护局2025年度政府信息公开工作年度报告统计表", "", "", "", "", "", "", "", "", ""])
    #expect(records[3] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"])
    #expect(records[30] == ["填表人：王丽", "", "联系电话：0416-8123456", "", "", "", "", "", "", ""])
    let tables = try #require(o["tables"] as? [[String: Any]])
    #expect(tables.count == 1)
    #expect(tables[0]["form"] as? String == "t3")
    #expect(tables[0]["headerLines"] as? [Int] == [3, 4, 5])
    #expect(tables[0]["rows"] as? Int == 25)
    #expect(tables[0]["cells"] as? Int == 175)
    // Keys are sorted: scripts diff these lines.
    #expect(line.hasPrefix("{\"claims\":"))
    #expect(line.range(of: "\"delimiter\"")!.lowerBound < line.range(of: "\"department\"")!.lowerBound)
  }

  @Test func testJSON_unreadableFileHasNullsAndTheError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("scan.csv")
    try Data("%PDF-1.7\n".utf8).write(to: file)
    let inspection = Inspector(forms: try SheetTestSupport.forms(), labelAliases: [:]).inspect(path: file.path)
    #expect(inspection.hasErrors)
    let o = try Self.object(try inspection.jsonLine())
    #expect(o["encoding"] is NSNull)
    #expect(o["delimiter"] is NSNull)
    #expect(o["department"] is NSNull)
    #expect(o["year"] is NSNull)
    #expect(o["records"] as? [[String]] == [])
    #expect(o["sha256"] as? String == Digest.sha256Hex(Data("%PDF-1.7\n".utf8)))
    let findings = try #require(o["findings"] as? [[String: Any]])
    #expect(findings.map { $0["code"] as? String } == ["ING-002"])
    #expect(findings.first?["severity"] as? String == "error")
  }

  /// `inspect --json` reads the records again as it writes them instead of holding them: the
  /// line is the one `jsonLine()` gives with every record held, byte for byte, across batches,
  /// quoted fields with commas, line breaks, slashes and control characters, a GB18030 file
  /// and a file whose reading stops at an error; a file changed in between is said to be.
  @Test func testJSON_streamedRecords_areTheHeldRecordsByteForByte() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var text = "凌海市环境保护局2025年依申请公开登记台账,,,\n序号,申请编号,申请人类型,办理结果\n"
    for i in 1...2_500 {
      text += "\(i),\"A/\(i), \"\"甲\"\"\n续\",自然人,\(i % 7 == 0 ? "\u{1}" : "")予以公开\n"
    }
    let big = dir.appendingPathComponent("register.csv")
    try Data(text.utf8).write(to: big)
    let broken = dir.appendingPathComponent("broken.csv")
    try Data("序号,申请编号\n1,\"A\n2,B\n".utf8).write(to: broken)
    let inspector = Inspector(forms: try SheetTestSupport.forms(), labelAliases: [:])
    for url in [big, broken, try SheetTestSupport.fixture("t3-gb18030.csv")] {
      let held = inspector.inspect(path: url.path)
      let counted = inspector.inspect(path: url.path, keepingRecords: false)
      #expect(counted.records.isEmpty)
      #expect(counted.recordCount == held.records.count)
      var pieces: [String] = []
      #expect(try inspector.writeJSONLine(counted) { pieces.append($0) })
      #expect(pieces.joined() == (try held.jsonLine()), "\(url.lastPathComponent)")
      #expect(pieces.count > 2 || url == broken)
    }
    #expect(inspector.inspect(path: big.path).records.count == 2_502)

    let counted = inspector.inspect(path: big.path, keepingRecords: false)
    try Data((text + "2501,B,自然人,予以公开\n").utf8).write(to: big)
    var pieces: [String] = []
    #expect(try !inspector.writeJSONLine(counted) { pieces.append($0) })
    #expect((try Self.object(pieces.joined())["records"] as? [[String]])?.count == 2_502)
  }

  /// A register's repeated 申请编号 (NRM-031 in a run) show in the summary and the JSON.
  @Test func testRegisterSummary_namesRepeatedApplicationNumbers() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("台账.csv")
    try Data(
      """
      序号,申请编号,申请人类型,办理结果
      1,环依申〔2025〕1号,自然人,予以公开
      2,环依申〔2025〕2号,自然人,予以公开
      3,环依申〔2025〕1号,自然人,予以公开

      """.utf8
    ).write(to: url)
    let forms = try SheetTestSupport.forms()
    let inspection = Inspector(forms: forms, labelAliases: [:]).inspect(path: url.path, keepingRecords: false)
    #expect(
      inspection.text(forms: forms).contains(
        "3条记录，归并为1组；第 2 列有 1 个编号重复出现（多出 1 行，如「环依申〔2025〕1号」见第 2、4 行）"))
    let o = try Self.object(try inspection.jsonLine())
    let register = try #require((o["registers"] as? [[String: Any]])?.first)
    #expect((register["repeatedNumbers"] as? [String: Any])?["rows"] as? Int == 1)
    let clean = Inspector(forms: forms, labelAliases: [:]).inspect(
      path: try SheetTestSupport.fixture("t3-gb18030.csv").path)
    #expect(clean.registers.isEmpty)
  }

  @Test func testText_zhCNSummaryOfStackedSheet() throws {
    let url = try SheetTestSupport.fixture("stacked-t2-t3-t4.csv")
    let forms = try SheetTestSupport.forms()
    let text = Inspector(forms: forms, labelAliases: [:]).inspect(path: url.path).text(forms: forms)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.contains("  编码：GB18030"))
    #expect(lines.contains("  分隔符：逗号（,）"))
    #expect(lines.contains("  记录数：30"))
    #expect(lines.contains("    t4（表四 政府信息公开行政复议、行政诉讼情况）：表头第26、27、28行，数据1行，15个单元格，标题「四、政府信息公开行政复议、行政诉讼情况」"))
    #expect(lines.contains("  部门：大业乡人民政府（填报单位「大业乡人民政府」；标题「凌海市大业乡」）"))
    #expect(lines.contains("  年度：2025（标题2025）"))
    #expect(lines.contains("  问题：无"))
  }
}
