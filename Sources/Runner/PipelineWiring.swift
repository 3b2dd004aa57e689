import AlmanacCore
import Foundation

/// The one place that says which stages run, in which order, fed by what.
///
/// The runner is generic over this: `Runner` and `almanac status` take any wiring, tests pass
/// small real test stages, and `StandardWiring` lists the five real stages.
public protocol PipelineWiring: Sendable {
  /// Loads the seed tables the pipeline names from `folder`; an error is a configuration error (exit 2).
  func loadSeeds(folder: URL, names: [String]) throws -> Seeds
  /// Reads `--previous` (last year's dataset, for the cross-year checks); an error is a
  /// configuration error (exit 2).
  func loadPrevious(_ location: URL) throws -> PreviousDataset
  /// What is wrong with the pipeline and its seeds taken together, one compiler-style line
  /// each; empty when they are usable. Asked before the state folder is touched (a run that
  /// finds problems exits 2 and leaves nothing behind), and not again while the pipeline, the
  /// seeds and the build stay the same (`ValidationMemo`). `environment.inbox` is empty then.
  func configurationProblems(_ environment: RunEnvironment) -> [String]
  /// The steps of a run, in order. Called once the inbox is hashed.
  func steps(for environment: RunEnvironment) throws -> [PipelineStep]
  /// The names `steps(for:)` will give, when known without an environment: a mistyped
  /// `--from` is then refused before the state folder is touched or the inbox hashed.
  var stageNames: [String]? { get }
}

extension PipelineWiring {
  public var stageNames: [String]? { nil }

  public func loadPrevious(_ location: URL) throws -> PreviousDataset {
    throw UsageError("--previous \(location.path): this pipeline has no cross-year checks to read it")
  }

  public func configurationProblems(_ environment: RunEnvironment) -> [String] { [] }
}
