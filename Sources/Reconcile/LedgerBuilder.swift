import AlmanacCore

/// Sorts the normalized submissions into accepted, superseded and missing.
///
/// Supersession works per department and grid form: a department may send 表二 and 表三 in
/// different files, and a corrected 表三 alone replaces only the 表三 of the older file. An
/// accepted entry holds only the cells of the forms it won; a superseded entry only those it lost
/// (the same file can appear in both lists with disjoint forms).
struct LedgerBuilder {
  let catalog: FormCatalog
  /// Register form id → grid form it fills (`register` → `t3`).
  let registerTargets: [String: String]
  let year: Int

  init(pipeline: PipelineDefinition, catalog: FormCatalog, year: Int) {
    self.catalog = catalog
    var targets: [String: String] = [:]
    for f in pipeline.forms where f.kind == .register {
      if let t = f.counts?.form { targets[f.id] = t }
    }
    registerTargets = targets
    self.year = year
  }

  struct Result {
    var accepted: [Submission] = []
    var superseded: [Submission] = []
    var heldBack: [HeldBackFile] = []
    var findings: [Finding] = []
  }

  /// Grid forms a submission provides, through its table cells or a register.
  func providedForms(_ s: Submission) -> Set<String> {
    var forms = Set<String>()
    for k in s.cells.keys { if let key = CellKey(k), catalog[key.form] != nil { forms.insert(key.form) } }
    for k in s.registerCells.keys { if let key = CellKey(k), catalog[key.form] != nil { forms.insert(key.form) } }
    for f in s.forms where catalog[f] != nil { forms.insert(f) }
    for f in s.forms { if let t = registerTargets[f] { forms.insert(t) } }
    return forms
  }

  func build(_ normalized: NormalizedSet) -> Result {
    var result = Result()
    result.heldBack = normalized.heldBack
    var current: [Submission] = []
    for s in normalized.submissions {
      if s.year == year {
        current.append(s)
      } else {
        // Normalize holds other years back; should one slip through, it is not mixed in.
        result.heldBack.append(HeldBackFile(source: s.source, reason: .wrongYear, claimed: s.departmentName))
        result.findings.append(
          Finding(
            code: ReconcileCodes.wrongYear, severity: .warning, stage: ReconcileStage.name,
            message:
              "\(s.departmentName)报送的文件 \(s.source.path) 是\(s.year)年度的数据，本次汇总的是\(year)年度，未采用。请确认报送年度，如有误请重新报送本年度统计表。",
            department: s.department, expected: String(year), actual: String(s.year), sources: [s.source.ref()]))
      }
    }
    let byDepartment = Dictionary(grouping: current, by: \.department)
    for department in byDepartment.keys.sorted() {
      let subs = (byDepartment[department] ?? []).sorted { SubmissionOrder.isOlder($0, than: $1) }
      let provided = subs.map(providedForms)
      var winner: [String: Int] = [:]
      for (i, forms) in provided.enumerated() {
        for f in forms { winner[f] = i }  // sorted oldest first: the last one wins
      }
      for (i, s) in subs.enumerated() {
        let won = provided[i].filter { winner[$0] == i }
        let lost = provided[i].subtracting(won)
        if !won.isEmpty || provided[i].isEmpty {
          result.accepted.append(provided[i].isEmpty ? s : restrict(s, to: won, keepOther: true))
        }
        guard !lost.isEmpty else { continue }
        result.superseded.append(restrict(s, to: lost, keepOther: false))
        let byWinner = Dictionary(grouping: lost, by: { winner[$0] ?? i })
        for w in byWinner.keys.sorted() {
          let newer = subs[w]
          let forms = (byWinner[w] ?? []).sorted {
            catalog.order(CellKey(form: $0, row: "", column: ""))
              < catalog.order(CellKey(form: $1, row: "", column: ""))
          }
          result.findings.append(supersededFinding(old: s, new: newer, forms: forms))
        }
      }
    }
    result.accepted.sort { ($0.department, $0.source.path) < ($1.department, $1.source.path) }
    result.superseded.sort { ($0.department, $0.source.path) < ($1.department, $1.source.path) }
    result.heldBack.sort { ($0.source.path, $0.source.sha256) < ($1.source.path, $1.source.sha256) }
    return result
  }

  /// The submission with only the cells of `forms` (and, for the accepted part, its other
  /// non-grid forms).
  func restrict(_ s: Submission, to forms: Set<String>, keepOther: Bool) -> Submission {
    var t = s
    t.cells = s.cells.filter { CellKey($0.key).map { forms.contains($0.form) } ?? keepOther }
    t.registerCells = s.registerCells.filter { CellKey($0.key).map { forms.contains($0.form) } ?? keepOther }
    t.forms = s.forms.filter { f in
      if catalog[f] != nil { return forms.contains(f) }
      if let target = registerTargets[f] { return forms.contains(target) }
      return keepOther
    }
    return t
  }

  private func supersededFinding(old: Submission, new: Submission, forms: [String]) -> Finding {
    let names = forms.map { catalog.shortName($0) }.joined(separator: "、")
    return Finding(
      code: ReconcileCodes.superseded, severity: .info, stage: ReconcileStage.name,
      message:
        "\(old.departmentName)重新报送了\(names)：较早的文件 \(old.source.path)（sha256 \(old.source.sha256)，填报日期 \(old.filledOn ?? "未填")）已被 \(new.source.path)（sha256 \(new.source.sha256)，填报日期 \(new.filledOn ?? "未填")）替代，汇总采用后者。如替代有误，请移除较新的文件后重新运行。",
      department: old.department, form: forms.count == 1 ? forms.first : nil,
      expected: new.source.sha256, actual: old.source.sha256,
      sources: [old.source.ref(), new.source.ref()], idSalt: forms.joined(separator: ","))
  }
}
