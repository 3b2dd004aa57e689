import Foundation

/// Locations inside the package checkout, for tests that run the real command.
public enum ProjectPaths {
  /// The package root (this file is `Sources/AlmanacTestSupport/ProjectPaths.swift`).
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `pipelines/disclosure-2021`.
  public static var nationalPipeline: URL { root.appendingPathComponent("pipelines/disclosure-2021") }
  /// `seeds/`.
  public static var seeds: URL { root.appendingPathComponent("seeds") }
  /// `Tests/Fixtures/`: the tests' input files (`ingest/`, `projects/`) and golden outputs
  /// (`golden/`).
  public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
}
