import Foundation

/// An error of the golden end-to-end harness, with a message saying what to do.
struct GoldenError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// One finished `almanac` process: exit code and what it printed.
struct GoldenProcessResult: Sendable {
  let code: Int32
  let stdout: String
  let stderr: String
}

/// One `almanac run` in its own temporary folder: the inbox copy, state and outbox.
struct GoldenRun: Sendable {
  let code: Int32
  let output: String
  let root: URL
  let state: URL
  let year: Int
  /// `<outbox>/<year>/`.
  let outbox: URL

  func url(_ relative: String) -> URL { outbox.appendingPathComponent(relative) }

  func text(_ relative: String) throws -> String {
    let u = url(relative)
    guard let data = FileManager.default.contents(atPath: u.path) else {
      throw GoldenError("\(relative) was not written (looked at \(u.path))\n\(output)")
    }
    guard let s = String(data: data, encoding: .utf8) else { throw GoldenError("\(relative) is not UTF-8") }
    return s
  }

  /// `reconciliation.jsonl`, one dictionary per finding about the data: the report's own
  /// (DRF-…, about its text) are in `allFindings()`.
  func findings() throws -> [[String: Any]] {
    try allFindings().filter { ($0["code"] as? String)?.hasPrefix("DRF-") != true }
  }

  /// Every line of `reconciliation.jsonl`.
  func allFindings() throws -> [[String: Any]] {
    try text("reconciliation.jsonl").split(separator: "\n").map { line in
      guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw GoldenError("reconciliation.jsonl: not a JSON object: \(line)")
      }
      return object
    }
  }
}

/// Locations of the golden projects and the built binary, and a runner for it.
///
/// The tests run the real `almanac` executable as a subprocess. It is found through
/// `ALMANAC_BIN`, next to the test bundle (the same build), or at `.build/debug/almanac`.
enum GoldenHarness {
  /// The package root (this file is `Tests/EndToEndTests/Support/GoldenHarness.swift`).
  static let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// Fixture inboxes (`Tests/Fixtures/projects/`) and their golden outputs
  /// (`Tests/Fixtures/golden/end-to-end/`).
  static let projects = repoRoot.appendingPathComponent("Tests/Fixtures/projects")
  static let snapshots = repoRoot.appendingPathComponent("Tests/Fixtures/golden/end-to-end")
  static let pipeline = repoRoot.appendingPathComponent("pipelines/disclosure-2021")
  static let seeds = repoRoot.appendingPathComponent("seeds")

