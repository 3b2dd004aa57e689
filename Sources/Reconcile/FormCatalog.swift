import AlmanacCore

/// The grid forms of a pipeline indexed for rule compilation, labels and recomputation.
public struct FormCatalog: Sendable {
  /// One grid form with its axes in official order.
  ///
  /// A class: rules ask `catalog[form]` per department and cell, and a struct of nine
  /// collections was copied (each retained and released) on every such lookup.
  public final class Grid: Sendable {
    public let definition: FormDefinition
    public let rowKeys: [String]
    /// Every column key, extra columns included.
    public let columnKeys: [String]
    /// Columns of the national layout (no extra columns): what wildcards match and regions publish.
    public let publishedColumnKeys: [String]
    /// Row key → column keys the row has.
    public let rowColumns: [String: Set<String>]
    public let checksumRows: Set<String>
    public let checksumColumns: Set<String>
    public let extraColumns: Set<String>
    /// `definition.cellKeys`, computed once (it is asked for per department and form).
    public let cellKeys: [CellKey]

    init(_ def: FormDefinition) {
      definition = def
      cellKeys = def.cellKeys
      let rows = def.rows ?? []
      let columns = def.columns ?? []
      rowKeys = rows.map(\.key)
      columnKeys = columns.map(\.key)
      publishedColumnKeys = columns.filter { $0.extra != true }.map(\.key)
      var rc: [String: Set<String>] = [:]
      for r in rows { rc[r.key] = Set(r.columns ?? columns.map(\.key)) }
      rowColumns = rc
      checksumRows = Set(rows.filter { $0.checksum == true }.map(\.key))
      checksumColumns = Set(columns.filter { $0.checksum == true }.map(\.key))
      extraColumns = Set(columns.filter { $0.extra == true }.map(\.key))
    }

    /// True when the form defines this row × column cell (extra columns included).
    public func defines(row: String, column: String) -> Bool {
      rowColumns[row]?.contains(column) ?? false
    }

    /// True for a department's own total: recomputed and compared, never summed.
    public func isChecksum(_ key: CellKey) -> Bool {
      checksumRows.contains(key.row) || checksumColumns.contains(key.column)
    }

    /// The value type of one cell: the row's override, else the form's, else count.
    public func valueType(row: String) -> ValueType {
      definition.valueType(of: definition.rows?.first { $0.key == row })
    }

    /// The unit a cell's figures are in (`unit:` of its row, else of its column), if declared.
    public func unit(row: String, column: String) -> String? {
      FormDefinition.unit(
        row: definition.rows?.first { $0.key == row }, column: definition.columns?.first { $0.key == column })
    }
    public func isRate(row: String, column: String) -> Bool {
      FormDefinition.isRate(
        row: definition.rows?.first { $0.key == row }, column: definition.columns?.first { $0.key == column })
    }
  }

  public private(set) var grids: [String: Grid] = [:]
  /// Grid form ids in pipeline order.
  public private(set) var gridOrder: [String] = []
  /// Every published cell of every grid form, numbered (for per-department figure arrays).
  public private(set) var cellNumbers: [CellKey: Int] = [:]

  /// `cellNumbers` by the key's text (`CellKey.description`, as figure tables key their
  /// figures): one hash of a short string finds a cell, where parsing the text into a key and
  /// hashing its three parts took most of the time of the checks that walk every figure.
  private var cellNumbersByText: [String: Int] = [:]
  /// The keys of `cellNumbers`, by number.
  public private(set) var cellKeysByNumber: [CellKey] = []
  /// Per grid form, `cellKeys(form)` with each cell's number and whether it is a checksum.
  private var numberedCellsByForm: [String: [NumberedCell]] = [:]

  /// A published cell of a grid form with its number in `cellNumbers`.
  public struct NumberedCell: Sendable {
    public let key: CellKey
    public let number: Int
    public let isChecksum: Bool
  }

  /// A cell key read from its text (`cell(keyText:)`): its number when the catalog has it.
  public struct ReadKey: Sendable {
    public let key: CellKey
    public let number: Int?
  }

