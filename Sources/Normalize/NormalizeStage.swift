import AlmanacCore

/// Turns ingested sheets into submissions addressed by canonical cell keys.
///
/// Input: every `Sheet` of the run (from `ingest`).
/// Output: `NormalizedSet`: submissions sorted by department then file path; held-back files
///   (unreadable, unknown/ambiguous/conflicting department, wrong year, no form) sorted by path.
/// Findings: NRM-001 unknown department · NRM-002 ambiguous department · NRM-003 conflicting
///   department claims · NRM-004 wrong year · NRM-005 no form · NRM-006 unknown table ·
///   NRM-007 unknown/ambiguous row label · NRM-008 unknown column label · NRM-009 value in a cell
///   the form does not have · NRM-010 cell written twice · NRM-011 unknown applicant type ·
///   NRM-012 unknown result · NRM-013 unknown carry-over mark · NRM-014 register not countable ·
///   NRM-015 one claim unresolved (info) · NRM-016 title/file-name year differ ·
///   NRM-017 unknown row without values (info) · NRM-018 unknown column without values (info) ·
///   NRM-019 register unit not a registered department (of the file's scope) · NRM-020 unusable
///   declared-figures seed row · NRM-021 no sheet of the run's year, but sheets of another
///   (the run's year is likely wrong). Registers whose rows name their department
///   (`departmentField`) become one submission per department over all files.
/// Resume: pure; rerun when the sheets, the pipeline definition, the seeds or the year change.
public struct NormalizeStage: Stage {
  public typealias Input = [Sheet]
  public typealias Output = NormalizedSet

  public static let name = "normalize"

  public init() {}

  /// Sheets normalized together (on every core) before the next ones are taken.
  static let sheetsPerBatch = 64

  public func run(_ sheets: consuming [Sheet], in context: StageContext) async throws -> NormalizedSet {
    let normalizer = SheetNormalizer(pipeline: context.pipeline, seeds: context.seeds, year: context.year)
    var submissions: [Submission] = []
    var heldBack: [HeldBackFile] = []
    // Files held back for their year, by the year they claim (NRM-021).
    var otherYears: [String: Int] = [:]
    var attributed = AttributedSubmissions(
      pipeline: context.pipeline, seeds: context.seeds, registry: normalizer.registry, year: context.year)
    let order = sheets.indices.sorted {
      (sheets[$0].source.path, sheets[$0].source.sha256) < (sheets[$1].source.path, sheets[$1].source.sha256)
    }
    // Each sheet is normalized on its own (on every core), a batch at a time; outcomes are
    // taken in file order. A batch's sheets are taken out of `sheets` first, so that (when
    // this stage owns them, as in a run) each is freed once normalized: a province's sheets
    // and its submissions are never both whole in memory. A batch's outcomes are taken in
    // before the next batch: per-file counts are merged as they come, not all held first.
    for start in stride(from: 0, to: order.count, by: Self.sheetsPerBatch) {
      let picked = order[start..<min(order.count, start + Self.sheetsPerBatch)]
      var batch: [Sheet] = []
      batch.reserveCapacity(picked.count)
      for i in picked {
        batch.append(sheets[i])
        sheets[i] = Sheet(source: sheets[i].source)
      }
      var counted: [AttributedCounts] = []
      for outcome in batch.parallelMap({ normalizer.normalize($0) }) {
        context.findings.emit(contentsOf: outcome.findings)
        context.counters.add("sheets")
        if let s = outcome.submission {
          submissions.append(s)
          context.counters.add("cells", Int64(s.cells.count))
          context.counters.add("register_cells", Int64(s.registerCells.count))
        }
        if let h = outcome.heldBack { heldBack.append(h) }
        for f in outcome.findings where f.code == "NRM-004" { otherYears[f.actual ?? "", default: 0] += 1 }
        if let a = outcome.attributed { counted.append(a) }
      }
      attributed.add(counted)
    }
    // The sheets are gone; their pages go back before the declared figures are made.
    HeapPages.releaseFree()
    var seedFindings: [Finding] = []
    for s in attributed.submissions(findings: &seedFindings) {
      submissions.append(s)
      context.counters.add("register_cells", Int64(s.registerCells.count))
    }
    context.findings.emit(contentsOf: seedFindings)
    if submissions.isEmpty, let wrongYear = Self.wrongRunYear(otherYears, runYear: context.year) {
      context.findings.emit(wrongYear)
    }
    context.counters.add("submissions", Int64(submissions.count))
    context.counters.add("held_back", Int64(heldBack.count))
    submissions.sort {
      ($0.department, $0.source.path, $0.source.sha256) < ($1.department, $1.source.path, $1.source.sha256)
    }
    return NormalizedSet(submissions: submissions, heldBack: heldBack)
  }

  /// NRM-021, when no sheet was of the run's year and some were of another: one line that
  /// points at `--year`, rather than leaving the operator to read every file's NRM-004.
  static func wrongRunYear(_ otherYears: [String: Int], runYear: Int) -> Finding? {
    guard let (year, files) = otherYears.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), Int(year) != nil
    else { return nil }
    let total = otherYears.values.reduce(0, +)
    let share = files == total ? "全部 \(files) 个" : "其中 \(files) 个"
    return Finding(
      code: "NRM-021", severity: .warning, stage: name,
      message: "本次汇总的是 \(runYear) 年度，但收件箱中没有该年度可采用的报表；因年度不符暂缓采用的 \(total) 个文件中，"
        + "\(share)标明 \(year) 年度。如本次应汇总 \(year) 年度，请用 --year \(year)（或 ALMANAC_YEAR=\(year)）重新运行",
      expected: String(runYear), actual: year)
  }
}
