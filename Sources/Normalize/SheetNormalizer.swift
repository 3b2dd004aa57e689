import AlmanacCore
import Foundation

/// What normalize made of one sheet: a submission, or the reason it was held back, and findings.
public struct SheetOutcome: Hashable, Sendable {
  public var submission: Submission?
  public var heldBack: HeldBackFile?
  public var findings: [Finding]
  /// Counts of registers whose rows name their own department (`RegisterCount.departmentField`);
  /// `NormalizeStage` adds them up over all files, one submission per department.
  public var attributed: AttributedCounts?

  public init(
    submission: Submission?, heldBack: HeldBackFile?, findings: [Finding], attributed: AttributedCounts? = nil
  ) {
    self.submission = submission
    self.heldBack = heldBack
    self.findings = findings
    self.attributed = attributed
  }
}

/// What one file's row-attributed registers counted, per department.
public struct AttributedCounts: Hashable, Sendable {
  public var source: SourceFile
  /// Register form ids counted.
  public var forms: [String]
  /// Department id → counted figures (non-zero cells only), as tables: built on the core
  /// that normalized the sheet, so that adding the files up only merges sorted tables.
  public var cells: [String: FigureTable]
  /// Department id → rows of this file counted for it.
  public var rows: [String: Int64]
  /// The units whose register this file is (`DepartmentScope.fileNamePrefix`: the county its
  /// name starts with), by id; empty where names are not scoped.
  public var scopes: [String]

  public init(
    source: SourceFile, forms: [String], cells: [String: FigureTable], rows: [String: Int64], scopes: [String] = []
  ) {
    self.source = source
    self.forms = forms
    self.cells = cells
    self.rows = rows
    self.scopes = scopes
  }
}

/// Normalizes one sheet: resolves its department and year, maps label paths to cell keys and
/// counts registers. `NormalizeStage` runs it over every sheet; `inspect` may run it on one.
public struct SheetNormalizer: Sendable {
  public let pipeline: PipelineDefinition
  public let registry: DepartmentRegistry
  public let year: Int
  let labelAliases: LabelAliases
  /// The seed an operator registers a label's other spelling in (`label_aliases`, or the
  /// pipeline's own such as `linghai_label_aliases`): findings name it.
  let labelAliasSeed: String
  let variantTables: [String: VariantTable]
  let rowMatchers: [String: AxisMatcher]
  let columnMatchers: [String: AxisMatcher]
  /// Per grid form: its cells by row key and column key, and their key texts (built once; a
  /// register is counted into them per file).
  let cellTables: [String: CellTable]

  struct CellTable: Sendable {
    /// Row key → column key → index into `texts` (the first of a repeated key).
    var index: [String: [String: Int]] = [:]
    var texts: [String] = []
    /// Indices into `texts` in ascending order of the text (a `FigureTable`'s order).
    var ascending: [Int] = []

    init(_ form: FormDefinition) {
      for key in form.cellKeys where index[key.row]?[key.column] == nil {
        index[key.row, default: [:]][key.column] = texts.count
        texts.append(key.description)
      }
      ascending = texts.indices.sorted { texts[$0] < texts[$1] }
    }
  }

  public init(pipeline: PipelineDefinition, seeds: Seeds, year: Int) {
    self.init(
      pipeline: pipeline, seeds: seeds, year: year,
      registry: DepartmentRegistry(seeds: seeds, region: pipeline.region.name))
  }

  public init(pipeline: PipelineDefinition, seeds: Seeds, year: Int, registry: DepartmentRegistry) {
    self.pipeline = pipeline
    self.registry = registry
    self.year = year
    labelAliases = LabelAliases(seeds: seeds)
    labelAliasSeed = pipeline.seeds.first { $0.hasSuffix("label_aliases") } ?? "label_aliases"
    var tables: [String: VariantTable] = [:]
    for form in pipeline.forms {
      guard let c = form.counts else { continue }
      tables[c.rowSeed] = VariantTable(seeds[c.rowSeed])
      tables[c.columnSeed] = VariantTable(seeds[c.columnSeed])
    }
    variantTables = tables
    var rows: [String: AxisMatcher] = [:]
    var cols: [String: AxisMatcher] = [:]
    for form in pipeline.forms where form.kind == .grid {
      let aliases = labelAliases.forForm(form.id)
      rows[form.id] = AxisMatcher(form.rows ?? [], aliases: aliases)
      cols[form.id] = AxisMatcher(form.columns ?? [], aliases: aliases)
    }
    rowMatchers = rows
    columnMatchers = cols
    var cells: [String: CellTable] = [:]
    for form in pipeline.forms where form.kind == .grid && cells[form.id] == nil { cells[form.id] = CellTable(form) }
    cellTables = cells
  }

