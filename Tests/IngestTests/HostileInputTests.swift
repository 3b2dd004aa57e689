import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 8: hostile sizes and paths give a finding, never exhaustion, with the documented
/// default limits.
@Suite struct HostileInputTests {
  let ingest: SheetIngest

  init() throws {
    ingest = SheetIngest(forms: try SheetTestSupport.forms(), labelAliases: [:])
  }

  func outcome(_ url: URL, name: String, reader: RecordReader = RecordReader()) -> Result<Sheet, IngestError> {
    var ingest = self.ingest
    ingest.reader = reader
    return Result { () throws(IngestError) in try ingest.read(url, source: SourceFile(path: name, sha256: "", size: 0))
    }
  }

  /// A gzip stream of copies of one member holding `memberBytes` of CSV text, as many as fit
  /// in `totalBytes`.
  static func gzipBomb(memberBytes: Int, totalBytes: Int) throws -> (data: Data, inflated: Int64) {
    let line = Array((String(repeating: "1", count: 65535) + "\n").utf8)
    var plain = Data(capacity: memberBytes)
    while plain.count + line.count <= memberBytes { plain.append(contentsOf: line) }
    let member = try GzipStream.compress(plain)
    var out = Data(capacity: totalBytes)
    var inflated: Int64 = 0
    while out.count + member.count <= totalBytes {
      out.append(member)
      inflated += Int64(plain.count)
    }
    return (out, inflated)
  }

  @Test func testLimits_documentedDefaults() {
    #expect(IngestLimits.defaults.maxDecompressedBytes == 4 << 30)
    #expect(IngestLimits.defaults.maxFieldBytes == 1 << 20)
    #expect(IngestLimits.defaults.maxColumns == 4096)
    #expect(IngestLimits.defaults.maxRecords == 50_000_000)
  }

  @Test func testGzipBomb_tenMegabytesStopsAtTheLimit() throws {
    // Members of 64 MiB each: 10 MB on disk, over 10 GiB inflated.
    let (bomb, inflated) = try Self.gzipBomb(memberBytes: 64 << 20, totalBytes: 10_000_000)
    #expect(bomb.count > 9_500_000)
    #expect(inflated > 9 << 30)
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("bomb.csv.gz")
    try bomb.write(to: url)
    let limit: Int64 = 256 << 20
    let result = outcome(
      url, name: "bomb.csv.gz", reader: RecordReader(limits: IngestLimits(maxDecompressedBytes: limit)))
    guard case .failure(let e) = result else {
      Issue.record("a 10 GiB gzip stream was read")
      return
    }
    #expect(e.code == "ING-005")
    #expect(e.file == "bomb.csv.gz")
    #expect(e.message.contains("\(limit) 字节"))
  }

