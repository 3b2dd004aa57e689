import ArgumentParser
import Foundation
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

  static func fail(_ message: String) {
    FileHandle.standardError.write(Data("almanac: error: \(message)\n".utf8))
  }
}
