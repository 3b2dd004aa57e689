import Foundation
import Testing

/// The reference workload of `shared/bench` through the real binary and the ordinary stages:
/// 100,000 generated register rows in 2,000 files, `pipelines/bench-registers`, and Almanac's
/// counts and mismatches compared row for row with the generator's `truth/`.
@Suite struct BenchJobTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `ALMANAC_SHARED`, else `shared/` beside the repository.
  static var shared: URL? {
    let env = ProcessInfo.processInfo.environment["ALMANAC_SHARED"].map { URL(fileURLWithPath: $0) }
    let candidates = [env, root.deletingLastPathComponent().appendingPathComponent("shared")].compactMap { $0 }
    return candidates.first {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("bench/gen_registers.py").path)
    }
  }

  static func binary() throws -> URL {
    if let env = ProcessInfo.processInfo.environment["ALMANAC_BIN"], !env.isEmpty { return URL(fileURLWithPath: env) }
    var candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("almanac")]
    for config in ["debug", "release"] { candidates.append(root.appendingPathComponent(".build/\(config)/almanac")) }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
      throw Failure("no almanac executable (searched \(candidates.map(\.path))); run `swift build` first")
    }
    return found
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
  }

  /// Runs a program; returns its exit status and standard output.
  @discardableResult
  static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// RFC 4180 fields of one CSV file (quotes, doubled quotes; no line breaks inside fields here).
  static func csv(_ url: URL) throws -> [[String]] {
    var text = try String(contentsOf: url, encoding: .utf8)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    return text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
      let chars = Array(line)
      var fields: [String] = []
      var field = ""
      var quoted = false
      var i = 0
      while i < chars.count {
        let c = chars[i]
        if quoted, c == "\"" {
          if i + 1 < chars.count, chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else if !quoted, c == "\"" {
          quoted = true
        } else if !quoted, c == "," {
          fields.append(field)
          field = ""
        } else {
          field.append(c)
        }
        i += 1
      }
      fields.append(field)
      return fields
    }
  }

  static let pipeline = root.appendingPathComponent("pipelines/bench-registers")

  /// Generates a benchmark inbox into `data` (`gen_registers.py` with `arguments`) and its
  /// seeds for `pipelines/bench-registers` (`scripts/bench_seeds.py`).
  static func generate(_ shared: URL, into data: URL, _ arguments: [String]) throws {
    let python = "/usr/bin/python3"
    let (genStatus, _) = try run(
      python, [shared.appendingPathComponent("bench/gen_registers.py").path] + arguments + ["--out", data.path])
    #expect(genStatus == 0)
    let (seedStatus, _) = try run(
      python, [root.appendingPathComponent("scripts/bench_seeds.py").path, data.path, pipeline.path])
    #expect(seedStatus == 0)
  }

  /// A fresh work folder with a benchmark inbox generated into `work/name` (`generate`); nil,
  /// after saying why, when `shared/bench` is not beside the repository. The caller removes
  /// `work`.
  static func generated(_ name: String, _ arguments: [String]) throws -> (work: URL, data: URL)? {
    guard let shared = Self.shared else {
      print("BenchJobTests skipped: shared/bench not found beside the repository (set ALMANAC_SHARED)")
      return nil
    }
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-bench-\(UUID().uuidString)")
    let data = work.appendingPathComponent(name)
    do {
      try generate(shared, into: data, arguments)
    } catch {
      try? FileManager.default.removeItem(at: work)
      throw error
    }
    return (work, data)
  }

  /// `almanac run` of the benchmark pipeline over `inbox` with `data`'s seeds, outbox and state
  /// under `work`; the exit status.
  static func runJob(data: URL, inbox: URL, work: URL) throws -> Int32 {
    try run(
      binary().path,
      [
        "run", "--pipeline", pipeline.path, "--seeds", data.appendingPathComponent("almanac-seeds").path, "--inbox",
        inbox.path, "--outbox", work.appendingPathComponent("outbox").path, "--state",
        work.appendingPathComponent("state").path, "--year", "2025", "--quiet",
      ]
    ).0
  }

  /// The findings of `reconciliation.jsonl`, one JSON object each.
  static func findings(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
    }
  }

  @Test func testBenchJob_figuresEqualTruthAt100kRows() throws {
    guard let (work, data) = try Self.generated("r100k", ["--rows", "100000", "--jobs", "1"]) else { return }
    defer { try? FileManager.default.removeItem(at: work) }

    let status = try Self.runJob(data: data, inbox: data.appendingPathComponent("inbox"), work: work)
    // Exit 1: the run completed with findings of severity error (the declared totals that differ).
    #expect(status == 1)
    let out = work.appendingPathComponent("outbox/2025")

    var names: [String: String] = [:]
    for r in try Self.csv(data.appendingPathComponent("seeds/departments.csv")).dropFirst() { names[r[0]] = r[2] }

    let consolidated = try Self.csv(out.appendingPathComponent("consolidated.csv"))
    let header = consolidated.first ?? []
    func col(_ name: String) throws -> Int {
      guard let i = header.firstIndex(of: name) else { throw Failure("consolidated.csv lacks \(name)") }
      return i
    }
    let (dept, deptName, kind, form, rowKey, colKey, rowLabel, colLabel, value) = (
      try col("department_id"), try col("department_name"), try col("kind"), try col("form"), try col("row_key"),
      try col("column_key"), try col("row_label"), try col("column_label"), try col("value")
    )
    var labels: [String: String] = [:]
    var counted: [[String]] = []
    for r in consolidated.dropFirst() {
      labels["r." + r[rowKey]] = r[rowLabel]
      labels["c." + r[colKey]] = r[colLabel]
      if r[kind] == "register", r[form] == "requests", let n = Int(r[value]), n > 0 {
        counted.append([r[dept], r[deptName], r[colLabel], r[rowLabel], r[value]])
      }
    }
    // Every declared figure names the seed row it comes from (file, line, the value's column):
    // that row holds the same department, cell and value.
    let declared = try Self.csv(data.appendingPathComponent("almanac-seeds/declared.csv"))
    let (sourceFile, sourceLine, sourceColumn) = (
      try col("source_file"), try col("source_line"), try col("source_column")
    )
    var traced = 0
    for r in consolidated.dropFirst() where r[kind] == "submitted" {
      let line = Int(r[sourceLine]) ?? 0
      #expect(r[sourceFile] == "seeds/declared.csv" && r[sourceColumn] == "4")
      guard line >= 2, line <= declared.count else {
        Issue.record("declared figure without its seed row: \(r)")
        continue
      }
      #expect(declared[line - 1] == [r[dept], r[rowKey], r[colKey], r[value]])
      traced += 1
    }
    #expect(traced > 30_000)

    let byKey = { (a: [String], b: [String]) in (a[0], a[2], a[3]) < (b[0], b[2], b[3]) }
    let truthCounts = try Self.csv(data.appendingPathComponent("truth/consolidated.csv"))
    #expect(truthCounts.count == 36217)
    #expect(counted.sorted(by: byKey) == Array(truthCounts.dropFirst()))

    var mismatches: [[String]] = []
    for finding in try Self.findings(out.appendingPathComponent("reconciliation.jsonl")) {
      guard finding["code"] as? String == "REC-REG-001" else { continue }
      let id = finding["department"] as? String ?? ""
      let parts = (finding["cell"] as? String ?? "").split(separator: ".").map(String.init)
      let c = Int(finding["expected"] as? String ?? "") ?? -1
      let d = Int(finding["actual"] as? String ?? "") ?? -1
      guard parts.count == 3 else { continue }
      mismatches.append([
        id, names[id] ?? "", labels["c." + parts[2]] ?? "", labels["r." + parts[1]] ?? "", String(c), String(d),
        String(c - d),
      ])
    }
    let truthMismatches = try Self.csv(data.appendingPathComponent("truth/mismatches.csv"))
    #expect(truthMismatches.count == 95)
    #expect(mismatches.sorted(by: byKey) == Array(truthMismatches.dropFirst()))
  }

  /// A register whose unit column holds a different unregistered name on 150 rows (what a
  /// column filled with applicants' names gives): ingest keeps 100 such values as groups and
  /// tallies the other 50 (`RegisterUnlisted`); normalize lists the 20 most frequent, one
  /// finding each, and the remaining 130 in one finding that still accounts for every row.
  @Test func testBenchJob_manyUnregisteredUnitNames_twentyListedAndOneForTheRest() throws {
    guard let (work, data) = try Self.generated("small", ["--rows", "2000", "--departments", "20", "--jobs", "1"])
    else { return }
    defer { try? FileManager.default.removeItem(at: work) }

    // The first UTF-8 register gets 150 rows after its first data row, each naming a
    // different unit no seed has.
    let inbox = data.appendingPathComponent("inbox")
    let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted()
    let bom = Data([0xEF, 0xBB, 0xBF])
    guard
      let name = try names.first(where: {
        try Data(contentsOf: inbox.appendingPathComponent($0)).prefix(3) == bom
      })
    else { throw Failure("no UTF-8 register in the generated inbox") }
    let url = inbox.appendingPathComponent(name)
    var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\r\n")
    guard let first = lines.firstIndex(where: { $0.split(separator: ",").first.map { Int($0) != nil } ?? false })
    else { throw Failure("no data row in \(name)") }
    var fields = lines[first].components(separatedBy: ",")
    fields = Array(fields.prefix(8)) + [""]
    let extra = (0..<150).map { i -> String in
      var f = fields
      f[0] = String(9000 + i)
      f[2] = "未登记单位\(i)号"
      return f.joined(separator: ",")
    }
    lines.insert(contentsOf: extra, at: first + 1)
    try Data(lines.joined(separator: "\r\n").utf8).write(to: url)

    let status = try Self.runJob(data: data, inbox: inbox, work: work)
    #expect(status == 0 || status == 1)
    let units = try Self.findings(work.appendingPathComponent("outbox/2025/reconciliation.jsonl")).filter {
      $0["code"] as? String == "NRM-019"
    }
    #expect(units.count == 21)
    let rest = units.filter { ($0["message"] as? String ?? "").contains("未逐一列出") }
    #expect(rest.count == 1)
    let message = rest.first?["message"] as? String ?? ""
    #expect(message.contains("另有 130 个值"))
    #expect(message.contains("共 130 条登记未计入"))
    #expect(rest.first?["actual"] as? String == "130")
    // Ingest kept 100 of them as groups and tallied 50.
    let ingest = try String(
      contentsOf: work.appendingPathComponent("state/bench-registers/2025/01-ingest/output.json"), encoding: .utf8)
    #expect(ingest.contains("\"unlisted\":[{\"column\":0,\"examples\":[\"未登记单位100号\""))
    #expect(ingest.contains("\"rows\":50"))
  }
}
