import AlmanacCore
import Foundation

extension SheetNormalizer {
  /// A header path that matched no column (or, for forms with rows in the header, no row).
  struct UnknownColumn {
    var path: [String]
    var line: Int
    var column: Int
    var values: Int
    var rowFromHeader: Bool
  }

  /// Maps one grid table's label paths to cell keys of `form` and merges its values into `cells`.
  func mapGrid(
    _ table: SheetTable, form: FormDefinition, sheet: Sheet, department: String,
    into cells: inout [String: Figure], findings: inout [Finding]
  ) {
    guard let rowMatcher = rowMatchers[form.id], let columnMatcher = columnMatchers[form.id] else { return }
    let source = sheet.source
    let allColumns = (form.columns ?? []).map(\.key)
    var columnCache: [[String]: AxisMatcher.Match] = [:]
    /// The money unit a column's header states, where it names a column only without it.
    var headerUnits: [[String]: String] = [:]
    var headerRowCache: [[String]: AxisMatcher.Match] = [:]
    var unknownColumns: [[String]: UnknownColumn] = [:]
    var unknownOrder: [[String]] = []

    let hasRowUnits = form.columns?.contains { $0.rowUnits == true } == true
    func columnMatch(_ cell: SheetCell) -> AxisMatcher.Match {
      if let cached = columnCache[cell.columnPath] { return cached }
      var match = columnMatcher.match(cell.columnPath)
      if case .none = match, let leaf = cell.columnPath.last, let stated = CellUnit.headerUnit(leaf) {
        let bare = columnMatcher.match(cell.columnPath.dropLast() + [stated.label])
        if case .matched(let d) = bare, d.unit != nil {
          match = bare
          headerUnits[cell.columnPath] = stated.unit
        }
      }
      columnCache[cell.columnPath] = match
      return match
    }

    func noteUnknown(_ cell: SheetCell, rowFromHeader: Bool) {
      let key = AxisMatcher.fold(cell.columnPath)
      let counted = Self.isBlank(cell.value) ? 0 : 1
      if var u = unknownColumns[key] {
        u.values += counted
        unknownColumns[key] = u
      } else {
        unknownColumns[key] = UnknownColumn(
          path: cell.columnPath, line: cell.line, column: cell.column, values: counted, rowFromHeader: rowFromHeader)
        unknownOrder.append(key)
      }
    }

    // Rows left out are listed one finding each up to `listedDroppedRows`; the rest of a
    // table's share one (200,000 unknown rows of a 7 MB sheet were 200,000 errors, 768 MB).
    var dropped = 0
    var rest = (rows: 0, values: 0, severity: Severity.info, lines: [Int]())
    func drop(_ f: Finding, values: Int, line: Int) {
      dropped += 1
      guard dropped > Self.listedDroppedRows else {
        findings.append(f)
        return
      }
      rest.rows += 1
      rest.values += values
      rest.severity = max(rest.severity, f.severity)
      if rest.lines.count < 10 { rest.lines.append(line) }
    }
    defer {
      if rest.rows > 0 {
        findings.append(
          finding(
            "NRM-007", rest.severity,
            "\(form.name)另有 \(rest.rows) 行的行标签无法识别或可对应多个项目，未逐一列出"
              + "（示例行：\(rest.lines.map(String.init).joined(separator: "、"))），共 \(rest.values) 个数值未采用；"
              + "该表可能不是按模板填写的，请核对后重新报送",
            department: department, form: form.id, actual: String(rest.rows),
            sources: rest.lines.map { source.ref(line: $0, column: 0) }, salt: "rest"))
      }
    }
    for row in table.rows {
      var rowDefinition: AxisDefinition?
      if form.rowsInHeader != true || !AxisMatcher.fold(row.labelPath).isEmpty {
        switch rowMatcher.match(row.labelPath) {
        case .matched(let d):
          rowDefinition = d
        case .ambiguous(let ds) where form.rowsInHeader != true:
          drop(
            finding(
              "NRM-007", Self.droppedRowSeverity(row), Message.ambiguousRow(form.name, row.labelPath, ds),
              department: department, form: form.id,
              sources: [source.ref(line: row.line, column: row.labelColumn ?? 1)]),
            values: row.cells.filter { !Self.isBlank($0.value) }.count, line: row.line)
          continue
        default:
          if form.rowsInHeader != true {
            if isRepeatedHeader(row, form: form, columns: columnMatcher) { continue }
            let values = row.cells.filter { !Self.isBlank($0.value) }.count
            let label = row.labelPath.last { !$0.isEmpty } ?? ""
            let message: String
            var severity = Self.droppedRowSeverity(row)
            if Self.isSubtotalLabel(label) {
              // A 小计/合计 row the form does not define repeats figures of the rows above it:
              // left out, nothing is lost (registering it as an alias would count them twice).
              message = Message.subtotalRow(form.name, row.labelPath, values: values)
              severity = .warning
            } else {
              message = Message.unknownRow(
                form.name, row.labelPath, values: values, nearest: rowMatcher.nearest(label), aliasSeed: labelAliasSeed)
            }
            let f = finding(
              values > 0 ? "NRM-007" : "NRM-017", values > 0 ? severity : .info, message,
              department: department, form: form.id,
              sources: [source.ref(line: row.line, column: row.labelColumn ?? 1)])
            if values > 0 { drop(f, values: values, line: row.line) } else { findings.append(f) }
            continue
          }
        }
      }

      // The unit the row's 计量单位 cell states (2016 forms), read before its figures, which
      // may stand left of it.
      var rowUnit: String?
      if hasRowUnits {
        for cell in row.cells {
          guard case .matched(let d) = columnMatch(cell), d.rowUnits == true else { continue }
          if let written = CellUnit.statedInColumn(cell.raw) { rowUnit = written }
        }
      }

      for cell in row.cells {
        guard case .matched(let columnDefinition) = columnMatch(cell) else {
          noteUnknown(cell, rowFromHeader: false)
          continue
        }
        var rowDef = rowDefinition
        if form.rowsInHeader == true {
          let ancestors = Array(cell.columnPath.dropLast())
          let m: AxisMatcher.Match
          if let cached = headerRowCache[ancestors] {
            m = cached
          } else {
            m = rowMatcher.matchAnywhere(ancestors)
            headerRowCache[ancestors] = m
          }
          if case .matched(let d) = m { rowDef = d }
        }
        guard let rowDef else {
          noteUnknown(cell, rowFromHeader: true)
          continue
        }
        let key = CellKey(form: form.id, row: rowDef.key, column: columnDefinition.key)
        guard (rowDef.columns ?? allColumns).contains(columnDefinition.key) else {
          if !Self.isBlank(cell.value) {
            findings.append(
              finding(
                "NRM-009", .warning,
                Message.undefinedCell(form.name, rowDef.label, columnDefinition.label, raw: cell.raw),
                department: department, form: form.id, cell: key.description, actual: cell.raw,
                sources: [source.ref(line: cell.line, column: cell.column)]))
          }
          continue
        }
        var figure = Figure(
          value: cell.value, unit: cell.unit, raw: cell.raw, sources: [source.ref(line: cell.line, column: cell.column)]
        )
        let cellUnit = FormDefinition.unit(row: rowDef, column: columnDefinition)
        // Where the figure's unit is written: glued to it, in its column's header, or, for a
        // row that declares one, in the row's 计量单位 cell.
        let stated: (unit: String, place: Message.UnitPlace)? =
          if let u = cell.unit { (u, .figure) } else if let u = headerUnits[cell.columnPath] {
            (u, .header(cell.columnPath.last ?? columnDefinition.label))
          } else if let u = rowUnit, cellUnit != nil || CellUnit.hasMultiplier(u) { (u, .unitColumn) } else { nil }
        if let stated, let number = cell.value.number {
          switch CellUnit.reading(
            number, unit: stated.unit, cellUnit: cellUnit, type: form.valueType(of: rowDef))
          {
          case .asWritten:
            break
          case .converted(let value, let canonical):
            figure.value = DecimalFormat.int64(value).map(CellValue.integer) ?? .decimal(value)
            figure.unit = canonical
            findings.append(
              finding(
                "NRM-024", .warning,
                Message.unitConverted(
                  form.name, rowDef.label, columnDefinition.label, raw: cell.raw, value: value, unit: canonical,
                  cellUnit: cellUnit, stated: stated),
                department: department, form: form.id, cell: key.description, expected: DecimalFormat.plain(value),
                actual: cell.raw, sources: figure.sources))
          case .wrongKind where stated.place == .unitColumn:
            // The 计量单位 cell is a label beside the figure (`个（家）`, `人/次`): the figure is
            // taken in the row's own unit, and the operator asked to look.
            findings.append(
              finding(
                "NRM-026", .warning,
                Message.rowUnitDiffers(
                  form.name, rowDef.label, written: stated.unit, declared: cellUnit, raw: cell.raw),
                department: department, form: form.id, cell: key.description, expected: cellUnit,
                actual: stated.unit, sources: figure.sources))
          case .wrongKind:
            // Which figure was meant cannot be told (4120元 in a count): not summed, and
            // reconcile's S-5 says why, as for any other text where a figure belongs.
            figure.value = .text(cell.raw)
            figure.unit = nil
          }
        }
        merge(figure, at: key, form: form, department: department, into: &cells, findings: &findings)
      }
    }

    for key in unknownOrder {
      guard let u = unknownColumns[key] else { continue }
      let leaf = u.path.last { !$0.isEmpty } ?? ""
      let nearest =
        u.rowFromHeader ? rowMatcher.nearest(u.path.dropLast().last { !$0.isEmpty } ?? "") : columnMatcher.nearest(leaf)
      let blankOnly = u.values == 0
      findings.append(
        finding(
          blankOnly ? "NRM-018" : "NRM-008", blankOnly ? .info : .warning,
          Message.unknownColumn(
            form.name, u.path, values: u.values, rowFromHeader: u.rowFromHeader, nearest: nearest,
            aliasSeed: labelAliasSeed),
          department: department, form: form.id, sources: [source.ref(line: u.line, column: u.column)]))
    }
  }

