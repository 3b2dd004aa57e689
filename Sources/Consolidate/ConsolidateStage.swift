import AlmanacCore
import Foundation
import Ingest

/// Writes the dataset, the official tables and the submissions list; `stageLog` writes the
/// findings log for the last stage (draft), which has every finding of the run.
///
/// Input: `Reconciliation` from `reconcile` (the Ledger and every finding so far).
/// Output: `StagedFiles` in `context.workDirectory/out/`: `consolidated.csv`,
/// `consolidated.csv.gz`, `tables/<form>.csv` for every grid form, `submissions.csv`.
/// Findings: CON-001 (a published region cell has no value; its table cell is left empty);
/// ACC-001 (info, from `stageLog`: an accepted finding of `seeds/accepted_findings.csv` no
/// longer occurs).
/// Resume: pure; rerun when the reconciliation, the pipeline definition or the seeds change.
public struct ConsolidateStage: Stage {
  public typealias Input = Reconciliation
  public typealias Output = StagedFiles
  public static let name = "consolidate"

  public init() {}

  public func run(_ input: Reconciliation, in context: StageContext) async throws -> StagedFiles {
    let pipeline = context.pipeline
    let catalog = FormCatalog(forms: pipeline.forms)
    let dir = context.workDirectory
    var staged = StagedFiles()
    var reconciliation = input

    // A rate several units reported has no region figure by design: REC-RATE-001 says why.
    let rates = Set(input.findings.filter { $0.code == ReconcileCodes.rateOfSeveral }.compactMap(\.cell))
    let missing = missingRegionCells(
      input.ledger, catalog: catalog, whole: context.pipeline.region.whole, explained: rates)
    for f in missing { context.findings.emit(f) }
    if !missing.isEmpty {
      reconciliation.findings = (reconciliation.findings + context.findings.findings).sorted()
    }

    // The dataset and its gzip are written together as the departments' rows are made: a
    // province's dataset (80 MB) is never whole in memory.
    var figures = 0
    var gzipDigest = ""
    let csvDigest = try StagedFiles.write("consolidated.csv", in: dir) { appendCSV in
      gzipDigest = try StagedFiles.write("consolidated.csv.gz", in: dir) { appendGzip in
        try withoutActuallyEscaping(appendGzip) { appendGzip in
          var gzip = GzipStream.MemberWriter { member in try member.withUnsafeBytes { try appendGzip($0) } }
          figures = try ConsolidatedDataset.writeCSV(
            of: reconciliation, catalog: catalog, regionName: pipeline.region.name
          ) { piece in
            try piece.withUnsafeBytes { bytes in
              try appendCSV(bytes)
              try gzip.add(bytes)
            }
          }
          try gzip.finish()
        }
      }
    }
    staged.files["consolidated.csv"] = csvDigest
    staged.files["consolidated.csv.gz"] = gzipDigest
    context.counters.add("figures", Int64(figures))

    for form in catalog.forms {
      let table = OfficialTable.build(
        form: form, layout: OfficialLayout.of(form: form.id, style: pipeline.style),
        values: reconciliation.ledger.region)
      try staged.stage(table.csv, as: "tables/\(form.id).csv", in: dir)
    }

    // The forms reconcile found missing from a unit that sent others (REC-SUB-003).
    var missingForms: [String: [String]] = [:]
    for f in reconciliation.findings where f.code == ReconcileCodes.missingForm {
      guard let department = f.department, let form = f.form else { continue }
      missingForms[department, default: []].append(catalog.form(form)?.shortName ?? form)
    }
    let submissions = SubmissionsList.rows(of: reconciliation.ledger, seeds: context.seeds, missingForms: missingForms)
    try staged.stage(SubmissionsList.csv(submissions), as: "submissions.csv", in: dir)

    context.counters.add("files_staged", Int64(staged.files.count))
    return staged
  }

  /// Stages the reconciliation log (`reconciliation.jsonl`, `reconciliation.html`) of
  /// `reconciliation`'s findings, which are every finding of the run so far, with an ACC-001
  /// note (emitted into `context`'s sink, as `stage`'s) for each of this year's decisions no
  /// finding matches. Called by the last stage, draft, so that the report's own findings
  /// (DRF-…) are in the log an auditor reads and accepts from.
  public static func stageLog(
    _ reconciliation: Reconciliation, in context: StageContext, stage: String, into staged: inout StagedFiles
  ) throws {
    var reconciliation = reconciliation
    // Emitted first, so the sink marks any it was accepted; the decisions are the sink's, the
    // ones every stage's findings were marked by.
    let stale = staleAcceptances(context.findings.accepted, findings: reconciliation.findings, stage: stage)
    for f in stale { context.findings.emit(f) }
    if !stale.isEmpty {
      let emitted = context.findings.findings.filter { f in stale.contains { $0.id == f.id } }
      reconciliation.findings = (reconciliation.findings + emitted).sorted()
    }
    let pipeline = context.pipeline
    let dir = context.workDirectory
    // The log and the page are streamed: with tens of thousands of findings each is tens of
    // megabytes.
    staged.files["reconciliation.jsonl"] = try StagedFiles.write("reconciliation.jsonl", in: dir) { append in
      try FindingsLog.write(reconciliation.findings, to: append)
    }
    let page = ReconciliationPage(
      reconciliation: reconciliation, regionName: pipeline.region.name, year: reconciliation.ledger.year,
      title: pipeline.title, rules: pipeline.rules, catalog: FormCatalog(forms: pipeline.forms),
      seedNames: context.seeds.departmentNames)
    staged.files["reconciliation.html"] = try StagedFiles.write("reconciliation.html", in: dir) { append in
      try page.write(to: append)
    }
  }

