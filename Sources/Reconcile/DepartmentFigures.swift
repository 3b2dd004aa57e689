import AlmanacCore
import Foundation

/// One accepted department's figures as the rules see them: its submitted table cells, or, for
/// a form it sent only as a register, the register's counts (with totals recomputed).
struct DepartmentFigures: Sendable {
  var id: String
  var name: String
  /// The accepted entries of this department (one per file that won a form).
  var parts: [Submission]
  var figures: CellFigures
  /// Grid forms provided.
  var forms: Set<String> = []
  /// The forms among `forms` written as tables (the others only counted from registers).
  private(set) var tableForms: Set<String> = []
  /// Totals its tables left out, computed from what it wrote (`recomputeOmittedTotals`).
  var recomputedTotals: Set<CellKey> = []

  init(parts: [Submission], builder: LedgerBuilder, recomputer: ChecksumRecomputer) {
    self.parts = parts
    figures = CellFigures(numbers: builder.catalog.cellNumbers, parts: parts)
    id = parts.first?.department ?? ""
    let newest = parts.max { SubmissionOrder.isOlder($0, than: $1) }
    name = newest?.departmentName ?? id
    for (n, p) in parts.enumerated() {
      forms.formUnion(builder.providedForms(p))
      builder.catalog.readKeys(of: p.cells, formsInto: &tableForms) { i, cell in
        figures.point(cell, at: .cell(part: n, index: i))
      }
    }
    // A total the department left out of its table (no 总计 column, no （七）总计 row: forms.md
    // §2 lets it delete them) is its breakdown's sum, as the region's totals are: the rules
    // then check what it did write (S-3 of every column), and a total it never wrote holds
    // against its breakdown by construction. Read as 0, it was quoted as “填报为 0”; skipped,
    // an unbalanced 表三 went unreported.
    for form in tableForms.sorted() {
      recomputeOmittedTotals(form, catalog: builder.catalog, recomputer: recomputer)
    }
    for form in forms.subtracting(tableForms).sorted() {
      var values: [CellKey: Decimal] = [:]
      for (n, p) in parts.enumerated() {
        for (i, k) in p.registerCells.keys.enumerated() {
          guard let cell = builder.catalog.cell(keyText: k), cell.key.form == form else { continue }
          figures.point(cell, at: .registerCell(part: n, index: i))
          if let n = p.registerCells.value(at: i).number { values[cell.key] = n }
        }
      }
      recomputer.complete(&values, forms: [form])
      for key in builder.catalog.cellKeys(form) where builder.catalog.isChecksum(key) {
        guard figures.value(key) == nil, let v = values[key] else { continue }
        figures.add(key, Figure(value: RegionFigures.typed(v, type: .count), raw: DecimalFormat.plain(v), sources: []))
      }
    }
  }

  func lookup(_ key: CellKey) -> CellLookup { CellLookup(figures.value(key)) }

  /// Adds the totals of `form` the department's table left out, computed from what it wrote
  /// (`ChecksumRecomputer.omitted`): a total it did write is never replaced.
  private mutating func recomputeOmittedTotals(_ form: String, catalog: FormCatalog, recomputer: ChecksumRecomputer) {
    let written = figures
    let missing = catalog.cellKeys(form).filter {
      catalog.isChecksum($0) && !catalog.isExtra($0) && written.value($0) == nil
    }
    guard !missing.isEmpty else { return }
    let computed = recomputer.omitted(missing) { k in
      // A blank or text total is no figure to build on (another definition may be).
      if let value = written.value(k) { return value.number ?? (catalog.isChecksum(k) ? nil : 0) }
      return catalog.isChecksum(k) ? nil : 0
    }
    for (key, v) in computed.sorted(by: { catalog.order($0.key) < catalog.order($1.key) }) {
      figures.add(key, Figure(value: RegionFigures.typed(v, type: .count), raw: DecimalFormat.plain(v), sources: []))
      recomputedTotals.insert(key)
    }
  }
}

