import Foundation
import Runner
import Testing

@Suite struct RunSettingsTests {
  let cwd = URL(fileURLWithPath: "/srv/almanac")

  @Test func testResolve_defaultsAreInWorkingDirectory() throws {
    let s = try RunSettings.resolve(RawSettings(), environment: [:], workingDirectory: cwd)
    #expect(s.pipelineFolder.path == "/srv/almanac/pipelines/disclosure-2021")
    #expect(s.inbox.path == "/srv/almanac/inbox")
    #expect(s.outbox.path == "/srv/almanac/outbox")
    #expect(s.state.path == "/srv/almanac/.almanac")
    #expect(s.seedsFolder.path == "/srv/almanac/seeds")
    #expect(s.year == nil)
    #expect(s.from == nil)
    #expect(!s.force && !s.strict && !s.quiet && !s.verbose)
    #expect(s.logFormat == .text)
    #expect(s.outboxDisplay == "outbox")
  }

  @Test func testResolve_environmentFillsEveryAbsentFlag() throws {
    let env = [
      "ALMANAC_PIPELINE": "/etc/almanac/p", "ALMANAC_INBOX": "in", "ALMANAC_OUTBOX": "/var/out",
      "ALMANAC_STATE": "st", "ALMANAC_YEAR": "2022", "ALMANAC_FROM": "reconcile", "ALMANAC_FORCE": "1",
      "ALMANAC_STRICT": "true", "ALMANAC_QUIET": "yes", "ALMANAC_LOG_FORMAT": "JSON",
      "ALMANAC_PREVIOUS": "outbox/2021", "ALMANAC_SEEDS": "ref",
    ]
    let s = try RunSettings.resolve(RawSettings(), environment: env, workingDirectory: cwd)
    #expect(s.pipelineFolder.path == "/etc/almanac/p")
    #expect(s.inbox.path == "/srv/almanac/in")
    #expect(s.outbox.path == "/var/out")
    #expect(s.state.path == "/srv/almanac/st")
    #expect(s.seedsFolder.path == "/srv/almanac/ref")
    #expect(s.year == 2022)
    #expect(s.from == "reconcile")
    #expect(s.force && s.strict && s.quiet)
    #expect(s.logFormat == .json)
    #expect(s.previous?.path == "/srv/almanac/outbox/2021")
  }

  @Test func testResolve_flagsWinOverEnvironment() throws {
    let env = ["ALMANAC_INBOX": "env-in", "ALMANAC_YEAR": "2022", "ALMANAC_FORCE": "1", "ALMANAC_LOG_FORMAT": "json"]
    let raw = RawSettings(inbox: "flag-in", year: "2020", force: false, logFormat: "text")
    let s = try RunSettings.resolve(raw, environment: env, workingDirectory: cwd)
    #expect(s.inbox.path == "/srv/almanac/flag-in")
    #expect(s.inboxDisplay == "flag-in")
    #expect(s.year == 2020)
    #expect(!s.force)
    #expect(s.logFormat == .text)
  }

  /// Every command reads a setting the same way: `explain`, `inspect`, `templates` and `alias`
  /// too, so `ALMANAC_STATE=` in a crontab means "not set" for each of them.
  @Test func testText_emptyVariableIsUnset_flagWins() {
    let env = ["ALMANAC_STATE": "", "ALMANAC_SEEDS": "ref"]
    #expect(RunSettings.text(nil, RunSettings.Variable.state, environment: env) == nil)
    #expect(RunSettings.text(nil, RunSettings.Variable.seeds, environment: env) == "ref")
    #expect(RunSettings.text("flag", RunSettings.Variable.seeds, environment: env) == "flag")
    #expect(RunSettings.text(nil, RunSettings.Variable.inbox, environment: env) == nil)
  }

  @Test func testReportYear_acceptsFourDigitYearsOnly() throws {
    #expect(try RunSettings.reportYear(" 2021 ") == 2021)
    for bad in ["21", "20x", "", "12021", "1989"] {
      #expect(throws: UsageError("year '\(bad)' is not a report year; give a four-digit year from 1990 on (e.g. 2021)"))
      {
        try RunSettings.reportYear(bad)
      }
    }
  }

  /// A year that has not begun is refused before anything is written (`--year 2030` published
  /// a report with every unit missing).
  @Test func testRun_aYearThatHasNotBegun_isAUsageError() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let report = try await p.run(RawSettings(year: "2199"), wiring: TestWiring(log: ExecutionLog()))
    #expect(report.exitCode == 2)
    #expect(
      report.failure?.message.contains("report year 2199 has not begun") == true, "\(report.failure?.message ?? "")")
    #expect(!p.exists(".almanac/test-pipeline"))
  }

  @Test func testResolve_badValuesAreUsageErrors() {
    #expect(throws: UsageError("year 'twenty' is not a report year; give a four-digit year from 1990 on (e.g. 2021)")) {
      try RunSettings.resolve(RawSettings(year: "twenty"), environment: [:], workingDirectory: cwd)
    }
    #expect(throws: UsageError("ALMANAC_STRICT=maybe is not a boolean; use 1/0, true/false or yes/no")) {
      try RunSettings.resolve(RawSettings(), environment: ["ALMANAC_STRICT": "maybe"], workingDirectory: cwd)
    }
    #expect(throws: UsageError("log format 'xml' is unknown; use text or json")) {
      try RunSettings.resolve(RawSettings(logFormat: "xml"), environment: [:], workingDirectory: cwd)
    }
    #expect(throws: UsageError("--quiet and --verbose cannot be used together")) {
      try RunSettings.resolve(RawSettings(quiet: true, verbose: true), environment: [:], workingDirectory: cwd)
    }
    #expect(throws: UsageError("ALMANAC_QUIET and ALMANAC_VERBOSE are both set; unset one of them")) {
      try RunSettings.resolve(
        RawSettings(), environment: ["ALMANAC_QUIET": "1", "ALMANAC_VERBOSE": "1"], workingDirectory: cwd)
    }
  }

  /// A flag wins over the other flag's variable (a profile exporting ALMANAC_VERBOSE made every
  /// `--quiet` crontab run fail with exit 2).
  @Test func testResolve_aFlagWinsOverTheOtherFlagsVariable() throws {
    let quiet = try RunSettings.resolve(
      RawSettings(quiet: true), environment: ["ALMANAC_VERBOSE": "1"], workingDirectory: cwd)
    #expect(quiet.quiet && !quiet.verbose)
    let verbose = try RunSettings.resolve(
      RawSettings(verbose: true), environment: ["ALMANAC_QUIET": "1"], workingDirectory: cwd)
    #expect(verbose.verbose && !verbose.quiet)
  }
}
