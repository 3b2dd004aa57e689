import AlmanacCore
import ArgumentParser
import Foundation

/// The `almanac` command. Thin: parses flags and calls into the stage modules and the runner.
public struct AlmanacCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "almanac",
    abstract: "Consolidate departments' disclosure spreadsheets and draft the annual report.",
    // The build too: it decides whether checkpoints are reused (see `BuildIdentity`).
    version: "almanac \(AlmanacVersion.current) (\(BuildIdentity.current))",
    subcommands: [
      RunCommand.self, StatusCommand.self, InspectCommand.self, ExplainCommand.self, ValidateCommand.self,
      TemplatesCommand.self, AliasCommand.self, AcceptCommand.self, VerifyCommand.self, DebugReadCommand.self,
    ])

  public init() {}

  /// Parses and runs, mapping ArgumentParser's usage errors to exit code 2 (cli.md).
  public static func runMain() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
