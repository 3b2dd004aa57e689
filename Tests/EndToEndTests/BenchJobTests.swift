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

  @Test func testBenchJob_figuresEqualTruthAt100kRows() throws {
    guard let shared = Self.shared else {
      print("BenchJobTests skipped: shared/bench not found beside the repository (set ALMANAC_SHARED)")
      return
    }
    let almanac = try Self.binary()
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    let data = work.appendingPathComponent("r100k")
    let python = "/usr/bin/python3"
    let (genStatus, _) = try Self.run(
      python,
      [
        shared.appendingPathComponent("bench/gen_registers.py").path, "--rows", "100000", "--jobs", "1", "--out",
        data.path,
      ])
    #expect(genStatus == 0)
    let pipeline = Self.root.appendingPathComponent("pipelines/bench-registers")
    let (seedStatus, _) = try Self.run(
      python, [Self.root.appendingPathComponent("scripts/bench_seeds.py").path, data.path, pipeline.path])
    #expect(seedStatus == 0)

    let outbox = work.appendingPathComponent("outbox")
    let (status, _) = try Self.run(
      almanac.path,
      [
        "run", "--pipeline", pipeline.path, "--seeds", data.appendingPathComponent("almanac-seeds").path, "--inbox",
        data.appendingPathComponent("inbox").path, "--outbox", outbox.path, "--state",
        work.appendingPathComponent("state").path, "--year", "2025", "--quiet",
      ])
    // Exit 1: the run completed with findings of severity error (the declared totals that differ).
    #expect(status == 1)
    let out = outbox.appendingPathComponent("2025")

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
    let byKey = { (a: [String], b: [String]) in (a[0], a[2], a[3]) < (b[0], b[2], b[3]) }
    let truthCounts = try Self.csv(data.appendingPathComponent("truth/consolidated.csv"))
    #expect(truthCounts.count == 36217)
    #expect(counted.sorted(by: byKey) == Array(truthCounts.dropFirst()))

    var mismatches: [[String]] = []
    let log = try String(contentsOf: out.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
    for line in log.split(separator: "\n") {
      let finding = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
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
}
