import Foundation

/// One run's inbox, outbox and state folders and the `almanac run` arguments that name them.
public struct RunFolders: Sendable {
  public var inbox: URL
  public var outbox: URL
  public var state: URL
  public var year: Int
  public var pipeline: URL
  public var seeds: URL

  public init(
    inbox: URL, outbox: URL, state: URL, year: Int, pipeline: URL = ProjectPaths.nationalPipeline,
    seeds: URL = ProjectPaths.seeds
  ) {
    self.inbox = inbox
    self.outbox = outbox
    self.state = state
    self.year = year
    self.pipeline = pipeline
    self.seeds = seeds
  }

  /// `<base>/<name>-outbox` and `<base>/<name>-state` over a shared inbox.
  public init(inbox: URL, base: URL, name: String, year: Int) {
    self.init(
      inbox: inbox, outbox: base.appendingPathComponent("\(name)-outbox"),
      state: base.appendingPathComponent("\(name)-state"), year: year)
  }

  /// `run --pipeline … --inbox … --outbox … --state … --seeds … --year …` plus `extra`.
  public func runArguments(_ extra: [String] = []) -> [String] {
    [
      "run", "--pipeline", pipeline.path, "--inbox", inbox.path, "--outbox", outbox.path, "--state", state.path,
      "--seeds", seeds.path, "--year", String(year),
    ] + extra
  }

  /// `outbox/<year>/`.
  public var yearFolder: URL { outbox.appendingPathComponent(String(year)) }

  /// `<state>/<pipeline name>/<year>/last-run.json` (the pipeline folder's name is its name).
  public var lastRunURL: URL {
    state.appendingPathComponent(pipeline.lastPathComponent).appendingPathComponent(String(year))
      .appendingPathComponent("last-run.json")
  }

  /// The last run's record as JSON, or nil when there is none.
  public func lastRun() throws -> LastRun? {
    guard FileManager.default.fileExists(atPath: lastRunURL.path) else { return nil }
    return try LastRun(data: Data(contentsOf: lastRunURL))
  }
}

/// The parts of `last-run.json` the end-to-end tests assert on, read as plain JSON so the
/// tests see exactly what an operator's script would.
public struct LastRun: Sendable {
  public var exitCode: Int
  public var nothingChanged: Bool
  /// Stage name → status (`success`, `warned`, `reused`, `failed`, `not_run`), in run order.
  public var stages: [(name: String, status: String)]
  /// Counter totals over all stages (`files_parsed`, `files_reused`, …).
  public var counters: [String: Int]
  /// Inbox files read for hashing this run.
  public var filesHashed: Int

  public init(data: Data) throws {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.propertyListReadCorrupt)
    }
    exitCode = (object["exitCode"] as? NSNumber)?.intValue ?? -1
    nothingChanged = (object["nothingChanged"] as? NSNumber)?.boolValue ?? false
    var stages: [(String, String)] = []
    var counters: [String: Int] = [:]
    for s in object["stages"] as? [[String: Any]] ?? [] {
      stages.append((s["name"] as? String ?? "?", s["status"] as? String ?? "?"))
      for (k, v) in s["counters"] as? [String: Any] ?? [:] {
        counters[k, default: 0] += (v as? NSNumber)?.intValue ?? 0
      }
    }
    self.stages = stages
    self.counters = counters
    filesHashed = ((object["hash"] as? [String: Any])?["filesHashed"] as? NSNumber)?.intValue ?? -1
  }

  public func counter(_ name: String) -> Int { counters[name] ?? 0 }
  public func status(of stage: String) -> String? { stages.first { $0.name == stage }?.status }
}
