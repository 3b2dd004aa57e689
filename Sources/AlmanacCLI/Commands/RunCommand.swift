import ArgumentParser
import Foundation
import Runner

/// `almanac run`: ingest → normalize → reconcile → consolidate → draft, then publish.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the pipeline over the inbox and publish into <outbox>/<year>/.",
    discussion: """
      Complete stages are reused from their checkpoints. Exit codes: 0 ok (warnings at most), \
      1 error findings (or warnings with --strict; the report is still drafted), 2 usage or \
      configuration error, 3 a stage failed (a rerun resumes), 75 another run holds the lock.
      """)

  @OptionGroup var location: LocationOptions
  @OptionGroup var behaviour: RunBehaviourOptions

  func run() async throws {
    // `almanac run | head` must not kill the run at its first line once `head` has gone: a
    // write to the closed pipe fails (and is ignored), and the run finishes and commits.
    signal(SIGPIPE, SIG_IGN)
    var raw = location.raw
    behaviour.apply(to: &raw)
    let settings = try CommandSupport.settings(raw)
    let (code, _) = await RunSession(settings: settings, wiring: CommandSupport.wiring, console: .standardError()).run()
    if code != 0 { throw ExitCode(code) }
  }
}
