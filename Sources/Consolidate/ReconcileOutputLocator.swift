import Foundation

/// Finds the reconcile stage's checkpointed output in the state folder, for `explain`.
public protocol ReconcileOutputLocating: Sendable {
  func reconcileOutput(state: URL, pipeline: String, year: Int) -> URL
}

/// The runner's layout: `<state>/<pipeline>/<year>/03-reconcile/output.json`.
public struct ReconcileOutputLocator: ReconcileOutputLocating {
  public init() {}

  public func reconcileOutput(state: URL, pipeline: String, year: Int) -> URL {
    state.appendingPathComponent(pipeline).appendingPathComponent(String(year))
      .appendingPathComponent("03-reconcile").appendingPathComponent("output.json")
  }

  /// Years that have a reconcile output under `<state>/<pipeline>/`, ascending.
  public func years(state: URL, pipeline: String) -> [Int] {
    let dir = state.appendingPathComponent(pipeline)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.compactMap(Int.init).filter { year in
      FileManager.default.fileExists(atPath: reconcileOutput(state: state, pipeline: pipeline, year: year).path)
    }.sorted()
  }
}
