import AlmanacCore
import Foundation

/// One stage in the runner's list: the stage, how to build its input from the run
/// environment and earlier outputs, and what besides upstream goes into its fingerprint.
///
/// ```swift
/// PipelineStep(NormalizeStage()) { inputs in
///   try inputs.output(of: IngestStage.self).sheets
/// }
/// ```
public struct PipelineStep: Sendable {
  /// The stage's name (`S.name`).
  public let name: String
  let fingerprintParts: @Sendable (RunEnvironment) throws -> [String]
  let execute: @Sendable (StepInputs, StageContext) async throws -> StepResult
  let decode: @Sendable (URL) throws -> any Sendable
  let tracksHeldBack: Bool
  /// Only the next step reads this output: once that step's input is built, the value leaves
  /// the runner's memory and is the stage's (it stays in the stage folder, and is decoded
  /// again should anything else ask).
  let onlyForNextStep: Bool

  /// - Parameters:
  ///   - fingerprint: this stage's own inputs beyond upstream (e.g. inbox files'
  ///     `fingerprintPart`s, a previous dataset's hash). Pipeline, seeds, year, tool version
  ///     and the upstream stage's fingerprint and output hash are always added by the runner.
  ///   - heldBack: files held back according to this stage's output, for `status` and the summary.
  ///   - onlyForNextStep: the output is read by the next step only (keeps peak memory down).
  ///   - input: builds the stage input; `inputs.output(of:)` loads earlier stages' outputs.
  public init<S: Stage>(
    _ stage: S,
    fingerprint: @escaping @Sendable (RunEnvironment) throws -> [String] = { _ in [] },
    heldBack: (@Sendable (S.Output) -> [HeldBackFile])? = nil, onlyForNextStep: Bool = false,
    input: @escaping @Sendable (StepInputs) throws -> S.Input
  ) {
    self.onlyForNextStep = onlyForNextStep
    name = S.name
    fingerprintParts = fingerprint
    tracksHeldBack = heldBack != nil
    decode = { url in try CompactJSONDecoder.decode(S.Output.self, contentsOf: url) }
    execute = { inputs, context in
      let value = try input(inputs)
      inputs.inputBuilt()
      let output = try await stage.run(consume value, in: context)
      // Encoded later, by the commit queue, while the next stage runs.
      return StepResult(
        value: output, writeOutput: { try AtomicFile.writeCompactJSON(output, to: $0, expectedSize: $1) },
        staged: output as? StagedFiles,
        heldBack: heldBack?(output) ?? [])
    }
  }
}

/// What running one step produced.
struct StepResult: Sendable {
  var value: any Sendable
  /// Writes the output as `output.json` holds it to the URL, given the size it is expected to
  /// have; returns the file's sha256.
  var writeOutput: @Sendable (URL, Int) throws -> String
  var staged: StagedFiles?
  var heldBack: [HeldBackFile]
}

/// A step's view of the run: the environment and the outputs of the steps before it.
///
/// Outputs of reused stages are loaded from their `output.json` only when asked for, so an
/// unchanged rerun decodes nothing.
public final class StepInputs: @unchecked Sendable {
  public let environment: RunEnvironment
  /// The running stage's finding sink: problems met while building the input (a text file
  /// that cannot be used, say) are recorded with the stage's own findings.
  public let findings: FindingSink
  /// The running stage's folder in the state directory.
  public let workDirectory: URL
  private let store: OutputStore
  private let available: [String]

  /// Called once the step's input is built (the runner lets go of outputs only it reads).
  let inputBuilt: @Sendable () -> Void

  init(
    environment: RunEnvironment, store: OutputStore, available: [String], findings: FindingSink, workDirectory: URL,
    inputBuilt: @escaping @Sendable () -> Void = {}
  ) {
    self.environment = environment
    self.store = store
    self.available = available
    self.findings = findings
    self.workDirectory = workDirectory
    self.inputBuilt = inputBuilt
  }

  /// The output of an earlier stage of this run.
  public func output<S: Stage>(of stage: S.Type) throws -> S.Output {
    guard available.contains(S.name) else {
      throw RunnerError.wiring("the input of a stage asks for the output of '\(S.name)', which is not an earlier stage")
    }
    let value = try store.value(of: S.name)
    guard let typed = value as? S.Output else {
      throw RunnerError.wiring("the output of '\(S.name)' is not a \(S.Output.self)")
    }
    return typed
  }

  /// Every finding the earlier stages emitted (reused stages included), sorted, ids unique.
  public func findingsSoFar() throws -> [Finding] {
    try store.findings(of: available)
  }
}

/// Outputs and findings of the steps run or reused so far, loaded lazily from stage folders.
final class OutputStore: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: any Sendable] = [:]
  private var findingLists: [String: [Finding]] = [:]
  private var sources: [String: (folder: StageFolder, decode: @Sendable (URL) throws -> any Sendable)] = [:]
  /// For evicted outputs whose commit may still be queued: waits until it is written.
  private var committed: [String: @Sendable () -> Void] = [:]

  func put(_ name: String, value: any Sendable, findings: [Finding]) {
    lock.lock()
    defer { lock.unlock() }
    values[name] = value
    findingLists[name] = findings
  }

  /// Drops an output from memory; it is decoded from its folder if asked for again, once
  /// `committed` has returned (it waits for the output's commit, which may still be queued).
  func evict(
    _ name: String, folder: StageFolder, decode: @escaping @Sendable (URL) throws -> any Sendable,
    committed: @escaping @Sendable () -> Void
  ) {
    lock.lock()
    defer { lock.unlock() }
    sources[name] = (folder, decode)
    values[name] = nil
    self.committed[name] = committed
  }

  func register(_ name: String, folder: StageFolder, decode: @escaping @Sendable (URL) throws -> any Sendable) {
    lock.lock()
    defer { lock.unlock() }
    sources[name] = (folder, decode)
    values[name] = nil
    findingLists[name] = nil
    committed[name] = nil
  }

  func value(of name: String) throws -> any Sendable {
    lock.lock()
    defer { lock.unlock() }
    if let v = values[name] { return v }
    guard let source = sources[name] else {
      throw RunnerError.wiring("no output recorded for stage '\(name)'")
    }
    committed.removeValue(forKey: name)?()
    let v: any Sendable
    do {
      v = try source.decode(source.folder.outputURL)
    } catch let error as DecodingError {
      throw RunnerError.state(path: source.folder.outputURL.path, reason: "cannot decode stage output: \(error)")
    } catch {
      throw RunnerError.state(path: source.folder.outputURL.path, reason: error.systemReason)
    }
    values[name] = v
    return v
  }

  func findings(of name: String) throws -> [Finding] {
    lock.lock()
    defer { lock.unlock() }
    if let f = findingLists[name] { return f }
    guard let source = sources[name] else { return [] }
    let f = try source.folder.readFindings()
    findingLists[name] = f
    return f
  }

  func findings(of names: [String]) throws -> [Finding] {
    var seen = Set<String>()
    var all: [Finding] = []
    for name in names { all += try findings(of: name) }
    return all.sorted().filter { seen.insert($0.id).inserted }
  }
}
