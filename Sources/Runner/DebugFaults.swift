import AlmanacCore
import Foundation
import Ingest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hidden development switches that crash a run (SIGKILL, as `kill -9` would) at a chosen
/// moment or hold the lock, so the end-to-end tests can prove the checkpoint guarantees.
///
/// Set by the hidden flags `--debug-kill-after STAGE`, `--debug-kill-after-files N` and
/// `--debug-hold-lock SECONDS` (or `ALMANAC_DEBUG_KILL_AFTER`, `ALMANAC_DEBUG_KILL_AFTER_FILES`,
/// `ALMANAC_DEBUG_HOLD_LOCK`). Operators never need them; they are not in `--help`.
public struct DebugFaults: Sendable, Equatable {
  /// The boundary after publishing to the outbox, before `last-run.json` is written.
  public static let publishBoundary = "publish"

  /// Kill right after this stage's checkpoint is written (or after publishing, for `publish`).
  public var killAfterStage: String?
  /// Kill once this many inbox files were ingested (each one's per-file cache written).
  public var killAfterFiles: Int?
  /// Sleep this many seconds while holding the lock, before any stage runs.
  public var holdLockSeconds: Double?

  public init(killAfterStage: String? = nil, killAfterFiles: Int? = nil, holdLockSeconds: Double? = nil) {
    self.killAfterStage = killAfterStage
    self.killAfterFiles = killAfterFiles
    self.holdLockSeconds = holdLockSeconds
  }

  public static let none = DebugFaults()

  /// The environment variable read for each switch when its flag is absent.
  public enum Variable {
    public static let killAfter = "ALMANAC_DEBUG_KILL_AFTER"
    public static let killAfterFiles = "ALMANAC_DEBUG_KILL_AFTER_FILES"
    public static let holdLock = "ALMANAC_DEBUG_HOLD_LOCK"
  }

  /// Resolves flag over environment; throws `UsageError` (exit 2) for a value that is not a number.
  static func resolve(
    killAfter: String?, killAfterFiles: String?, holdLock: String?, environment: [String: String]
  ) throws -> DebugFaults {
    func text(_ flag: String?, _ variable: String) -> String? {
      if let flag { return flag }
      if let value = environment[variable], !value.isEmpty { return value }
      return nil
    }
    var faults = DebugFaults(killAfterStage: text(killAfter, Variable.killAfter))
    if let value = text(killAfterFiles, Variable.killAfterFiles) {
      guard let n = Int(value), n >= 0 else {
        throw UsageError("--debug-kill-after-files '\(value)' is not a file count (0 or more)")
      }
      faults.killAfterFiles = n
    }
    if let value = text(holdLock, Variable.holdLock) {
      guard let s = Double(value), s >= 0, s.isFinite else {
        throw UsageError("--debug-hold-lock '\(value)' is not a number of seconds")
      }
      faults.holdLockSeconds = s
    }
    return faults
  }

  /// Checks `killAfterStage` names a boundary this run has.
  func validate(stages: [String]) throws {
    guard let stage = killAfterStage else { return }
    let boundaries = stages + [Self.publishBoundary]
    guard boundaries.contains(stage) else {
      throw UsageError(
        "--debug-kill-after \(stage): no such stage boundary; use one of \(boundaries.joined(separator: ", "))")
    }
  }

  /// Kills the process when `boundary` is the configured one.
  func reached(_ boundary: String) {
    if killAfterStage == boundary { Self.killSelf() }
  }

  /// Wraps a progress reporter so the ingest stage's N-th finished file kills the process.
  func wrap(_ progress: any ProgressReporter) -> any ProgressReporter {
    guard let n = killAfterFiles else { return progress }
    return KillingProgress(wrapped: progress, limit: n)
  }

  /// SIGKILL to ourselves: no handler, no flush, no cleanup — exactly a `kill -9`.
  static func killSelf() -> Never {
    kill(getpid(), SIGKILL)
    while true { pause() }
  }
}

/// Counts the files the ingest stage finished and kills the process at the limit.
final class KillingProgress: ProgressReporter, @unchecked Sendable {
  private let wrapped: any ProgressReporter
  private let limit: Int
  private let lock = NSLock()
  private var stage = ""
  private var files = 0

  init(wrapped: any ProgressReporter, limit: Int) {
    self.wrapped = wrapped
    self.limit = limit
  }

  func begin(stage: String, totalFiles: Int, totalBytes: Int64) {
    lock.lock()
    self.stage = stage
    lock.unlock()
    wrapped.begin(stage: stage, totalFiles: totalFiles, totalBytes: totalBytes)
    if stage == IngestStage.name && limit == 0 { DebugFaults.killSelf() }
  }

  func advance(files: Int, bytes: Int64) {
    wrapped.advance(files: files, bytes: bytes)
    lock.lock()
    let counting = stage == IngestStage.name
    if counting { self.files += files }
    let done = self.files
    lock.unlock()
    // The ingest stage reports a file only after its per-file cache was written.
    if counting && done >= limit { DebugFaults.killSelf() }
  }

  func end() { wrapped.end() }
}
