import AlmanacCore

/// The grid forms of a pipeline indexed for output: official order, canonical labels, which
/// cells are checksums and which cells a recomputed checksum adds up.
public struct FormCatalog: Sendable {
  /// Grid forms (rows and columns defined), in pipeline order.
  public let forms: [FormDefinition]
  private let formIndex: [String: Int]
  private let rowIndex: [String: [String: Int]]
  private let columnIndex: [String: [String: Int]]

  public init(forms: [FormDefinition]) {
    let grids = forms.filter { $0.kind != .register && $0.rows != nil && $0.columns != nil }
    self.forms = grids
    var fi: [String: Int] = [:]
    var ri: [String: [String: Int]] = [:]
    var ci: [String: [String: Int]] = [:]
    for (i, f) in grids.enumerated() {
      fi[f.id] = fi[f.id] ?? i
      var rows: [String: Int] = [:]
      for (j, r) in (f.rows ?? []).enumerated() where rows[r.key] == nil { rows[r.key] = j }
      var cols: [String: Int] = [:]
      for (j, c) in (f.columns ?? []).enumerated() where cols[c.key] == nil { cols[c.key] = j }
      ri[f.id] = rows
      ci[f.id] = cols
    }
    formIndex = fi
    rowIndex = ri
    columnIndex = ci
  }

  public func form(_ id: String) -> FormDefinition? { formIndex[id].map { forms[$0] } }

  public func row(of key: CellKey) -> AxisDefinition? {
    guard let f = form(key.form), let i = rowIndex[key.form]?[key.row] else { return nil }
    return f.rows?[i]
  }

  public func column(of key: CellKey) -> AxisDefinition? {
    guard let f = form(key.form), let i = columnIndex[key.form]?[key.column] else { return nil }
    return f.columns?[i]
  }

  /// The cell's value type: its row's, else its form's, else a count.
  public func valueType(of key: CellKey) -> ValueType {
    form(key.form)?.valueType(of: row(of: key)) ?? .count
  }

  /// The unit the cell's row or column declares (`unit:`), row first.
  public func unit(of key: CellKey) -> String? {
    FormDefinition.unit(row: row(of: key), column: column(of: key))
  }

  /// A rate (`FormDefinition.isRate`): the region's is one unit's figure, never a sum.
  public func isRate(_ key: CellKey) -> Bool {
    FormDefinition.isRate(row: row(of: key), column: column(of: key))
  }

  /// True when the form defines the row and the column and the row has that column.
  public func contains(_ key: CellKey) -> Bool {
    guard let f = form(key.form), let r = row(of: key), column(of: key) != nil else { return false }
    return (r.columns ?? (f.columns ?? []).map(\.key)).contains(key.column)
  }

  /// A name as someone typed it, folded as `key(typed:)` reads it: full width to half width,
  /// `。` to `.`, lower case (`ＰＣＴ．ｔ３。ｇｋｂｆ` → `pct.t3.gkbf`).
  public static func folded(typed: String) -> String {
    typed.nfkc.replacingOccurrences(of: "。", with: ".").lowercased()
  }

  /// The cell an operator most likely means by `typed`: as written, else with full-width
  /// characters and the input method's 。 folded (`ｔ３。ｒ１。ｚｊ`), in lower case (`T3.R1.ZJ`),
  /// and a form named by the number it is printed with (`表三.r1.zj`, from the form's name).
  /// Nil when none of these is a cell of the forms.
  public func key(typed: String) -> CellKey? {
    if let key = CellKey(typed), contains(key) { return key }
    var parts = Self.folded(typed: typed).split(
      separator: ".", omittingEmptySubsequences: false
    ).map { $0.trimmingCharacters(in: .whitespaces) }
    guard parts.count == 3 else { return nil }
    if form(parts[0]) == nil,
      let named = forms.first(where: { $0.name.split(separator: " ").first.map(String.init) == parts[0] })
    {
      parts[0] = named.id
    }
    guard let key = CellKey(parts.joined(separator: ".")), contains(key) else { return nil }
    return key
  }

