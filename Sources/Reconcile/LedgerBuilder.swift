import AlmanacCore

/// Sorts the normalized submissions into accepted, superseded and missing.
///
/// Supersession works per department and grid form: a department may send 表二 and 表三 in
/// different files, and a corrected 表三 alone replaces only the 表三 of the older file. An
/// accepted entry holds only the cells of the forms it won; a superseded entry only those it lost
/// (the same file can appear in both lists with disjoint forms).
struct LedgerBuilder: Sendable {
  let catalog: FormCatalog
  /// Register form id → grid form it fills (`register` → `t3`).
  let registerTargets: [String: String]
  /// Register form id → its name (`依申请公开登记台账`), for superseded findings.
  let registerNames: [String: String]
  let year: Int

  init(pipeline: PipelineDefinition, catalog: FormCatalog, year: Int) {
    self.catalog = catalog
    var targets: [String: String] = [:]
    var names: [String: String] = [:]
    for f in pipeline.forms where f.kind == .register {
      if let t = f.counts?.form { targets[f.id] = t }
      names[f.id] = f.name
    }
    registerTargets = targets
    registerNames = names
    self.year = year
  }

  struct Result: Sendable {
    var accepted: [Submission] = []
    var superseded: [Submission] = []
    var heldBack: [HeldBackFile] = []
    var findings: [Finding] = []
  }

  /// Grid forms a submission provides, through its table cells or a register.
  func providedForms(_ s: Submission) -> Set<String> {
    var forms = Set<String>()
    gridForms(of: s.cells, into: &forms)
    gridForms(of: s.registerCells, into: &forms)
    for f in s.forms where catalog[f] != nil { forms.insert(f) }
    for f in s.forms { if let t = registerTargets[f] { forms.insert(t) } }
    return forms
  }

  /// What a submission competes for with the department's other files: the grid forms it sends
  /// as tables, and each register form it sends. A register and the table it is counted into
  /// are different slots: a department exports its 表三 and its 台账 as two sheets (two files),
  /// and the register must be compared with that 表三, not replace it. A register stands in for
  /// its table only where the department sent no table (`DepartmentFigures`).
  func slots(_ s: Submission) -> Set<String> {
    var slots = Set<String>()
    gridForms(of: s.cells, into: &slots)
    for f in s.forms where catalog[f] != nil || registerTargets[f] != nil { slots.insert(f) }
    if !s.registerCells.isEmpty, !s.forms.contains(where: { registerTargets[$0] != nil }) {
      // Register counts without a named register form: compete as the forms they count into.
      gridForms(of: s.registerCells, into: &slots)
    }
    return slots
  }

  /// Adds the grid forms `table`'s keys name.
  private func gridForms(of table: FigureTable, into forms: inout Set<String>) {
    var named = Set<String>()
    catalog.readKeys(of: table, formsInto: &named) { _, _ in }
    for form in named where catalog[form] != nil { forms.insert(form) }
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
    // Departments compete only among their own files: sorted on every core, in id order.
    let sorted = byDepartment.keys.sorted().map { byDepartment[$0] ?? [] }.parallelMap { self.sort($0) }
    for d in sorted {
      result.accepted += d.accepted
      result.superseded += d.superseded
      result.findings += d.findings
    }
    result.accepted.sort { ($0.department, $0.source.path) < ($1.department, $1.source.path) }
    result.superseded.sort { ($0.department, $0.source.path) < ($1.department, $1.source.path) }
    result.heldBack.sort { ($0.source.path, $0.source.sha256) < ($1.source.path, $1.source.sha256) }
    return result
  }

