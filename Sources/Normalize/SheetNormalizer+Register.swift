import AlmanacCore
import Foundation

extension SheetNormalizer {
  /// Row keys of the national 表三 that a register fills besides the result rows: the pipeline
  /// definition names the result seed but not these two, so they are fixed here.
  static let newRow = "r1"
  static let carriedRow = "r2"
  /// At most this many register lines are kept per counted figure; `explain` re-reads the rest.
  static let maxSourcesPerFigure = 50

  /// Values of 是否上年结转 meaning yes / no, folded and lowercased.
  static let carriedYes: Set<String> = ["是", "y", "yes", "1", "√", "✓", "✔", "上年结转", "结转", "true"]
  static let carriedNo: Set<String> = ["否", "n", "no", "0", "", "×", "本年", "本年新收", "新收", "false"]

  /// Unmapped register values, gathered over groups for one finding each.
  struct Unmapped {
    var count: Int64 = 0
    var lines: [Int] = []
  }

  /// Counts a register's groups into cells of the grid form its `counts` names, merging into
  /// `registerCells` (several registers in one file add up).
  func countRegister(
    _ register: SheetRegister, sheet: Sheet, department: String, into registerCells: inout [String: Figure],
    findings: inout [Finding]
  ) {
    let source = sheet.source
    let headerRef = source.ref(line: register.headerLine)
    guard let form = pipeline.form(register.form), let counts = form.counts, let target = pipeline.form(counts.form),
      target.kind == .grid
    else {
      findings.append(
        finding(
          "NRM-014", .error, Message.noCounting(register.form), department: department, form: register.form, sources: [headerRef])
      )
      return
    }
    guard let rowIndex = register.groupBy.firstIndex(of: counts.rowField),
      let columnIndex = register.groupBy.firstIndex(of: counts.columnField)
    else {
      let missing = [counts.rowField, counts.columnField].filter { !register.groupBy.contains($0) }
      let labels = missing.map { f in form.fields?.first { $0.key == f }?.label ?? f }
      findings.append(
        finding(
          "NRM-014", .error, Message.missingField(labels), department: department, form: register.form, sources: [headerRef]))
      return
    }
    let carryIndex = counts.carryField.flatMap { register.groupBy.firstIndex(of: $0) }
    let rowTable = variantTables[counts.rowSeed] ?? VariantTable(nil)
    let columnTable = variantTables[counts.columnSeed] ?? VariantTable(nil)
    let rowMatcher = rowMatchers[target.id]
    let rows = target.rows ?? []
    let rowKeys = Set(rows.map(\.key))
    let totalRow = rows.first { $0.checksum == true }
    let total = counts.totalColumn

    var tallies: [String: (count: Int64, lines: [Int])] = [:]
    for key in target.cellKeys { tallies[key.description] = (0, []) }
    func add(_ row: String, _ column: String, _ n: Int64, _ lines: [Int]) {
      let k = CellKey(form: target.id, row: row, column: column).description
      guard var t = tallies[k] else { return }
      t.count += n
      if t.lines.count < Self.maxSourcesPerFigure { t.lines += lines.prefix(Self.maxSourcesPerFigure - t.lines.count) }
      tallies[k] = t
    }

    var unmappedColumns: [String: Unmapped] = [:]
    var unmappedRows: [String: Unmapped] = [:]
    var unknownCarry: [String: Unmapped] = [:]
    for group in register.groups {
      let rawColumn = columnIndex < group.values.count ? group.values[columnIndex] : ""
      let rawRow = rowIndex < group.values.count ? group.values[rowIndex] : ""
      let column = columnTable.lookup(rawColumn)
      var row = rowTable.lookup(rawRow)
      if row == nil, let m = rowMatcher, case .matched(let d) = m.match([rawRow]) { row = d.key }
      // A total row is recomputed from the results, never a result itself.
      if let r = row, !rowKeys.contains(r) || r == totalRow?.key { row = nil }
      if column == nil { unmappedColumns[rawColumn, default: Unmapped()].add(group) }
      if row == nil { unmappedRows[rawRow, default: Unmapped()].add(group) }
      guard let column, let row else { continue }

      var carried = false
      if let carryIndex, carryIndex < group.values.count {
        let raw = group.values[carryIndex]
        let folded = LabelFold.key(raw).lowercased()
        if Self.carriedYes.contains(folded) {
          carried = true
        } else if !Self.carriedNo.contains(folded) {
          unknownCarry[raw, default: Unmapped()].add(group)
        }
      }
      let intake = carried ? Self.carriedRow : Self.newRow
      var targets = [intake, row]
      if let totalRow, row != totalRow.key, let rowDef = rows.first(where: { $0.key == row }),
        Self.isUnder(rowDef, total: totalRow)
      {
        targets.append(totalRow.key)
      }
      for r in targets {
        add(r, column, group.count, group.sampleLines)
        if let total, total != column { add(r, total, group.count, group.sampleLines) }
      }
    }

    for (k, t) in tallies {
      let refs = t.lines.isEmpty ? [headerRef] : Array(Set(t.lines)).sorted().map { source.ref(line: $0) }
      if let existing = registerCells[k], case .integer(let before) = existing.value {
        let sum = before + t.count
        let merged = Array(Set(existing.sources + refs)).sorted().prefix(Self.maxSourcesPerFigure)
        registerCells[k] = Figure(value: .integer(sum), raw: String(sum), sources: Array(merged))
      } else {
        registerCells[k] = Figure(value: .integer(t.count), raw: String(t.count), sources: refs)
      }
    }

    let fieldLabel = { (key: String) in form.fields?.first { $0.key == key }?.label ?? key }
    for raw in unmappedColumns.keys.sorted() {
      guard let u = unmappedColumns[raw] else { continue }
      findings.append(
        finding(
          "NRM-011", .warning,
          Message.unmapped(fieldLabel(counts.columnField), raw, u, seed: counts.columnSeed, nearest: columnTable.nearest(raw)),
          department: department, form: register.form, actual: raw, sources: u.refs(source), salt: raw))
    }
    for raw in unmappedRows.keys.sorted() {
      guard let u = unmappedRows[raw] else { continue }
      findings.append(
        finding(
          "NRM-012", .warning,
          Message.unmapped(fieldLabel(counts.rowField), raw, u, seed: counts.rowSeed, nearest: rowTable.nearest(raw)),
          department: department, form: register.form, actual: raw, sources: u.refs(source), salt: raw))
    }
    for raw in unknownCarry.keys.sorted() {
      guard let u = unknownCarry[raw], let field = counts.carryField else { continue }
      findings.append(
        finding(
          "NRM-013", .warning, Message.unknownCarry(fieldLabel(field), raw, u), department: department, form: register.form,
          actual: raw, sources: u.refs(source), salt: raw))
    }
  }

