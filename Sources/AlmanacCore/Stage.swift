import Foundation
import Logging

/// One step of the pipeline: typed input, typed output, one method, no globals.
///
/// The runner fingerprints the input, runs the stage, writes the output and then, last,
/// the checkpoint. A stage never writes into the outbox itself: it writes into
/// `context.workDirectory`, and the runner publishes.
public protocol Stage<Input, Output>: Sendable {
  associatedtype Input: Sendable
  associatedtype Output: Codable & Sendable
  /// `ingest`, `normalize`, …: used in paths, logs and finding codes.
  static var name: String { get }
  /// `input` is the stage's to consume: a stage may let parts of a large input go while it
  /// works (normalize frees each sheet once normalized).
  func run(_ input: consuming Input, in context: StageContext) async throws -> Output
}

/// Progress of a long stage, for the TTY progress bar (files and bytes done).
public protocol ProgressReporter: Sendable {
  func begin(stage: String, totalFiles: Int, totalBytes: Int64)
  func advance(files: Int, bytes: Int64)
  func end()
}

public struct SilentProgress: ProgressReporter {
  public init() {}
  public func begin(stage: String, totalFiles: Int, totalBytes: Int64) {}
  public func advance(files: Int, bytes: Int64) {}
  public func end() {}
}

/// Counters a stage reports for the run summary (the "unchanged rerun parses nothing" proof).
public final class StageCounters: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: Int64] = [:]
  public init() {}
  public func add(_ name: String, _ n: Int64 = 1) {
    lock.lock()
    values[name, default: 0] += n
    lock.unlock()
  }
  public var snapshot: [String: Int64] {
    lock.lock()
    defer { lock.unlock() }
    return values
  }
}

/// Everything a stage may touch. Nothing else reaches a stage.
public struct StageContext: Sendable {
  public var findings: FindingSink
  /// The stage's own folder in the state directory; caches and scratch files go here.
  public var workDirectory: URL
  public var logger: Logger
  public var progress: any ProgressReporter
  public var counters: StageCounters
  public var pipeline: PipelineDefinition
  /// The pipeline folder (templates, text material).
  public var pipelineFolder: URL
  public var seeds: Seeds
  /// The report year of this run.
  public var year: Int

  public init(
    findings: FindingSink, workDirectory: URL, logger: Logger, progress: any ProgressReporter = SilentProgress(),
    counters: StageCounters = StageCounters(), pipeline: PipelineDefinition, pipelineFolder: URL, seeds: Seeds,
    year: Int
  ) {
    self.findings = findings
    self.workDirectory = workDirectory
    self.logger = logger
    self.progress = progress
    self.counters = counters
    self.pipeline = pipeline
    self.pipelineFolder = pipelineFolder
    self.seeds = seeds
    self.year = year
  }
}
