import AlmanacCore
import AlmanacTestSupport
import Foundation
import Logging
import Runner
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 8, the file system: links out of the inbox, odd file names, permissions.
@Suite struct InboxHardeningTests {
  @Test func testInboxScanner_outwardSymlinkIsRefusedAndNeverRead() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("secret,1\n", to: "private/secret.csv")
    try p.write("a,1\n", to: "inbox/a.csv")
    let fm = FileManager.default
    try fm.createSymbolicLink(atPath: p.url("inbox/link.csv").path, withDestinationPath: "../private/secret.csv")
    try fm.createSymbolicLink(
      atPath: p.url("inbox/absolute.csv").path, withDestinationPath: p.url("private/secret.csv").path)
    try fm.createSymbolicLink(atPath: p.url("inbox/inside.csv").path, withDestinationPath: "a.csv")
    try fm.createSymbolicLink(atPath: p.url("inbox/gone.csv").path, withDestinationPath: "missing.csv")

    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(listed.map(\.path) == ["a.csv", "absolute.csv", "gone.csv", "inside.csv", "link.csv"])
    #expect(listed.map(\.refusal) == [nil, .symlink, .symlink, nil, .symlink])

    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    let secretSHA = Digest.sha256Hex("secret,1\n")
    let byPath = Dictionary(uniqueKeysWithValues: hashed.entries.map { ($0.path, $0) })
    #expect(byPath["link.csv"]?.size == 0)
    #expect(byPath["link.csv"]?.sha256 != secretSHA)
    #expect(byPath["absolute.csv"]?.sha256 != secretSHA)
    #expect(byPath["inside.csv"]?.sha256 == Digest.sha256Hex("a,1\n"))
    // Only the two real reads count: a.csv and the link inside the inbox.
    #expect(hashed.stats.filesHashed == 2)
  }

  @Test func testInboxScanner_namedPipeIsListedAsRefusedAndNeverOpened() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a,1\n", to: "inbox/a.csv")
    #expect(mkfifo(p.url("inbox/pipe.csv").path, 0o644) == 0)
    try FileManager.default.createSymbolicLink(atPath: p.url("inbox/to-pipe.csv").path, withDestinationPath: "pipe.csv")
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(listed.map(\.path) == ["a.csv", "pipe.csv", "to-pipe.csv"])
    #expect(listed.map(\.refusal) == [nil, .notRegularFile, .notRegularFile])
    // Hashing would block on the pipe if it opened it.
    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(hashed.stats.filesHashed == 1)
    #expect(hashed.entries.map(\.size) == [4, 0, 0])
  }

  /// A workbook, an archive or a letter dropped into the inbox is listed, never read or hashed,
  /// and reported by ingest (ING-018); lock, system and partial files are passed over.
  @Test func testInboxScanner_filesThatAreNotSheetsAreListedAsRefused() throws {
    let p = try TestProject()
    defer { p.remove() }
    for name in [
      "a.csv", "b.tsv", "c.csv.gz", "section1.md", "财政局.xlsx", "材料.zip", "说明.pdf", "noext", "sub/旧表.xls",
      "~$财政局.xlsx", "Thumbs.db", "desktop.ini", "d.csv.part", "e.csv.crdownload", "f.tmp", ".DS_Store",
    ] {
      try p.write("x\n", to: "inbox/\(name)")
    }
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(
      listed.map(\.path) == [
        "a.csv", "b.tsv", "c.csv.gz", "noext", "section1.md", "sub/旧表.xls", "材料.zip", "说明.pdf", "财政局.xlsx",
      ])
    #expect(listed.map(\.refusal) == [nil, nil, nil, .notASheet, nil, .notASheet, .notASheet, .notASheet, .notASheet])
    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(hashed.stats.filesHashed == 4)
    let unread = hashed.entries.filter { $0.size == 0 }.map(\.path)
    #expect(unread == ["noext", "sub/旧表.xls", "材料.zip", "说明.pdf", "财政局.xlsx"])
  }

  @Test func testInboxScanner_nonUTF8NameIsListedNotDropped() throws {
    let p = try TestProject()
    defer { p.remove() }
    #expect(RawFileName.createFile([0x62, 0xFF, 0xFE] + Array(".csv".utf8), in: p.url("inbox"), content: "a,1\n"))
    try p.write("a,1\n", to: "inbox/ok.csv")
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(listed.map(\.path) == ["b\u{FFFD}\u{FFFD}.csv", "ok.csv"])
    #expect(listed.map(\.refusal) == [.fileName, nil])
  }

  /// A folder unzipped with a GBK name is listed once, as `name/`, and not walked into: its
  /// files could not be named either. It used to be listed as a file with no extension (and
  /// reported as not a sheet), its files never mentioned.
  @Test func testInboxScanner_nonUTF8FolderIsListedOnceAndNotWalked() throws {
    let p = try TestProject()
    defer { p.remove() }
    let inbox = p.url("inbox")
    #expect(RawFileName.createFolder(RawFileName.gbkFolder, in: inbox))
    #expect(RawFileName.createFile(Array("表三.csv".utf8), in: inbox, folder: RawFileName.gbkFolder, content: "a,1\n"))
    try p.write("a,1\n", to: "inbox/ok.csv")
    let listed = try InboxScanner.list(inbox: inbox)
    #expect(listed.map(\.path) == ["ok.csv", RawFileName.shown(RawFileName.gbkFolder) + "/"])
    #expect(listed.map(\.refusal) == [nil, .fileName])
    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(hashed.stats.filesHashed == 1)
  }

  /// A published year folder copied into the inbox is listed once, as `name/`, and not
  /// walked into; a folder whose `manifest.json` is someone else's is walked as any other.
  @Test func testInboxScanner_publishedFolderIsListedOnceAndNotWalked() throws {
    let p = try TestProject()
    defer { p.remove() }
    let manifest = """
      {"runId": "r1", "toolVersion": "0.1", "year": 2024, "outputs": [{"path": "report.md", "sha256": "ab", "size": 1}]}
      """
    try p.write(manifest, to: "inbox/2024/manifest.json")
    try p.write("# 报告\n", to: "inbox/2024/report.md")
    try p.write("a,1\n", to: "inbox/2024/tables/t3.csv")
    try p.write("{\"name\": \"npm\"}", to: "inbox/other/manifest.json")
    try p.write("a,1\n", to: "inbox/other/表三.csv")
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(listed.map(\.path) == ["2024/", "other/manifest.json", "other/表三.csv"])
    #expect(listed.map(\.refusal) == [.publishedOutput, .notASheet, nil])
    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(hashed.stats.filesHashed == 1)
  }

  @Test func testInboxScanner_spacesNewlinesAndLeadingDashesAreOrdinaryNames() throws {
    let p = try TestProject()
    defer { p.remove() }
    let names = ["-rf.csv", "with space.csv", "new\nline.csv", "--help.csv"]
    for name in names { try p.write("a,1\n", to: "inbox/\(name)") }
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    #expect(listed.map(\.path) == names.sorted())
    #expect(listed.allSatisfy { $0.refusal == nil })
    let hashed = try InboxHasher.hash(listed, cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(hashed.entries.allSatisfy { $0.sha256 == Digest.sha256Hex("a,1\n") })
  }

  @Test func testDiagnostic_controlCharactersInNamesCannotSplitALogLine() {
    let f = Finding(
      code: "ING-001", severity: .error, stage: "ingest", message: "空文件",
      sources: [SourceRef(file: "new\nline\u{1B}[31m.csv", sha256: "", line: 2, column: 1)])
    let line = Diagnostic.line(f, inbox: "inbox")
    #expect(line == "inbox/new\\nline\\u{1B}[31m.csv:2:1: error: 空文件 [ING-001]")
    #expect(!line.contains("\n"))
  }

  /// A seed row a finding names is shown under the seeds folder, not the inbox; an inbox file
  /// in a subfolder named `seeds` stays under the inbox.
  @Test func testDiagnostic_seedRowsAreShownUnderTheSeedsFolder() {
    let seedRow = Finding(
      code: "REC-REG-001", severity: .error, stage: "reconcile", message: "相差 2",
      sources: [
        SourceRef(file: "seeds/declared.csv", sha256: "", line: 20, column: 4),
        SourceRef(file: "a.csv", sha256: "ab", line: 3),
      ])
    #expect(
      Diagnostic.line(seedRow, inbox: "in", seeds: "/data/seeds-2025/")
        == "/data/seeds-2025/declared.csv:20:4: error: 相差 2 [REC-REG-001]")
    #expect(Diagnostic.line(seedRow, inbox: "in", seeds: ".") == "declared.csv:20:4: error: 相差 2 [REC-REG-001]")
    let inboxFile = Finding(
      code: "ING-001", severity: .error, stage: "ingest", message: "空文件",
      sources: [SourceRef(file: "seeds/x.csv", sha256: "", line: 0)])
    #expect(Diagnostic.line(inboxFile, inbox: "in", seeds: "s") == "in/seeds/x.csv: error: 空文件 [ING-001]")
    let read = Finding(
      code: "NRM-001", severity: .warning, stage: "normalize", message: "未知单位",
      sources: [SourceRef(file: "seeds/x.csv", sha256: "cd", line: 2)])
    #expect(Diagnostic.line(read, inbox: "in", seeds: "s") == "in/seeds/x.csv:2: warning: 未知单位 [NRM-001]")
  }

  /// One wrong value in every county's register of a province: a line per file (2,089 lines of
  /// cron mail). A kind in more than 50 places — files, or departments of one file — keeps its
  /// first three places and one line counting the rest; a county's 30 units are all listed.
  @Test func testDiagnostic_condensed_foldsAKindAcrossManyFiles() {
    func f(_ code: String, _ file: String, department: String = "d") -> Finding {
      Finding(
        code: code, severity: .error, stage: "normalize", message: "\(code) \(file) \(department)",
        department: department, sources: [SourceRef(file: file, sha256: "ab", line: 3, column: 2)])
    }
    let everyFile = (1...60).map { f("NRM-012", "county\($0).csv") }
    let other = f("NRM-005", "x.csv")
    let entries = Diagnostic.condensed(Array(everyFile.prefix(2)) + [other] + everyFile.dropFirst(2))
    #expect(
      entries == [.finding(everyFile[0]), .finding(everyFile[1]), .finding(other), .finding(everyFile[2])]
        + [.moreFiles(like: everyFile[3], count: 57, places: 57)])
    // One file (the declared seed), a finding per department.
    let seed = (1...60).map { f("REC-REG-001", "seeds/declared.csv", department: "D\($0)") }
    #expect(Diagnostic.condensed(seed).count == 4)
    let county = Array(everyFile.prefix(30))
    #expect(Diagnostic.condensed(county) == county.map { .finding($0) })
    #expect(
      Diagnostic.moreFilesLine(like: everyFile[3], count: 57, places: 57, log: "out/r.html")
        == "almanac: error: 另有 57 条同类核对结果（涉及 57 个文件或单位）未逐条列出（完整列表见 out/r.html，或加 --verbose 显示） [NRM-012]")
  }

  /// A sheet sent back blank gives a REC-C10 per cell: the console shows three and counts the
  /// rest; other files and other codes are never folded in. Findings without a file are
  /// folded across departments (below).
  @Test func testDiagnostic_condensed_foldsAKindRepeatedInOneFile() {
    func f(_ code: String, _ file: String?, line: Int, _ severity: Severity = .warning) -> Finding {
      Finding(
        code: code, severity: severity, stage: "reconcile", message: "\(code) \(line)", department: "d",
        sources: file.map { [SourceRef(file: $0, sha256: "ab", line: line, column: 2)] } ?? [])
    }
    let blanks = (1...8).map { f("REC-C10", "a.csv", line: $0) }
    let findings =
      [f("REC-S5", "a.csv", line: 1, .error)] + blanks.prefix(2) + [f("REC-C10", "b.csv", line: 1)]
      + blanks.dropFirst(2) + (1...3).map { f("REC-SUB-003", nil, line: $0) }
    let entries = Diagnostic.condensed(findings)
    #expect(
      entries
        == [
          .finding(findings[0]), .finding(blanks[0]), .finding(blanks[1]), .finding(findings[3]), .finding(blanks[2]),
          .more(like: blanks[2], count: 5),
        ] + (1...3).map { .finding(f("REC-SUB-003", nil, line: $0)) })
    // The region's findings are shown at a department's sheet but are not that file's.
    let region = (1...7).map { i in
      Finding(
        code: "REC-T3-S3", severity: .error, stage: "reconcile", message: "全区 \(i)", cell: "t3.r1.c\(i)",
        sources: [SourceRef(file: "a.csv", sha256: "ab", line: 1, column: i)])
    }
    #expect(Diagnostic.condensed(region) == region.map { .finding($0) })
    // Five of a kind are all shown: a line saying "2 more" would save nothing.
    #expect(Diagnostic.condensed(Array(blanks.prefix(5))) == blanks.prefix(5).map { .finding($0) })
    #expect(
      Diagnostic.moreLine(
        like: blanks[2], count: 5, inbox: "inbox", seeds: "seeds", log: "outbox/2025/reconciliation.html")
        == "inbox/a.csv: warning: 该文件另有 5 条同类核对结果未逐条列出（完整列表见 outbox/2025/reconciliation.html，或加 --verbose 显示） [REC-C10]"
    )
  }

  /// Early in the season most departments have sent nothing: one REC-SUB-001 each, 35 lines
  /// in the 2025 example and thousands in a province. The console shows three and names the
  /// others on one line; five or fewer are all shown; the region's findings are not folded.
  @Test func testDiagnostic_condensed_foldsAKindAboutManyDepartmentsWithoutAFile() {
    func missing(_ id: String) -> Finding {
      Finding(
        code: "REC-SUB-001", severity: .warning, stage: "reconcile", message: "\(id) 没有报送", department: id)
    }
    let ids = ["at", "bjt", "bsg", "btz", "cgj", "cy", "dy"]
    let sheet = Finding(
      code: "REC-C10", severity: .warning, stage: "reconcile", message: "c10", department: "czj",
      sources: [SourceRef(file: "a.csv", sha256: "ab", line: 3, column: 2)])
    let findings = ids.prefix(2).map(missing) + [sheet] + ids.dropFirst(2).map(missing)
    #expect(
      Diagnostic.condensed(findings)
        == ids.prefix(2).map { .finding(missing($0)) } + [.finding(sheet), .finding(missing("bsg"))]
        + [.moreDepartments(like: missing("bsg"), departments: ["btz", "cgj", "cy", "dy"])])
    #expect(Diagnostic.condensed(ids.prefix(5).map(missing)) == ids.prefix(5).map { .finding(missing($0)) })
    let line = Diagnostic.moreDepartmentsLine(
      like: missing("bsg"), departments: ["btz", "cgj", "x"], names: ["btz": "白台子镇", "cgj": "凌海市城市管理综合行政执法局"],
      log: "outbox/2025/reconciliation.html")
    #expect(
      line
        == "全区: warning: 另有 3 个单位有同类核对结果：白台子镇（btz）、凌海市城市管理综合行政执法局（cgj）、x（完整列表见 outbox/2025/reconciliation.html，或加 --verbose 显示） [REC-SUB-001]"
    )
    let many = (1...25).map { "d\($0)" }
    let long = Diagnostic.moreDepartmentsLine(like: missing("bsg"), departments: many, names: [:], log: "r.html")
    #expect(long.contains("另有 25 个单位有同类核对结果：d1、d2、") && long.contains("、d20 等（完整列表见 r.html"), "\(long)")
    #expect(!long.contains("d21"))
  }

  /// The line counting folded error findings is about the data: no tool-error prefix, which
  /// in a cron mail reads as Almanac failing.
  @Test func testConsole_foldedErrorsAreNotAToolError() {
    let recorder = LineRecorder()
    let handler = ConsoleLogHandler(console: recorder.console, format: .text, level: .info)
    var logger = Logger(label: "t") { _ in handler }
    logger.logLevel = .info
    logger.error("inbox/a.csv: error: 该文件另有 3 条同类核对结果未逐条列出 [REC-S5]", metadata: ["event": "findings.more"])
    logger.error("阶段 sum 失败", metadata: ["event": "stage.failed"])
    #expect(recorder.lines == ["inbox/a.csv: error: 该文件另有 3 条同类核对结果未逐条列出 [REC-S5]", "almanac: error: 阶段 sum 失败"])
  }

  @Test func testRunSettings_permissionModes() throws {
    let cwd = URL(fileURLWithPath: "/tmp")
    let defaults = try RunSettings.resolve(RawSettings(), environment: [:], workingDirectory: cwd)
    #expect(defaults.outputMode == 0o644)
    #expect(defaults.stateMode == 0o700)
    let flags = try RunSettings.resolve(
      RawSettings(outputMode: "0640", stateMode: "750"), environment: [:], workingDirectory: cwd)
    #expect(flags.outputMode == 0o640)
    #expect(flags.stateMode == 0o750)
    let env = try RunSettings.resolve(
      RawSettings(), environment: ["ALMANAC_OUTPUT_MODE": "0o600"], workingDirectory: cwd)
    #expect(env.outputMode == 0o600)
    for bad in ["0666", "0200", "abc", "1777", "9"] {
      #expect(throws: UsageError.self) {
        try RunSettings.resolve(RawSettings(outputMode: bad), environment: [:], workingDirectory: cwd)
      }
    }
    for bad in ["0600", "0777", "x"] {
      #expect(throws: UsageError.self) {
        try RunSettings.resolve(RawSettings(stateMode: bad), environment: [:], workingDirectory: cwd)
      }
    }
  }

  @Test func testPublish_configuredPermissions() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nb\n", to: "inbox/a.csv")
    let r = try await p.run(RawSettings(outputMode: "0640", stateMode: "0750"), wiring: TestWiring(log: ExecutionLog()))
    #expect(r.exitCode == 0)
    func mode(_ relative: String) throws -> Int? {
      (try FileManager.default.attributesOfItem(atPath: p.url(relative).path)[.posixPermissions] as? NSNumber)?.intValue
    }
    #expect(try mode("outbox/2021/total.txt") == 0o640)
    #expect(try mode("outbox/2021/tables/lines.csv") == 0o640)
    #expect(try mode("outbox/2021/manifest.json") == 0o640)
    #expect(try mode(".almanac") == 0o750)

    // An unchanged rerun with the default mode still applies it to the files it leaves alone.
    let again = try await p.run(wiring: TestWiring(log: ExecutionLog()))
    #expect(again.publish?.written == [])
    #expect(try mode("outbox/2021/total.txt") == 0o644)
  }

  /// Form ids, row keys and column keys are the three parts of a cell key (`t3.r1.np`): one
  /// that is empty or holds a dot is PIPE-005, naming the form and the key; the shipped
  /// pipelines have none.
  @Test func testPipelineValidation_cellKeyPartsHaveNoDot() throws {
    let folder = ProjectPaths.nationalPipeline
    let shipped = try PipelineDefinition.load(folder: folder)
    func pipe005(_ p: PipelineDefinition) -> [String] {
      PipelineValidation.problems(pipeline: p, pipelineFolder: folder, seeds: Seeds(tables: [:]))
        .filter { $0.contains("PIPE-005") }
    }
    #expect(pipe005(shipped).isEmpty)
    var broken = shipped
    let i = try #require(broken.forms.firstIndex { $0.rows?.isEmpty == false && $0.columns?.isEmpty == false })
    broken.forms[i].rows?[0].key = "r1.1"
    broken.forms[i].columns?[0].key = ""
    let lines = pipe005(broken)
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.contains { $0.hasPrefix(folder.appendingPathComponent("forms.yaml").path) && $0.contains("“r1.1”") })
    #expect(lines.contains { $0.contains("表单“\(shipped.forms[i].id)”的列键“”") })
  }

  /// Two rows, two columns or two forms with one key would put two cells under one name
  /// (the second overwriting the first): PIPE-005 naming both labels.
  @Test func testPipelineValidation_keysAreUniqueWithinTheirForm() throws {
    let folder = ProjectPaths.nationalPipeline
    var broken = try PipelineDefinition.load(folder: folder)
    let t3 = try #require(broken.forms.firstIndex { $0.id == "t3" })
    let rows = try #require(broken.forms[t3].rows)
    broken.forms[t3].rows?[5].key = rows[4].key
    let firstColumn = broken.forms[t3].columns?[0].key ?? ""
    broken.forms[t3].columns?[1].key = firstColumn
    broken.forms.append(broken.forms[t3])
    let lines = PipelineValidation.problems(pipeline: broken, pipelineFolder: folder, seeds: Seeds(tables: [:]))
      .filter { $0.contains("PIPE-005") }
    // Each duplicate in t3, twice (the form is there twice), and the form id itself.
    #expect(Set(lines).count == 3, "\(lines)")
    #expect(
      lines.contains {
        $0.contains("表单“t3”有两行使用同一个键“\(rows[4].key)”（“\(rows[4].label)”与“\(rows[5].label)”），每行的键必须不同")
      })
    #expect(lines.contains { $0.contains("表单“t3”有两列使用同一个键") })
    #expect(lines.contains { $0.contains("有两个表单使用同一个编号“t3”") })
  }

  /// A report template that is not a `.mustache` file is a path problem (PIPE-002), said once.
  @Test func testPipelineValidation_templateMustBeMustache() throws {
    let folder = ProjectPaths.nationalPipeline
    var pipeline = try PipelineDefinition.load(folder: folder)
    pipeline.report?.markdownTemplate = "templates/report.md"
    let lines = PipelineValidation.problems(pipeline: pipeline, pipelineFolder: folder, seeds: Seeds(tables: [:]))
      .filter { $0.contains("PIPE-00") }
    #expect(lines.count == 1, "\(lines)")
    #expect(lines.first?.contains("报告模板“templates/report.md”应是 .mustache 文件 [PIPE-002]") == true)
  }

  /// `validate --seeds DIR` and a run with it name seed problems under DIR, not under `seeds/`.
  @Test func testPipelineValidation_seedProblemsAreNamedUnderTheGivenSeedsFolder() throws {
    let folder = ProjectPaths.nationalPipeline
    let pipeline = try PipelineDefinition.load(folder: folder)
    let lines = PipelineValidation.problems(
      pipeline: pipeline, pipelineFolder: folder, seeds: Seeds(tables: [:]), seedsDisplay: "/etc/almanac/ref")
    let seedLines = lines.filter { $0.contains("[SEED-") }
    #expect(!seedLines.isEmpty)
    #expect(seedLines.allSatisfy { $0.hasPrefix("/etc/almanac/ref/") }, "\(seedLines)")
    #expect(seedLines.contains { $0.hasPrefix("/etc/almanac/ref/departments.csv: error: ") })
  }

  @Test func testPipelineValidation_nameMustBeOneSafeFolderName() {
    #expect(PipelineValidation.isSafePathComponent("disclosure-2021"))
    #expect(PipelineValidation.isSafePathComponent("凌海_2016.v2"))
    for bad in ["", "..", ".hidden", "-rf", "a/b", "../../etc", "new\nline", "a b"] {
      #expect(!PipelineValidation.isSafePathComponent(bad), "\(bad)")
    }
  }
}