  /// One department's submissions sorted into accepted and superseded parts.
  private func sort(_ submissions: [Submission]) -> Result {
    var result = Result()
    let subs = submissions.sorted { SubmissionOrder.isOlder($0, than: $1) }
    let provided = subs.map(slots)
    // Only where files compete (most departments send one file per form).
    let blank: [Set<String>] =
      subs.count < 2
      ? provided.map { _ in [] } : zip(subs, provided).map { s, forms in forms.filter { !hasFigures(s, slot: $0) } }
    var winner: [String: Int] = [:]
    for (i, forms) in provided.enumerated() {
      for f in forms {
        // Sorted oldest first: the last one wins, except that a form sent blank (every cell
        // empty, `/` or `—`) replaces none that has figures — a blank template exported beside
        // the filled one, or a copy saved before it was filled, would blank the department.
        if blank[i].contains(f), let w = winner[f], !blank[w].contains(f) { continue }
        winner[f] = i
      }
    }
    var competitors: [String: Int] = [:]
    for forms in provided { for f in forms { competitors[f, default: 0] += 1 } }
    for (i, s) in subs.enumerated()
    where SubmissionOrder.isUnreadable(s.filledOn) && provided[i].contains(where: { competitors[$0, default: 0] > 1 }) {
      result.findings.append(unreadableDateFinding(s))
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
          let a = catalog.order(CellKey(form: $0, row: "", column: ""))
          let b = catalog.order(CellKey(form: $1, row: "", column: ""))
          return a != b ? a < b : $0 < $1
        }
        result.findings.append(supersededFinding(old: s, new: newer, forms: forms, blankReplacesNothing: w < i))
      }
    }
    return result
  }

  /// The submission with only the cells of the slots `forms` (grid forms sent as tables,
  /// register forms — see `slots`) and, for the accepted part, its other non-grid forms.
  func restrict(_ s: Submission, to forms: Set<String>, keepOther: Bool) -> Submission {
    var t = s
    let registers = s.forms.filter { registerTargets[$0] != nil }
    // Register counts belong to the register slot when the file names its register form.
    let registerKept = registers.isEmpty ? nil : registers.contains { forms.contains($0) }
    // By key alone: rebuilding every figure with its sources to test its key's form was most
    // of this function's time for a province.
    let catalog = catalog
    func kept(_ key: String) -> Bool { catalog.cell(keyText: key).map { forms.contains($0.key.form) } ?? keepOther }
    t.cells = s.cells.filterKeys(kept)
    t.registerCells = s.registerCells.filterKeys { key in registerKept ?? kept(key) }
    t.forms = s.forms.filter { f in
      if catalog[f] != nil || registerTargets[f] != nil { return forms.contains(f) }
      return keepOther
    }
    return t
  }

  /// True when `s` has anything written in `slot` other than blanks: a register always does.
  func hasFigures(_ s: Submission, slot: String) -> Bool {
    // A register with no application (blank, or rows numbered in advance only: NRM-025) counts
    // nothing: it replaces no register that has applications.
    if registerTargets[slot] != nil { return !s.registerCells.isEmpty }
    guard catalog[slot] != nil else { return true }
    let prefix = slot + "."
    // Values read in place: no figure (and its source list) is rebuilt per cell.
    for (i, k) in s.cells.keys.enumerated() where k.hasPrefix(prefix) {
      if case .blank = s.cells.value(at: i) { continue }
      return true
    }
    return s.registerCells.keys.contains { $0.hasPrefix(prefix) }
  }

  /// How many differing cells REC-SUB-002 quotes.
  static let differencesShown = 5

  /// The cells of `forms` whose figures differ between two files of one department (one
  /// holding a cell the other lacks included), in the forms' order, with what each wrote.
  func differences(_ old: Submission, _ new: Submission, forms: Set<String>)
    -> [(label: String, old: String, new: String)]
  {
    func figures(_ s: Submission) -> [String: Figure] {
      var out: [String: Figure] = [:]
      for table in [s.cells, s.registerCells] {
        for (i, k) in table.keys.enumerated() where CellKey(k).map({ forms.contains($0.form) }) == true {
          out[k] = out[k] ?? table.figure(at: i)
        }
      }
      return out
    }
    let (a, b) = (figures(old), figures(new))
    let keys = Set(a.keys).union(b.keys).compactMap(CellKey.init).sorted { catalog.order($0) < catalog.order($1) }
    return keys.compactMap { key in
      let (x, y) = (a[key.description], b[key.description])
      guard x?.value != y?.value else { return nil }
      return (catalog.label(key), x?.raw ?? "未填", y?.raw ?? "未填")
    }
  }

  /// REC-SUB-006: a 填报日期 that orders nothing, in a department whose files compete.
  private func unreadableDateFinding(_ s: Submission) -> Finding {
    Finding(
      code: ReconcileCodes.unreadableDate, severity: .warning, stage: ReconcileStage.name,
      message:
        "\(s.departmentName)的文件 \(s.source.path) 填报日期写作“\(s.filledOn ?? "")”，无法识别为日期（应写明年、月、日，如 2026年1月15日 或 2026-01-15），"
        + "该文件按未填日期处理：排在本单位填写了日期的文件之前，与同样没有可识别日期的文件按文件名排序，替代顺序可能有误。"
        + "请核对汇总采用的是否为最新一份，必要时更正填报日期后重新报送。",
      department: s.department, actual: s.filledOn, sources: [s.source.ref()])
  }

  private func supersededFinding(old: Submission, new: Submission, forms: [String], blankReplacesNothing: Bool)
    -> Finding
  {
    let names = forms.map { registerNames[$0] ?? catalog.shortName($0) }.joined(separator: "、")
    func dated(_ s: Submission) -> String {
      guard let written = s.filledOn, !written.trimmingCharacters(in: .whitespaces).isEmpty else { return "未填填报日期" }
      return SubmissionOrder.date(written) == nil ? "填报日期“\(written)”无法识别" : "填报日期 \(written)"
    }
    func file(_ s: Submission) -> String { "\(s.source.path)（sha256 \(s.source.sha256)，\(dated(s))）" }
    let (oldDate, newDate) = (SubmissionOrder.date(old.filledOn), SubmissionOrder.date(new.filledOn))
    let message: String
    var severity = Severity.info
    // A register's counts are compared in the form they fill (`t3`). Compared only where the
    // files compete with other figures (a copy and a blank decide nothing).
    let registers = forms.filter { registerTargets[$0] != nil }
    let differing =
      old.source.sha256 == new.source.sha256 || blankReplacesNothing
      ? [] : differences(old, new, forms: Set(forms).union(registers.compactMap { registerTargets[$0] }))
    /// `两份…有 N 处…不同（a「1」与「2」；…）`: the first differing cells, quoted.
    let quoted: String = {
      let shown = differing.prefix(Self.differencesShown).map { "\($0.label)「\($0.old)」与「\($0.new)」" }
      return "\(shown.joined(separator: "；"))\(differing.count > shown.count ? "……" : "")"
    }()
    if old.source.sha256 == new.source.sha256 {
      // The same bytes twice (a copy, `表三 - 副本.csv`) is no resubmission: counted once.
      message =
        "\(old.departmentName)的\(names)报送了两份内容完全相同的文件：\(old.source.path) 与 \(new.source.path)"
        + "（sha256 \(new.source.sha256)），只计入后者一份。可将多余的副本移出收件箱。"
    } else if blankReplacesNothing {
      message =
        "\(old.departmentName)的\(names)在 \(file(old))中全部空白，未替代已填写数字的 \(file(new))，汇总采用后者。"
        + "如确需更正，请填写数字后重新报送。"
    } else if !registers.isEmpty, !differing.isEmpty {
      // Registers list applications: a unit's second register is as likely the rest of its
      // applications (上半年 and 下半年, a register per office) as a new copy of the first, and
      // one replacing the other lost half of them at info severity. Only the unit can say.
      severity = .error
      message =
        "\(old.departmentName)有两份\(names)：\(file(old))与 \(file(new))，汇总只采用了后者"
        + "（\(oldDate != newDate ? "填报日期较晚" : "按文件名排序")），两份的统计有 \(differing.count) 处不同（\(quoted)）。"
        + "登记台账不会相加：如是分期或分处室的台账（如上半年、下半年），请合并为一份后重新报送；"
        + "如后者是完整的重新报送，请移除前者后重新运行，或用 almanac accept 确认。"
    } else if oldDate == newDate {
      let why = oldDate == nil ? "两份文件都没有可识别的填报日期" : "两份文件的填报日期相同"
      // Only the file names ordered them: where their figures differ, which are published
      // was a guess (`司法局2025 - 副本.csv` or `环保局（1）.csv` won over the original) — an
      // error, so that the report stays a draft until someone decides (removes a file or
      // accepts the choice) —, unless the newer one's name says it corrects the other
      // (`（更正）`): a warning quoting the differences.
      let named = SubmissionOrder.namesACorrection(older: old, newer: new)
      if !differing.isEmpty { severity = named ? .warning : .error }
      message =
        "\(old.departmentName)重新报送了\(names)：\(why)，按文件名排序，\(file(new))替代了 \(file(old))，汇总采用前者。"
        + (differing.isEmpty ? "" : "两份文件有 \(differing.count) 处数字不同（\(quoted)）。")
        + (differing.isEmpty || named
          ? "如替代有误，请移除不应采用的文件，或在文件中写明不同的填报日期后重新运行。"
          : "无法确定哪一份是最新的：请移除不应采用的文件，或在文件中写明不同的填报日期后重新运行；确认采用前者的，可用 almanac accept 确认。")
    } else {
      message =
        "\(old.departmentName)重新报送了\(names)：\(oldDate == nil ? "" : "较早的文件 ")\(file(old))已被 \(file(new))替代，汇总采用后者。"
        + "如替代有误，请移除较新的文件后重新运行。"
    }
    return Finding(
      code: ReconcileCodes.superseded, severity: severity, stage: ReconcileStage.name, message: message,
      department: old.department, form: forms.count == 1 ? forms.first : nil,
      expected: new.source.sha256, actual: old.source.sha256,
      sources: [old.source.ref(), new.source.ref()], idSalt: forms.joined(separator: ","))
  }
}