  /// Every place the binary may be, best first.
  static var binaryCandidates: [URL] {
    var out: [URL] = []
    if let env = ProcessInfo.processInfo.environment["ALMANAC_BIN"] { out.append(URL(fileURLWithPath: env)) }
    if let exe = Bundle.main.executableURL {
      // Linux: `.build/debug/AlmanacPackageTests.xctest`; macOS: `….xctest/Contents/MacOS/…`.
      var dir = exe.deletingLastPathComponent()
      for _ in 0..<4 {
        out.append(dir.appendingPathComponent("almanac"))
        dir = dir.deletingLastPathComponent()
      }
    }
    if let first = CommandLine.arguments.first {
      out.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("almanac"))
    }
    out.append(repoRoot.appendingPathComponent(".build/debug/almanac"))
    return out
  }

  /// The built `almanac`, or an error that says how to build it.
  static func binary() throws -> URL {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    for c in binaryCandidates where fm.isExecutableFile(atPath: c.path) {
      if fm.fileExists(atPath: c.path, isDirectory: &isDir), !isDir.boolValue { return c }
    }
    throw GoldenError(
      "the almanac executable was not found (looked at: \(binaryCandidates.map(\.path).joined(separator: ", "))). "
        + "Run `swift build` (or set ALMANAC_BIN) before `swift test`: these tests run the built binary.")
  }

  /// A new empty temporary folder (under `parent`, else the system's temporary folder).
  static func temporaryFolder(_ label: String, in parent: URL? = nil) throws -> URL {
    let base = parent ?? FileManager.default.temporaryDirectory
    let url = base.appendingPathComponent("almanac-golden-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Runs `almanac arguments…` in `directory`, capturing stdout and stderr through files (a pipe
  /// could fill up and block the child). `ALMANAC_*` variables are only those of `environment`.
  static func almanac(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws
    -> GoldenProcessResult
  {
    let binary = try binary()
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    for key in environment.keys where key.hasPrefix("ALMANAC_") && key != "ALMANAC_BIN" {
      environment.removeValue(forKey: key)
    }
    environment.merge(extra) { _, given in given }
    process.environment = environment
    let fm = FileManager.default
    let out = directory.appendingPathComponent(".almanac-stdout-\(UUID().uuidString)")
    let err = directory.appendingPathComponent(".almanac-stderr-\(UUID().uuidString)")
    guard fm.createFile(atPath: out.path, contents: nil), fm.createFile(atPath: err.path, contents: nil) else {
      throw GoldenError("cannot create output files in \(directory.path)")
    }
    defer {
      try? fm.removeItem(at: out)
      try? fm.removeItem(at: err)
    }
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    process.waitUntilExit()
    try? outHandle.close()
    try? errHandle.close()
    let stdout = String(data: fm.contents(atPath: out.path) ?? Data(), encoding: .utf8) ?? ""
    let stderr = String(data: fm.contents(atPath: err.path) ?? Data(), encoding: .utf8) ?? ""
    return GoldenProcessResult(code: process.terminationStatus, stdout: stdout, stderr: stderr)
  }

  /// `almanac run` over a copy of `inbox` with fresh state and outbox in a new temporary folder.
  static func run(inbox: URL, year: Int, previous: URL? = nil, label: String, in parent: URL? = nil) throws -> GoldenRun
  {
    let root = try temporaryFolder(label, in: parent)
    let inboxCopy = root.appendingPathComponent("inbox")
    try FileManager.default.copyItem(at: inbox, to: inboxCopy)
    let outbox = root.appendingPathComponent("outbox")
    let state = root.appendingPathComponent("state")
    var arguments = [
      "run", "--pipeline", pipeline.path, "--seeds", seeds.path, "--inbox", inboxCopy.path, "--outbox", outbox.path,
      "--state", state.path, "--year", String(year),
    ]
    if let previous { arguments += ["--previous", previous.path] }
    let r = try almanac(arguments, in: root)
    return GoldenRun(
      code: r.code, output: r.stdout + r.stderr, root: root, state: state, year: year,
      outbox: outbox.appendingPathComponent(String(year)))
  }

  /// Every regular file under `folder`, as paths relative to it, sorted.
  static func files(under folder: URL) -> [String] {
    guard let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return []
    }
    let base = folder.standardizedFileURL.path
    var out: [String] = []
    for case let url as URL in e {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      let path = url.standardizedFileURL.path
      out.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path)
    }
    return out.sorted()
  }

  /// Ids of the units expected to submit for `year`: 部门, 乡镇 and 街道 of `seeds/departments.csv`
  /// that exist on 31 December (seeds/README.md), read here independently of the product.
  static func expectedDepartments(year: Int) throws -> [String] {
    let records = GoldenCSV.records(try GoldenCSV.read(seeds.appendingPathComponent("departments.csv")))
    let end = "\(year)-12-31"
    return records.filter { r in
      guard let level = r["level"], ["部门", "乡镇", "街道"].contains(level) else { return false }
      if let from = r["valid_from"], !from.isEmpty, from > end { return false }
      if let to = r["valid_to"], !to.isEmpty, to < end { return false }
      return true
    }.compactMap { $0["id"] }.sorted()
  }

  /// A project's `expected.json` (written by its generator).
  static func expected(_ project: String) throws -> [String: Any] {
    let url = projects.appendingPathComponent(project).appendingPathComponent("expected.json")
    guard let data = FileManager.default.contents(atPath: url.path),
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw GoldenError("\(url.path) is missing or not a JSON object; run the project's make_inbox.py") }
    return object
  }
}
