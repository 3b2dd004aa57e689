import AlmanacCore
import Foundation

extension SheetNormalizer {
  /// Row keys of the national 表三 that a register fills besides the result rows: the pipeline
  /// definition names the result seed but not these two, so they are fixed here.
  static let newRow = "r1"
  static let carriedRow = "r2"
  /// At most this many register lines are kept per counted figure; `explain` shows them as
  /// examples of the count.
  static let maxSourcesPerFigure = 50

  /// Values of 是否上年结转 meaning yes / no, folded and lowercased.
  static let carriedYes: Set<String> = ["是", "y", "yes", "1", "√", "✓", "✔", "上年结转", "结转", "true"]
  static let carriedNo: Set<String> = ["否", "n", "no", "0", "", "×", "本年", "本年新收", "新收", "false"]

  /// Register rows gathered over groups (the rows of one group, or those of an unmapped
  /// value, for one finding each): how many, and up to ten of their lines.
  struct Unmapped {
    var count: Int64 = 0
    var lines: ArraySlice<Int> = []
  }

  /// The row key a raw register value counts in (`counts.rowSeed`, then the target form's row
  /// labels); nil for unknown values and for the target's total row (recomputed, never counted).
  func rowKey(_ raw: String, counts: RegisterCount, target: FormDefinition) -> String? {
    var row = variantTables[counts.rowSeed]?.lookup(raw)
    if row == nil, let m = rowMatchers[target.id], case .matched(let d) = m.match([raw]) { row = d.key }
    guard let r = row else { return nil }
    let rows = target.rows ?? []
    guard rows.contains(where: { $0.key == r }), rows.first(where: { $0.checksum == true })?.key != r else {
      return nil
    }
    return r
  }

  /// The column key a raw register value counts in (`counts.columnSeed`).
  func columnKey(_ raw: String, counts: RegisterCount) -> String? {
    variantTables[counts.columnSeed]?.lookup(raw)
  }

  /// The unit that scopes `departmentField` names for the file at `path`
  /// (`departmentScope: fileNamePrefix`: the file name's first `-`-separated part).
  func departmentScope(counts: RegisterCount, path: String) -> (written: String, unit: DepartmentRef?)? {
    guard counts.departmentScope == .fileNamePrefix else { return nil }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let prefix = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? name
    if case .resolved(let ref, _) = registry.resolve(prefix, on: DepartmentRegistry.yearEnd(year)) {
      return (prefix, ref)
    }
    return (prefix, nil)
  }

  /// The department a register row's `departmentField` value names, within `scope` when the
  /// form scopes names (nil scope unit: nothing resolves).
  func unitDepartment(_ raw: String, scope: (written: String, unit: DepartmentRef?)?) -> DepartmentRef? {
    let date = DepartmentRegistry.yearEnd(year)
    let resolution: DepartmentResolution
    if let scope {
      guard let unit = scope.unit else { return nil }
      resolution = registry.resolve(raw, on: date, within: unit.id)
    } else {
      resolution = registry.resolve(raw, on: date)
    }
    if case .resolved(let ref, _) = resolution { return ref }
    return nil
  }

