import Foundation

/// Locations and text helpers for the bundled 凌海市 2016 example (issue 6).
enum LinghaiExample {
  /// The package root (this file is `Tests/EndToEndTests/LinghaiExample.swift`).
  static let repoRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let pipeline = repoRoot.appendingPathComponent("pipelines/linghai-2016")
  static let inbox = repoRoot.appendingPathComponent("examples/linghai-2016/inbox")

  /// The government office's sheet: it carries the proposals and their topic breakdown.
  static let governmentOfficeFile = "01_凌海市人民政府办公室_2016年度政务公开统计.csv"
  /// The first, wrong version of the education bureau's sheet (superseded by a later one).
  static let supersededFile = "教育局2016年政务公开统计表.csv"

  /// The published report: `shared/examples/linghai-2016-report.txt`, where `shared/` sits
  /// beside the project root (or beside one of its ancestors, for git worktrees);
  /// `ALMANAC_SHARED` overrides.
  static var publishedReport: URL? {
    let relative = "examples/linghai-2016-report.txt"
    if let env = ProcessInfo.processInfo.environment["ALMANAC_SHARED"] {
      return URL(fileURLWithPath: env).appendingPathComponent(relative)
    }
    var dir = repoRoot
    for _ in 0..<4 {
      let candidate = dir.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  /// The built `almanac` executable: next to the test bundle (same build), else `.build/debug`
  /// or `.build/release`; `ALMANAC_BIN` overrides.
  static var binary: URL? {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["ALMANAC_BIN"] {
      return fm.isExecutableFile(atPath: env) ? URL(fileURLWithPath: env) : nil
    }
    var candidates: [URL] = []
    if let exe = Bundle.main.executableURL {
      var dir = exe.deletingLastPathComponent()
      // On macOS the runner sits inside `X.xctest/Contents/MacOS`; climb to the products dir.
      for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("almanac"))
        dir = dir.deletingLastPathComponent()
      }
    }
    let args = CommandLine.arguments
    if let first = args.first {
      candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("almanac"))
    }
    candidates.append(repoRoot.appendingPathComponent(".build/debug/almanac"))
    candidates.append(repoRoot.appendingPathComponent(".build/release/almanac"))
    return candidates.first { fm.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
  }

  /// Section names in report order: the paragraph before 一 is "序".
  static let sectionNames = ["序", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]

  /// The published report's body without the website chrome: from after the `发布时间` line to
  /// the `网站地图` footer.
  static func publishedBody(_ text: String) -> (title: String, body: [String]) {
    let lines = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
    let title = lines.first { $0.hasPrefix("凌海市") && $0.hasSuffix("报告") } ?? ""
    guard let start = lines.firstIndex(where: { $0.hasPrefix("发布时间") }) else { return (title, []) }
    let end = lines[start...].firstIndex { $0.hasPrefix("网站地图") } ?? lines.endIndex
    return (title, Array(lines[(start + 1)..<end]))
  }

  /// The drafted report's body: from after the `# title` line to the data-notes appendix
  /// (which belongs to no section of the published report).
  static func draftedBody(_ text: String) -> (title: String, body: [String], notes: [String]) {
    let lines = text.components(separatedBy: .newlines)
    let titleIndex = lines.firstIndex { $0.hasPrefix("# ") } ?? -1
    let title = titleIndex >= 0 ? String(lines[titleIndex].dropFirst(2)).trimmingCharacters(in: .whitespaces) : ""
    let rest = Array(lines[(titleIndex + 1)...])
    let notesStart = rest.firstIndex { $0.hasPrefix("## 附") } ?? rest.endIndex
    // The 草稿 banner is a block quote; it belongs to no section of the published report.
    let clean = rest[..<notesStart].filter { !$0.hasPrefix(">") }.map {
      $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "## ", with: "")
    }
    return (title, clean, Array(rest[notesStart...]))
  }

  /// Splits report lines into sections keyed by `sectionNames`; a heading is a line starting
  /// with `一、` … `十一、`.
  static func sections(_ lines: [String]) -> [String: String] {
    var out: [String: String] = [:]
    var current = "序"
    for line in lines {
      if let name = heading(of: line) { current = name }
      out[current, default: ""] += line + "\n"
    }
    return out
  }

  static func heading(of line: String) -> String? {
    // Longest names first so 十一 is not read as 十.
    for name in sectionNames.dropFirst().sorted(by: { $0.count > $1.count }) where line.hasPrefix(name + "、") {
      return name
    }
    return nil
  }

  /// Every run of ASCII digits in `text` (after NFKC), counted: "5月15日" gives 5 and 15.
  static func numbers(_ text: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    var run = ""
    for ch in text.precomposedStringWithCompatibilityMapping {
      if ch.isASCII, ch.isNumber {
        run.append(ch)
      } else if !run.isEmpty {
        counts[run, default: 0] += 1
        run = ""
      }
    }
    if !run.isEmpty { counts[run, default: 0] += 1 }
    return counts
  }

  /// Runs `almanac` with `arguments` in `directory`; returns its exit code and combined output.
  static func run(_ binary: URL, _ arguments: [String], in directory: URL) throws -> (code: Int32, output: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-linghai-\(UUID().uuidString).log")
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw ExampleError("cannot create \(log.path)")
    }
    let handle = try FileHandle(forWritingTo: log)
    defer {
      try? handle.close()
      try? FileManager.default.removeItem(at: log)
    }
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return (process.terminationStatus, output)
  }
}
