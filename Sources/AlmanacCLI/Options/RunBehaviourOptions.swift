import ArgumentParser
import Runner

/// How this run behaves (never what data flows); each flag falls back to `ALMANAC_*`.
struct RunBehaviourOptions: ParsableArguments {
  @Option(help: "Rerun from this stage on, reusing the ones before it (env ALMANAC_FROM).")
  var from: String?

  @Flag(inversion: .prefixedNo, help: "Ignore all checkpoints and run every stage (env ALMANAC_FORCE).")
  var force: Bool?

  @Flag(inversion: .prefixedNo, help: "Treat warnings as errors for the exit code (env ALMANAC_STRICT).")
  var strict: Bool?

  @Flag(inversion: .prefixedNo, help: "Print nothing on success, one line per problem (env ALMANAC_QUIET).")
  var quiet: Bool?

  @Flag(inversion: .prefixedNo, help: "Print every event with its details (env ALMANAC_VERBOSE).")
  var verbose: Bool?

  @Option(help: "text or json: one JSON object per event (env ALMANAC_LOG_FORMAT).")
  var logFormat: String?

  @Option(help: "Octal permissions of published outbox files (env ALMANAC_OUTPUT_MODE; default 0644).")
  var outputMode: String?

  @Option(help: "Octal permissions of the state folder (env ALMANAC_STATE_MODE; default 0700).")
  var stateMode: String?

  // Development only: simulated crashes and a held lock for the end-to-end tests (DebugFaults).
  @Option(name: .customLong("debug-kill-after"), help: .hidden)
  var debugKillAfter: String?

  @Option(name: .customLong("debug-kill-after-files"), help: .hidden)
  var debugKillAfterFiles: String?

  @Option(name: .customLong("debug-hold-lock"), help: .hidden)
  var debugHoldLock: String?

  func apply(to raw: inout RawSettings) {
    raw.outputMode = outputMode
    raw.stateMode = stateMode
    raw.from = from
    raw.force = force
    raw.strict = strict
    raw.quiet = quiet
    raw.verbose = verbose
    raw.logFormat = logFormat
    raw.debugKillAfter = debugKillAfter
    raw.debugKillAfterFiles = debugKillAfterFiles
    raw.debugHoldLock = debugHoldLock
  }
}
