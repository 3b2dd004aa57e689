import AlmanacCore
import Foundation
import Logging
import Runner

/// A throwaway project folder: `pipelines/test/`, `seeds/`, `inbox/`, under a fresh temp dir.
struct TestProject {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("inbox"), withIntermediateDirectories: true)
    try write(
      """
      version: 1
      name: test-pipeline
      title: 测试报告
      style: national-2021
      region:
        name: 测试市
      year: 2021
      seeds: [numbers]

      """, to: "pipelines/test/pipeline.yaml")
    try write("name,value\nbase,10\n", to: "seeds/numbers.csv")
  }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  func write(_ text: String, to relative: String) throws {
    let u = url(relative)
    try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: u)
  }

  func read(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

  func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative).path) }

  func settings(_ raw: RawSettings = RawSettings(), environment: [String: String] = [:]) throws -> RunSettings {
    var r = raw
    r.pipeline = r.pipeline ?? "pipelines/test"
    return try RunSettings.resolve(r, environment: environment, workingDirectory: root)
  }

  func run(
    _ raw: RawSettings = RawSettings(), wiring: any PipelineWiring, lines: LineRecorder = LineRecorder()
  ) async throws -> RunReport {
    let logger = Logger(label: "test") { _ in
      ConsoleLogHandler(console: lines.console, format: .text, level: .debug)
    }
    return await Runner(settings: try settings(raw), wiring: wiring, logger: logger).run()
  }

  /// `<state>/test-pipeline/2021/<NN>-<stage>/`.
  func stageFolder(_ index: Int, _ stage: String) -> URL {
    url(".almanac/test-pipeline/2021/0\(index)-\(stage)")
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Collects console output for assertions.
final class LineRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""
  var console: Console {
    Console(isTerminal: false) { [self] s in
      lock.lock()
      text += s
      lock.unlock()
    }
  }
  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }
}

/// Records which test stages actually ran, and whether their checkpoint existed meanwhile.
final class ExecutionLog: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String] = []
  private var sawCheckpoint: [String] = []
  func record(_ stage: String, workDirectory: URL) {
    lock.lock()
    entries.append(stage)
    if FileManager.default.fileExists(atPath: workDirectory.appendingPathComponent("checkpoint.json").path) {
      sawCheckpoint.append(stage)
    }
    lock.unlock()
  }
  var ran: [String] {
    lock.lock()
    defer { lock.unlock() }
    return entries
  }
  var checkpointsSeenDuringRun: [String] {
    lock.lock()
    defer { lock.unlock() }
    return sawCheckpoint
  }
  func reset() {
    lock.lock()
    entries = []
    lock.unlock()
  }
}

struct TestStageFailure: Error, CustomStringConvertible {
  var description: String { "disk full (simulated)" }
}

struct CountInput: Sendable {
  var inbox: URL
  var files: [InboxEntry]
}

struct CountOutput: Codable, Sendable, Equatable {
  var lines: [String: Int]
}

/// Counts non-empty lines per inbox table file; `ERROR…`/`WARN…` lines become findings.
struct CountStage: Stage {
  static let name = "count"
  let log: ExecutionLog
  let fail: Bool

  func run(_ input: CountInput, in context: StageContext) async throws -> CountOutput {
    log.record(Self.name, workDirectory: context.workDirectory)
    if fail { throw TestStageFailure() }
    var lines: [String: Int] = [:]
    for f in input.files {
      let text = try String(contentsOf: input.inbox.appendingPathComponent(f.path), encoding: .utf8)
      let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      lines[f.path] = rows.filter { !$0.isEmpty }.count
      context.counters.add("files_parsed")
      context.counters.add("bytes_parsed", f.size)
      for (i, row) in rows.enumerated() {
        let severity: Severity? = row.hasPrefix("ERROR") ? .error : (row.hasPrefix("WARN") ? .warning : nil)
        guard let severity else { continue }
        context.findings.emit(
          Finding(
            code: severity == .error ? "TST-001" : "TST-002", severity: severity, stage: Self.name,
            message: "第 \(i + 1) 行标记为问题", sources: [SourceRef(file: f.path, sha256: f.sha256, line: i + 1, column: 1)]))
      }
    }
    return CountOutput(lines: lines)
  }
}