  /// One department claim: where in the sheet it was written, and what.
  struct Claim {
    var place: String
    var text: String
    var line: Int
  }

  public func normalize(_ sheet: Sheet) -> SheetOutcome {
    let source = sheet.source
    var findings: [Finding] = []
    let claims = Self.claims(sheet)
    let firstClaim = claims.first?.text

    if sheet.tables.isEmpty, sheet.registers.isEmpty, sheet.findings.contains(where: { $0.severity == .error }) {
      return SheetOutcome(
        submission: nil, heldBack: HeldBackFile(source: source, reason: .unreadable, claimed: firstClaim), findings: [])
    }

    let sheetYear = sheet.claims.titleYear ?? sheet.claims.fileNameYear
    let attributedRegisters = sheet.registers.filter { isAttributed($0.form) }
    // A register whose rows name their departments needs no sender: only its year is checked.
    if !attributedRegisters.isEmpty, attributedRegisters.count == sheet.registers.count, sheet.tables.isEmpty {
      if let sheetYear, sheetYear != year {
        let line = sheet.claims.titleYear != nil ? sheet.claims.titleLine ?? 0 : 0
        findings.append(
          finding(
            "NRM-004", .error, Message.wrongYear(sheetYear, expected: year, fromTitle: sheet.claims.titleYear != nil),
            expected: String(year), actual: String(sheetYear), sources: [source.ref(line: line)]))
        return held(source, .wrongYear, firstClaim, findings)
      }
      let attributed = countAttributed(attributedRegisters, sheet: sheet, findings: &findings)
      return SheetOutcome(submission: nil, heldBack: nil, findings: findings, attributed: attributed)
    }
    let date = DepartmentRegistry.yearEnd(sheetYear ?? year)

    // Department: every claim that resolves must name the same department.
    var resolved: [(Claim, DepartmentRef, ResolutionPath)] = []
    var unresolved: [(Claim, DepartmentResolution)] = []
    for c in claims {
      let r = registry.resolve(c.text, on: date)
      if case .resolved(let ref, let via) = r {
        resolved.append((c, ref, via))
      } else {
        unresolved.append((c, r))
      }
    }
    let ids = Set(resolved.map(\.1.id))
    let anchor = source.ref(line: claims.first?.line ?? 0)
    if ids.count > 1 {
      let described = resolved.map { Message.claimDescription($0.0.place, $0.0.text, $0.1) }
      findings.append(finding("NRM-003", .error, Message.conflicting(described), sources: [anchor]))
      return held(source, .conflictingDepartment, firstClaim, findings)
    }
    // The nearest folder that reads as a name (`人社局/表三.csv`) names the sender only when the
    // file does not; a file in another unit's folder is taken as the file says, with a
    // warning. Only the nearest: `农业农村局/畜牧站/表三.csv` with 畜牧站 unregistered is not
    // 农业农村局's. A name the file writes that fits several units is settled by the folder
    // only when the folder's unit is one of them.
    let nearestFolder = sheet.claims.folderDepartments?.first
    let ambiguousCandidates = unresolved.compactMap { u -> Set<String>? in
      if case .ambiguous(let refs) = u.1 { return Set(refs.map(\.id)) }
      return nil
    }
    let folderUnit = nearestFolder.flatMap { name in
      registry.resolve(name, on: date).ref.map { (name: name, ref: $0) }
    }
    let folder = folderUnit.flatMap { f in ambiguousCandidates.allSatisfy { $0.contains(f.ref.id) } ? f : nil }
    let department: DepartmentRef
    if let own = resolved.first?.1 {
      department = own
      if let folder = folderUnit, folder.ref.id != own.id {
        findings.append(
          finding(
            "NRM-022", .warning, Message.otherFolder(folder.name, folder.ref, own), department: own.id,
            sources: [anchor]))
      }
    } else if let folder {
      department = folder.ref
      findings.append(
        finding(
          "NRM-023", .info,
          Message.byFolder(
            folder.name, folder.ref, written: claims.isEmpty ? nil : ambiguousCandidates.isEmpty ? "无法识别" : "对应多个已登记单位"),
          department: folder.ref.id, sources: [source.ref()]))
    } else {
      if claims.isEmpty {
        findings.append(
          finding(
            "NRM-001", .error,
            Message.noClaim(
              source.path, folder: nearestFolder, closest: nearestFolder.map { registry.closest($0, limit: 3) } ?? []),
            sources: [source.ref()]))
        return held(source, .unknownDepartment, nil, findings)
      }
      let ambiguous = unresolved.compactMap { u -> (Claim, [DepartmentRef])? in
        if case .ambiguous(let refs) = u.1 { return (u.0, refs) }
        return nil
      }
      if let (c, refs) = ambiguous.first {
        findings.append(
          finding("NRM-002", .error, Message.ambiguous(c.place, c.text, refs), sources: [source.ref(line: c.line)]))
        return held(source, .ambiguousDepartment, firstClaim, findings)
      }
      let c = unresolved[0].0
      let expired = registry.expiredNames(c.text, on: date).first.map {
        Message.expiredNote($0.written, $0.department, from: $0.validFrom, to: $0.validTo, year: sheetYear ?? year)
      }
      findings.append(
        finding(
          "NRM-001", .error,
          Message.unknown(
            c.place, c.text, closest: registry.closest(c.text, limit: 3), expired: expired,
            others: unresolved.dropFirst().map { "\($0.0.place)「\($0.0.text)」" }),
          sources: [source.ref(line: c.line)]))
      return held(source, .unknownDepartment, firstClaim, findings)
    }
    for (c, _) in unresolved {
      findings.append(
        finding(
          "NRM-015", .info,
          Message.partlyUnresolved(
            c.place, c.text, department, by: resolved.isEmpty ? folder.map { "所在文件夹「\($0.name)」" } : nil),
          department: department.id, sources: [source.ref(line: c.line)]))
    }

    // Year: the title says it best, the file name next; the run's year when neither does.
    if let sheetYear, sheetYear != year {
      let line = sheet.claims.titleYear != nil ? sheet.claims.titleLine ?? 0 : 0
      findings.append(
        finding(
          "NRM-004", .error, Message.wrongYear(sheetYear, expected: year, fromTitle: sheet.claims.titleYear != nil),
          department: department.id, expected: String(year), actual: String(sheetYear),
          sources: [source.ref(line: line)]))
      return held(source, .wrongYear, firstClaim, findings)
    }
    if let t = sheet.claims.titleYear, let f = sheet.claims.fileNameYear, t != f {
      findings.append(
        finding(
          "NRM-016", .warning, Message.yearMismatch(title: t, fileName: f), department: department.id,
          sources: [source.ref(line: sheet.claims.titleLine ?? 0)]))
    }

    var cells: [String: Figure] = [:]
    var forms = Set<String>()
    for table in sheet.tables {
      guard let formID = table.form, let form = pipeline.form(formID), form.kind == .grid else {
        findings.append(
          finding(
            "NRM-006", .warning, Message.unknownTable(table.form, caption: table.caption), department: department.id,
            sources: [source.ref(line: table.headerLines.first ?? table.rows.first?.line ?? 0)]))
        continue
      }
      forms.insert(form.id)
      mapGrid(table, form: form, sheet: sheet, department: department.id, into: &cells, findings: &findings)
    }
    var registerCells: [String: FigureTable] = [:]
    var unusedRows: [String: Int64] = [:]
    for register in sheet.registers where !isAttributed(register.form) {
      forms.insert(register.form)
      countRegister(
        register, sheet: sheet, department: department.id, into: &registerCells, rows: &unusedRows, findings: &findings)
    }
    let attributed =
      attributedRegisters.isEmpty ? nil : countAttributed(attributedRegisters, sheet: sheet, findings: &findings)
    if forms.isEmpty, attributed != nil {
      return SheetOutcome(submission: nil, heldBack: nil, findings: findings, attributed: attributed)
    }
    if forms.isEmpty {
      findings.append(
        finding("NRM-005", .error, Message.noForm(source.path), department: department.id, sources: [source.ref()]))
      return held(source, .noForm, firstClaim, findings)
    }
    let submission = Submission(
      department: department.id, departmentName: department.name, year: year, source: source, forms: forms.sorted(),
      cells: FigureTable(cells), registerCells: registerCells[department.id] ?? FigureTable(),
      filledOn: sheet.claims.filledOn)
    return SheetOutcome(submission: submission, heldBack: nil, findings: findings, attributed: attributed)
  }

