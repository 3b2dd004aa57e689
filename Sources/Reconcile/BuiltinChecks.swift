import AlmanacCore
import Foundation

/// Checks a formula cannot express: value types (S-5), decimal places (C-9), blank tokens
/// (C-10) and register versus table (REC-REG-001).
struct BuiltinChecks: Sendable {
  let catalog: FormCatalog
  let recomputer: ChecksumRecomputer
  /// What C-10 calls the form: “全国统一格式” (the national one), or the pipeline's own sheet.
  let formatName: String
  /// `全市`, `全区` … (`RegionDefinition.whole`).
  var regionWhole = "全区"

  /// REC-SUB-008 for the cells of the national format a department's table lacks (rows or
  /// columns deleted from the template): each is counted as 0, like a blank (C-10), but a blank
  /// was reported and a deleted row was not. Totals (checksums) may be deleted (forms.md §2)
  /// and extra columns are the department's own, so neither is asked for. One finding per
  /// department and form, naming whole rows and columns by their labels.
  func missingCellFindings(_ d: DepartmentFigures) -> [Finding] {
    var out: [Finding] = []
    for form in catalog.gridOrder where d.tableForms.contains(form) {
      guard let grid = catalog[form] else { continue }
      // A table form's figures are the cells its files wrote (and the totals recomputed,
      // which are checksums, not asked for here).
      let wanted = grid.cellKeys.filter { !grid.isChecksum($0) }
      let missing = wanted.filter { d.figures[$0] == nil }
      guard let first = missing.first else { continue }
      let lacking = Set(missing)
      let rows = grid.rowKeys.filter { r in
        let cells = wanted.filter { $0.row == r }
        return !cells.isEmpty && cells.allSatisfy(lacking.contains)
      }
      let columns = grid.columnKeys.filter { c in
        let cells = wanted.filter { $0.column == c }
        return !cells.isEmpty && cells.allSatisfy(lacking.contains)
      }
      func listed(_ keys: [String], _ label: (String) -> String) -> String {
        let shown = keys.prefix(3).map { "「\(label($0))」" }.joined(separator: "")
        return keys.count > 3 ? "\(shown)等 \(keys.count) 个" : shown
      }
      var parts: [String] = []
      if !rows.isEmpty { parts.append("整行\(listed(rows) { catalog.rowLabel(form: form, row: $0) })") }
      if !columns.isEmpty {
        parts.append("整列\(listed(columns) { catalog.columnLabel(form: form, column: $0) })")
      }
      let others = missing.filter { !rows.contains($0.row) && !columns.contains($0.column) }
      let files = Set(
        d.parts.filter { p in p.cells.keys.contains { $0.hasPrefix(form + ".") } }.map { $0.source.ref() })
      if let cell = others.first { parts.append("另有 \(others.count) 格，首个为\(catalog.label(cell))") }
      out.append(
        Finding(
          code: ReconcileCodes.missingCells, severity: .warning, stage: ReconcileStage.name,
          message:
            "\(d.name)：报送的\(catalog.shortName(form))缺少\(formatName)的 \(missing.count) 个单元格（\(parts.joined(separator: "；"))），"
            + "这些格按 0 计入\(regionWhole)汇总。请使用统一模板，补报这些数字后重新报送。",
          department: d.id, form: form, cell: first.description, expected: String(wanted.count),
          actual: String(wanted.count - missing.count), sources: files.sorted()))
    }
    return out
  }