  /// Counts a register's groups into cells of the grid form its `counts` names, merging into
  /// `cells` (department id → cell key → figure; several registers add up).
  ///
  /// Without `departmentField` every row counts for `department` (the file's sender) and every
  /// cell of the target form is filled, zeros included. With it, each group counts for the
  /// department its unit names, only non-zero cells are filled, and `rows` gains the number of
  /// rows each department received from this file.
  func countRegister(
    _ register: SheetRegister, sheet: Sheet, department: String?, into cells: inout [String: FigureTable],
    rows attributedRows: inout [String: Int64], findings: inout [Finding]
  ) {
    let source = sheet.source
    let headerRef = source.ref(line: register.headerLine)
    guard let form = pipeline.form(register.form), let counts = form.counts, let target = pipeline.form(counts.form),
      target.kind == .grid
    else {
      findings.append(
        finding(
          "NRM-014", .error, Message.noCounting(register.form), department: department, form: register.form,
          sources: [headerRef])
      )
      return
    }
    let required = [counts.rowField, counts.columnField] + (counts.departmentField.map { [$0] } ?? [])
    guard let rowIndex = register.groupBy.firstIndex(of: counts.rowField),
      let columnIndex = register.groupBy.firstIndex(of: counts.columnField),
      counts.departmentField.map({ register.groupBy.contains($0) }) ?? true
    else {
      let missing = required.filter { !register.groupBy.contains($0) }
      let labels = missing.map { f in form.fields?.first { $0.key == f }?.label ?? f }
      findings.append(
        finding(
          "NRM-014", .error, Message.missingField(labels), department: department, form: register.form,
          sources: [headerRef]))
      return
    }
    let unitIndex = counts.departmentField.flatMap { register.groupBy.firstIndex(of: $0) }
    let carryIndex = counts.carryField.flatMap { register.groupBy.firstIndex(of: $0) }
    let rowTable = variantTables[counts.rowSeed] ?? VariantTable(nil)
    let columnTable = variantTables[counts.columnSeed] ?? VariantTable(nil)
    let rows = target.rows ?? []
    let totalRow = rows.first { $0.checksum == true }
    let total = counts.totalColumn
    let scope = unitIndex == nil ? nil : departmentScope(counts: counts, path: source.path)

    // The target's cells by row key and column key (first of a repeated key), and per
    // department a tally for each: no cell key text is built or hashed per register group.
    let cellTable = cellTables[target.id] ?? CellTable(target)
    let cellIndex = cellTable.index
    let cellText = cellTable.texts
    let untouched = [Tally](repeating: Tally(), count: cellText.count)
    var tallies: [String: [Tally]] = [:]
    if let blank = register.numberedBlank {
      // Rows numbered in advance and left empty: no application; said, so that a register
      // with fewer applications than numbers is not read as short of rows.
      findings.append(
        finding(
          "NRM-028", .info, Message.numberedBlankRows(form.name, rows: blank.rows, lines: blank.sampleLines),
          department: department, form: register.form,
          sources: blank.sampleLines.map { source.ref(line: $0, column: 0) }))
    }
    if register.dataRows == 0 {
      // A blank register (the template sent back unfilled beside filled tables) counts
      // nothing: compared with 表三 it gave a REC-REG-001 error for every filled cell.
      findings.append(
        finding(
          "NRM-025", .info, Message.emptyRegister(form.name, target: target.name), department: department,
          form: register.form, sources: [headerRef]))
      return
    }
    if unitIndex == nil, let department {
      // The file's own department gets every cell, counted or not.
      tallies[department] = [Tally](repeating: Tally(present: true), count: cellText.count)
    }
    // The cells a (row, column, carried) combination counts in, worked out once per file: a
    // province's registers have some hundred thousand groups but a few hundred combinations,
    // and looking up each target row and column of each group was most of this loop's time.
    struct Combination: Hashable {
      var row: String
      var column: String
      var carried: Bool
    }
    var plans: [Combination: [Int]] = [:]
    func plan(_ c: Combination) -> [Int] {
      if let known = plans[c] { return known }
      // Intake rows (r1 new, r2 carried) count only where the target form defines them.
      var targets = [c.carried ? Self.carriedRow : Self.newRow, c.row]
      if let totalRow, c.row != totalRow.key, let rowDef = rows.first(where: { $0.key == c.row }),
        Self.isUnder(rowDef, total: totalRow)
      {
        targets.append(totalRow.key)
      }
      var cells: [Int] = []
      for r in targets {
        if let i = cellIndex[r]?[c.column] { cells.append(i) }
        if let total, total != c.column, let i = cellIndex[r]?[total] { cells.append(i) }
      }
      plans[c] = cells
      return cells
    }

    var unmappedColumns: [String: Unmapped] = [:]
    var unmappedRows: [String: Unmapped] = [:]
    var unmappedUnits: [String: Unmapped] = [:]
    var unknownCarry: [String: Unmapped] = [:]
    var unitMemo: [String: DepartmentRef?] = [:]
    // A register's groups are sorted by unit, so the owner rarely changes from one group to the
    // next: its tallies are held aside and put back only when it does.
    var currentOwner: String?
    var currentTallies: [Tally] = []
    // Groups are read in place (no `RegisterGroup` is built per group); a raw value is made a
    // `String` only when its key is missing.
    let groups = register.groups
    for g in groups.indices {
      let valueCount = groups.valueCount(g)
      let keyCount = groups.keyCount(g) ?? 0
      func value(_ i: Int) -> String { i < valueCount ? groups.value(g, i) : "" }
      func key(_ i: Int) -> String? { i < keyCount ? groups.key(g, i) : nil }
      let group = Unmapped(count: groups.rowCount(g), lines: groups.sampleLines(g))
      var column = key(columnIndex)
      if column == nil {
        let raw = value(columnIndex)
        column = columnKey(raw, counts: counts)
        if column == nil { unmappedColumns[raw, default: Unmapped()].add(group) }
      }
      var row = key(rowIndex)
      if row == nil {
        let raw = value(rowIndex)
        row = rowKey(raw, counts: counts, target: target)
        if row == nil { unmappedRows[raw, default: Unmapped()].add(group) }
      }
      var owner = department
      if let unitIndex {
        if let id = key(unitIndex) {
          owner = id
        } else {
          let rawUnit = value(unitIndex)
          if unitMemo[rawUnit] == nil { unitMemo[rawUnit] = .some(unitDepartment(rawUnit, scope: scope)) }
          owner = unitMemo[rawUnit]??.id
          if owner == nil { unmappedUnits[rawUnit, default: Unmapped()].add(group) }
        }
      }
      guard let column, let row, let owner else { continue }
      if unitIndex != nil { attributedRows[owner, default: 0] += group.count }

      var carried = false
      if let carryIndex, carryIndex < valueCount {
        let raw = groups.value(g, carryIndex)
        let folded = LabelFold.key(raw).lowercased()
        if Self.carriedYes.contains(folded) {
          carried = true
        } else if !Self.carriedNo.contains(folded) {
          unknownCarry[raw, default: Unmapped()].add(group)
        }
      }
      if currentOwner != owner {
        if let previous = currentOwner { tallies[previous] = currentTallies }
        currentOwner = owner
        currentTallies = tallies.removeValue(forKey: owner) ?? untouched
      }
      for i in plan(Combination(row: row, column: column, carried: carried)) {
        currentTallies[i].add(group.count, group.lines)
      }
    }
    if let owner = currentOwner { tallies[owner] = currentTallies }

    for (owner, ownerTallies) in tallies where ownerTallies.contains(where: \.present) {
      // Straight into a table, cells in key order: no figure or source list per cell.
      var counted: [(key: String, count: Int64, lines: [Int])] = []
      counted.reserveCapacity(ownerTallies.count)
      for i in cellTable.ascending where ownerTallies[i].present {
        let t = ownerTallies[i]
        counted.append((cellText[i], t.count, t.lines.isEmpty ? [headerRef.line] : Self.distinctSorted(t.lines)))
      }
      let table = FigureTable(counts: counted, file: source)
      // Another register of the file counted for this owner before: counts add up.
      if var merged = cells.removeValue(forKey: owner) {
        AttributedSubmissions.addCounts(table, to: &merged)
        cells[owner] = merged
      } else {
        cells[owner] = table
      }
    }

    let fieldLabel = { (key: String) in form.fields?.first { $0.key == key }?.label ?? key }
    if let tallies = register.received, let field = counts.receivedField {
      findings += receivedFindings(
        tallies, label: fieldLabel(field), carryLabel: counts.carryField.map(fieldLabel), target: target.shortName,
        department: unitIndex == nil ? department : nil, form: register.form, source: source)
    }
    if let repeats = register.repeatedNumbers, let field = counts.uniqueField {
      findings.append(
        repeatedNumbersFinding(
          repeats, label: fieldLabel(field), target: target.shortName,
          department: unitIndex == nil ? department : nil, form: register.form, source: source))
    }
    let tallied = { (i: Int?) in i.flatMap { i in register.unlisted?.first { $0.column == i } } }
    /// The findings of one field's unrecognized values: the listed ones each with `message`,
    /// the rest together with `restMessage`.
    func report(
      _ code: String, _ values: [String: Unmapped], tallied: RegisterUnlisted?, department: String?,
      severity: Severity = .warning, message: (String, Unmapped) -> String,
      restMessage: (UnlistedValues) -> String
    ) {
      let (listed, rest) = Self.unlisted(values, plus: tallied)
      for raw in listed {
        guard let u = values[raw] else { continue }
        findings.append(
          finding(
            code, severity, message(raw, u), department: department, form: register.form, actual: raw,
            sources: u.refs(source), salt: raw))
      }
      if let rest {
        findings.append(
          finding(
            code, severity, restMessage(rest), department: department, form: register.form,
            actual: String(rest.count), sources: rest.rows.refs(source), salt: Self.restSalt))
      }
    }
    let columnLabel = fieldLabel(counts.columnField)
    // A row whose applicant type or outcome is not recognized is in none of 表三's cells, so
    // the department's counts (and its 总计) are short of it: an error, as for a figure lost.
    report(
      "NRM-011", unmappedColumns, tallied: tallied(columnIndex), department: department, severity: .error,
      message: { raw, u in
        Message.unmapped(
          columnLabel, raw, u, seed: counts.columnSeed, nearest: columnTable.nearest(raw), target: target.shortName)
      },
      restMessage: { Message.unmappedRest(columnLabel, $0, seed: counts.columnSeed, target: target.shortName) })
    let rowLabel = fieldLabel(counts.rowField)
    report(
      "NRM-012", unmappedRows, tallied: tallied(rowIndex), department: department, severity: .error,
      message: { raw, u in
        Message.unmapped(
          rowLabel, raw, u, seed: counts.rowSeed, nearest: rowTable.nearest(raw), target: target.shortName)
      },
      restMessage: { Message.unmappedRest(rowLabel, $0, seed: counts.rowSeed, target: target.shortName) })
    if let field = counts.carryField {
      let label = fieldLabel(field)
      report(
        "NRM-013", unknownCarry, tallied: nil, department: department,
        message: { raw, u in Message.unknownCarry(label, raw, u) },
        restMessage: { Message.unknownCarryRest(label, $0) })
    }
    if let field = counts.departmentField {
      // Not attributed to any department: the unit is what is unknown. An error, as NRM-011
      // and NRM-012 are: the rows count nowhere, and a warning let a province's figures short
      // of them be published as final.
      let label = fieldLabel(field)
      report(
        "NRM-019", unmappedUnits, tallied: tallied(unitIndex), department: nil, severity: .error,
        message: { raw, u in
          let closest = scope?.unit == nil ? registry.closest(raw, limit: 3) : []
          return Message.unknownUnit(label, raw, u, scope: scope, closest: closest)
        },
        restMessage: { Message.unknownUnitRest(label, $0, scope: scope) })
    }
  }

