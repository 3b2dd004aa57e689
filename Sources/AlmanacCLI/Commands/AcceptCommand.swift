import AlmanacCore
import ArgumentParser
import Foundation
import Runner

/// `almanac accept ID… --reason … --by …`: records that an auditor reviewed findings and
/// accepts them as they are.
struct AcceptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "accept",
    abstract:
      "Record that an auditor reviewed findings and accepts them as they are (appends to accepted_findings.csv).",
    discussion: """
      ID is a finding's id as reconciliation.html and reconciliation.jsonl show it (16 hex \
      digits, or its first 8 or more). From the next run on, an accepted error no longer keeps \
      the report a draft or makes the exit code 1; the finding stays in the reconciliation log \
      with the decision, and the report's data notes list it under 经审核确认的问题. A finding's \
      id changes when its file changes, so a resubmitted file needs a new review.
      """)

  @Argument(help: "Finding ids from the year's reconciliation log.")
  var ids: [String]

  @Option(help: "Why the finding stands as it is (the auditor's words, one line).")
  var reason: String

  @Option(help: "Who accepts it (name or staff id), as it should appear in the record.")
  var by: String

  @Option(help: "Outbox folder holding <year>/reconciliation.jsonl (env ALMANAC_OUTBOX; default outbox).")
  var outbox: String?

  @Option(help: "Report year (env ALMANAC_YEAR; default: the newest year in the outbox).")
  var year: String?

  @Option(help: "Seed tables folder (env ALMANAC_SEEDS; default seeds).")
  var seeds: String?

  @Option(help: "Date of the decision (YYYY-MM-DD; default today's date).")
  var on: String?

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let outboxFolder = RunSettings.folder(
      outbox, RunSettings.Variable.outbox, default: RunSettings.defaultOutbox, environment: environment)
    let seedsFolder = RunSettings.folder(
      seeds, RunSettings.Variable.seeds, default: RunSettings.defaultSeeds, environment: environment)
    let acceptor: FindingAcceptor
    var rows: [[String]] = []
    var accepted: [Finding] = []
    do {
      let chosen = try RunSettings.text(year, RunSettings.Variable.year, environment: environment).map(
        RunSettings.reportYear)
      let log = try FindingAcceptor.log(outbox: outboxFolder, year: chosen)
      acceptor = FindingAcceptor(
        log: log.url, year: log.year, table: seedsFolder.appendingPathComponent(AcceptedFindings.table + ".csv"))
      let date = on ?? AliasCommand.today()
      guard SeedDate.canonical(date) == date else {
        throw FindingAcceptor.Refusal(description: "--on 的值「\(date)」不是 YYYY-MM-DD 格式的日期。")
      }
      try acceptor.checkSeedsFolder()
      let findings = try acceptor.findings()
      // Decisions recorded since the log was published take effect at the next run.
      let recorded = try acceptor.recorded()
      for typed in ids {
        let finding = try FindingAcceptor.find(typed, in: findings)
        // The table, not the published log, says what is decided: a row removed since the
        // last run is no decision any more.
        if let decision = recorded.acceptance(of: finding) {
          print(
            "核对结果 \(finding.id)（\(finding.code)）已于 \(decision.on) 由 \(decision.by) 确认"
              + "（\(AcceptedFindings.table).csv 第 \(decision.line) 行），无需再次确认。")
          continue
        }
        guard !accepted.contains(where: { $0.id == finding.id }) else { continue }
        rows.append(try acceptor.row(for: finding, reason: reason, by: by, on: date))
        accepted.append(finding)
      }
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    guard !rows.isEmpty else { return }
    let written: URL
    do {
      written = try acceptor.append(rows)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
    for f in accepted {
      print("已确认：核对结果 \(f.id)（\(FindingAcceptor.summary(of: f))）")
    }
    print("写入 \(written.path)（\(acceptor.year) 年度，确认人 \(by)）。下次运行起生效：这些结果仍列在核对记录中并注明确认，但不再使报告标为草稿。")
  }
}