  public init(forms: [FormDefinition]) {
    for f in forms where f.kind == .grid && grids[f.id] == nil {
      let grid = Grid(f)
      grids[f.id] = grid
      gridOrder.append(f.id)
      for key in grid.cellKeys where cellNumbers[key] == nil {
        cellNumbers[key] = cellNumbers.count
        cellKeysByNumber.append(key)
        // Only a text that reads back as this key (parts without dots, as PIPE-005 checks).
        if CellKey(key.description) == key { cellNumbersByText[key.description] = cellNumbers.count - 1 }
      }
    }
    for (form, grid) in grids {
      numberedCellsByForm[form] = grid.cellKeys.map { key in
        NumberedCell(key: key, number: cellNumbers[key] ?? 0, isChecksum: grid.isChecksum(key))
      }
    }
  }

  /// The key written as `text` (what `CellKey(text)` reads), with its number for a catalog
  /// cell; nil for text that is no key.
  public func cell(keyText text: String) -> ReadKey? {
    if let n = cellNumbersByText[text] { return ReadKey(key: cellKeysByNumber[n], number: n) }
    return CellKey(text).map { ReadKey(key: $0, number: cellNumbers[$0]) }
  }

  /// Reads each key of `table` (`cell(keyText:)`; text that is no key is passed over), hands
  /// `body` its place and cell, and adds each key's form to `forms`: keys are sorted, so a
  /// form's keys come together and a form is inserted once per run of them, not per key.
  func readKeys(of table: FigureTable, formsInto forms: inout Set<String>, _ body: (Int, ReadKey) -> Void) {
    var lastForm: String?
    for (i, k) in table.keys.enumerated() {
      guard let cell = cell(keyText: k) else { continue }
      body(i, cell)
      if cell.key.form != lastForm {
        lastForm = cell.key.form
        forms.insert(cell.key.form)
      }
    }
  }

  /// `cellKeys(form)` with each cell's number and whether it is a checksum.
  public func numberedCells(_ form: String) -> [NumberedCell] {
    numberedCellsByForm[form] ?? []
  }

  public subscript(form: String) -> Grid? { grids[form] }

  /// True when the key names a cell some grid form defines.
  public func defines(_ key: CellKey) -> Bool {
    grids[key.form]?.defines(row: key.row, column: key.column) ?? false
  }

  public func isChecksum(_ key: CellKey) -> Bool { grids[key.form]?.isChecksum(key) ?? false }

  public func isExtra(_ key: CellKey) -> Bool { grids[key.form]?.extraColumns.contains(key.column) ?? false }

  /// Published (non-extra) cell keys of one grid form in official order.
  public func cellKeys(_ form: String) -> [CellKey] {
    grids[form]?.cellKeys ?? []
  }

  /// Official position of a key, for ordering expansions and figures.
  func order(_ key: CellKey) -> (Int, Int, Int) {
    guard let g = grids[key.form] else { return (Int.max, Int.max, Int.max) }
    return (
      gridOrder.firstIndex(of: key.form) ?? Int.max,
      g.rowKeys.firstIndex(of: key.row) ?? Int.max,
      g.columnKeys.firstIndex(of: key.column) ?? Int.max
    )
  }

  /// `表三「（七）总计 · 自然人」`: how staff recognize a cell in the printed form.
  public func label(_ key: CellKey) -> String {
    guard let g = grids[key.form] else { return key.description }
    let short = g.definition.name.split(separator: " ").first.map(String.init) ?? g.definition.name
    return "\(short)「\(rowLabel(form: key.form, row: key.row)) · \(columnLabel(form: key.form, column: key.column))」"
  }

  /// A column's label as the form prints it (`自然人`); the key when the form has no such column.
  public func columnLabel(form: String, column key: String) -> String {
    grids[form]?.definition.columns?.first { $0.key == key }?.label ?? key
  }

  /// A row as staff read it: `（三）不予公开3.危及“三安全一稳定”` (a numbered item with its group).
  public func rowLabel(form: String, row key: String) -> String {
    guard let g = grids[form] else { return key }
    let row = g.definition.rows?.first { $0.key == key }
    var rowText = row?.label ?? key
    if let parent = row?.parents?.last, rowText.first?.isNumber == true { rowText = parent + rowText }
    if let parent = row?.parents?.last, g.definition.rowsInHeader == true { rowText = parent + "—" + rowText }
    return rowText
  }

  /// The form's short name (`表三`).
  public func shortName(_ form: String) -> String {
    grids[form]?.definition.shortName ?? form
  }
}
