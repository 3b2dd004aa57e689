import AlmanacCore
import Foundation

/// Evaluates the compiled rules for one department or for the region and words the findings.
struct RuleRunner: Sendable {
  let rules: [CompiledRule]
  let catalog: FormCatalog
  /// `全市`, `全区` … (`RegionDefinition.whole`).
  var regionWhole = "全区"

  /// What one evaluation needs to know about its subject.
  struct Subject {
    var department: String?
    /// `凌海市环境保护局` or `全市汇总`.
    var who: String
    var forms: Set<String>
    var lookup: @Sendable (CellKey) -> CellLookup
    var previous: (@Sendable (CellKey) -> CellLookup)?
    var previousSource: SourceRef?
    var sources: (CellKey) -> [SourceRef]
    /// The region's departments whose own figures fail a formula (nil for a department).
    var contributions: ((Formula) -> [RegionFigures.Contribution])? = nil
    /// Totals the department left out, computed from what it wrote.
    var recomputed: Set<CellKey> = []
  }

  func departmentFindings(_ d: DepartmentFigures, previous: PreviousDataset?) -> (findings: [Finding], evaluated: Int) {
    let figures = d.figures
    let lookup: @Sendable (CellKey) -> CellLookup = { CellLookup(figures.value($0)) }
    var prevLookup: (@Sendable (CellKey) -> CellLookup)? = nil
    if let cells = previous?.departments[d.id] {
      prevLookup = { CellLookup(cells[$0.description]) }
    }
    let sources: (CellKey) -> [SourceRef] = { figures[$0]?.sources ?? [] }
    let subject = Subject(
      department: d.id, who: d.name, forms: d.forms, lookup: lookup, previous: prevLookup,
      previousSource: previous?.source.ref(), sources: sources, recomputed: d.recomputedTotals)
    return run(subject, region: false)
  }

  func regionFindings(_ r: RegionFigures, previous: PreviousDataset?) -> (findings: [Finding], evaluated: Int) {
    let values = r.values
    let lookup: @Sendable (CellKey) -> CellLookup = { key in values[key].map { CellLookup.value($0) } ?? .missing }
    var prevLookup: (@Sendable (CellKey) -> CellLookup)? = nil
    if let cells = previous?.region {
      prevLookup = { CellLookup(cells[$0.description]) }
    }
    let sources: (CellKey) -> [SourceRef] = { r.sources($0) }
    let subject = Subject(
      department: nil, who: "\(regionWhole)汇总", forms: r.forms, lookup: lookup, previous: prevLookup,
      previousSource: previous?.source.ref(), sources: sources,
      contributions: { r.contributions(to: $0, previous: previous) })
    return run(subject, region: true)
  }

  private func run(_ s: Subject, region: Bool) -> (findings: [Finding], evaluated: Int) {
    var findings: [Finding] = []
    var evaluated = 0
    let evaluator = FormulaEvaluator(current: s.lookup, previous: s.previous)
    for rule in rules where region ? rule.scope.appliesToRegion : rule.scope.appliesToDepartments {
      for inst in rule.instances {
        let f = inst.formula
        // A form the subject did not send is not checked here (REC-SUB-003 reports it).
        guard (f.cells + f.previousCells).allSatisfy({ s.forms.contains($0.form) }) else { continue }
        // A blank total asserts nothing: REC-C10 reports the blank, the region recomputes it.
        // Blank breakdown cells, by contrast, count as 0 (rules.yaml says so).
        if f.cells.contains(where: { catalog.isChecksum($0) && s.lookup($0).isBlank }) { continue }
        // A total left out of the sheet is computed from what was written (`DepartmentFigures`):
        // a rule defining it (S-1, S-2) is not checked against it — it was never “填报为” —
        // and a rule of nothing but computed totals checks nothing written.
        if !s.recomputed.isEmpty {
          if case .cell(let k) = f.lhs, s.recomputed.contains(k) { continue }
          if f.cells.allSatisfy({ s.recomputed.contains($0) }) { continue }
        }
        evaluated += 1
        guard case .violated(let lhs, let rhs) = evaluator.evaluate(f, requireAll: rule.definition.requireAll ?? false)
        else { continue }
        findings.append(finding(rule, inst, lhs: lhs, rhs: rhs, subject: s, region: region))
      }
    }
    return (findings, evaluated)
  }