  /// True when `row` sits under the total row's parents (（七）总计 sums 三、本年度办理结果).
  static func isUnder(_ row: AxisDefinition, total: AxisDefinition) -> Bool {
    let totalParents = (total.parents ?? []).map(LabelFold.key)
    let parents = (row.parents ?? []).map(LabelFold.key)
    return !totalParents.isEmpty && parents.starts(with: totalParents)
  }
}

extension SheetNormalizer.Unmapped {
  mutating func add(_ group: RegisterGroup) {
    count += group.count
    if lines.count < 10 { lines += group.sampleLines.prefix(10 - lines.count) }
  }

  func refs(_ source: SourceFile) -> [SourceRef] {
    let sorted = Array(Set(lines)).sorted()
    return sorted.isEmpty ? [source.ref()] : sorted.map { source.ref(line: $0) }
  }
}

private enum Message {
  static func noCounting(_ form: String) -> String {
    "登记台账「\(form)」在流水线定义中没有计数规则（counts），无法计入表三；请检查 forms.yaml"
  }
  static func missingField(_ labels: [String]) -> String {
    "登记台账缺少「\(labels.joined(separator: "、"))」列，无法计入表三；请按模板补齐该列后重新报送"
  }
  static func unmapped(_ field: String, _ raw: String, _ u: SheetNormalizer.Unmapped, seed: String, nearest: [String]) -> String {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    return "登记台账的「\(field)」值「\(raw)」无法识别，共 \(u.count) 条登记未计入表三（示例行：\(lines.isEmpty ? "无" : lines)）"
      + (nearest.isEmpty ? "" : "；最接近的已知写法：\(nearest.joined(separator: "、"))")
      + "。如为同一含义的其他写法，请在 seeds/\(seed).csv 中登记后重新运行"
  }
  static func unknownCarry(_ field: String, _ raw: String, _ u: SheetNormalizer.Unmapped) -> String {
    let lines = Array(Set(u.lines)).sorted().map(String.init).joined(separator: "、")
    return "登记台账的「\(field)」值「\(raw)」无法识别（应填“是”或“否”），共 \(u.count) 条登记已按本年新收计入（示例行：\(lines.isEmpty ? "无" : lines)）；请核实"
  }
}
