import Foundation

/// How log events are printed: readable lines or one JSON object per event.
public enum LogFormat: String, Sendable, Codable, CaseIterable {
  case text, json
}

/// Location and behaviour flags exactly as given on the command line (nil when absent).
public struct RawSettings: Sendable, Equatable {
  public var pipeline: String?
  public var inbox: String?
  public var outbox: String?
  public var state: String?
  public var seeds: String?
  public var year: String?
  public var previous: String?
  public var from: String?
  public var force: Bool?
  public var strict: Bool?
  public var quiet: Bool?
  public var verbose: Bool?
  public var logFormat: String?
  /// Octal permissions of published outbox files (`0644`).
  public var outputMode: String?
  /// Octal permissions of the state folder (`0700`).
  public var stateMode: String?
  /// Hidden development switches (`DebugFaults`), as given.
  public var debugKillAfter: String?
  public var debugKillAfterFiles: String?
  public var debugHoldLock: String?

  public init(
    pipeline: String? = nil, inbox: String? = nil, outbox: String? = nil, state: String? = nil, seeds: String? = nil,
    year: String? = nil, previous: String? = nil, from: String? = nil, force: Bool? = nil, strict: Bool? = nil,
    quiet: Bool? = nil, verbose: Bool? = nil, logFormat: String? = nil, debugKillAfter: String? = nil,
    debugKillAfterFiles: String? = nil, debugHoldLock: String? = nil, outputMode: String? = nil,
    stateMode: String? = nil
  ) {
    self.pipeline = pipeline
    self.inbox = inbox
    self.outbox = outbox
    self.state = state
    self.seeds = seeds
    self.year = year
    self.previous = previous
    self.from = from
    self.force = force
    self.strict = strict
    self.quiet = quiet
    self.verbose = verbose
    self.logFormat = logFormat
    self.outputMode = outputMode
    self.stateMode = stateMode
    self.debugKillAfter = debugKillAfter
    self.debugKillAfterFiles = debugKillAfterFiles
    self.debugHoldLock = debugHoldLock
  }
}

/// Where a run reads and writes and how it behaves, resolved as flag, then `ALMANAC_*`
/// environment variable, then default — so a crontab line stays short.
public struct RunSettings: Sendable, Equatable {
  /// Default locations, relative to the working directory.
  public static let defaultPipeline = "pipelines/disclosure-2021"
  public static let defaultInbox = "inbox"
  public static let defaultOutbox = "outbox"
  public static let defaultState = ".almanac"
  public static let defaultSeeds = "seeds"

  public var pipelineFolder: URL
  public var inbox: URL
  public var outbox: URL
  public var state: URL
  public var seedsFolder: URL
  /// The report year when given; otherwise the pipeline's, else last calendar year.
  public var year: Int?
  /// Last year's outbox folder (`--previous`), for the cross-year checks.
  public var previous: URL?
  public var from: String?
  public var force: Bool
  public var strict: Bool
  public var quiet: Bool
  public var verbose: Bool
  public var logFormat: LogFormat
  /// The inbox and outbox as the operator wrote them, for messages (`inbox/a.csv:3:2: …`).
  public var inboxDisplay: String
  public var outboxDisplay: String
  /// The seeds folder as the operator wrote it: a seed row a finding names
  /// (`seeds/declared.csv:20:4`) is shown under it.
  public var seedsDisplay: String
  /// Simulated crashes for the end-to-end tests; `.none` in every real run.
  public var debug: DebugFaults
  /// Permissions of every file published to the outbox (default 0644: readable by auditors).
  public var outputMode: UInt16 = RunSettings.defaultOutputMode
  /// Permissions of the state folder (default 0700: it holds copies of inbox data).
  public var stateMode: UInt16 = RunSettings.defaultStateMode

  public static let defaultOutputMode: UInt16 = 0o644
  public static let defaultStateMode: UInt16 = 0o700

  public init(
    pipelineFolder: URL, inbox: URL, outbox: URL, state: URL, seedsFolder: URL, year: Int? = nil, previous: URL? = nil,
    from: String? = nil, force: Bool = false, strict: Bool = false, quiet: Bool = false, verbose: Bool = false,
    logFormat: LogFormat = .text, inboxDisplay: String? = nil, outboxDisplay: String? = nil,
    seedsDisplay: String? = nil, debug: DebugFaults = .none
  ) {
    self.pipelineFolder = pipelineFolder
    self.inbox = inbox
    self.outbox = outbox
    self.state = state
    self.seedsFolder = seedsFolder
    self.year = year
    self.previous = previous
    self.from = from
    self.force = force
    self.strict = strict
    self.quiet = quiet
    self.verbose = verbose
    self.logFormat = logFormat
    self.inboxDisplay = inboxDisplay ?? inbox.path
    self.outboxDisplay = outboxDisplay ?? outbox.path
    self.seedsDisplay = seedsDisplay ?? seedsFolder.path
    self.debug = debug
  }

  /// The environment variable read for each setting when its flag is absent.
  public enum Variable {
    public static let pipeline = "ALMANAC_PIPELINE"
    public static let inbox = "ALMANAC_INBOX"
    public static let outbox = "ALMANAC_OUTBOX"
    public static let state = "ALMANAC_STATE"
    public static let seeds = "ALMANAC_SEEDS"
    public static let year = "ALMANAC_YEAR"
    public static let previous = "ALMANAC_PREVIOUS"
    public static let from = "ALMANAC_FROM"
    public static let force = "ALMANAC_FORCE"
    public static let strict = "ALMANAC_STRICT"
    public static let quiet = "ALMANAC_QUIET"
    public static let verbose = "ALMANAC_VERBOSE"
    public static let logFormat = "ALMANAC_LOG_FORMAT"
    public static let outputMode = "ALMANAC_OUTPUT_MODE"
    public static let stateMode = "ALMANAC_STATE_MODE"
  }

