import AlmanacCore
import Foundation

/// `<state>/<pipeline>/<year>/last-run.json`: the last run's summary, read by `almanac status`.
public struct RunRecord: Codable, Sendable, Equatable {
  public static let fileName = "last-run.json"

  public var runId: String
  public var startedAt: String
  public var finishedAt: String
  public var exitCode: Int32
  public var failure: RunFailure?
  public var stages: [StageReport]
  /// Open findings by severity (`error`, `warning`, `info`).
  public var findingCounts: [String: Int]
  /// Findings an auditor accepted; absent in records of versions without acceptances.
  public var acceptedFindings: Int?
  public var hash: HashStats
  public var publish: PublishStats?
  public var heldBack: [HeldBackFile]
  /// `RunReport.missingDepartments`; absent in records of versions that did not keep it.
  public var missingDepartments: [DepartmentRef]?
  /// The inbox as this run saw it: what `status` compares against for pending files.
  public var inputs: [InboxEntry]
  public var nothingChanged: Bool

  public init(_ report: RunReport) {
    runId = report.runID
    startedAt = Manifest.timestamp(report.startedAt)
    finishedAt = Manifest.timestamp(report.finishedAt)
    exitCode = report.exitCode
    failure = report.failure
    stages = report.stages
    var counts: [String: Int] = [:]
    for (s, n) in report.findingCounts { counts[s.rawValue] = n }
    findingCounts = counts
    acceptedFindings = report.acceptedCount
    hash = report.hash
    publish = report.publish
    heldBack = report.heldBack
    missingDepartments = report.missingDepartments
    inputs = report.inputs
    nothingChanged = report.nothingChanged
  }

  public static func read(from runFolder: URL) -> RunRecord? {
    guard let data = try? Data(contentsOf: runFolder.appendingPathComponent(fileName)) else { return nil }
    return try? JSONDecoder().decode(RunRecord.self, from: data)
  }

  func write(to runFolder: URL) throws {
    try AtomicFile.write(try AtomicFile.json(self), to: runFolder.appendingPathComponent(Self.fileName), mode: 0o600)
  }
}

/// `<state>/<pipeline>/<year>/run-started.json`: written when a run holding the lock begins,
/// removed when it ends however it ends — except by being killed. Found by the next run (whose
/// checkpoints may all be the killed run's: it reports their findings in full rather than as
/// already reported, since the killed run may have died before printing them) and by `status`
/// (whose pending files and last run are those of the last run that finished).
public struct RunMarker: Codable, Sendable, Equatable {
  public static let fileName = "run-started.json"

  public var runId: String
  public var startedAt: String
  public var pid: Int32

  public init(runId: String, startedAt: String, pid: Int32) {
    self.runId = runId
    self.startedAt = startedAt
    self.pid = pid
  }

  public static func read(from runFolder: URL) -> RunMarker? {
    guard let data = try? Data(contentsOf: runFolder.appendingPathComponent(fileName)) else { return nil }
    return try? JSONDecoder().decode(RunMarker.self, from: data)
  }

  func write(to runFolder: URL) throws {
    try AtomicFile.write(try AtomicFile.json(self), to: runFolder.appendingPathComponent(Self.fileName), mode: 0o600)
  }

  static func remove(from runFolder: URL) {
    unlink(runFolder.appendingPathComponent(fileName).path)
  }
}
