import ArgumentParser

/// The `almanac` command. Thin: parses flags and calls into the stage modules and the runner.
public struct AlmanacCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "almanac",
    abstract: "Consolidate departments' disclosure spreadsheets and draft the annual report.",
    subcommands: [InspectCommand.self, DebugReadCommand.self])

  public init() {}
}