  /// Keeps the first value written for a cell; a later non-blank value fills a blank one, a
  /// later different value is a finding.
  func merge(
    _ figure: Figure, at key: CellKey, form: FormDefinition, department: String, into cells: inout [String: Figure],
    findings: inout [Finding]
  ) {
    let k = key.description
    guard let existing = cells[k] else {
      cells[k] = figure
      return
    }
    if Self.isBlank(figure.value) { return }
    if Self.isBlank(existing.value) {
      cells[k] = figure
      return
    }
    if existing.value != figure.value {
      findings.append(
        finding(
          "NRM-010", .warning,
          Message.duplicateCell(form.name, k, first: existing.raw, second: figure.raw, at: existing.sources.first),
          department: department, form: form.id, cell: k, expected: existing.raw, actual: figure.raw,
          sources: figure.sources + existing.sources))
    }
  }

  /// A repeated header or section caption inside the table (表二's `信息内容 | 本年处理决定数量`,
  /// `第二十条第（五）项`): no numbers, and a label that is a header word.
  func isRepeatedHeader(_ row: SheetRow, form: FormDefinition, columns: AxisMatcher) -> Bool {
    if row.cells.contains(where: { $0.value.isNumber }) { return false }
    let label = AxisMatcher.fold(row.labelPath).last ?? ""
    let anchors = Set(form.anchors.map(LabelFold.key))
    if label.isEmpty || anchors.contains(label) || label.hasPrefix("第二十条") { return true }
    return row.cells.allSatisfy { cell in
      switch cell.value {
      case .blank: true
      case .text(let t): columns.match([t]) != .none
      default: false
      }
    }
  }

