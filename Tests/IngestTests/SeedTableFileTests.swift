import AlmanacCore
import AlmanacTestSupport
import Foundation
import Ingest
import Testing

/// Seeds as the office keeps them: saved from Excel or WPS (GB18030, CRLF) or as UTF-8; rows
/// appended by `almanac alias` keep the table one encoding.
@Suite struct SeedTableFileTests {
  static let header = "alias,department_id,kind,valid_from,valid_to,note"

  /// Each row's cells, as read back.
  func load(_ folder: URL) throws -> [[String]] {
    let table = try SeedLoader.load(folder: folder, names: ["department_aliases"])["department_aliases"]
    return (table?.rows.indices ?? 0..<0).map { r in (0..<6).map { table?.cell(r, $0) ?? "" } }
  }

  @Test func testGB18030TableSavedByExcel_isReadAndAppendedInGB18030() throws {
    let folder = try TemporaryFolder("seed-gb")
    defer { folder.remove() }
    let url = folder.path("department_aliases.csv")
    try TextEncoder8.gb18030("\(Self.header)\r\n财政局,czj,short,,,\r\n").write(to: url)
    #expect(try load(folder.url) == [["财政局", "czj", "short", "", "", ""]])

    try SeedTableFile.append(["凌海市科学技术局", "czj", "confirmed", "", "", "经办人确认"], to: url)
    let bytes = try Data(contentsOf: url)
    #expect(String(data: bytes, encoding: .utf8) == nil, "still GB18030, not a mix")
    #expect(
      LegacyText.gb18030([UInt8](bytes))
        == "\(Self.header)\r\n财政局,czj,short,,,\r\n凌海市科学技术局,czj,confirmed,,,经办人确认\r\n")
    #expect(try load(folder.url).last == ["凌海市科学技术局", "czj", "confirmed", "", "", "经办人确认"])
  }

  @Test func testUTF8Table_isAppendedInUTF8EvenWithoutAFinalLineEnd() throws {
    let folder = try TemporaryFolder("seed-utf8")
    defer { folder.remove() }
    let url = folder.path("department_aliases.csv")
    try Data("\u{FEFF}\(Self.header)\n财政局,czj,short,,,".utf8).write(to: url)
    try SeedTableFile.append(["新,名", "czj", "confirmed", "", "", ""], to: url)
    #expect(
      try Data(contentsOf: url) == Data("\u{FEFF}\(Self.header)\n财政局,czj,short,,,\n\"新,名\",czj,confirmed,,,\n".utf8))
    #expect(try load(folder.url).count == 2)
  }

  /// Confirmations made at the same moment (two people, one shared seeds folder) all land.
  /// A name read from a department's file may look like a formula (`=HYPERLINK(…)`): appended
  /// with a leading `'`, as every CSV Almanac writes, so that Excel shows it as text; read
  /// back without it, so the alias still matches what the department writes.
  @Test func testFormulaLikeCells_areNeutralizedAndReadBackAsWritten() throws {
    let folder = try TemporaryFolder("seed-formula")
    defer { folder.remove() }
    let url = folder.path("department_aliases.csv")
    try Data("\(Self.header)\n".utf8).write(to: url)
    try SeedTableFile.append(["=HYPERLINK(\"x\")", "gxj", "confirmed", "", "", "-3 差额"], to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.hasSuffix("\"'=HYPERLINK(\"\"x\"\")\",gxj,confirmed,,,'-3 差额\n"), "\(text)")
    #expect(try load(folder.url) == [["=HYPERLINK(\"x\")", "gxj", "confirmed", "", "", "-3 差额"]])
  }

  @Test func testConcurrentAppends_loseNoRow() throws {
    let folder = try TemporaryFolder("seed-concurrent")
    defer { folder.remove() }
    let url = folder.path("department_aliases.csv")
    try Data("\(Self.header)\n".utf8).write(to: url)
    let failures = LockedCount()
    DispatchQueue.concurrentPerform(iterations: 24) { i in
      do {
        try SeedTableFile.append(["名称\(i)", "czj", "confirmed", "", "", ""], to: url)
      } catch {
        failures.add()
      }
    }
    #expect(failures.value == 0)
    #expect(Set(try load(folder.url).map { $0[0] }) == Set((0..<24).map { "名称\($0)" }))
  }

  /// A table created by the first of several confirmations at once has its header once.
  @Test func testConcurrentAppends_toATableNotYetThere_createItOnce() throws {
    let folder = try TemporaryFolder("seed-create")
    defer { folder.remove() }
    let url = folder.path("accepted_findings.csv")
    let header = ["id", "note"]
    let failures = LockedCount()
    DispatchQueue.concurrentPerform(iterations: 16) { i in
      do {
        try SeedTableFile.append(["row\(i)", "x"], to: url, header: header)
      } catch {
        failures.add()
      }
    }
    #expect(failures.value == 0)
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "id,note" && lines.filter { $0 == "id,note" }.count == 1)
    #expect(Set(lines.dropFirst()) == Set((0..<16).map { "row\($0),x" }))
    let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
    #expect(mode == 0o644)
  }

  final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() {
      lock.lock()
      n += 1
      lock.unlock()
    }
    var value: Int {
      lock.lock()
      defer { lock.unlock() }
      return n
    }
  }

  /// A table exported as "Unicode text" is tab-separated UTF-16: not a CSV seed.
  @Test func testUTF16Table_isRefusedWithHowToSave() throws {
    let folder = try TemporaryFolder("seed-utf16")
    defer { folder.remove() }
    let text = "\(Self.header)\n财政局,czj,short,,,\n"
    try (Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data())).write(
      to: folder.path("department_aliases.csv"))
    do {
      _ = try load(folder.url)
      Issue.record("a UTF-16 seed was read")
    } catch let e as IngestError {
      #expect(e.code == "ING-014" && e.message.contains("UTF-8 或 GB18030"), "\(e)")
    }
  }
}
