import AlmanacCore
import Foundation
import Logging
import Testing

@testable import Ingest

@Suite struct IngestStageTests {
  /// A temporary inbox holding some fixtures plus a PDF renamed to `.csv`.
  struct Workspace {
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var work: URL { root.appendingPathComponent("state/ingest") }

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-stage-\(UUID().uuidString)")
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent("inbox/乡镇"), withIntermediateDirectories: true)
      for (fixture, name) in [
        ("t3-gb18030.csv", "环保局-表三.csv"), ("stacked-t2-t3-t4.csv", "乡镇/大业乡.csv"), ("register.csv", "台账.csv"),
      ] {
        try FileManager.default.copyItem(
          at: try SheetTestSupport.fixture(fixture), to: inbox.appendingPathComponent(name))
      }
      try Data("%PDF-1.4\n%\u{00E2}\u{00E3}\n1 0 obj\n".utf8).write(to: inbox.appendingPathComponent("a-scan.csv"))
    }

    func files() throws -> [InboxFile] {
      try ["环保局-表三.csv", "乡镇/大业乡.csv", "台账.csv", "a-scan.csv"].map { name in
        let url = inbox.appendingPathComponent(name)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64 ?? 0
        return InboxFile(path: name, sha256: try Digest.sha256Hex(fileAt: url), size: size)
      }
    }

    func context(
      seeds: Seeds = Seeds(tables: [:]), counters: StageCounters = StageCounters(), sink: FindingSink = FindingSink()
    )
      throws -> StageContext
    {
      let folder = SheetTestSupport.repositoryRoot.appendingPathComponent("pipelines/disclosure-2021")
      return StageContext(
        findings: sink, workDirectory: work, logger: Logger(label: "test"), counters: counters,
        pipeline: try PipelineDefinition.load(folder: folder), pipelineFolder: folder, seeds: seeds, year: 2025)
    }
  }

  @Test func testRun_sortedSheetsAndUnreadableFileHeldAsFinding() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let counters = StageCounters()
    let sink = FindingSink()
    let output = try await IngestStage(maxConcurrentFiles: 2).run(
      IngestInput(inbox: ws.inbox, files: try ws.files()), in: try ws.context(counters: counters, sink: sink))
    #expect(output.sheets.map(\.source.path) == ["a-scan.csv", "乡镇/大业乡.csv", "台账.csv", "环保局-表三.csv"])
    let bad = output.sheets[0]
    #expect(bad.tables.isEmpty)
    #expect(bad.registers.isEmpty)
    #expect(bad.findings.count == 1)
    #expect(bad.findings.first?.code == "ING-002")
    #expect(bad.findings.first?.severity == .error)
    #expect(bad.findings.first?.sources.first?.file == "a-scan.csv")
    #expect(output.sheets[1].tables.map(\.form) == ["t2", "t3", "t4"])
    #expect(output.sheets[2].registers.first?.dataRows == 5)
    #expect(output.sheets[3].tables.first?.rows.count == 25)
    #expect(output.sheets[3].source.encoding == .gb18030)
    #expect(output.sheets[3].source.sha256 == (try ws.files())[0].sha256)
    #expect(counters.snapshot["files_parsed"] == 4)
    #expect(counters.snapshot["files_reused"] == nil)
    #expect(counters.snapshot["records"] == Int64(31 + 30 + 8))
    #expect(sink.findings.map(\.code).sorted() == ["ING-002", "ING-105"])
  }

  /// A file whose name is neither a sheet's nor prose's is reported by name, never read: a valid
  /// 表三 saved under `.xlsx` gives no table, only ING-018, with the workbook advice.
  @Test func testRun_fileNamedLikeAWorkbookIsReportedNotRead() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let url = ws.inbox.appendingPathComponent("财政局-表三.xlsx")
    try FileManager.default.copyItem(at: try SheetTestSupport.fixture("t3-gb18030.csv"), to: url)
    let file = InboxFile(path: "财政局-表三.xlsx", sha256: String(repeating: "0", count: 64), size: 0)
    let sink = FindingSink()
    let output = try await IngestStage(maxConcurrentFiles: 2).run(
      IngestInput(inbox: ws.inbox, files: [file]), in: try ws.context(sink: sink))
    let sheet = try #require(output.sheets.first)
    #expect(sheet.tables.isEmpty && sheet.registers.isEmpty)
    #expect(sheet.findings.map(\.code) == ["ING-018"])
    #expect(sheet.findings.first?.severity == .error)
    #expect(sheet.findings.first?.message.contains("电子表格工作簿（.xlsx）") == true)
    #expect(sink.findings.map(\.code) == ["ING-018"])
  }

  @Test func testNotASheet_adviceFitsTheKindOfFile() {
    #expect(IngestError.notASheet("一、总体情况.docx").message.contains("“另存为 → 纯文本（.txt）”"))
    #expect(IngestError.notASheet("人社局/说明.PDF").message.hasPrefix("这是版式文件（.pdf，"))
    #expect(IngestError.notASheet("表三.et").message.contains("电子表格工作簿（.et）"))
    #expect(IngestError.notASheet("收件.rar").message.hasPrefix("这是压缩文件"))
    #expect(IngestError.notASheet("README").message.contains("该文件（无扩展名）未读取"))
  }

  /// Two identical copies (`教育局.csv` and `教育局 (1).csv`, downloaded twice) each keep their
  /// cache entry: a sheet holds its path, and a shared entry made one of them parsed at every run.
  @Test func testRerun_identicalCopiesAreBothReused() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    try FileManager.default.copyItem(
      at: ws.inbox.appendingPathComponent("环保局-表三.csv"), to: ws.inbox.appendingPathComponent("环保局-表三 (1).csv"))
    let copy = try ws.files()[0]
    let files = try ws.files().prefix(3) + [InboxFile(path: "环保局-表三 (1).csv", sha256: copy.sha256, size: copy.size)]
    let input = IngestInput(inbox: ws.inbox, files: Array(files))
    let first = try await IngestStage().run(input, in: try ws.context())
    let counters = StageCounters()
    let second = try await IngestStage().run(input, in: try ws.context(counters: counters))
    #expect(second == first)
    #expect(Set(second.sheets.map(\.source.path)) == Set(files.map(\.path)))
    #expect(counters.snapshot["files_reused"] == 4)
    #expect(counters.snapshot["files_parsed"] == nil)
    #expect(counters.snapshot["cache_entries_pruned"] == nil)
  }

  @Test func testRerun_reusesCacheAndGivesTheSameSheets() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let input = IngestInput(inbox: ws.inbox, files: try ws.files())
    let first = try await IngestStage().run(input, in: try ws.context())
    let counters = StageCounters()
    let second = try await IngestStage().run(input, in: try ws.context(counters: counters))
    #expect(second == first)
    #expect(counters.snapshot["files_reused"] == 3)
    // The unreadable file is not cached: its cause may lie outside the bytes.
    #expect(counters.snapshot["files_parsed"] == 1)
    #expect(counters.snapshot["records"] == 0)
    let folder = ws.work.appendingPathComponent("files")
    #expect(SheetCache.storedKeys(in: folder).count == 3)
    #expect(SheetCache.storedKeys(in: folder).allSatisfy { $0.count == 64 + 1 + 16 + 1 + 16 })
    // One pack, appended to by the first run; the second parsed no file and wrote nothing.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["000001.pack"])
  }

  @Test func testChangedLabelAliases_invalidateTheCache() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let input = IngestInput(inbox: ws.inbox, files: try ws.files())
    _ = try await IngestStage().run(input, in: try ws.context())
    let seeds = Seeds(tables: [
      "label_aliases": SeedTable(
        name: "label_aliases", header: ["form", "variant", "canonical"], rows: [["t4", "行政法复议", "行政复议"]], lines: [2])
    ])
    let counters = StageCounters()
    _ = try await IngestStage().run(input, in: try ws.context(seeds: seeds, counters: counters))
    #expect(counters.snapshot["files_parsed"] == 4)
    #expect(counters.snapshot["files_reused"] == nil)
    // The entries under the old digest are gone: a seed change does not leave a copy behind.
    #expect(counters.snapshot["cache_entries_pruned"] == 3)
    let folder = ws.work.appendingPathComponent("files")
    #expect(SheetCache.storedKeys(in: folder).count == 3)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["000002.pack"])
  }

  /// After a run, the cache holds the entries of the files it ingested and nothing else: not
  /// those of a file taken out of the inbox, not a temporary left by a killed run.
  @Test func testCompleteRun_prunesEntriesNoInboxFileUses() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let files = try ws.files()
    _ = try await IngestStage().run(IngestInput(inbox: ws.inbox, files: files), in: try ws.context())
    let folder = ws.work.appendingPathComponent("files")
    // What a killed run of an earlier version left: a temporary and a file-per-sheet entry.
    try Data("{".utf8).write(to: folder.appendingPathComponent(".abc.json.tmp-1234"))
    try Data("{}".utf8).write(to: folder.appendingPathComponent("\(files[1].sha256)-0123456789abcdef.json"))

    let counters = StageCounters()
    let kept = files.filter { $0.path != "环保局-表三.csv" }
    _ = try await IngestStage().run(IngestInput(inbox: ws.inbox, files: kept), in: try ws.context(counters: counters))
    #expect(counters.snapshot["files_reused"] == 2)
    // The two strays and the removed file's entry; the other two are copied to a new pack.
    #expect(counters.snapshot["cache_entries_pruned"] == 3)
    let cached = SheetCache.storedKeys(in: folder)
    #expect(cached.count == 2)
    #expect(!cached.contains { $0.hasPrefix(files[0].sha256) })
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["000002.pack"])
  }

  /// A cache that cannot be written (here a file where its folder belongs; a full disk alike)
  /// costs the next run a re-read, not this run: every sheet is still read, and one warning
  /// names the first file and counts the others.
  @Test func testUnwritableCache_oneWarningAndTheRunGoesOn() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    try FileManager.default.createDirectory(at: ws.work, withIntermediateDirectories: true)
    try Data("not a folder".utf8).write(to: ws.work.appendingPathComponent("files"))
    let counters = StageCounters()
    let warnings = WarningLog()
    var context = try ws.context(counters: counters)
    context.logger = Logger(label: "test") { _ in warnings }
    let output = try await IngestStage().run(IngestInput(inbox: ws.inbox, files: try ws.files()), in: context)
    #expect(output.sheets.count == 4)
    #expect(output.sheets.filter { !$0.registers.isEmpty || !$0.tables.isEmpty }.count == 3)
    #expect(counters.snapshot["files_parsed"] == 4)
    #expect(counters.snapshot["cache_entries_unwritten"] == 3)
    #expect(warnings.messages.count == 1)
    #expect(warnings.messages.first?.contains("无法缓存") == true)
    #expect(warnings.messages.first?.contains("另有 2 个文件") == true)
  }

  /// Collects the warnings logged to it.
  final class WarningLog: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var messages: [String] { lock.withLock { collected } }
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      if event.level == .warning { lock.withLock { collected.append("\(event.message)") } }
    }
  }

  @Test func testRenamedFile_isNotServedWithTheOldPath() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let files = try ws.files()
    _ = try await IngestStage().run(IngestInput(inbox: ws.inbox, files: files), in: try ws.context())
    try FileManager.default.moveItem(
      at: ws.inbox.appendingPathComponent("环保局-表三.csv"), to: ws.inbox.appendingPathComponent("财政局-表三.csv"))
    var renamed = files[0]
    renamed.path = "财政局-表三.csv"
    let counters = StageCounters()
    let out = try await IngestStage().run(
      IngestInput(inbox: ws.inbox, files: [renamed]), in: try ws.context(counters: counters))
    #expect(counters.snapshot["files_parsed"] == 1)
    #expect(out.sheets.first?.source.path == "财政局-表三.csv")
    #expect(out.sheets.first?.claims.fileNameDepartment == "财政局")
  }

  /// A file rewritten after the runner listed and hashed it (a copy still in progress) is
  /// neither used nor cached: the stage fails naming it, keeps the others' caches, and the rerun
  /// with the file's new digest and stamp reads only it.
  @Test func testFileChangedAfterListing_failsTheStageAndCachesOnlyTheOthers() async throws {
    let ws = try Workspace()
    defer { try? FileManager.default.removeItem(at: ws.root) }
    let listed = try ws.files()
    func stamps() -> [String: FileStamp] {
      var s: [String: FileStamp] = [:]
      for f in listed { s[f.path] = FileStamp.of(ws.inbox.appendingPathComponent(f.path)) }
      return s
    }
    let before = stamps()
    // Rewritten in place with one more application row, as a copy over the old file would.
    let changing = ws.inbox.appendingPathComponent("台账.csv")
    let text = try String(contentsOf: changing, encoding: .utf8)
    let total = try #require(text.range(of: "合计"))
    try (text[..<total.lowerBound] + "6,HB-2025-006,自然人,2025-03-07,予以公开,2025-03-12,否,\r\n" + text[total.lowerBound...])
      .write(to: changing, atomically: false, encoding: .utf8)

    let error = await #expect(throws: InboxFileChanged.self) {
      _ = try await IngestStage().run(
        IngestInput(inbox: ws.inbox, files: listed, stamps: before), in: try ws.context())
    }
    #expect(error?.files.map(\.path) == ["台账.csv"])
    #expect(error?.description.contains("台账.csv") == true)
    #expect(error?.description.contains("字节") == true)
    let cached = SheetCache.storedKeys(in: ws.work.appendingPathComponent("files"))
    let changedDigest = try #require(listed.first { $0.path == "台账.csv" }).sha256
    #expect(cached.count == 2)
    #expect(!cached.contains { $0.hasPrefix(changedDigest) })

    // The next run lists and hashes the file again: only it (and the unreadable one) is read.
    var relisted = listed
    let size = try FileManager.default.attributesOfItem(atPath: changing.path)[.size] as? Int64 ?? 0
    relisted[2] = InboxFile(path: "台账.csv", sha256: try Digest.sha256Hex(fileAt: changing), size: size)
    let counters = StageCounters()
    let out = try await IngestStage().run(
      IngestInput(inbox: ws.inbox, files: relisted, stamps: stamps()), in: try ws.context(counters: counters))
    #expect(counters.snapshot["files_reused"] == 2)
    #expect(counters.snapshot["files_parsed"] == 2)
    #expect(out.sheets.first { $0.source.path == "台账.csv" }?.registers.first?.dataRows == 6)
  }

  @Test func testLabelAliases_foldBothSides() {
    let table = SeedTable(
      name: "label_aliases", header: ["form", "variant", "canonical"],
      rows: [["t4", "行政法复议", "行政复议"], ["t3", "（一） 予以公开", "（一）予以公开"], ["t4", "行政法复议", "别的"]], lines: [2, 3, 4])
    let forms = [FormDefinition(id: "t4", name: "表四", kind: .grid, anchors: [])]
    #expect(LabelAliases(seeds: Seeds(tables: ["label_aliases": table])).merged(forms: forms) == ["行政法复议": "行政复议"])
  }
}