  static func isBlank(_ v: CellValue) -> Bool {
    if case .blank = v { return true }
    return false
  }

  /// How many left-out rows of one table NRM-007 lists one by one.
  static let listedDroppedRows = 20

  /// A row left out of the submission: an error when it holds a figure other than 0 (that
  /// figure is missing from the report, which otherwise would be published as final with a
  /// smaller total or a 0 for its item), a warning when nothing but 0, blanks or text is lost.
  static func droppedRowSeverity(_ row: SheetRow) -> Severity {
    row.cells.contains { ($0.value.number ?? 0) != 0 } ? .error : .warning
  }

  /// `小计`, `合计`, `总计`, `共计`, `本页合计`, `本页小计`: a total row by its whole label. A
  /// label that merely ends so (`主动公开信息总计`, `建议提案总计`) may be an item's own figure.
  static func isSubtotalLabel(_ label: String) -> Bool {
    ["小计", "合计", "总计", "共计", "本页合计", "本页小计", "合计数", "小计数"].contains(LabelFold.key(label))
  }
}

private enum Message {
  static func path(_ p: [String]) -> String {
    let parts = p.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    return parts.isEmpty ? "（空）" : parts.joined(separator: " > ")
  }
  static func hint(_ nearest: [String]) -> String {
    nearest.isEmpty ? "" : "；最接近的已知标签：\(nearest.joined(separator: "、"))"
  }
  static func unknownRow(_ form: String, _ labels: [String], values: Int, nearest: [String], aliasSeed: String)
    -> String
  {
    "\(form)中的行标签「\(path(labels))」无法识别，该行 \(values) 个数值未采用\(hint(nearest))。"
      + "如为同一项目的其他写法，请在 seeds/\(aliasSeed).csv 中登记，或按模板更正后重新报送"
  }
  static func subtotalRow(_ form: String, _ labels: [String], values: Int) -> String {
    "\(form)中的「\(path(labels))」行是模板之外的小计或合计行，该行 \(values) 个数值未采用：汇总按明细各行计算，"
      + "不会漏计。请不要把它登记为别名（那样会重复计算）；如它合计的明细行不在表中，请按模板补全后重新报送"
  }
  static func ambiguousRow(_ form: String, _ labels: [String], _ defs: [AxisDefinition]) -> String {
    "\(form)中的行标签「\(path(labels))」可对应多个项目：\(defs.map { "\($0.label)（\($0.key)）" }.joined(separator: "、"))，"
      + "该行数值未采用；请按模板补全上级标签后重新报送"
  }
  static func unknownColumn(
    _ form: String, _ labels: [String], values: Int, rowFromHeader: Bool, nearest: [String], aliasSeed: String
  )
    -> String
  {
    let what = rowFromHeader ? "表头「\(path(labels))」无法确定所属行" : "列标题「\(path(labels))」无法识别"
    return "\(form)中的\(what)，该列 \(values) 个数值未采用\(hint(nearest))。"
      + "如为同一栏目的其他写法，请在 seeds/\(aliasSeed).csv 中登记，或按模板更正后重新报送"
  }
  /// Where a figure's unit was written.
  enum UnitPlace: Equatable {
    /// Glued to the figure (`126000元`).
    case figure
    /// At the end of its column's header, as the department wrote it (`收费金额（单位：元）`).
    case header(String)
    /// In its row's 计量单位 cell.
    case unitColumn
  }

