import ArgumentParser
import Foundation
import Ingest
import Normalize
import Runner

/// What the commands share: resolving settings (exit 2 on a bad value) and the wiring.
enum CommandSupport {
  /// The stages `run` and `status` use; the only wiring the CLI knows.
  static var wiring: any PipelineWiring { StandardWiring() }

  static func settings(_ raw: RawSettings) throws -> RunSettings {
    do {
      return try RunSettings.resolve(raw)
    } catch let e as UsageError {
      fail(e.message)
      throw ExitCode(2)
    }
  }

  /// The seeds' department registry, nil when the seeds folder has no department table.
  static func registry(_ folder: URL, region: String) -> DepartmentRegistry? {
    let names = ["departments", "department_aliases"].filter {
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0).csv").path)
    }
    guard names.contains("departments"), let seeds = try? SeedLoader.load(folder: folder, names: names) else {
      return nil
    }
    return DepartmentRegistry(seeds: seeds, region: region)
  }

  static func fail(_ message: String) {
    FileHandle.standardError.write(Data("almanac: error: \(message)\n".utf8))
  }
}