struct SumOutput: Codable, Sendable, Equatable {
  var total: Int
  /// Makes writing the output fail (the stage itself succeeds): a commit that fails while the
  /// next stage already runs.
  var unwritable = false

  enum CodingKeys: String, CodingKey { case total }

  init(total: Int, unwritable: Bool = false) {
    self.total = total
    self.unwritable = unwritable
  }

  func encode(to encoder: any Encoder) throws {
    if unwritable { throw TestStageFailure() }
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(total, forKey: .total)
  }
}

/// Adds the line counts and the seed `base`.
struct SumStage: Stage {
  static let name = "sum"
  let log: ExecutionLog
  let fail: Bool
  var failWriting = false

  func run(_ input: CountOutput, in context: StageContext) async throws -> SumOutput {
    log.record(Self.name, workDirectory: context.workDirectory)
    if fail { throw TestStageFailure() }
    let base = context.seeds["numbers"]?.records.first { $0["name"] == "base" }.flatMap { Int($0["value"] ?? "") } ?? 0
    return SumOutput(total: input.lines.values.reduce(base, +), unwritable: failWriting)
  }
}

struct PublishInput: Sendable {
  var counts: CountOutput
  var sum: SumOutput
}

/// Stages `total.txt` and `tables/lines.csv` for the outbox.
struct PublishStage: Stage {
  static let name = "publish"
  let log: ExecutionLog
  let fail: Bool

  func run(_ input: PublishInput, in context: StageContext) async throws -> StagedFiles {
    log.record(Self.name, workDirectory: context.workDirectory)
    if fail { throw TestStageFailure() }
    var staged = StagedFiles()
    try staged.stage(Data("total=\(input.sum.total)\n".utf8), as: "total.txt", in: context.workDirectory)
    var csv = "file,lines\n"
    for (k, v) in input.counts.lines.sorted(by: { $0.key < $1.key }) { csv += "\(k),\(v)\n" }
    try staged.stage(Data(csv.utf8), as: "tables/lines.csv", in: context.workDirectory)
    return staged
  }
}

/// count → sum → publish over the project's inbox, with optional failures.
struct TestWiring: PipelineWiring {
  let log: ExecutionLog
  var failing: Set<String> = []
  /// Stages whose output cannot be written (their commit fails after they ran).
  var failingWrites: Set<String> = []
  /// Declares count's output read by the next step only (publish reads it too, from disk then).
  var countOnlyForNextStep = false

  func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
    var tables: [String: SeedTable] = [:]
    for name in names {
      let url = folder.appendingPathComponent("\(name).csv")
      guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        throw UsageError("\(url.path): seed table missing")
      }
      let rows = text.split(separator: "\n").map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
      guard let header = rows.first else { throw UsageError("\(url.path): empty seed table") }
      tables[name] = SeedTable(
        name: name, header: header, rows: Array(rows.dropFirst()), lines: Array(2..<(rows.count + 1)))
    }
    return Seeds(tables: tables)
  }

  func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
    [
      PipelineStep(
        CountStage(log: log, fail: failing.contains("count")),
        fingerprint: { $0.tableFiles.map(\.fingerprintPart) }, onlyForNextStep: countOnlyForNextStep
      ) { i in CountInput(inbox: i.environment.settings.inbox, files: i.environment.tableFiles) },
      PipelineStep(
        SumStage(log: log, fail: failing.contains("sum"), failWriting: failingWrites.contains("sum"))
      ) { i in try i.output(of: CountStage.self) },
      PipelineStep(PublishStage(log: log, fail: failing.contains("publish"))) { i in
        PublishInput(counts: try i.output(of: CountStage.self), sum: try i.output(of: SumStage.self))
      },
    ]
  }
}

/// Modification time in nanoseconds.
func mtimeNs(_ url: URL) -> Int64 { FileStamp.of(url)?.mtimeNs ?? -1 }