  static func unitConverted(
    _ form: String, _ row: String, _ column: String, raw: String, value: Decimal, unit: String?, cellUnit: String?,
    stated: (unit: String, place: UnitPlace)
  ) -> String {
    let shown = DecimalFormat.plain(value) + (unit.map { " \($0)" } ?? "")
    let own = cellUnit.map { "本栏以\($0)为单位" } ?? "本栏填写件数"
    let written =
      switch stated.place {
      case .figure: "\(form)「\(row) · \(column)」填写为「\(raw)」"
      case .header(let header): "\(form)「\(row) · \(header)」表头写明单位为\(stated.unit)，填写为「\(raw)」"
      case .unitColumn: "\(form)「\(row) · \(column)」填写为「\(raw)」，计量单位写作「\(stated.unit)」"
      }
    return "\(written)，\(own)，已换算为 \(shown) 计入汇总；请核对换算结果，并按本栏单位填写数字后重新报送"
  }
  static func rowUnitDiffers(_ form: String, _ row: String, written: String, declared: String?, raw: String) -> String {
    let own = declared.map { "表式规定为「\($0)」" } ?? "本行填写件数"
    let taken = declared.map { "已按「\($0)」计入" } ?? "已按件数计入"
    return "\(form)「\(row)」一行的计量单位写作「\(written)」，\(own)，两者无法换算；\(taken)「\(raw)」，请向报送单位核实该数字的单位"
  }
  static func undefinedCell(_ form: String, _ row: String, _ column: String, raw: String) -> String {
    // In 表二 each group of rows has its own header line (信息内容,本年收费金额…): when the one
    // above this row is written otherwise, the row is read under the group before's header.
    "\(form)中「\(row)」一行没有「\(column)」一栏，但此处填写了「\(raw)」，该数值未采用；请核实是否填错位置，"
      + "或本行上方的表头是否与全国统一格式的写法不同（未能识别时，本行会被当作上一组表头下的数字）"
  }
  static func duplicateCell(_ form: String, _ key: String, first: String, second: String, at: SourceRef?) -> String {
    "\(form)的 \(key) 填写了两次且数值不同：先填「\(first)」\(at.map { "（\($0.location)）" } ?? "")，后填「\(second)」；已采用先填的数值，请核实"
  }
}