  /// S-5, C-9 and C-10 over a department's submitted table cells (register counts are computed,
  /// so they cannot be malformed).
  func valueFindings(_ d: DepartmentFigures) -> [Finding] {
    var out: [Finding] = []
    for part in d.parts {
      let cells = part.cells
      for (index, k) in cells.keys.enumerated() {
        // The common case first, read in place: a whole non-negative count has nothing to
        // report (a province's registers give hundreds of thousands of them), so neither its
        // key is parsed nor its figure and sources built.
        if case .integer(let i) = cells.value(at: index), i >= 0 { continue }
        guard let key = CellKey(k), let grid = catalog[key.form], grid.defines(row: key.row, column: key.column) else {
          continue
        }
        let fig = cells.figure(at: index)
        let extra = grid.extraColumns.contains(key.column)
        let type = grid.valueType(row: key.row)
        let label = catalog.label(key)
        func emit(_ code: String, _ severity: Severity, _ message: String, expected: String?) {
          out.append(
            Finding(
              code: code, severity: severity, stage: ReconcileStage.name, message: "\(d.name)：\(message)",
              department: d.id, form: key.form, cell: key.description, expected: expected, actual: fig.raw,
              sources: fig.sources.sorted()))
        }
        switch fig.value {
        case .blank(let token) where !extra:
          let shown = token.isEmpty ? "空白" : "“\(token)”"
          emit(
            ReconcileCodes.blankC10, .warning,
            "\(label)填写为\(shown)。\(formatName)没有“不适用”的写法，没有发生请填写 0；本次汇总按 0 计算。请更正后重新报送。",
            expected: "0")
        case .text(let t) where !extra:
          let cellUnit = grid.unit(row: key.row, column: key.column)
          let what =
            Self.unitMismatch(t, type: type, cellUnit: cellUnit).map { "\($0)，无法确定应计入的数字" }
            // Joined back by ingest from the fields an unquoted `1,204` was exported as.
            ?? (SplitThousands.isJoined(t) ? Self.splitByCommaWhat : "不是数字")
          emit(
            ReconcileCodes.valueS5, .error,
            "\(label)填写的“\(t)”\(what)，未计入汇总。\(Self.spreadsheetHint(t, type: type) ?? "")"
              + "请填写\(Self.wanted(type, cellUnit: cellUnit))后重新报送。",
            expected: type == .amount ? ">= 0" : "非负整数")
        case .integer, .decimal:
          guard let n = fig.value.number else { break }
          if n < 0 {
            emit(
              ReconcileCodes.valueS5, .error,
              "\(label)为负数 \(DecimalFormat.plain(n))，\(type == .amount ? "金额" : "件数")不能小于 0，未计入汇总。请核对后重新报送。",
              expected: ">= 0")
          } else if type == .count, DecimalFormat.int64(n) == nil {
            // A whole number past Int64 (a key held down) is not a fraction.
            let why = DecimalFormat.isWhole(n) ? "数字过大，不可能是件数" : "件数应为整数"
            emit(
              ReconcileCodes.valueS5, .error,
              "\(label)为 \(DecimalFormat.plain(n))，\(why)，未计入汇总。请核对后重新报送。",
              expected: "非负整数")
          } else if type == .amount, grid.unit(row: key.row, column: key.column)?.hasSuffix("元") == true,
            Self.decimals(n) > 4
          {
            emit(
              ReconcileCodes.decimalsC9, .warning,
              "\(label)为 \(DecimalFormat.plain(n))，有 \(Self.decimals(n)) 位小数。金额以万元为单位，宜保留 2 位（精确到元时 4 位）小数；请核对单位是否误填为元。",
              expected: "<= 4 位小数")
          }
        default:
          break
        }
      }
    }
    return out
  }

  /// What S-5 asks for: `件数（非负整数）`, `金额（万元）` for a money cell, else a number in the
  /// cell's unit (a 2016 rate in %).
  static func wanted(_ type: ValueType, cellUnit: String?) -> String {
    guard type == .amount else { return "件数（非负整数）" }
    guard let cellUnit else { return "数字" }
    return cellUnit.hasSuffix("元") ? "金额（\(cellUnit)）" : "数字（单位：\(cellUnit)）"
  }

  /// “带有单位“元”，而本栏填写件数” for a number with a unit of another kind than its cell's
  /// (`4120元` or `60%` in a count, `12件` or `5%` in an amount; normalize leaves such a cell
  /// as text, see `CellUnit`); nil for other text.
  static func unitMismatch(_ text: String, type: ValueType, cellUnit: String?) -> String? {
    let number = #"^\s*[-+]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?\s*"#
    guard let range = text.range(of: number, options: .regularExpression) else { return nil }
    let unit = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
    guard !unit.isEmpty, case .wrongKind = CellUnit.reading(1, unit: unit, cellUnit: cellUnit, type: type) else {
      return nil
    }
    if CellUnit.approximate.contains(where: { unit.hasPrefix($0) }) { return "是约数" }
    // `6①`: a footnote mark or an exponent, which ingest does not read as digits.
    if unit.unicodeScalars.contains(where: { $0.properties.numericType == .digit }) {
      return "带有脚注或上标符号“\(unit)”"
    }
    return "带有单位“\(unit)”，而本栏\(cellUnit.map { "以\($0)为单位" } ?? "填写件数")"
  }

  static let splitByCommaWhat =
    "在导出的 CSV 中被千位分隔符拆到了相邻的单元格（数字没有加引号），无法确定应计入的数字；请把该列设为不带千位分隔符的数值格式后重新导出"

