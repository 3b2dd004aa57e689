import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

/// Issue 8 end to end: one inbox holding every hostile input next to two good sheets, run
/// through the built binary. Each hostile file gives a finding or safe output, the run
/// completes, the good sheets are consolidated, and nothing in the inbox changes.
@Suite(.serialized) struct HostileInboxTests {
  /// What a script in the data would do if it ever ran: retitle the page and add a marker.
  static let payload =
    "<script>document.title='XSS';var d=document.createElement('div');d.id='almanac-xss';document.body.appendChild(d)</script>"
  static let imagePayload = "<img src=x onerror=\"document.body.appendChild(document.createElement('marquee'))\">"
  static let hyperlink = "=HYPERLINK(\"http://evil.example/\",\"点击查看\")"
  static let atSum = "@SUM(1+1)*cmd|' /C calc'!A0"

  struct Run: Sendable {
    let code: Int32
    let output: String
    let root: URL
    var outbox: URL { root.appendingPathComponent("outbox/2025") }
    let inboxBefore: [String: String]
    let inboxAfter: [String: String]
  }

  /// A department's 表三 in the national layout (the forms.md §2 example) claimed by `unit`.
  static func t3Sheet(unit: String) -> String {
    let quoted = "\"" + "填报单位：\(unit)".replacingOccurrences(of: "\"", with: "\"\"") + "\""
    return """
      2025年度政府信息公开工作年度报告统计表,,,,,,,,,
      \(quoted),,,,,填报日期：2026年1月10日,,,,
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
      一、本年新收政府信息公开申请数量,,,3,0,0,0,0,0,3
      二、上年结转政府信息公开申请数量,,,0,0,0,0,0,0,0
      三、本年度办理结果,（一）予以公开,,2,0,0,0,0,0,2
      ,（二）部分公开（区分处理的，只计这一情形，不计其他情形）,,0,0,0,0,0,0,0
      ,（四）无法提供,1.本机关不掌握相关政府信息,1,0,0,0,0,0,1
      ,（七）总计,,3,0,0,0,0,0,3
      四、结转下年度继续办理,,,0,0,0,0,0,0,0

      """
  }