  /// True for cells published in the official tables (defined and not an `extra` column).
  public func isPublished(_ key: CellKey) -> Bool {
    contains(key) && column(of: key)?.extra != true && row(of: key)?.extra != true
  }

  /// Official position `(form, row, column)`; nil for a key the pipeline does not define.
  public func position(_ key: CellKey) -> (Int, Int, Int)? {
    guard let f = formIndex[key.form], let r = rowIndex[key.form]?[key.row],
      let c = columnIndex[key.form]?[key.column]
    else { return nil }
    return (f, r, c)
  }

  /// Official order; keys the pipeline does not define come last, sorted by text.
  public func precedes(_ a: CellKey, _ b: CellKey) -> Bool {
    switch (position(a), position(b)) {
    case (let pa?, let pb?): return pa < pb
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return a.description < b.description
    }
  }

  /// Sorts cell-key texts in official order; unparsable texts last, by text.
  public func sortedKeys(_ texts: some Sequence<String>) -> [String] {
    texts.sorted { a, b in
      switch (CellKey(a), CellKey(b)) {
      case (let ka?, let kb?): return precedes(ka, kb)
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return a < b
      }
    }
  }

  /// Every published cell of the grid forms, in official order.
  public var publishedKeys: [CellKey] { forms.flatMap(\.cellKeys) }

  /// Row label path joined with ` > ` (`三、本年度办理结果 > （七）总计`); the key when unknown.
  public func rowLabel(_ key: CellKey) -> String {
    guard let r = row(of: key) else { return key.row }
    return ((r.parents ?? []) + [r.label]).joined(separator: " > ")
  }

  /// Column label path joined with ` > ` (`申请人情况 > 法人或其他组织 > 商业企业`).
  public func columnLabel(_ key: CellKey) -> String {
    guard let c = column(of: key) else { return key.column }
    return ((c.parents ?? []) + [c.label]).joined(separator: " > ")
  }

  /// True when the row or the column is a total that is recomputed rather than summed.
  public func isChecksum(_ key: CellKey) -> Bool {
    row(of: key)?.checksum == true || column(of: key)?.checksum == true
  }

  /// The cells a checksum cell adds up: the non-checksum, published rows (and columns) nested
  /// under the checksum's own parents. `t3.r3_7.zj` → `t3.r3_1.np` … `t3.r3_6_3.qt`.
  /// A cell that is not a checksum is its own breakdown.
  public func breakdown(of key: CellKey) -> [CellKey] {
    guard let f = form(key.form), let r = row(of: key), let c = column(of: key) else { return [key] }
    let rows = r.checksum == true ? Self.nested(under: r, in: f.rows ?? []) : [r]
    let cols = c.checksum == true ? Self.nested(under: c, in: f.columns ?? []) : [c]
    var keys: [CellKey] = []
    for row in rows {
      for col in cols {
        let k = CellKey(form: key.form, row: row.key, column: col.key)
        if isPublished(k) { keys.append(k) }
      }
    }
    return keys
  }

  private static func nested(under total: AxisDefinition, in axis: [AxisDefinition]) -> [AxisDefinition] {
    let prefix = total.parents ?? []
    return axis.filter { a in
      a.key != total.key && a.checksum != true && a.extra != true
        && (a.parents ?? []).starts(with: prefix)
    }
  }

  /// How valid keys look, one line per form: `t3.<row>.<column>` with the keys listed.
  public var keyPatterns: [String] {
    forms.map { f in
      let rows = (f.rows ?? []).map(\.key).joined(separator: "|")
      let cols = (f.columns ?? []).map(\.key).joined(separator: "|")
      return "\(f.id).{\(rows)}.{\(cols)}"
    }
  }
}
