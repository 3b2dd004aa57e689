import AlmanacCore

extension OfficialTable {
  /// Lays out `form` with `values` (keyed by `CellKey.description`): captioned blocks when the
  /// layout has them, the column-header form when rows live in the header (表四), else a grid
  /// of row labels × column headers (表三). Merges follow the label paths (`parents`).
  public static func build(form: FormDefinition, layout: OfficialLayout, values: [String: CellValue]) -> OfficialTable {
    if !layout.blocks.isEmpty {
      return blocks(form: form, layout: layout, values: values)
    }
    if form.rowsInHeader == true {
      return headerRowsTable(form: form, values: values)
    }
    return grid(form: form, layout: layout, values: values)
  }

  static func valueCell(_ value: CellValue?, colspan: Int = 1) -> Cell {
    Cell(text: value?.outputText ?? "", colspan: colspan, isNumber: value?.isNumber ?? false)
  }

  static func publishedColumns(_ form: FormDefinition) -> [AxisDefinition] {
    (form.columns ?? []).filter { $0.extra != true }
  }

  static func publishedRows(_ form: FormDefinition) -> [AxisDefinition] {
    (form.rows ?? []).filter { $0.extra != true }
  }

  /// 表二: for each block a caption row across the table, a header row (`信息内容` + the
  /// block's column labels, the last one spanning the rest), then its rows.
  static func blocks(form: FormDefinition, layout: OfficialLayout, values: [String: CellValue]) -> OfficialTable {
    let rowsByKey = Dictionary(publishedRows(form).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    let allColumns = publishedColumns(form)
    func columns(of row: AxisDefinition) -> [AxisDefinition] {
      guard let keys = row.columns else { return allColumns }
      return allColumns.filter { keys.contains($0.key) }
    }
    let dataWidth =
      layout.blocks.flatMap { $0.rows.compactMap { rowsByKey[$0] } }.map { columns(of: $0).count }.max() ?? 1
    let width = 1 + max(dataWidth, 1)
    var g = GridBuilder(width: width)
    var r = 0
    var headerRows = 0
    for block in layout.blocks {
      let rows = block.rows.compactMap { rowsByKey[$0] }
      guard let first = rows.first else { continue }
      let cols = columns(of: first)
      g.place(Cell(text: block.caption, colspan: width, isHeader: true), row: r, column: 0)
      r += 1
      g.place(Cell(text: layout.labelHeader, isHeader: true), row: r, column: 0)
      for (i, c) in cols.enumerated() {
        let span = i == cols.count - 1 ? width - 1 - i : 1
        g.place(Cell(text: c.label, colspan: span, isHeader: true), row: r, column: 1 + i)
      }
      r += 1
      if headerRows == 0 { headerRows = r }
      for row in rows {
        g.place(Cell(text: row.label), row: r, column: 0)
        for (i, c) in cols.enumerated() {
          let span = i == cols.count - 1 ? width - 1 - i : 1
          let key = CellKey(form: form.id, row: row.key, column: c.key).description
          g.place(valueCell(values[key], colspan: span), row: r, column: 1 + i)
        }
        r += 1
      }
    }
    g.ensureRows(r)
    return OfficialTable(form: form.id, title: form.name, width: width, headerRows: headerRows, rows: g.finish())
  }

  /// Places header rows for `paths` (one label path per data column) starting at column
  /// `offset`: a group label spans the consecutive columns below it, a leaf label spans down
  /// to the last header row.
  static func placeHeader(_ paths: [[String]], depth: Int, offset: Int, into g: inout GridBuilder) {
    for level in 0..<depth {
      var k = 0
      while k < paths.count {
        let p = paths[k]
        if level < p.count - 1 {
          let prefix = Array(p[0...level])
          var span = 1
          while k + span < paths.count, paths[k + span].count > level + 1,
            Array(paths[k + span][0...level]) == prefix
          {
            span += 1
          }
          g.place(Cell(text: p[level], colspan: span, isHeader: true), row: level, column: offset + k)
          k += span
        } else {
          if level == p.count - 1 {
            g.place(Cell(text: p[level], rowspan: depth - level, isHeader: true), row: level, column: offset + k)
          }
          k += 1
        }
      }
    }
  }

  /// 表四: the row axis is part of the column header; one data row of every (row, column).
  static func headerRowsTable(form: FormDefinition, values: [String: CellValue]) -> OfficialTable {
    var paths: [[String]] = []
    var keys: [CellKey] = []
    for row in publishedRows(form) {
      for col in publishedColumns(form) where (row.columns ?? [col.key]).contains(col.key) {
        paths.append((row.parents ?? []) + [row.label] + (col.parents ?? []) + [col.label])
        keys.append(CellKey(form: form.id, row: row.key, column: col.key))
      }
    }
    let depth = max(paths.map(\.count).max() ?? 1, 1)
    var g = GridBuilder(width: max(paths.count, 1))
    placeHeader(paths, depth: depth, offset: 0, into: &g)
    for (i, key) in keys.enumerated() {
      g.place(valueCell(values[key.description]), row: depth, column: i)
    }
    g.ensureRows(depth + 1)
    return OfficialTable(form: form.id, title: form.name, width: g.width, headerRows: depth, rows: g.finish())
  }

  /// 表三: corner above the row labels, column header from the column paths, row labels from
  /// the row paths (a parent spans the rows below it, a leaf spans the remaining label columns).
  static func grid(form: FormDefinition, layout: OfficialLayout, values: [String: CellValue]) -> OfficialTable {
    let columns = publishedColumns(form)
    let rows = publishedRows(form)
    let columnPaths = columns.map { ($0.parents ?? []) + [$0.label] }
    let rowPaths = rows.map { ($0.parents ?? []) + [$0.label] }
    let depth = max(columnPaths.map(\.count).max() ?? 1, 1)
    let labelWidth = max(rowPaths.map(\.count).max() ?? 1, 1)
    var g = GridBuilder(width: labelWidth + columns.count)
    g.place(Cell(text: layout.corner, rowspan: depth, colspan: labelWidth, isHeader: true), row: 0, column: 0)
    placeHeader(columnPaths, depth: depth, offset: labelWidth, into: &g)
    for (i, row) in rows.enumerated() {
      let r = depth + i
      let p = rowPaths[i]
      for level in 0..<p.count {
        if level < p.count - 1 {
          let prefix = Array(p[0...level])
          if i > 0, rowPaths[i - 1].count > level + 1, Array(rowPaths[i - 1][0...level]) == prefix { continue }
          var span = 1
          while i + span < rows.count, rowPaths[i + span].count > level + 1,
            Array(rowPaths[i + span][0...level]) == prefix
          {
            span += 1
          }
          g.place(Cell(text: p[level], rowspan: span, isHeader: true), row: r, column: level)
        } else {
          g.place(Cell(text: p[level], colspan: labelWidth - level, isHeader: true), row: r, column: level)
        }
      }
      for (j, col) in columns.enumerated() where (row.columns ?? [col.key]).contains(col.key) {
        let key = CellKey(form: form.id, row: row.key, column: col.key).description
        g.place(valueCell(values[key]), row: r, column: labelWidth + j)
      }
    }
    g.ensureRows(depth + rows.count)
    return OfficialTable(form: form.id, title: form.name, width: g.width, headerRows: depth, rows: g.finish())
  }
}