  /// NRM-029 for counted rows received after the report year (an error: they are in this
  /// year's table) or before it without the carry-over mark (a warning: counted as new), and
  /// NRM-030 for 收到日期 that are no day (`2025-02-30`): rows of another year were counted in
  /// the report's year without a word.
  func receivedFindings(
    _ tallies: [RegisterReceivedTally], label: String, carryLabel: String?, target: String, department: String?,
    form: String, source: SourceFile
  ) -> [Finding] {
    func carried(_ t: RegisterReceivedTally) -> Bool { Self.carriedYes.contains(LabelFold.key(t.carried).lowercased()) }
    func years(_ ts: [RegisterReceivedTally]) -> String {
      Set(ts.compactMap(\.year)).sorted().map { "\($0) 年" }.joined(separator: "、")
    }
    var out: [Finding] = []
    /// One finding for the rows of `ts` (none when there are none); `message` gets their count
    /// and example lines.
    func report(
      _ ts: [RegisterReceivedTally], _ code: String, _ severity: Severity, expected: String?, actual: String?,
      salt: String = "", _ message: (_ rows: Int64, _ lines: String) -> String
    ) {
      guard !ts.isEmpty else { return }
      let at = Array(ts.flatMap(\.sampleLines).sorted().prefix(RegisterUnlisted.sampleLimit))
      out.append(
        finding(
          code, severity, message(ts.reduce(0) { $0 + $1.rows }, at.map(String.init).joined(separator: "、")),
          department: department, form: form, expected: expected, actual: actual,
          sources: at.map { source.ref(line: $0, column: 0) }, salt: salt))
    }
    let later = tallies.filter { ($0.year ?? 0) > year }
    report(
      later, "NRM-029", .error, expected: "<= \(year)", actual: String(later.compactMap(\.year).max() ?? 0),
      salt: "later"
    ) {
      "登记台账有 \($0) 条登记的「\(label)」在 \(years(later))，晚于报告年度 \(year) 年，已计入本年度\(target)"
        + "（示例行：\($1)）。请核对日期；下一年度收到的申请请移出本年度台账后重新报送"
    }
    let earlier = tallies.filter { ($0.year ?? year) < year && !carried($0) }
    let mark = carryLabel.map { "，且「\($0)」未标为“是”" } ?? ""
    let advice = carryLabel.map { "如是上年结转的申请，请在「\($0)」中填“是”；" } ?? ""
    report(
      earlier, "NRM-029", .warning, expected: ">= \(year)", actual: String(earlier.compactMap(\.year).min() ?? 0),
      salt: "earlier"
    ) {
      "登记台账有 \($0) 条登记的「\(label)」在 \(years(earlier))，早于报告年度 \(year) 年\(mark)，已按本年新收计入\(target)"
        + "（示例行：\($1)）。\(advice)上一年度已办结的申请请移出本年度台账后重新报送"
    }
    let unreadable = tallies.filter { $0.year == nil }
    let examples = unreadable.compactMap(\.example).prefix(3).map { "「\($0)」" }.joined()
    report(unreadable, "NRM-030", .warning, expected: nil, actual: unreadable.first?.example) {
      "登记台账有 \($0) 条登记的「\(label)」无法识别为日期（如\(examples)），无法核对是否属于报告年度"
        + "（示例行：\($1)）；已计入本年度\(target)。请更正日期（如 \(year)-03-04）后重新报送"
    }
    return out
  }