  /// What a spreadsheet left in a cell instead of a number, when the text says: an error value
  /// of a broken formula, the formula itself, or a number shown in scientific notation (whose
  /// export keeps only the digits shown). Nil for other text.
  static func spreadsheetHint(_ text: String, type: ValueType = .count) -> String? {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    let errors = [
      "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA",
    ]
    if errors.contains(t) {
      return "这是 Excel/WPS 的公式错误值，说明该单元格的公式出错（如引用了已删除的单元格）；请修正公式或直接填写数字，再导出 CSV。"
    }
    if t.hasPrefix("=") {
      return "这是公式本身而不是计算结果；请在 Excel/WPS 中把该单元格改为数字（复制后“选择性粘贴 → 数值”），再导出 CSV。"
    }
    if t.range(of: #"^[0-9]+(\.[0-9]+)?E[+-]?[0-9]+$"#, options: .regularExpression) != nil {
      return "这是以科学计数法显示的数字，导出时只保留了显示出的几位，可能已丢失精度；请把该列设为“数值”格式（0 位小数）后重新导出 CSV。"
    }
    // Excel's accounting and some number formats show −3 as (3) or （3）.
    if t.range(of: #"^[(（]\s*[0-9][0-9,]*(\.[0-9]+)?\s*[)）]$"#, options: .regularExpression) != nil {
      let shown = t.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
      // (0) is how the format shows zero; only a number that is not 0 is negative.
      guard shown.contains(where: { ("1"..."9").contains($0) }) else { return nil }
      let what = type == .amount ? "金额" : "件数"
      return "这是会计格式显示的负数 -\(shown)（Excel/WPS 把负数显示在括号中），\(what)不能为负；请核对该数字，并把该列设为“常规”或“数值”格式后重新导出 CSV。"
    }
    return nil
  }

  /// C-9 for the region's amounts (sum first, round once: the region keeps every decimal).
  func regionFindings(_ r: RegionFigures) -> [Finding] {
    var out: [Finding] = []
    for (key, v) in r.values.sorted(by: { catalog.order($0.key) < catalog.order($1.key) }) {
      // Money only (a rate of the 2016 forms may have any decimals).
      guard let grid = catalog[key.form], grid.valueType(row: key.row) == .amount,
        grid.unit(row: key.row, column: key.column)?.hasSuffix("元") == true, Self.decimals(v) > 4
      else { continue }
      // Shown where the decimals were written (a sum of figures of 4 places has 4 at most),
      // not at whichever department's sheet sorts first.
      let writers = r.departments(key) { Self.decimals($0) > 4 }
      var seen = Set<SourceRef>()
      let sources = (writers.flatMap(\.sources) + r.sources(key)).filter { seen.insert($0).inserted }
      let from = writers.isEmpty ? "" : "（来自\(writers.map(\.name).joined(separator: "、"))）"
      out.append(
        Finding(
          code: ReconcileCodes.decimalsC9, severity: .warning, stage: ReconcileStage.name,
          message:
            "\(regionWhole)汇总：\(catalog.label(key))为 \(DecimalFormat.plain(v))，有 \(Self.decimals(v)) 位小数\(from)。公布前请按万元保留 2 位小数（或说明精确到元时保留 4 位）。",
          form: key.form, cell: key.description, expected: "<= 4 位小数", actual: DecimalFormat.plain(v),
          sources: sources))
    }
    // A rate several departments reported has no region figure (`RegionFigures.isRate`).
    for key in r.ratesOfSeveral {
      let writers = r.departments(key) { $0 != 0 }
      let named = writers.map { "\($0.name)（\(DecimalFormat.plain($0.value))）" }.joined(separator: "、")
      out.append(
        Finding(
          code: ReconcileCodes.rateOfSeveral, severity: .error, stage: ReconcileStage.name,
          message:
            "\(regionWhole)汇总：\(catalog.label(key))是比率，不能把各单位的比率相加，而有 \(writers.count) 个单位填报了：\(named)。"
            + "报告中该数字暂印为“—”。请确定由哪个单位填报\(regionWhole)的比率（其他单位填 0 或删去该行），或按件数重新计算后更正。",
          form: key.form, cell: key.description, expected: "仅一个单位填报", actual: "\(writers.count) 个单位填报",
          sources: writers.flatMap(\.sources)))
    }
    return out
  }