  private func finding(
    _ rule: CompiledRule, _ inst: RuleInstance, lhs: Decimal, rhs: Decimal, subject s: Subject, region: Bool
  )
    -> Finding
  {
    let f = inst.formula
    var refs = Set<SourceRef>()
    for k in f.cells { refs.formUnion(s.sources(k)) }
    // Last year's dataset after this year's cells: the first source is where the finding is
    // shown (`file:line:column`), and that should be a sheet the department can correct, not
    // last year's outbox, whichever name sorts first.
    var sources = refs.sorted()
    if !f.previousCells.isEmpty, let p = s.previousSource, !refs.contains(p) { sources.append(p) }
    let parts = s.contributions.map { Self.largestFirst($0(f)) } ?? []
    if !parts.isEmpty {
      // The region's finding is shown where the departments that make its difference wrote
      // it, not at whichever department's sheet sorts first.
      let shown = parts.prefix(Self.contributionsNamed).flatMap(\.sources)
      var seen = Set<SourceRef>()
      sources = (shown + sources).filter { seen.insert($0).inserted }
    }
    // The id is anchored on the first source as it was before a department's finding was
    // shown at its subject cell (below): an auditor's acceptance must keep matching it.
    let anchor = sources.first
    if parts.isEmpty, !region {
      // Shown at the cell the finding is about (a department's （七）总计), not at whichever
      // of the formula's cells comes first in the sheet.
      let subject = s.sources(inst.subject)
      if !subject.isEmpty {
        var seen = Set<SourceRef>()
        sources = (subject.sorted() + sources).filter { seen.insert($0).inserted }
      }
    }
    let verb = region ? "汇总为" : "填报为"
    let left: String
    if case .cell(let k) = f.lhs {
      left = "\(catalog.label(k))\(verb) \(DecimalFormat.plain(lhs))"
    } else {
      left = "左式\(brief(f.lhs))为 \(DecimalFormat.plain(lhs))"
    }
    let right: String
    if f.rhs.cells.isEmpty && f.rhs.previousCells.isEmpty {
      right = "应\(f.comparison == .equal ? "为" : f.comparison.symbol) \(DecimalFormat.plain(rhs))"
    } else if case .cell = f.lhs, f.rhs.cells.count + f.rhs.previousCells.count <= 3 {
      right = "\(describe(f.rhs))为 \(DecimalFormat.plain(rhs))"
    } else if f.rhs.cells.count + f.rhs.previousCells.count <= 3 {
      right = "右式（\(describe(f.rhs))）为 \(DecimalFormat.plain(rhs))"
    } else {
      right = "按明细计算为 \(DecimalFormat.plain(rhs))"
    }
    let relation = f.comparison == .equal || f.rhs.cells.isEmpty ? "" : "（应满足左边\(f.comparison.symbol)右边）"
    let diff = lhs - rhs
    var message = "\(s.who)：不符合“\(rule.definition.title)”——\(left)，\(right)\(relation)，相差 \(DecimalFormat.plain(diff))。"
    message += contributionSentence(parts, formula: f)
    if let advice = rule.definition.advice, !advice.isEmpty { message += advice }
    var finding = Finding(
      code: rule.code, severity: rule.definition.severity, stage: ReconcileStage.name, message: message,
      department: s.department, form: inst.subject.form, cell: inst.subject.description,
      expected: DecimalFormat.plain(rhs), actual: DecimalFormat.plain(lhs), difference: DecimalFormat.plain(diff),
      sources: anchor.map { [$0] } ?? [],
      // Two instances of one rule may name the same subject cell (C-3 style inequalities).
      idSalt: inst.bindings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
    finding.sources = sources
    return finding
  }

  /// How many contributing departments a region finding names before “等 N 个单位”.
  static let contributionsNamed = 8

  /// Largest difference first, then by department id: the order the finding names them.
  static func largestFirst(_ parts: [RegionFigures.Contribution]) -> [RegionFigures.Contribution] {
    parts.sorted {
      let a = abs($0.lhs - $0.rhs)
      let b = abs($1.lhs - $1.rhs)
      return a != b ? a > b : $0.department < $1.department
    }
  }

  /// `差额来自：凌海市住房和城乡建设局（相差 3）、…。` for an `=` rule (the departments'
  /// differences add up to the region's); `本身即不符合的单位：…。` for an inequality.
  private func contributionSentence(_ parts: [RegionFigures.Contribution], formula f: Formula) -> String {
    guard !parts.isEmpty else { return "" }
    let named = parts.prefix(Self.contributionsNamed).map { part in
      // A form the department did not send counts as 0 here, as in the region's sums: said,
      // since the department has no finding of this rule of its own.
      var missing = part.missingForms.map { "，未报送\(catalog.shortName($0))，按 0 计" }.joined()
      if part.absentThisYear { missing += "，本年未报送，按 0 计" }
      if part.absentLastYear { missing += "，上年数据中没有该单位，按 0 计" }
      return "\(part.name)（相差 \(DecimalFormat.plain(part.lhs - part.rhs))\(missing)）"
    }
    let more = parts.count > named.count ? "等 \(parts.count) 个单位" : ""
    let lead = f.comparison == .equal ? "差额来自" : "本身即不符合的单位"
    // A department's own check reads its declared totals; the region's reads totals
    // recomputed from breakdowns. Saying so explains a department named here without a
    // finding of the same rule of its own.
    let recomputed = f.cells.contains(where: catalog.isChecksum) ? "（各单位的总计按其明细重算）" : ""
    return "\(lead)\(recomputed)：\(named.joined(separator: "、"))\(more)。"
  }

  /// `（…）` with the expression when it names at most three cells; long sums stay unnamed.
  private func brief(_ e: FormulaExpr) -> String {
    e.cells.count + e.previousCells.count <= 3 ? "（\(describe(e))）" : ""
  }

  /// A short zh-CN reading of an expression: cells by label, `上年` for previous-year cells.
  func describe(_ e: FormulaExpr) -> String {
    switch e {
    case .number(let d): return DecimalFormat.plain(d)
    case .cell(let k): return catalog.label(k)
    case .previous(let k): return "上年" + catalog.label(k)
    case .sum(let ks):
      if ks.count <= 2 { return ks.map(catalog.label).joined(separator: "+") }
      return "\(catalog.label(ks[0]))至\(catalog.label(ks[ks.count - 1]))共\(ks.count)项之和"
    case .binary(let op, let a, let b):
      let sym: String
      switch op {
      case .add: sym = "+"
      case .subtract: sym = "-"
      case .multiply: sym = "×"
      case .divide: sym = "÷"
      }
      // Grouping as the formula has it: `rate*(hy+sq)` read “rate × hy + sq” without it.
      let left = Self.precedence(a) < Self.precedence(op) ? "(\(describe(a)))" : describe(a)
      let rightLower =
        Self.precedence(b) < Self.precedence(op)
        || (Self.precedence(b) == Self.precedence(op) && (op == .subtract || op == .divide))
      let right = rightLower ? "(\(describe(b)))" : describe(b)
      return "\(left) \(sym) \(right)"
    }
  }

  /// 1 for + and −, 2 for × and ÷; 3 for what binds tighter (a cell, a number, a 共n项之和).
  static func precedence(_ op: FormulaOperator) -> Int { op == .add || op == .subtract ? 1 : 2 }

  static func precedence(_ e: FormulaExpr) -> Int {
    switch e {
    case .binary(let op, _, _): precedence(op)
    // Two cells are written `A+B`; more are a noun phrase.
    case .sum(let ks): ks.count == 2 ? 1 : 3
    default: 3
    }
  }
}