  /// NRM-031 for application numbers written on more than one row: each row was counted, so an
  /// application entered twice (a block of rows pasted again) is counted twice. A warning, not
  /// an error: a register may list one application's several items on rows of one number.
  func repeatedNumbersFinding(
    _ repeats: RegisterRepeatedNumbers, label: String, target: String, department: String?, form: String,
    source: SourceFile
  ) -> Finding {
    let examples = repeats.examples.prefix(3).map { "「\($0.number)」（第 \($0.firstLine)、\($0.line) 行）" }
      .joined(separator: "、")
    let lines = Set(repeats.examples.flatMap { [$0.firstLine, $0.line] }).sorted()
    return finding(
      "NRM-031", .warning,
      "登记台账有 \(repeats.numbers) 个「\(label)」在多行重复出现，比不重复时多出 \(repeats.rows) 行，如\(examples)；"
        + "这些行都已按行计入\(target)，同一申请登记了两次时\(target)的数会多算。请核对：重复登记的删去多余的行，"
        + "不同申请误用了同一编号的更正编号，然后重新报送；确是一件申请分行登记多个事项、应按行统计的，可确认此提示",
      department: department, form: form, actual: repeats.examples.first?.number,
      sources: lines.map { source.ref(line: $0, column: repeats.column) }, salt: "repeated")
  }

