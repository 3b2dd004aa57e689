import AlmanacCore
import Foundation

/// The one place that says which stages run, in which order, fed by what.
///
/// The runner is generic over this: `Runner` and `almanac status` take any wiring, tests pass
/// small real test stages, and `StandardWiring` lists the five real stages.
public protocol PipelineWiring: Sendable {
  /// Loads the seed tables the pipeline names from `folder`; an error is a configuration error (exit 2).
  func loadSeeds(folder: URL, names: [String]) throws -> Seeds
  /// The steps of a run, in order. Called once the inbox is hashed.
  func steps(for environment: RunEnvironment) throws -> [PipelineStep]
  /// The names `steps(for:)` will give, when known without an environment: a mistyped
  /// `--from` is then refused before the state folder is touched or the inbox hashed.
  var stageNames: [String]? { get }
}

extension PipelineWiring {
  public var stageNames: [String]? { nil }
}
