import AlmanacCore
import Consolidate
import Draft
import Foundation
import Ingest
import Normalize
import Reconcile

/// The five real stages: ingest → normalize → reconcile → consolidate → draft.
///
/// ```
///  inbox/*.csv[.gz] ─▶ ingest ─▶ normalize ─▶ reconcile ─▶ consolidate ─▶ outbox/<year>/
///                       Sheet     Submission    Ledger   └─▶ draft ──────▶ report.md/html
///  inbox/*.md|txt ───────────────────────────────────────────▲ (text material)
/// ```
public struct StandardWiring: PipelineWiring {
  public init() {}

  public var stageNames: [String]? {
    [IngestStage.name, NormalizeStage.name, ReconcileStage.name, ConsolidateStage.name, DraftStage.name]
  }

  /// The pipeline's seed tables, and the auditors' accepted findings when the folder has them
  /// (whatever the pipeline lists: every pipeline's findings can be accepted). Loaded here, they
  /// are validated and in the seeds digest, so accepting a finding reruns the stages that show it.
  public func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
    var all = names
    let accepted = folder.appendingPathComponent(AcceptedFindings.table + ".csv")
    if !all.contains(AcceptedFindings.table), FileManager.default.fileExists(atPath: accepted.path) {
      all.append(AcceptedFindings.table)
    }
    return try SeedLoader.load(folder: folder, names: all)
  }

  /// Text material is read when the report is drafted, long after the inbox was hashed. Only
  /// files the listing saw are used or reported (one put in since waits for the next run, as a
  /// table would), and each used must still have the bytes its digest describes: the digests
  /// are what the draft's fingerprint and the manifest name.
  static func listedTexts(
    _ loaded: (materials: [TextMaterial], skipped: [TextMaterial.Skipped]), listed: [InboxEntry]
  ) throws -> (materials: [TextMaterial], skipped: [TextMaterial.Skipped]) {
    let digests = Dictionary(listed.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
    let materials = loaded.materials.filter { digests[$0.file] != nil }
    let changed = materials.filter { digests[$0.file] != $0.sha256 }.map {
      InboxFileChanged.File(path: $0.file, change: .content)
    }
    if !changed.isEmpty { throw InboxFileChanged(files: changed) }
    return (materials, loaded.skipped.filter { digests[$0.file] != nil })
  }

  /// The draft reads its templates from the pipeline folder at the end of the run; the
  /// folder's digest, taken at the start, is in every fingerprint and the manifest. An edit
  /// since then would draft from a template the digest does not describe.
  static func checkPipelineUnchanged(_ env: RunEnvironment) throws {
    let folder = env.settings.pipelineFolder
    guard try RunEnvironment.digestFolder(folder) == env.pipelineDigest else {
      throw PipelineChanged(folder: folder.path)
    }
  }

  public func loadPrevious(_ location: URL) throws -> PreviousDataset {
    try PreviousDatasetLoader.load(location)
  }

  public func configurationProblems(_ environment: RunEnvironment) -> [String] {
    PipelineValidation.problems(
      pipeline: environment.pipeline, pipelineFolder: environment.settings.pipelineFolder, seeds: environment.seeds,
      seedsDisplay: environment.settings.seedsDisplay)
  }

  public func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
    return [
      PipelineStep(
        DeferredStage { IngestStage(registerKeys: Self.registerKeys(environment)) },
        fingerprint: { env in env.tableFiles.map(\.fingerprintPart) }, onlyForNextStep: true
      ) { inputs in
        IngestInput(
          inbox: inputs.environment.settings.inbox,
          files: inputs.environment.tableFiles, stamps: inputs.environment.inboxStamps)
      },
      PipelineStep(NormalizeStage(), heldBack: { $0.heldBack }, onlyForNextStep: true) { inputs in
        try inputs.output(of: IngestStage.self).sheets
      },
      PipelineStep(ReconcileStage(), fingerprint: { env in [env.previous?.source.sha256 ?? "no-previous"] }) { inputs in
        ReconcileInput(
          normalized: try inputs.output(of: NormalizeStage.self), previous: inputs.environment.previous)
      },
      PipelineStep(ConsolidateStage()) { inputs in
        try Self.withAllFindings(inputs)
      },
      PipelineStep(DraftStage(), fingerprint: { env in env.textFiles.map(\.fingerprintPart) }) { inputs in
        try Self.checkPipelineUnchanged(inputs.environment)
        let (texts, skipped) = try Self.listedTexts(
          try TextMaterial.load(from: inputs.environment.settings.inbox), listed: inputs.environment.textFiles)
        for s in skipped { inputs.findings.emit(s.finding) }
        let seen = Set(texts.map(\.file) + skipped.map(\.file))
        for s in TextMaterial.unread(
          inputs.environment.textFiles.map(\.path), seen: seen, inbox: inputs.environment.settings.inbox)
        {
          inputs.findings.emit(s.finding)
        }
        return DraftInput(reconciliation: try Self.withAllFindings(inputs), texts: texts)
      },
    ]
  }

  /// The seeds' reading of register values for ingest, when a register form resolves while reading.
  private static func registerKeys(_ env: RunEnvironment) -> RegisterKeys? {
    guard env.pipeline.forms.contains(where: { $0.counts?.resolveWhileReading == true }) else { return nil }
    return RegisterKeys(pipeline: env.pipeline, seeds: env.seeds, year: env.year, seedsDigest: env.seedsDigest)
  }

  /// The reconcile output with the findings of every earlier stage (ingest's unreadable files,
  /// normalize's unknown labels …): the log and the report's data notes show them all.
  private static func withAllFindings(_ inputs: StepInputs) throws -> Reconciliation {
    var reconciliation = try inputs.output(of: ReconcileStage.self)
    reconciliation.findings = try inputs.findingsSoFar()
    return reconciliation
  }
}

/// The pipeline folder changed while a run was using it.
struct PipelineChanged: Error, CustomStringConvertible {
  var folder: String
  var description: String {
    "流水线目录 \(folder) 在本次运行期间被修改，报告模板可能与本次记录的流水线摘要不符，因此未起草报告；请在修改完成后重新运行"
  }
}