  /// Relative path → sha256 of every entry under `folder` (links by their target text).
  static func snapshot(_ folder: URL) -> [String: String] {
    var out: [String: String] = [:]
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
      let url = folder.appendingPathComponent(name)
      if let target = try? fm.destinationOfSymbolicLink(atPath: url.path) {
        out[name] = "link:" + target
      } else {
        out[name] = (try? Digest.sha256Hex(fileAt: url)) ?? "?"
      }
    }
    return out
  }

  static let runResult: Result<Run, ExampleError>? = {
    guard let binary = LinghaiExample.binary else { return nil }
    do {
      let fm = FileManager.default
      let root = try TemporaryFolder.removedAtExit("hostile").url
      let inbox = root.appendingPathComponent("inbox")
      try fm.createDirectory(at: inbox, withIntermediateDirectories: true)
      try fm.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)

      // The pipeline with a configured decompression limit (the default is 4 GiB).
      let pipeline = root.appendingPathComponent("pipeline")
      try fm.copyItem(at: LinghaiExample.repoRoot.appendingPathComponent("pipelines/disclosure-2021"), to: pipeline)
      let yaml = pipeline.appendingPathComponent("pipeline.yaml")
      let definition = try String(contentsOf: yaml, encoding: .utf8)
      try (definition + "limits:\n  maxDecompressedBytes: 268435456\n").write(
        to: yaml, atomically: true, encoding: .utf8)

      func put(_ name: String, _ data: Data) throws { try data.write(to: inbox.appendingPathComponent(name)) }
      try put("凌海市水利局.csv", Data(t3Sheet(unit: "凌海市水利局").utf8))
      try put("new\nline 统计局.csv", Data(t3Sheet(unit: "凌海市统计局").utf8))
      try put("-rf 交通局.csv", Data(t3Sheet(unit: "凌海市交通运输局").utf8))
      try put("script.csv", Data(t3Sheet(unit: payload).utf8))
      try put("image.csv", Data(t3Sheet(unit: imagePayload).utf8))
      try put("hyperlink.csv", Data(t3Sheet(unit: hyperlink).utf8))
      try put("atsum.csv", Data(t3Sheet(unit: atSum).utf8))
      try put("=HYPERLINK(\"http:evil\").csv", Data(t3Sheet(unit: "凌海市教育局").utf8))
      try put("bomb.csv.gz", try gzipBomb())
      var big = Data("信息内容,本年制发件数\n规章,\"".utf8)
      big.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
      big.append(Data("\",3\n".utf8))
      try put("bigfield.csv", big)
      try put("wide.csv", Data(("a,b\n" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "\n").utf8))
      // Not sheets: reported without being read; Excel's lock file and Windows' thumbnails passed over.
      try put("财政局.xlsx", Data([0x50, 0x4B, 0x03, 0x04]) + Data(repeating: 0, count: 64))
      try put("说明.pdf", Data("%PDF-1.4\n".utf8))
      try put("~$财政局.xlsx", Data(repeating: 0, count: 165))
      try put("Thumbs.db", Data(repeating: 0, count: 64))
      try Data("secret-department,42\n".utf8).write(to: root.appendingPathComponent("outside/secret.csv"))
      try fm.createSymbolicLink(
        atPath: inbox.appendingPathComponent("link.csv").path, withDestinationPath: "../outside/secret.csv")
      // Names in GBK, as `unzip` leaves an archive made on Chinese Windows: a sheet, a folder
      // holding one, and a text.
      let sheet = t3Sheet(unit: "凌海市财政局")
      guard RawFileName.createFile(RawFileName.gbkSheet, in: inbox, content: sheet),
        RawFileName.createFolder(RawFileName.gbkFolder, in: inbox),
        RawFileName.createFile(Array("表三.csv".utf8), in: inbox, folder: RawFileName.gbkFolder, content: sheet),
        RawFileName.createFile(RawFileName.gbkText, in: inbox, content: "本年度，凌海市坚持以公开为常态。\n")
      else { throw ExampleError("cannot create the GBK names") }

      let before = snapshot(inbox)
      let (code, output) = try LinghaiExample.run(
        binary,
        [
          "run", "--pipeline", pipeline.path, "--seeds", LinghaiExample.repoRoot.appendingPathComponent("seeds").path,
          "--inbox", inbox.path, "--outbox", root.appendingPathComponent("outbox").path, "--state",
          root.appendingPathComponent("state").path, "--year", "2025",
        ], in: root)
      let after = snapshot(inbox)
      // The outputs stay for the tests; the 60 MB of hostile inputs need not.
      for name in ["bomb.csv.gz", "bigfield.csv", "wide.csv"] {
        try? fm.removeItem(at: inbox.appendingPathComponent(name))
      }
      return .success(Run(code: code, output: output, root: root, inboxBefore: before, inboxAfter: after))
    } catch {
      return .failure(ExampleError("cannot run almanac: \(error)"))
    }
  }()

  /// Gzip members of 64 MiB of CSV each, up to 10 MB on disk: more than 10 GiB inflated.
  static func gzipBomb() throws -> Data {
    let line = Array((String(repeating: "1", count: 65535) + "\n").utf8)
    var plain = Data(capacity: 64 << 20)
    while plain.count + line.count <= 64 << 20 { plain.append(contentsOf: line) }
    let member = try gzip(plain)
    var out = Data()
    while out.count + member.count <= 10_000_000 { out.append(member) }
    return out
  }

  /// gzip(1) from the system, so this target needs no zlib wrapper of its own.
  static func gzip(_ data: Data) throws -> Data {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-gz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("member")
    try data.write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -n -9 -- \"$1\"", "sh", file.path]
    try process.run()
    process.waitUntilExit()
    return try Data(contentsOf: dir.appendingPathComponent("member.gz"))
  }

  static let binaryBuilt = LinghaiExample.binary != nil

  func run() throws -> Run {
    guard let result = Self.runResult else { throw ExampleError("almanac binary not found") }
    return try result.get()
  }

  func text(_ name: String, in run: Run) throws -> String {
    try String(contentsOf: run.outbox.appendingPathComponent(name), encoding: .utf8)
  }

  /// (code, file) of every finding in reconciliation.jsonl.
  func findings(in run: Run) throws -> [(code: String, file: String, message: String)] {
    try text("reconciliation.jsonl", in: run).split(separator: "\n").compactMap { line in
      guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
      let file = ((o["sources"] as? [[String: Any]])?.first?["file"] as? String) ?? ""
      return ((o["code"] as? String) ?? "", file, (o["message"] as? String) ?? "")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built: run `swift build` (the test runs the built binary)"))
  func testHostileInbox_runCompletesWithErrorFindingsAndInboxUntouched() throws {
    let run = try run()
    #expect(run.code == 1, "\(run.output.suffix(2000))")
    #expect(run.inboxBefore == run.inboxAfter)
    #expect(run.inboxBefore.count == 19)
    for name in ["report.md", "report.html", "reconciliation.html", "reconciliation.jsonl", "submissions.csv"] {
      #expect(FileManager.default.fileExists(atPath: run.outbox.appendingPathComponent(name).path), "\(name)")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built"))
  func testHostileInbox_eachLimitAndTheLinkIsAFindingOnItsFile() throws {
    let found = try findings(in: try run())
    func codes(_ file: String) -> Set<String> { Set(found.filter { $0.file == file }.map(\.code)) }
    #expect(codes("bomb.csv.gz").contains("ING-005"))
    #expect(codes("bigfield.csv").contains("ING-010"))
    #expect(codes("wide.csv").contains("ING-011"))
    #expect(codes("link.csv").contains("ING-015"))
    #expect(codes("财政局.xlsx") == ["ING-018"])
    #expect(codes("说明.pdf") == ["ING-018"])
    #expect(codes("~$财政局.xlsx").isEmpty && codes("Thumbs.db").isEmpty)
    let workbook = found.first { $0.file == "财政局.xlsx" }?.message ?? ""
    #expect(workbook.contains("另存为 → CSV"), "\(workbook)")
    // A letter is most often prose for the report: where to get it as text.
    let letter = found.first { $0.file == "说明.pdf" }?.message ?? ""
    #expect(letter.contains("请向报送单位索取 Word 或 WPS 原文，“另存为 → 纯文本（.txt）”"), "\(letter)")
  }

  /// Each GBK name is an error on that file (or folder) saying what it reads as; none is read,
  /// none is left out without a word.
  @Test(.enabled(if: binaryBuilt, "almanac is not built"))
  func testHostileInbox_gbkNamesAreFindingsWithTheirReading() throws {
    let found = try findings(in: try run())
    func messages(_ file: String) -> [String] { found.filter { $0.file == file }.map { "\($0.code) \($0.message)" } }
    let sheet = messages(RawFileName.shown(RawFileName.gbkSheet))
    #expect(sheet.count == 1 && sheet[0].hasPrefix("ING-016"), "\(sheet)")
    #expect(sheet.first?.contains("改名为“财政局-表三.csv”") == true, "\(sheet)")
    let folder = messages(RawFileName.shown(RawFileName.gbkFolder) + "/")
    #expect(folder.count == 1 && folder[0].hasPrefix("ING-016"), "\(folder)")
    #expect(folder.first?.contains("改名为“财政局”") == true, "\(folder)")
    // The draft's findings come after the reconciliation log is written: they are in the run's log.
    let output = try run().output
    let text = output.split(separator: "\n").filter {
      $0.contains("\(RawFileName.shown(RawFileName.gbkText)):") && $0.contains("DRF-002")
    }
    #expect(text.count == 1, "\(output.suffix(3000))")
    #expect(text.first?.contains("改名为“一、概述.md”") == true, "\(text)")
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built"))
  func testHostileInbox_goodSheetsAreConsolidatedWhateverTheirNames() throws {
    let run = try run()
    let submissions = try text("submissions.csv", in: run)
    #expect(submissions.contains("slj,凌海市水利局,部门,received,已报送,凌海市水利局.csv,"))
    #expect(submissions.contains("\"new\nline 统计局.csv"))
    #expect(submissions.contains("'-rf 交通局.csv"))
    let consolidated = try text("consolidated.csv", in: run)
    #expect(consolidated.contains("slj,凌海市水利局"))
    // The linked file's content never reaches an output.
    for name in ["report.md", "report.html", "reconciliation.html", "reconciliation.jsonl", "consolidated.csv"] {
      #expect(try !text(name, in: run).contains("secret-department"), "\(name)")
    }
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built"))
  func testHostileInbox_formulasAreNeutralizedInEveryCSV() throws {
    let run = try run()
    let submissions = try text("submissions.csv", in: run)
    #expect(submissions.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点击查看\"\")\""))
    #expect(submissions.contains("'@SUM(1+1)*cmd|' /C calc'!A0"))
    #expect(submissions.contains("jyj,凌海市教育局,部门,received,已报送,\"'=HYPERLINK(\"\"http:evil\"\").csv\""))
    let walker = FileManager.default.enumerator(atPath: run.outbox.path)
    var checked = 0
    while let rel = walker?.nextObject() as? String {
      guard rel.hasSuffix(".csv") else { continue }
      for field in GoldenCSV.parse(try text(rel, in: run)).joined() {
        guard let first = field.unicodeScalars.first else { continue }
        #expect(!"=+@\t\r".unicodeScalars.contains(first), "\(rel): \(field)")
        if first == "-" { #expect(Decimal(string: field) != nil, "\(rel): \(field)") }
      }
      checked += 1
    }
    #expect(checked >= 5)
  }

  @Test(.enabled(if: binaryBuilt, "almanac is not built"))
  func testHostileInbox_markupIsTextInHTMLAndMarkdown() throws {
    let run = try run()
    for name in ["report.html", "reconciliation.html"] {
      let html = try text(name, in: run)
      #expect(!html.contains("<script"), "\(name)")
      #expect(!html.contains("<img"), "\(name)")
      #expect(html.contains("&lt;script&gt;document.title="), "\(name)")
    }
    let markdown = try text("report.md", in: run)
    #expect(!markdown.contains("<script>"))
    #expect(markdown.contains("\\<script\\>document.title="))
  }

  @Test(
    .enabled(
      if: binaryBuilt && HeadlessBrowser.path != nil,
      "chromium is not installed: the DOM check needs a headless browser"))
  func testHostileInbox_browserRunsNoScriptFromTheData() throws {
    let run = try run()
    for name in ["report.html", "reconciliation.html"] {
      let file = run.outbox.appendingPathComponent(name)
      let source = try String(contentsOf: file, encoding: .utf8)
      let dom = try HeadlessBrowser.dumpDOM(file)
      #expect(dom.contains("</html>"), "\(name): no DOM dumped")
      #expect(HeadlessBrowser.title(dom) == HeadlessBrowser.title(source), "\(name)")
      #expect(HeadlessBrowser.title(dom) != "XSS")
      #expect(!dom.contains("id=\"almanac-xss\""), "\(name)")
      #expect(!dom.contains("<marquee"), "\(name)")
      #expect(dom.contains("&lt;script&gt;document.title="), "\(name)")
    }
  }
}

/// Debian's chromium in headless mode: loads a page, runs what it would run, prints the DOM.
enum HeadlessBrowser {
  static var path: String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  static func dumpDOM(_ file: URL) throws -> String {
    guard let path else { throw ExampleError("no headless browser") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=2000",
      "--user-data-dir=\(FileManager.default.temporaryDirectory.appendingPathComponent("almanac-chromium-\(UUID().uuidString)").path)",
      "--dump-dom", file.absoluteString,
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The text of the first `<title>`, nil when there is none.
  static func title(_ html: String) -> String? {
    guard let open = html.range(of: "<title>"),
      let close = html.range(of: "</title>", range: open.upperBound..<html.endIndex)
    else { return nil }
    return String(html[open.upperBound..<close.lowerBound])
  }
}
