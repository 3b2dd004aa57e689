import AlmanacCore
import Foundation

/// Builds the Ledger and checks every figure against the pipeline's rules.
///
/// Per department the newest submission is accepted (per form; order: 填报日期, then inbox path —
/// see `SubmissionOrder`), older ones are superseded; expected departments from
/// `seeds/departments.csv` that sent nothing are missing. Region figures are the sums of the
/// departments' breakdown cells, with every total recomputed from them (`RegionFigures`).
/// Every rule of `rules.yaml` runs per department (scope department/both) and for the region
/// (scope region/both); blank tokens, value types, decimals and registers are built-in checks.
///
/// Input: `ReconcileInput` (normalize's `NormalizedSet`, optionally last year's dataset).
/// Output: `Reconciliation` (the Ledger and every finding in the sink, sorted, ids unique).
/// Findings: REC-SUB-001…005, REC-REG-001, REC-S5, REC-C9, REC-C10 and every code in rules.yaml.
/// Resume: pure; rerun when the normalized set, the previous dataset, pipeline or seeds change.
public struct ReconcileStage: Stage {
  public typealias Input = ReconcileInput
  public typealias Output = Reconciliation
  public static let name = "reconcile"

  public init() {}

  public func run(_ input: ReconcileInput, in context: StageContext) async throws -> Reconciliation {
    let pipeline = context.pipeline
    let rules = try RuleCompiler.compile(pipeline.rules, forms: pipeline.forms)
    let catalog = FormCatalog(forms: pipeline.forms)
    let recomputer = ChecksumRecomputer(rules: rules, catalog: catalog)
    let builder = LedgerBuilder(pipeline: pipeline, catalog: catalog, year: context.year)

    let sorted = builder.build(input.normalized)
    var findings = sorted.findings

    let byDepartment = Dictionary(grouping: sorted.accepted, by: \.department)
    // Departments are independent until the region is summed: on every core, in id order.
    let departments = byDepartment.keys.sorted().map { byDepartment[$0] ?? [] }.parallelMap { parts in
      DepartmentFigures(parts: parts, builder: builder, recomputer: recomputer)
    }

    let expected = ExpectedDepartments.list(
      seeds: context.seeds, levels: pipeline.region.expectedLevels, year: context.year)
    let received = Set(departments.map(\.id))
    let missing = expected.filter { !received.contains($0.id) }
    for m in missing {
      findings.append(
        Finding(
          code: ReconcileCodes.missingDepartment, severity: .warning, stage: Self.name,
          message:
            "\(m.name)（\(m.id)）没有报送\(context.year)年度可采用的统计表，\(context.pipeline.region.whole)汇总不含该单位的数据。请催报；收到后放入收件箱重新运行。",
          department: m.id))
    }

    // An empty inbox, or one whose every file was held back, drafts a report of blank tables:
    // an error, so that it is a draft and a cron run says so, not a report "complete" at exit 0.
    if departments.isEmpty {
      let held = sorted.heldBack.count
      let why =
        held > 0
        ? "收件箱中的 \(held) 个文件均暂缓采用（原因见各文件的核对结果）"
        : "收件箱中没有可用的统计表"
      findings.append(
        Finding(
          code: ReconcileCodes.nothingAccepted, severity: .error, stage: Self.name,
          message: "\(context.year)年度没有任何单位的统计表被采用：\(why)，报告中的表格和数字全部为空。"
            + "请确认收件箱路径（--inbox）和报告年度（--year）无误，放入各单位的统计表后重新运行。"))
    }

    let required = catalog.gridOrder.filter { catalog[$0]?.definition.optional != true }
    let whole = pipeline.region.whole
    let runner = RuleRunner(rules: rules, catalog: catalog, regionWhole: whole)
    // The 2016-style sheets are the region's own, not the national format.
    let checks = BuiltinChecks(
      catalog: catalog, recomputer: recomputer, formatName: pipeline.style == .national2021 ? "全国统一格式" : "统计表",
      regionWhole: whole)
    var evaluated = 0
    let previous = input.previous
    let perDepartment = departments.parallelMap { d -> (findings: [Finding], evaluated: Int) in
      var out: [Finding] = []
      for form in required where !d.forms.contains(form) {
        out.append(
          Finding(
            // A warning: the region's table is short of this unit's figures, and nothing else
            // says so (it was an info in the log only, the unit listed as 已报送).
            code: ReconcileCodes.missingForm, severity: .warning, stage: Self.name,
            message:
              "\(d.name)的报送中没有\(catalog.shortName(form))，\(context.pipeline.region.whole)汇总的\(catalog.shortName(form))不含该单位。如该单位应填报此表，请补报。",
            department: d.id, form: form, sources: d.parts.map { $0.source.ref() }.sorted(),
            // One per missing form: without the form in the id, the second was dropped as a
            // repeat of the first (a unit that sent only its register was told of 表二 alone).
            idSalt: form))
      }
      out += checks.valueFindings(d)
      if pipeline.style == .national2021 { out += checks.missingCellFindings(d) }
      out += checks.registerFindings(d)
      let r = runner.departmentFindings(d, previous: previous)
      out += r.findings
      return (out, r.evaluated)
    }
    for d in perDepartment {
      findings += d.findings
      evaluated += d.evaluated
    }

    let region = RegionFigures(
      departments: departments, catalog: catalog, recomputer: recomputer,
      unwrittenIsAbsent: pipeline.style != .national2021)
    let r = runner.regionFindings(region, previous: input.previous)
    findings += r.findings
    evaluated += r.evaluated
    findings += checks.regionFindings(region)
    // National cells no department wrote are counted as 0 (C-10 wants every one written): say
    // so, once per form, or a row every sheet left out reads as a reported 0.
    for form in catalog.gridOrder {
      let cells = region.unwritten.filter { $0.form == form }
      guard let first = cells.first else { continue }
      findings.append(
        Finding(
          code: ReconcileCodes.unwrittenCells, severity: .warning, stage: Self.name,
          message:
            "\(context.pipeline.region.whole)汇总中\(catalog.shortName(form))有 \(cells.count) 个单元格，报送该表的单位都没有填写（首个为\(catalog.label(first))），"
            + "按 0 计入汇总。请检查各单位是否使用了统一模板、是否删去了这些行或列。",
          form: form, cell: first.description))
    }

    context.findings.emit(contentsOf: findings)
    context.counters.add("departments_accepted", Int64(departments.count))
    context.counters.add("submissions_superseded", Int64(sorted.superseded.count))
    context.counters.add("departments_missing", Int64(missing.count))
    context.counters.add("rule_instances_evaluated", Int64(evaluated))
    context.logger.info(
      "核对：采用 \(departments.count) 个单位的报表，\(missing.count) 个单位未报送，核对规则 \(evaluated) 次，核对结果 \(findings.count) 条",
      metadata: [
        "event": "reconcile.summary", "departments": "\(departments.count)", "missing": "\(missing.count)",
        "ruleChecks": "\(evaluated)", "findings": "\(findings.count)",
      ])

    let ledger = Ledger(
      year: context.year, accepted: sorted.accepted, superseded: sorted.superseded, heldBack: sorted.heldBack,
      missing: missing, region: region.cellValues)
    return Reconciliation(ledger: ledger, findings: context.findings.findings)
  }
}
