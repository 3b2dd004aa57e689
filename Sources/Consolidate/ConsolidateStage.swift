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

  /// Deterministic gzip of consolidated.csv given in pieces (mtime 0, no name); injectable so
  /// tests can check the bytes it gets.
  public var compress: @Sendable ([[UInt8]]) throws -> Data

  public init(
    compress: @escaping @Sendable ([[UInt8]]) throws -> Data = { try GzipStream.compressInBlocks(chunks: $0) }
  ) {
    self.compress = compress
  }

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

    let csv = ConsolidatedDataset.csvChunks(of: reconciliation, catalog: catalog, regionName: pipeline.region.name)
    try staged.stage(chunks: csv.chunks, as: "consolidated.csv", in: dir)
    try staged.stage(try compress(csv.chunks), as: "consolidated.csv.gz", in: dir)
    context.counters.add("figures", Int64(csv.figures))

    for form in catalog.forms {
      let table = OfficialTable.build(
        form: form, layout: OfficialLayout.of(form: form.id, style: pipeline.style),
        values: reconciliation.ledger.region)
      try staged.stage(table.csv, as: "tables/\(form.id).csv", in: dir)
    }

    let submissions = SubmissionsList.rows(of: reconciliation.ledger, seeds: context.seeds)
    try staged.stage(SubmissionsList.csv(submissions), as: "submissions.csv", in: dir)

    try staged.stage(try FindingsLog.jsonl(reconciliation.findings), as: "reconciliation.jsonl", in: dir)

    let page = ReconciliationPage(
      reconciliation: reconciliation, regionName: pipeline.region.name, year: reconciliation.ledger.year,
      title: pipeline.title, rules: pipeline.rules, catalog: catalog, seedNames: Self.seedNames(context.seeds))
    try staged.stage(Data(page.html.utf8), as: "reconciliation.html", in: dir)
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
        message: .missingRegionCells(form: form.name, count: absent.count, first: first.description),
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
    "全区汇总中\(form)有 \(count) 个单元格没有数值（首个为 \(first)），公开表格中这些单元格留空；请检查是否有单位报送了该表，或在汇总前补报。"
  }
}
