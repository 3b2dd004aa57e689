import AlmanacCore
import Foundation
import Logging

/// `almanac run` end to end for the command line: logger, progress bar, runner, summary.
///
/// Kept out of the ArgumentParser command so tests drive exactly what the CLI does.
public struct RunSession: Sendable {
  public var settings: RunSettings
  public var wiring: any PipelineWiring
  public var console: Console
  /// Where the summary goes (stdout in the CLI).
  public var output: @Sendable (String) -> Void

  public init(
    settings: RunSettings, wiring: any PipelineWiring, console: Console,
    output: @escaping @Sendable (String) -> Void = { print($0) }
  ) {
    self.settings = settings
    self.wiring = wiring
    self.console = console
    self.output = output
  }

  /// Runs and prints; returns the exit code.
  public func run() async -> (code: Int32, report: RunReport) {
    let logger = ConsoleLogHandler.logger(console: console, settings: settings)
    let interactive = console.isTerminal && !settings.quiet && settings.logFormat == .text
    let progress: any ProgressReporter = interactive ? TerminalProgress(console: console) : SilentProgress()
    let report = await Runner(settings: settings, wiring: wiring, logger: logger, progress: progress).run()
    // A usage or lock error is already one clear line; a summary would only repeat it.
    let oneLiner = report.failure?.kind == .usage || report.failure?.kind == .locked
    if !settings.quiet && !(oneLiner && settings.logFormat == .text) {
      switch settings.logFormat {
      case .text:
        output(RunSummary.render(report))
      case .json:
        output(Self.summaryLine(report))
      }
    }
    return (report.exitCode, report)
  }

  /// `{"event":"run.summary","record":{…}}` on one line.
  static func summaryLine(_ report: RunReport) -> String {
    struct Line: Encodable {
      var event = "run.summary"
      var record: RunRecord
    }
    guard let data = try? AtomicFile.json(Line(record: RunRecord(report)), pretty: false) else { return "{}" }
    return String(decoding: data.dropLast(), as: UTF8.self)
  }
}