  /// True when register form `id` attributes each row to the department it names.
  func isAttributed(_ id: String) -> Bool { pipeline.form(id)?.counts?.departmentField != nil }

  func countAttributed(_ registers: [SheetRegister], sheet: Sheet, findings: inout [Finding]) -> AttributedCounts {
    var cells: [String: FigureTable] = [:]
    var rows: [String: Int64] = [:]
    var scopes = Set<String>()
    for register in registers {
      countRegister(register, sheet: sheet, department: nil, into: &cells, rows: &rows, findings: &findings)
      if let counts = pipeline.form(register.form)?.counts,
        let unit = departmentScope(counts: counts, path: sheet.source.path)?.unit
      {
        scopes.insert(unit.id)
      }
    }
    return AttributedCounts(
      source: sheet.source, forms: Array(Set(registers.map(\.form))).sorted(), cells: cells,
      rows: rows, scopes: scopes.sorted())
  }

  static func claims(_ sheet: Sheet) -> [Claim] {
    let c = sheet.claims
    var out: [Claim] = []
    for (place, text, line) in [
      ("填报单位栏", c.metadataDepartment, c.metadataLine ?? 0),
      ("标题", c.titleDepartment, c.titleLine ?? 0),
      ("文件名", c.fileNameDepartment, 0),
    ] {
      if let t = text?.trimmingWhitespaceAndNewlines, !t.isEmpty {
        out.append(Claim(place: place, text: t, line: line))
      }
    }
    return out
  }