  /// Unrecognized values of one register field listed one finding each, at most; the others
  /// share one finding. A column filled with something else (applicants' names where the
  /// unit belongs) has a different value on nearly every row: a finding per value made a
  /// quarter of a million findings, a 260 MB reconciliation page and 1.3 GB of memory for
  /// a 1M-row inbox, and nobody reads past the first screen of them.
  static let listedUnrecognized = 20

  /// The `listedUnrecognized` values with most rows (ties by value), sorted by value, and the
  /// rest (sorted by value) with their rows together, joined by those ingest tallied without
  /// keeping them as groups (`RegisterUnlisted`).
  static func unlisted(_ values: [String: Unmapped], plus tallied: RegisterUnlisted?) -> (
    listed: [String], rest: UnlistedValues?
  ) {
    guard values.count > listedUnrecognized || tallied != nil else { return (values.keys.sorted(), nil) }
    let ranked = values.sorted { a, b in a.value.count != b.value.count ? a.value.count > b.value.count : a.key < b.key
    }
    var rest = UnlistedValues()
    for (raw, u) in ranked.dropFirst(listedUnrecognized).sorted(by: { $0.key < $1.key }) {
      rest.values.append(raw)
      rest.rows.add(u)
    }
    if let tallied {
      rest.tallied = tallied.values
      rest.talliedExamples = tallied.examples
      rest.rows.add(Unmapped(count: tallied.rows, lines: ArraySlice(tallied.sampleLines)))
    }
    return (ranked.prefix(listedUnrecognized).map(\.key).sorted(), rest)
  }

  /// Unrecognized values not listed one by one, and their rows.
  struct UnlistedValues {
    var values: [String] = []
    /// Further distinct values ingest tallied without keeping them, and the first of them.
    var tallied = 0
    var talliedExamples: [String] = []
    var rows = Unmapped()