  /// One CON-001 per form whose published cells are not all in the region's figures.
  func missingRegionCells(
    _ ledger: Ledger, catalog: FormCatalog, whole: String = "全区", explained: Set<String> = []
  ) -> [Finding] {
    catalog.forms.compactMap { form in
      let absent = form.cellKeys.filter { ledger.region[$0.description] == nil && !explained.contains($0.description) }
      guard let first = absent.first else { return nil }
      return Finding(
        code: "CON-001", severity: .warning, stage: Self.name,
        message: .missingRegionCells(
          whole: whole, form: form.name, count: absent.count,
          first: "「\(catalog.rowLabel(first)) · \(catalog.columnLabel(first))」（\(first.description)）"),
        // No expected/actual: they are read as a figure's two values (应为 10 实为 0 on the
        // page), and the counts are in the message.
        form: form.id, cell: first.description)
    }
  }

  /// ACC-001 (info) for each of this year's decisions that no finding matches: the problem was
  /// corrected, the file replaced (a finding's id follows its file's content), or the values
  /// changed (another department's file moved a region figure). Where the same check on the
  /// same cell fired again, the message gives the finding to review.
  static func staleAcceptances(_ accepted: AcceptedFindings, findings: [Finding], stage: String = name) -> [Finding] {
    let byID = Dictionary(findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    return accepted.entries.compactMap { e in
      let now = byID[e.id]
      // In effect, or an earlier decision on the same finding before its values changed.
      if let now, accepted.acceptance(of: now) != nil { return nil }
      let line = e.acceptance.line
      if AcceptedFindings.neverAccepted.contains(e.code) {
        return Finding(
          code: "ACC-001", severity: .info, stage: stage,
          message: "第 \(line) 行确认的核对结果 \(e.id)（\(e.code)）不能确认：本年度没有任何单位的统计表被采用时，报告没有可审核的数字。这一行不起作用，请删除。",
          sources: [SourceRef(file: SourceRef.seedFile(AcceptedFindings.table), sha256: "", line: line)],
          idSalt: "\(e.id)@\(line)")
      }
      let what = [e.code, e.department, e.cell].filter { !$0.isEmpty }.joined(separator: "，")
      var message: String
      let again: Finding?
      if let now {
        message =
          "第 \(line) 行确认的核对结果 \(e.id)（\(what)）数值已变化：确认时应为 \(Self.shown(e.expected))、实为 \(Self.shown(e.actual))，"
          + "本次应为 \(Self.shown(now.expected ?? ""))、实为 \(Self.shown(now.actual ?? ""))，这条确认不再起作用。"
        again = now
      } else {
        message =
          "第 \(line) 行确认的核对结果 \(e.id)（\(what)）不在本次运行的核对结果中：问题已更正，"
          + "或报送文件已更换（核对结果编号随文件内容而变），这条确认不再起作用，可以删除该行。"
        again = findings.first {
          $0.isOpen && $0.code == e.code && ($0.department ?? "") == e.department && ($0.cell ?? "") == e.cell
        }
      }
      if let again {
        message +=
          "本次同一单元格的核对结果为 \(again.id)；如经审核仍可接受，请重新确认：almanac accept \(again.id) --reason \"…\" --by 姓名"
      }
      return Finding(
        code: "ACC-001", severity: .info, stage: stage, message: message,
        department: e.department.isEmpty ? nil : e.department, cell: e.cell.isEmpty ? nil : e.cell,
        sources: [SourceRef(file: SourceRef.seedFile(AcceptedFindings.table), sha256: "", line: line)],
        // Two rows of one finding (a decision renewed) are two notes.
        idSalt: "\(e.id)@\(line)")
    }
  }

  private static func shown(_ value: String) -> String { value.isEmpty ? "—" : value }
}

extension String {
  fileprivate static func missingRegionCells(whole: String, form: String, count: Int, first: String) -> String {
    "\(whole)汇总中\(form)有 \(count) 个单元格没有数值（首个为\(first)），公开表格中这些单元格留空；请检查是否有单位报送了该表，或在汇总前补报。"
  }
}