  func held(_ source: SourceFile, _ reason: HoldReason, _ claimed: String?, _ findings: [Finding]) -> SheetOutcome {
    SheetOutcome(
      submission: nil, heldBack: HeldBackFile(source: source, reason: reason, claimed: claimed), findings: findings)
  }

  func finding(
    _ code: String, _ severity: Severity, _ message: String, department: String? = nil, form: String? = nil,
    cell: String? = nil, expected: String? = nil, actual: String? = nil, sources: [SourceRef], salt: String = ""
  ) -> Finding {
    Finding(
      code: code, severity: severity, stage: NormalizeStage.name, message: message, department: department, form: form,
      cell: cell, expected: expected, actual: actual, sources: sources,
      idSalt: salt + sources.map { "\($0.line):\($0.column)" }.joined(separator: ","))
  }
}

private enum Message {
  static func names(_ refs: [DepartmentRef]) -> String {
    refs.isEmpty ? "（无）" : refs.map { "\($0.name)（\($0.id)）" }.joined(separator: "、")
  }
  static func claimDescription(_ place: String, _ text: String, _ ref: DepartmentRef) -> String {
    "\(place)「\(text)」→ \(ref.name)（\(ref.id)）"
  }
  static func conflicting(_ described: [String]) -> String {
    "文件中的单位名称指向不同单位：\(described.joined(separator: "；"))。文件暂缓采用；请与报送单位核实后更正文件，或删除错误的名称后重新报送"
  }
  /// `closest`: the registered units nearest the nearest folder's name, when there is one.
  static func noClaim(_ file: String, folder: String?, closest: [DepartmentRef] = []) -> String {
    let inFolders = folder.map { "，所在文件夹「\($0)」也不是已登记的单位" } ?? ""
    var s =
      "文件 \(file) 的标题、填报单位栏和文件名都没有写明填报单位\(inFolders)，"
      + "无法确定报送单位，文件暂缓采用；请在文件中填写“填报单位：××”、在文件名中写明单位，"
      + "或放入以单位名称命名的文件夹（如 收件箱/人社局/表三.csv）后重新运行"
    if let folder, !closest.isEmpty {
      s +=
        "。与文件夹名「\(folder)」最接近的已登记单位：\(names(closest))；如文件夹名确指其中之一，"
        + "请用 almanac alias \"\(folder)\" 单位编号 登记（写入 seeds/department_aliases.csv）"
    }
    return s
  }
  static func otherFolder(_ folder: String, _ byFolder: DepartmentRef, _ own: DepartmentRef) -> String {
    "文件位于文件夹「\(folder)」（\(byFolder.name)，\(byFolder.id)）中，但文件写明的单位是 \(own.name)（\(own.id)），"
      + "已按文件中的名称采用；如文件放错了文件夹，请移到正确的文件夹，如文件本应是 \(byFolder.name) 的，请与报送单位核实"
  }
  /// `written`: what is wrong with the names the file writes; nil when it writes none.
  static func byFolder(_ folder: String, _ ref: DepartmentRef, written: String?) -> String {
    (written.map { "文件中写的单位名称\($0)" } ?? "文件中没有写明填报单位")
      + "，已按所在文件夹「\(folder)」确定为 \(ref.name)（\(ref.id)）；建议报送单位在文件中填写“填报单位：\(ref.name)”"
  }
  static func ambiguous(_ place: String, _ text: String, _ refs: [DepartmentRef]) -> String {
    "\(place)中的单位名称「\(text)」同时对应多个已登记单位：\(names(refs))。文件暂缓采用；请确认实际报送单位，"
      + "用 almanac alias \"\(text)\" 单位编号 登记（写入 seeds/department_aliases.csv），然后重新运行"
  }
  static func expiredNote(_ written: String, _ ref: DepartmentRef, from: String?, to: String?, year: Int) -> String {
    "「\(written)」是 \(ref.name)（\(ref.id)）登记的名称，有效期 \(from ?? "不限")至\(to ?? "今")，不适用于 \(year) 年度"
  }
  static func unknown(_ place: String, _ text: String, closest: [DepartmentRef], expired: String?, others: [String])
    -> String
  {
    var s = "\(place)中的单位名称「\(text)」不在单位名录中"
    if let expired { s += "（\(expired)）" }
    if !others.isEmpty { s += "；\(others.joined(separator: "、"))也无法识别" }
    s += "。最接近的已登记单位：\(names(closest))。文件暂缓采用；如确为其中之一，请用 almanac alias \"\(text)\" 单位编号 登记"
    s += "（写入 seeds/department_aliases.csv），如为新单位请登记到 seeds/departments.csv，然后重新运行"
    return s
  }
  /// `by`: what named the unit instead (the file's other names when nil).
  static func partlyUnresolved(_ place: String, _ text: String, _ ref: DepartmentRef, by: String? = nil) -> String {
    "\(place)中的名称「\(text)」无法识别，已按\(by ?? "文件中其他名称")确定为 \(ref.name)（\(ref.id)）；"
      + "如需今后直接识别，请用 almanac alias \"\(text)\" \(ref.id) 登记该名称"
  }
  static func wrongYear(_ year: Int, expected: Int, fromTitle: Bool) -> String {
    "\(fromTitle ? "标题" : "文件名")显示这是 \(year) 年度的报表，本次汇总的是 \(expected) 年度；文件暂缓采用，未并入汇总。如年份写错，请更正后重新报送"
  }
  static func yearMismatch(title: Int, fileName: Int) -> String {
    "标题年度（\(title) 年）与文件名年度（\(fileName) 年）不一致，已按标题年度处理；请核实"
  }
  static func unknownTable(_ form: String?, caption: String?) -> String {
    let what = form.map { "表单「\($0)」" } ?? "表格" + (caption.map { "「\($0)」" } ?? "")
    return "\(what)不是本流水线定义的表（表二、表三、表四或登记台账），其数据未采用；请使用统一下发的模板"
  }
  static func noForm(_ file: String) -> String {
    "文件 \(file) 中没有找到可识别的表（表二、表三、表四或登记台账），文件暂缓采用；请使用统一下发的模板重新报送"
  }
}