  /// REC-REG-001: where a department sent both a register and the table it fills, every cell
  /// counted from the register must equal the submitted one (absent and blank count as 0; the
  /// register's totals are recomputed when it has none).
  func registerFindings(_ d: DepartmentFigures) -> [Finding] {
    // Where each cell's figure is (part, index in its table): values are read in place, and a
    // figure is rebuilt with its sources only for a cell that disagrees (rebuilding them all
    // was most of this check's time for a province's registers). Catalog cells are held by
    // their numbers, found by the key's text: two dictionaries keyed by parsed keys per
    // department were this stage's largest cost for an inbox of many small registers.
    typealias Place = (part: Int, index: Int, value: CellValue)
    var submitted = [Place?](repeating: nil, count: catalog.cellKeysByNumber.count)
    var counted = submitted
    /// Counted cells the catalog does not number (a row or column the form lacks): their
    /// values still go to the recomputation of the form's totals.
    var countedOther: [CellKey: CellValue] = [:]
    var registerForms = Set<String>()
    var tableForms = Set<String>()
    for (n, p) in d.parts.enumerated() {
      catalog.readKeys(of: p.cells, formsInto: &tableForms) { i, cell in
        if let number = cell.number { submitted[number] = (n, i, p.cells.value(at: i)) }
      }
      catalog.readKeys(of: p.registerCells, formsInto: &registerForms) { i, cell in
        if let number = cell.number {
          counted[number] = (n, i, p.registerCells.value(at: i))
        } else {
          countedOther[cell.key] = p.registerCells.value(at: i)
        }
      }
    }
    var out: [Finding] = []
    for form in registerForms.intersection(tableForms).sorted() {
      let cells = catalog.numberedCells(form)
      var values: [CellKey: Decimal] = [:]
      for c in cells { if let at = counted[c.number] { values[c.key] = at.value.number ?? 0 } }
      for (k, value) in countedOther where k.form == form { values[k] = value.number ?? 0 }
      var recomputed = values
      recomputer.complete(&recomputed, forms: [form])
      for c in cells {
        let key = c.key
        let reg = counted[c.number].map { $0.value.number ?? 0 } ?? recomputed[key] ?? 0
        let at = submitted[c.number]
        // A total the table left out (no 总计 column, no （七）总计 row) has nothing to compare;
        // its breakdown cells are compared one by one.
        if at == nil, c.isChecksum { continue }
        let sub: Decimal
        switch at?.value {
        case .integer(let i)?: sub = Decimal(i)
        case .decimal(let x)?: sub = x
        case .blank?, nil: sub = 0
        case .text?: continue  // S-5 reports it
        }
        guard reg != sub else { continue }
        let fig = at.map { d.parts[$0.part].cells.figure(at: $0.index) }
        var refs = Set(counted[c.number].map { d.parts[$0.part].registerCells.figure(at: $0.index).sources } ?? [])
        if refs.isEmpty, let main = d.parts.first?.source, !main.sha256.isEmpty {
          // No register row counted in the cell: the register that has none is named as a whole,
          // beside the table's figure (a declared seed row, or a cell of a submitted table).
          refs.insert(main.ref())
        }
        // Shown at the table's cell, the figure the region uses, then the register's rows:
        // six findings all shown at the register's first application row said nothing of where.
        let table = (fig?.sources ?? []).sorted()
        var sources = table + refs.subtracting(table).sorted()
        if sources.isEmpty { sources = [d.parts.first?.source.ref() ?? SourceRef(file: "", sha256: "")] }
        out.append(
          Finding(
            code: ReconcileCodes.registerMismatch, severity: .error, stage: ReconcileStage.name,
            message:
              "\(d.name)：\(catalog.label(key))按登记台账统计为 \(DecimalFormat.plain(reg))，统计表填报为 \(fig?.raw ?? "（未填）")，相差 \(DecimalFormat.plain(sub - reg))。请核对台账与统计表，更正后重新报送；汇总采用统计表的数字。",
            department: d.id, form: form, cell: key.description, expected: DecimalFormat.plain(reg),
            actual: DecimalFormat.plain(sub), difference: DecimalFormat.plain(sub - reg), sources: sources))
      }
    }
    return out
  }

  /// Decimal places of an exact value, trailing zeros ignored.
  static func decimals(_ v: Decimal) -> Int {
    let s = DecimalFormat.plain(v)
    guard let dot = s.firstIndex(of: ".") else { return 0 }
    return s.distance(from: dot, to: s.endIndex) - 1
  }
}