/// A department's figures by cell key, as places in its submissions' tables rather than
/// copies: the catalog's cells in an array numbered by the catalog (one hash of the key finds
/// its number, as it found the figure in a dictionary), other keys in a dictionary. A
/// province's departments hold a few hundred thousand figures through reconcile; a
/// `[CellKey: Figure]` of about a hundred had 256 buckets of key and figure (about 290 bytes
/// a figure), a place is 8 bytes per catalog cell.
struct CellFigures: Sendable {
  enum Place {
    case cell(part: Int, index: Int)
    case registerCell(part: Int, index: Int)
    /// A figure computed here (a recomputed total), in `own`.
    case own(Int)

    /// Kind in the top 2 bits, part in the next 30, index in the low 32; 0 is no figure
    /// (kinds count from 1).
    var packed: UInt64 {
      switch self {
      case .cell(let p, let i): 1 << 62 | UInt64(p) << 32 | UInt64(i)
      case .registerCell(let p, let i): 2 << 62 | UInt64(p) << 32 | UInt64(i)
      case .own(let i): 3 << 62 | UInt64(i)
      }
    }
  }

  private let numbers: [CellKey: Int]
  private let parts: [Submission]
  private var slots: [UInt64]
  private var others: [CellKey: UInt64] = [:]
  private var own: [Figure] = []

  init(numbers: [CellKey: Int], parts: [Submission]) {
    self.numbers = numbers
    self.parts = parts
    slots = Array(repeating: 0, count: numbers.count)
  }

  /// `key`'s figure is at `place` (a part's table: at most 2^30 parts and 2^32 figures each).
  mutating func point(_ key: CellKey, at place: Place) {
    if let n = numbers[key] {
      slots[n] = place.packed
    } else {
      others[key] = place.packed
    }
  }

  /// `cell`'s figure is at `place`, its number already found (`FormCatalog.cell(keyText:)`).
  mutating func point(_ cell: FormCatalog.ReadKey, at place: Place) {
    if let n = cell.number {
      slots[n] = place.packed
    } else {
      others[cell.key] = place.packed
    }
  }

  /// `key`'s figure is `figure`, computed here.
  mutating func add(_ key: CellKey, _ figure: Figure) {
    own.append(figure)
    point(key, at: .own(own.count - 1))
  }

  subscript(key: CellKey) -> Figure? {
    figure(at: place(key))
  }

  /// `key`'s value: what the rules read, many times a figure, without rebuilding its sources.
  func value(_ key: CellKey) -> CellValue? {
    value(at: place(key))
  }

  /// The value of the catalog's cell number `number` (`FormCatalog.cellNumbers`, the numbering
  /// every department's figures share): one cell read across a province's departments hashes
  /// its key once, not once per department.
  func value(number: Int) -> CellValue? {
    value(at: Self.unpack(slots[number]))
  }

  /// The figure of the catalog's cell number `number`, rebuilt (see `value(number:)`).
  func figure(number: Int) -> Figure? {
    figure(at: Self.unpack(slots[number]))
  }

  private func figure(at place: Place?) -> Figure? {
    switch place {
    case .cell(let part, let index): parts[part].cells.figure(at: index)
    case .registerCell(let part, let index): parts[part].registerCells.figure(at: index)
    case .own(let index): own[index]
    case nil: nil
    }
  }

  private func value(at place: Place?) -> CellValue? {
    switch place {
    case .cell(let part, let index): parts[part].cells.value(at: index)
    case .registerCell(let part, let index): parts[part].registerCells.value(at: index)
    case .own(let index): own[index].value
    case nil: nil
    }
  }

  /// Where `key`'s figure is (`Place.packed` undone), or nil.
  private func place(_ key: CellKey) -> Place? {
    Self.unpack(numbers[key].map { slots[$0] } ?? others[key] ?? 0)
  }

  private static func unpack(_ packed: UInt64) -> Place? {
    let part = Int(packed >> 32 & 0x3FFF_FFFF)
    let index = Int(packed & 0xFFFF_FFFF)
    switch packed >> 62 {
    case 1: return .cell(part: part, index: index)
    case 2: return .registerCell(part: part, index: index)
    case 3: return .own(index)
    default: return nil
    }
  }
}