  /// Resolves flags over environment over defaults; throws `UsageError` (exit 2) for bad values.
  public static func resolve(
    _ raw: RawSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) throws -> RunSettings {
    func text(_ flag: String?, _ variable: String) -> String? {
      Self.text(flag, variable, environment: environment)
    }
    func bool(_ flag: Bool?, _ variable: String) throws -> Bool {
      if let flag { return flag }
      guard let value = environment[variable], !value.isEmpty else { return false }
      switch value.lowercased() {
      case "1", "true", "yes", "on": return true
      case "0", "false", "no", "off": return false
      default:
        throw UsageError("\(variable)=\(value) is not a boolean; use 1/0, true/false or yes/no")
      }
    }
    func url(_ path: String) -> URL {
      if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
      return workingDirectory.appendingPathComponent(path).standardizedFileURL
    }
    func nonEmpty(_ value: String, _ what: String) throws -> String {
      guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("\(what) must not be empty") }
      return value
    }

    let pipeline = try nonEmpty(text(raw.pipeline, Variable.pipeline) ?? defaultPipeline, "--pipeline")
    let inbox = try nonEmpty(text(raw.inbox, Variable.inbox) ?? defaultInbox, "--inbox")
    let outbox = try nonEmpty(text(raw.outbox, Variable.outbox) ?? defaultOutbox, "--outbox")
    let state = try nonEmpty(text(raw.state, Variable.state) ?? defaultState, "--state")
    let seeds = try nonEmpty(text(raw.seeds, Variable.seeds) ?? defaultSeeds, "--seeds")

    let year = try text(raw.year, Variable.year).map(reportYear)
    var format = LogFormat.text
    if let value = text(raw.logFormat, Variable.logFormat) {
      guard let f = LogFormat(rawValue: value.lowercased()) else {
        throw UsageError("log format '\(value)' is unknown; use text or json")
      }
      format = f
    }
    var quiet = try bool(raw.quiet, Variable.quiet)
    var verbose = try bool(raw.verbose, Variable.verbose)
    if quiet && verbose {
      // A flag wins over the other one's variable: a profile exporting ALMANAC_VERBOSE must
      // not break every night's `--quiet` crontab line.
      switch (raw.quiet == true, raw.verbose == true) {
      case (true, false): verbose = false
      case (false, true): quiet = false
      case (true, true): throw UsageError("--quiet and --verbose cannot be used together")
      case (false, false):
        throw UsageError("\(Variable.quiet) and \(Variable.verbose) are both set; unset one of them")
      }
    }
    var settings = RunSettings(
      pipelineFolder: url(pipeline), inbox: url(inbox), outbox: url(outbox), state: url(state), seedsFolder: url(seeds),
      year: year, previous: text(raw.previous, Variable.previous).map(url), from: text(raw.from, Variable.from),
      force: try bool(raw.force, Variable.force), strict: try bool(raw.strict, Variable.strict), quiet: quiet,
      verbose: verbose, logFormat: format, inboxDisplay: inbox, outboxDisplay: outbox, seedsDisplay: seeds,
      debug: try DebugFaults.resolve(
        killAfter: raw.debugKillAfter, killAfterFiles: raw.debugKillAfterFiles, holdLock: raw.debugHoldLock,
        environment: environment))
    if let value = text(raw.outputMode, Variable.outputMode) {
      guard let mode = parseMode(value), mode & 0o400 != 0, mode & 0o002 == 0 else {
        throw UsageError(
          "output mode '\(value)' is not usable: give octal permissions the owner can read and others cannot write (e.g. 0644, 0640)"
        )
      }
      settings.outputMode = mode
    }
    if let value = text(raw.stateMode, Variable.stateMode) {
      guard let mode = parseMode(value), mode & 0o700 == 0o700, mode & 0o002 == 0 else {
        throw UsageError(
          "state mode '\(value)' is not usable: give octal permissions with rwx for the owner and no write for others (e.g. 0700, 0750)"
        )
      }
      settings.stateMode = mode
    }
    return settings
  }

  /// One setting as every command reads it: the flag when given, else its `ALMANAC_*` variable
  /// when set and not empty (a crontab's `ALMANAC_STATE=` means "not set", not "this folder").
  public static func text(_ flag: String?, _ variable: String, environment: [String: String]) -> String? {
    if let flag { return flag }
    if let value = environment[variable], !value.isEmpty { return value }
    return nil
  }

  /// The folder a command's flag names, else its variable, else `fallback` (relative to the
  /// working directory), for commands that take a few of `run`'s folders.
  public static func folder(
    _ flag: String?, _ variable: String, default fallback: String, environment: [String: String]
  ) -> URL {
    URL(fileURLWithPath: text(flag, variable, environment: environment) ?? fallback)
  }

  /// A report year as `--year` or `ALMANAC_YEAR` gives it; `UsageError` (exit 2) for anything
  /// else, so a mistyped year never falls back to a default year silently.
  public static func reportYear(_ value: String) throws -> Int {
    guard let year = Int(value.trimmingCharacters(in: .whitespaces)), (1990...2200).contains(year) else {
      throw UsageError("year '\(value)' is not a report year; give a four-digit year from 1990 on (e.g. 2021)")
    }
    return year
  }

  /// `0644`, `644` or `0o644` as permission bits; nil for anything else.
  static func parseMode(_ text: String) -> UInt16? {
    var digits = text.trimmingCharacters(in: .whitespaces)
    if digits.hasPrefix("0o") { digits.removeFirst(2) }
    guard (1...4).contains(digits.count), let value = UInt16(digits, radix: 8), value <= 0o777 else { return nil }
    return value
  }
}