    var count: Int { values.count + tallied }
    var examples: [String] { values + talliedExamples }
  }

  /// Distinguishes the finding of the unlisted values from those of single values (whose
  /// salt is the value: text, never starting with a control character in a finding).
  static let restSalt = "\u{1F}unlisted"

  /// One cell's count from a register, and its first lines.
  struct Tally {
    var present = false
    var count: Int64 = 0
    var lines: [Int] = []

    /// Counts `n` rows, keeping their first lines up to `maxSourcesPerFigure`.
    mutating func add(_ n: Int64, _ more: ArraySlice<Int>) {
      present = true
      count += n
      if lines.count < SheetNormalizer.maxSourcesPerFigure {
        lines += more.prefix(SheetNormalizer.maxSourcesPerFigure - lines.count)
      }
    }
  }

  /// `lines` sorted without repeats (a figure's register lines: a handful, so no set).
  static func distinctSorted(_ lines: [Int]) -> [Int] {
    var out = lines.sorted()
    var kept = 0
    for i in out.indices where kept == 0 || out[kept - 1] != out[i] {
      out[kept] = out[i]
      kept += 1
    }
    out.removeLast(out.count - kept)
    return out
  }

  /// The sorted, distinct sources of two figures, at most `maxSourcesPerFigure`: a merge of two
  /// sorted lists (what every figure holds), no hashing of file names and digests.
  static func union(_ a: [SourceRef], _ b: [SourceRef]) -> [SourceRef] {
    let x = a.isSorted ? a : a.sorted()
    let y = b.isSorted ? b : b.sorted()
    var out: [SourceRef] = []
    out.reserveCapacity(min(maxSourcesPerFigure, x.count + y.count))
    var i = 0
    var j = 0
    while out.count < maxSourcesPerFigure, i < x.count || j < y.count {
      let next: SourceRef
      if j >= y.count || (i < x.count && x[i] < y[j]) {
        next = x[i]
        i += 1
      } else if i >= x.count || y[j] < x[i] {
        next = y[j]
        j += 1
      } else {
        next = x[i]
        i += 1
        j += 1
      }
      if out.last != next { out.append(next) }
    }
    return out
  }

  /// True when `row` sits under the total row's parents (（七）总计 sums 三、本年度办理结果).
  static func isUnder(_ row: AxisDefinition, total: AxisDefinition) -> Bool {
    let totalParents = (total.parents ?? []).map(LabelFold.key)
    let parents = (row.parents ?? []).map(LabelFold.key)
    return !totalParents.isEmpty && parents.starts(with: totalParents)
  }
}

extension SheetNormalizer.Unmapped {
  mutating func add(_ group: Self) {
    count += group.count
    if lines.count < 10 { lines += group.lines.prefix(10 - lines.count) }
  }

  func refs(_ source: SourceFile) -> [SourceRef] {
    let sorted = Array(Set(lines)).sorted()
    return sorted.isEmpty ? [source.ref()] : sorted.map { source.ref(line: $0) }
  }
}

