import AlmanacCore
import Foundation
import Ingest

/// Writes the dataset, the official tables, the submissions list and the findings log.
///
/// Input: `Reconciliation` from `reconcile` (the Ledger and every finding so far).
/// Output: `StagedFiles` in `context.workDirectory/out/`: `consolidated.csv`,
/// `consolidated.csv.gz`, `tables/<form>.csv` for every grid form, `submissions.csv`,
/// `reconciliation.jsonl`, `reconciliation.html`.
/// Findings: CON-001 (a published region cell has no value; its table cell is left empty).
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

    let missing = missingRegionCells(input.ledger, catalog: catalog)
    for f in missing { context.findings.emit(f) }
    if !missing.isEmpty {
      reconciliation.findings = (reconciliation.findings + missing).sorted()
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

    let submissions = SubmissionsList.rows(of: reconciliation.ledger, seeds: context.seeds)
    try staged.stage(SubmissionsList.csv(submissions), as: "submissions.csv", in: dir)

    // The log and the page are streamed: with tens of thousands of findings each is tens of
    // megabytes.
    staged.files["reconciliation.jsonl"] = try StagedFiles.write("reconciliation.jsonl", in: dir) { append in
      try FindingsLog.write(reconciliation.findings, to: append)
    }
    let page = ReconciliationPage(
      reconciliation: reconciliation, regionName: pipeline.region.name, year: reconciliation.ledger.year,
      title: pipeline.title, rules: pipeline.rules, catalog: catalog, seedNames: Self.seedNames(context.seeds))
    staged.files["reconciliation.html"] = try StagedFiles.write("reconciliation.html", in: dir) { append in
      try page.write(to: append)
    }
    context.counters.add("files_staged", Int64(staged.files.count))
    return staged
  }

  /// One CON-001 per form whose published cells are not all in the region's figures.
  func missingRegionCells(_ ledger: Ledger, catalog: FormCatalog) -> [Finding] {
    catalog.forms.compactMap { form in
      let absent = form.cellKeys.filter { ledger.region[$0.description] == nil }
      guard let first = absent.first else { return nil }
      return Finding(
        code: "CON-001", severity: .warning, stage: Self.name,
        message: .missingRegionCells(
          form: form.name, count: absent.count,
          first: "「\(catalog.rowLabel(first)) · \(catalog.columnLabel(first))」（\(first.description)）"),
        form: form.id, cell: first.description, expected: String(form.cellKeys.count),
        actual: String(form.cellKeys.count - absent.count))
    }
  }

  static func seedNames(_ seeds: Seeds) -> [String: String] {
    var out: [String: String] = [:]
    for r in seeds["departments"]?.records ?? [] {
      if let id = r["id"], !id.isEmpty, let name = r["name"], out[id] == nil { out[id] = name }
    }
    return out
  }
}

extension String {
  fileprivate static func missingRegionCells(form: String, count: Int, first: String) -> String {
    "全区汇总中\(form)有 \(count) 个单元格没有数值（首个为\(first)），公开表格中这些单元格留空；请检查是否有单位报送了该表，或在汇总前补报。"
  }
}
