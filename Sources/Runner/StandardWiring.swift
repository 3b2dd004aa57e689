import AlmanacCore
import Foundation

/// The five real stages: ingest → normalize → reconcile → consolidate → draft.
///
/// TODO(lead): wire the real stages here once they are merged — this is the only file that
/// changes. Sketch against the helpers' current APIs:
/// ```swift
/// func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
///   try SeedLoader.load(folder: folder, names: names)
/// }
/// func steps(for env: RunEnvironment) throws -> [PipelineStep] {
///   // Loaded here so a bad --previous is a configuration error (exit 2).
///   let previous = try env.settings.previous.map { try PreviousDatasetLoader.load($0) }
///   return [
///     PipelineStep(IngestStage(), fingerprint: { $0.tableFiles.map(\.fingerprintPart) }) { i in
///       IngestInput(
///         inbox: i.environment.settings.inbox,
///         files: i.environment.tableFiles.map { InboxFile(path: $0.path, sha256: $0.sha256, size: $0.size) })
///     },
///     PipelineStep(NormalizeStage(), heldBack: { $0.heldBack }) { i in try i.output(of: IngestStage.self).sheets },
///     PipelineStep(ReconcileStage(), fingerprint: { _ in [previous?.source.sha256 ?? "-"] }) { i in
///       ReconcileInput(normalized: try i.output(of: NormalizeStage.self), previous: previous)
///     },
///     PipelineStep(ConsolidateStage()) { i in try i.output(of: ReconcileStage.self) },
///     PipelineStep(DraftStage(), fingerprint: { $0.textFiles.map(\.fingerprintPart) }) { i in
///       let (texts, skipped) = try TextMaterial.load(from: i.environment.settings.inbox)
///       for s in skipped { i.findings.emit(s.finding) }   // however Skipped exposes its DRF-002
///       return DraftInput(reconciliation: try i.output(of: ReconcileStage.self), texts: texts)
///     },
///   ]
/// }
/// ```
public struct StandardWiring: PipelineWiring {
  public init() {}

  public func loadSeeds(folder: URL, names: [String]) throws -> Seeds {
    throw RunnerError.wiring("the standard stages are not wired into this build yet (Runner/StandardWiring.swift)")
  }

  public func steps(for environment: RunEnvironment) throws -> [PipelineStep] {
    throw RunnerError.wiring("the standard stages are not wired into this build yet (Runner/StandardWiring.swift)")
  }
}
