import AlmanacCore
import Foundation

/// What happened to one stage in a run.
public enum StageRunStatus: String, Codable, Sendable {
  case success, warned, reused, failed
  case notRun = "not_run"

  /// The word in the summary (zh-CN).
  public var label: String {
    switch self {
    case .success, .warned: "已运行"
    case .reused: "复用"
    case .failed: "失败"
    case .notRun: "未运行"
    }
  }
}

/// One stage's line in the run summary and in `last-run.json`.
public struct StageReport: Codable, Sendable, Equatable {
  public var name: String
  public var status: StageRunStatus
  /// Why it ran (zh-CN): forced, `--from`, missing or stale checkpoint.
  public var reason: String?
  public var fingerprint: String?
  /// This run's counters (`files_parsed`, `files_reused`, …); empty when reused.
  public var counters: [String: Int64]
  /// Findings by severity (`error`, `warning`, `info`), from this run or the reused checkpoint.
  public var findingCounts: [String: Int]
  public var seconds: Double?

  public init(
    name: String, status: StageRunStatus, reason: String? = nil, fingerprint: String? = nil,
    counters: [String: Int64] = [:], findingCounts: [String: Int] = [:], seconds: Double? = nil
  ) {
    self.name = name
    self.status = status
    self.reason = reason
    self.fingerprint = fingerprint
    self.counters = counters
    self.findingCounts = findingCounts
    self.seconds = seconds
  }
}

/// Why a run did not complete.
public enum RunFailureKind: String, Codable, Sendable {
  /// Bad flag, pipeline or seeds: exit 2.
  case usage
  /// A stage, a state file or the outbox failed: exit 3.
  case stage
  /// Another run holds the lock: exit 75.
  case locked
}

public struct RunFailure: Codable, Sendable, Equatable {
  public var kind: RunFailureKind
  /// The failed stage, when one failed.
  public var stage: String?
  public var message: String

  public init(kind: RunFailureKind, stage: String? = nil, message: String) {
    self.kind = kind
    self.stage = stage
    self.message = message
  }
}

/// The result of `Runner.run()`: the summary, `last-run.json` and the exit code come from it.
public struct RunReport: Sendable {
  public var runID: String
  public var startedAt: Date
  public var finishedAt: Date
  public var pipelineName: String?
  public var year: Int?
  public var stages: [StageReport] = []
  /// Every finding of every stage (reused ones included), sorted, ids unique.
  public var findings: [Finding] = []
  public var hash = HashStats()
  public var publish: PublishStats?
  public var heldBack: [HeldBackFile] = []
  /// Departments expected this year that sent nothing usable and were not accepted as such
  /// (open REC-SUB-001), sorted by id: whom the office still has to chase; nil when the run
  /// stopped before reconcile, so nobody was checked.
  public var missingDepartments: [DepartmentRef]?
  public var inputs: [InboxEntry] = []
  public var failure: RunFailure?
  public var strict: Bool

  public init(runID: String, startedAt: Date, strict: Bool) {
    self.runID = runID
    self.startedAt = startedAt
    self.finishedAt = startedAt
    self.strict = strict
  }

  /// Open findings by severity: what the exit code, the summary and `status` count. Findings
  /// an auditor accepted (`acceptedCount`) are not among them.
  public var findingCounts: [Severity: Int] {
    var c: [Severity: Int] = [:]
    for f in findings where f.isOpen { c[f.severity, default: 0] += 1 }
    return c
  }

  /// Findings an auditor accepted (`seeds/accepted_findings.csv`).
  public var acceptedCount: Int { findings.filter { !$0.isOpen }.count }

  /// 0, 1, 2, 3 or 75 (cli.md "Exit codes").
  public var exitCode: Int32 { ExitStatus.code(failure: failure?.kind, findingCounts: findingCounts, strict: strict) }

  /// Sum of one counter over all stages.
  public func counter(_ name: String) -> Int64 { stages.reduce(0) { $0 + ($1.counters[name] ?? 0) } }

  /// An unchanged rerun: every stage reused, no inbox file read, nothing published.
  public var nothingChanged: Bool {
    failure == nil && !stages.isEmpty && stages.allSatisfy { $0.status == .reused } && hash.filesHashed == 0
      && (publish.map { $0.written.isEmpty && $0.removed.isEmpty && !$0.manifestWritten } ?? true)
  }
}

/// The exit code contract: the highest applicable code wins.
public enum ExitStatus {
  public static let ok: Int32 = 0
  public static let findings: Int32 = 1
  public static let usage: Int32 = 2
  public static let stageFailure: Int32 = 3
  public static let locked: Int32 = 75

  public static func code(failure: RunFailureKind?, findingCounts: [Severity: Int], strict: Bool) -> Int32 {
    switch failure {
    case .locked: return locked
    case .usage: return usage
    case .stage: return stageFailure
    case nil:
      if findingCounts[.error, default: 0] > 0 { return findings }
      if strict && findingCounts[.warning, default: 0] > 0 { return findings }
      return ok
    }
  }
}