private enum Message {
  static func numberedBlankRows(_ form: String, rows: Int64, lines: [Int]) -> String {
    "\(form)有 \(rows) 行只填了序号、其他各栏均为空（如第 \(lines.map(String.init).joined(separator: "、")) 行），"
      + "是预先编号的空行，不是申请记录，未计入汇总"
  }
  static func emptyRegister(_ form: String, target: String) -> String {
    "\(form)没有申请记录（序号为数字的行），未计入汇总，也未与\(target)比对；如本年度确无依申请公开申请，可不报送登记台账"
  }
  static func noCounting(_ form: String) -> String {
    "登记台账「\(form)」在流水线定义中没有计数规则（counts），无法计入汇总；请检查 forms.yaml"
  }
  static func missingField(_ labels: [String]) -> String {
    "登记台账缺少「\(labels.joined(separator: "、"))」列，无法计入汇总；请按模板补齐该列后重新报送"
  }
  /// - Parameter target: the form the register is counted into (`表三`).
  static func unmapped(
    _ field: String, _ raw: String, _ u: SheetNormalizer.Unmapped, seed: String, nearest: [String], target: String
  )
    -> String
  {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    if raw.isEmpty {
      // A blank is no spelling to register: registering it counted rows nobody filled in.
      return "登记台账有 \(u.count) 条登记的「\(field)」未填写，未计入\(target)（示例行：\(lines.isEmpty ? "无" : lines)）。"
        + "请补填后重新报送；不要把空白登记为任何写法"
    }
    return "登记台账的「\(field)」值「\(raw)」无法识别，共 \(u.count) 条登记未计入\(target)（示例行：\(lines.isEmpty ? "无" : lines)）"
      + (nearest.isEmpty ? "" : "；最接近的已知写法：\(nearest.joined(separator: "、"))")
      + "。如为同一含义的其他写法，请在 seeds/\(seed).csv 中登记后重新运行"
  }
  static func unknownUnit(
    _ field: String, _ raw: String, _ u: SheetNormalizer.Unmapped, scope: (written: String, unit: DepartmentRef?)?,
    closest: [DepartmentRef]
  ) -> String {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    var s = "登记台账的「\(field)」值「\(raw)」"
    if let scope {
      s += scope.unit.map { "不是\($0.name)（\($0.id)）所属单位的已登记名称" } ?? "无法确定所属地区（文件名开头的「\(scope.written)」不在单位名录中）"
    } else {
      s += "不在单位名录中"
    }
    s += "，共 \(u.count) 条登记未计入（示例行：\(lines.isEmpty ? "无" : lines)）"
    if !closest.isEmpty { s += "；最接近的已登记单位：\(closest.map { "\($0.name)（\($0.id)）" }.joined(separator: "、"))" }
    return s + "。如为已登记单位的其他写法，请在 seeds/department_aliases.csv 中登记后重新运行"
  }
  /// "「a」「b」「c」等": the first five of `total` values (`等` when there are more).
  static func examples(_ values: [String], total: Int) -> String {
    let shown = values.prefix(5)
    return shown.map { "「\($0)」" }.joined() + (total > shown.count ? "等" : "")
  }
  static func sampleLines(_ u: SheetNormalizer.Unmapped) -> String {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    return lines.isEmpty ? "无" : lines
  }
  static func unmappedRest(_ field: String, _ rest: SheetNormalizer.UnlistedValues, seed: String, target: String)
    -> String
  {
    "登记台账的「\(field)」另有 \(rest.count) 个值无法识别，未逐一列出（例如\(examples(rest.examples, total: rest.count))），"
      + "共 \(rest.rows.count) 条登记未计入\(target)（示例行：\(sampleLines(rest.rows))）。该列可能填入了其他内容，请核对；"
      + "如为同一含义的其他写法，请在 seeds/\(seed).csv 中登记后重新运行"
  }
  static func unknownUnitRest(
    _ field: String, _ rest: SheetNormalizer.UnlistedValues, scope: (written: String, unit: DepartmentRef?)?
  ) -> String {
    var whose = "不在单位名录中"
    if let scope {
      whose = scope.unit.map { "不是\($0.name)（\($0.id)）所属单位的已登记名称" } ?? "无法确定所属地区（文件名开头的「\(scope.written)」不在单位名录中）"
    }
    return "登记台账的「\(field)」另有 \(rest.count) 个值\(whose)，未逐一列出（例如\(examples(rest.examples, total: rest.count))），"
      + "共 \(rest.rows.count) 条登记未计入（示例行：\(sampleLines(rest.rows))）。该列可能填入了其他内容（如申请人姓名），请核对；"
      + "如为已登记单位的其他写法，请在 seeds/department_aliases.csv 中登记后重新运行"
  }
  static func unknownCarryRest(_ field: String, _ rest: SheetNormalizer.UnlistedValues) -> String {
    "登记台账的「\(field)」另有 \(rest.count) 个值无法识别（应填“是”或“否”），未逐一列出（例如\(examples(rest.examples, total: rest.count))），"
      + "共 \(rest.rows.count) 条登记已按本年新收计入（示例行：\(sampleLines(rest.rows))）；请核实"
  }
  static func unknownCarry(_ field: String, _ raw: String, _ u: SheetNormalizer.Unmapped) -> String {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    return "登记台账的「\(field)」值「\(raw)」无法识别（应填“是”或“否”），共 \(u.count) 条登记已按本年新收计入（示例行：\(lines.isEmpty ? "无" : lines)）；请核实"
  }
}

extension Array where Element: Comparable {
  /// True when every element is at most the next one.
  fileprivate var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