  @Test func testFieldLimit_fiftyMegabyteFieldIsAFinding() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("big.csv")
    var data = Data("信息内容,本年制发件数\n规章,\"".utf8)
    data.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
    data.append(Data("\",3\n".utf8))
    try data.write(to: url)
    guard case .failure(let e) = outcome(url, name: "big.csv") else {
      Issue.record("a 50 MB field was accepted")
      return
    }
    #expect(e.code == "ING-010")
    #expect(e.line == 2)
    #expect(e.column == 2)
    #expect(e.message.contains("\(1 << 20) 字节"))
  }

  @Test func testColumnLimit_hundredThousandColumnsIsAFinding() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("wide.csv")
    var text = "信息内容,本年制发件数\n"
    text += Array(repeating: "1", count: 100_000).joined(separator: ",") + "\n"
    try Data(text.utf8).write(to: url)
    guard case .failure(let e) = outcome(url, name: "wide.csv") else {
      Issue.record("100,000 columns were accepted")
      return
    }
    #expect(e.code == "ING-011")
    #expect(e.line == 2)
    #expect(e.column == 4097)
  }

  @Test func testRecordLimit_configuredLimitIsAFinding() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("long.csv")
    try Data(String(repeating: "a,1\n", count: 1001).utf8).write(to: url)
    let result = outcome(url, name: "long.csv", reader: RecordReader(limits: IngestLimits(maxRecords: 1000)))
    guard case .failure(let e) = result else {
      Issue.record("1001 records passed a limit of 1000")
      return
    }
    #expect(e.code == "ING-012")
    #expect(e.line == 1001)
  }

  /// Names unzipped from an archive made on Chinese Windows: the finding says what the GBK
  /// bytes read as, so the operator can rename the file (or the folder) to it.
  @Test func testInboxPathGuard_gbkNameIsRefusedWithItsReading() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(RawFileName.createFile(RawFileName.gbkSheet, in: dir, content: "a,1\n"))
    #expect(RawFileName.createFolder(RawFileName.gbkFolder, in: dir))
    let file = InboxPathGuard.refusal(inbox: dir, path: RawFileName.shown(RawFileName.gbkSheet))
    #expect(file?.code == "ING-016")
    #expect(file?.message.contains("改名为“财政局-表三.csv”") == true, "\(String(describing: file))")
    #expect(file?.message.hasPrefix("文件名") == true)
    let folder = InboxPathGuard.refusal(inbox: dir, path: RawFileName.shown(RawFileName.gbkFolder) + "/")
    #expect(folder?.code == "ING-016")
    #expect(folder?.message.contains("文件夹名") == true)
    #expect(folder?.message.contains("其中的文件均未读取") == true)
    #expect(folder?.message.contains("改名为“财政局”") == true, "\(String(describing: folder))")
    // Bytes that are not GBK either: only the plain advice.
    #expect(RawFileName.createFile([0x62, 0xFF, 0xFE] + Array(".csv".utf8), in: dir, content: "a,1\n"))
    let other = InboxPathGuard.refusal(inbox: dir, path: "b\u{FFFD}\u{FFFD}.csv")
    #expect(other?.code == "ING-016")
    #expect(other?.message.contains("常规的中文或英文名称") == true)
  }

  @Test func testInboxPathGuard_outwardSymlinkIsRefused() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inbox = dir.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try Data("secret,1\n".utf8).write(to: dir.appendingPathComponent("secret.csv"))
    try Data("a,1\n".utf8).write(to: inbox.appendingPathComponent("real.csv"))
    let fm = FileManager.default
    try fm.createSymbolicLink(
      atPath: inbox.appendingPathComponent("out.csv").path, withDestinationPath: "../secret.csv")
    try fm.createSymbolicLink(atPath: inbox.appendingPathComponent("in.csv").path, withDestinationPath: "real.csv")
    try fm.createSymbolicLink(atPath: inbox.appendingPathComponent("gone.csv").path, withDestinationPath: "nothing.csv")
    try fm.createSymbolicLink(
      atPath: inbox.appendingPathComponent("sub/up.csv").path, withDestinationPath: "../../secret.csv")

    // A linked folder: the file inside it is outside the inbox.
    try fm.createDirectory(at: dir.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
    try Data("secret,2\n".utf8).write(to: dir.appendingPathComponent("elsewhere/more.csv"))
    try fm.createSymbolicLink(atPath: inbox.appendingPathComponent("linked").path, withDestinationPath: "../elsewhere")

    #expect(InboxPathGuard.refusal(inbox: inbox, path: "linked/more.csv")?.code == "ING-015")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "real.csv") == nil)
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "in.csv") == nil)
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "out.csv")?.code == "ING-015")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "sub/up.csv")?.code == "ING-015")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "gone.csv")?.code == "ING-015")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "gone.csv")?.message.contains("不存在") == true)
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "bad\u{FFFD}name.csv")?.code == "ING-016")
    // The refusal never names the link's target: the outside path stays out of the outputs.
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "out.csv")?.message.contains("secret") == false)

    // The inbox written with a trailing slash, and paths that are not plain, decide alike.
    let slashed = URL(fileURLWithPath: inbox.path + "/", isDirectory: true)
    for path in ["linked/more.csv", "real.csv", "in.csv", "out.csv", "sub/up.csv", "gone.csv"] {
      #expect(
        InboxPathGuard.refusal(inbox: slashed, path: path)?.code
          == InboxPathGuard.refusal(inbox: inbox, path: path)?.code, "\(path)")
    }
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "sub/../real.csv") == nil)
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "sub/../out.csv")?.code == "ING-015")
    // `linked/..` is the folder above `elsewhere` (the link's target's parent), not the inbox.
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "linked/../secret.csv")?.code == "ING-015")
  }

  /// `dir/inbox` holding one good sheet, `good.csv`, and a job reading that inbox.
  func inboxWithGoodSheet(in dir: URL) throws -> (inbox: URL, job: FileJob) {
    let inbox = dir.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    try Data(SheetTestSupport.t3Text.utf8).write(to: inbox.appendingPathComponent("good.csv"))
    let job = FileJob(
      inbox: inbox, cacheFolder: dir.appendingPathComponent("cache"), digest: "d", forms: try SheetTestSupport.forms(),
      aliases: [:], reader: RecordReader())
    return (inbox, job)
  }

  @Test func testIngestStage_outwardSymlinkBecomesAFindingAndOtherFilesAreRead() async throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (inbox, job) = try inboxWithGoodSheet(in: dir)
    try Data(SheetTestSupport.t3Text.utf8).write(to: dir.appendingPathComponent("outside.csv"))
    try FileManager.default.createSymbolicLink(
      atPath: inbox.appendingPathComponent("link.csv").path, withDestinationPath: "../outside.csv")
    let (linked, linkReadable) = job.read(InboxFile(path: "link.csv", sha256: "s1", size: 0))
    #expect(!linkReadable)
    #expect(linked.tables.isEmpty)
    #expect(linked.findings.map(\.code) == ["ING-015"])
    #expect(linked.findings.first?.sources == [SourceRef(file: "link.csv", sha256: "s1", line: 0, column: 0)])
    let (good, goodReadable) = job.read(InboxFile(path: "good.csv", sha256: "s2", size: 0))
    #expect(goodReadable)
    #expect(good.tables.map(\.form) == ["t3"])
  }

  /// A named pipe with a sheet's name would block the run for good if opened: it is refused
  /// (ING-017), so is a link to one, and reading one directly fails at once instead of waiting.
  @Test func testNamedPipe_isRefusedAndNeverWaitedOn() async throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (inbox, job) = try inboxWithGoodSheet(in: dir)
    #expect(mkfifo(inbox.appendingPathComponent("pipe.csv").path, 0o644) == 0)
    try FileManager.default.createSymbolicLink(
      atPath: inbox.appendingPathComponent("to-pipe.csv").path, withDestinationPath: "pipe.csv")

    #expect(InboxPathGuard.refusal(inbox: inbox, path: "pipe.csv")?.code == "ING-017")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "to-pipe.csv")?.code == "ING-017")
    #expect(InboxPathGuard.refusal(inbox: inbox, path: "good.csv") == nil)

    let (pipe, readable) = job.read(InboxFile(path: "pipe.csv", sha256: "s1", size: 0))
    #expect(!readable)
    #expect(pipe.findings.map(\.code) == ["ING-017"])
    #expect(pipe.findings.first?.sources == [SourceRef(file: "pipe.csv", sha256: "s1", line: 0, column: 0)])

    // `inspect` opens the path it is given without the guard: the open itself must not wait.
    guard case .failure(let e) = outcome(inbox.appendingPathComponent("pipe.csv"), name: "pipe.csv") else {
      Issue.record("reading a named pipe succeeded")
      return
    }
    #expect(e.code == "ING-013")
    #expect(e.message.contains("命名管道"))
    #expect(throws: (any Error).self) { try Digest.sha256Hex(fileAt: inbox.appendingPathComponent("pipe.csv")) }
  }
}

@Suite struct InspectHostileTextTests {
  @Test func testInspectText_terminalEscapesInCellsAreShownNotSent() throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("esc.csv")
    try Data("\"填报单位：\u{1B}[2J凌海市统计局\",,\n信息内容,本年制发件数\n规章,1\n".utf8).write(to: url)
    let inspection = Inspector(forms: try SheetTestSupport.forms(), labelAliases: [:]).inspect(path: url.path)
    let text = inspection.text(forms: try SheetTestSupport.forms())
    #expect(!text.contains("\u{1B}"))
    #expect(text.contains("填报单位「\\u{1B}[2J凌海市统计局」"))
  }
}
