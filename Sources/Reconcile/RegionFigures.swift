import AlmanacCore
import Foundation

/// The region's figures (S-6): every breakdown cell is the sum of the accepted departments'
/// values; every checksum cell is recomputed from the region's breakdowns, never summed from
/// the departments' own totals (report-2021.md §6.3 item 1).
struct RegionFigures: Sendable {
  var values: [CellKey: Decimal] = [:]
  /// Grid forms at least one accepted department provided.
  var forms: Set<String> = []
  let catalog: FormCatalog
  /// The departments summed, kept for `sources(_:)` and `contributions(to:)`.
  private let departments: [DepartmentFigures]
  /// The definition each region total was computed by: a department's share reads its own
  /// totals through the same ones.
  private var totalsDefinedBy: [CellKey: FormulaExpr] = [:]
  /// Breakdown cells of a provided form that no department wrote anything in, in catalog
  /// order (counted as 0 when `unwrittenIsAbsent` is false).
  private(set) var unwritten: [CellKey] = []
  /// Rate cells (unit `%`) that more than one department wrote a figure other than 0 in, in
  /// catalog order: they have no region figure (`isRate`).
  private(set) var ratesOfSeveral: [CellKey] = []

  /// - Parameter unwrittenIsAbsent: a cell no department wrote anything in has no region
  ///   figure (the 2016-style forms, where one office reports a rate); false for the national
  ///   tables, whose every cell is a count C-10 wants written, so such a cell is 0.
  init(
    departments: [DepartmentFigures], catalog: FormCatalog, recomputer: ChecksumRecomputer,
    unwrittenIsAbsent: Bool = false
  ) {
    self.catalog = catalog
    self.departments = departments
    for d in departments { forms.formUnion(d.forms) }
    // Each region cell is summed on its own: the cells are summed on every core. A cell is
    // read in every department by its catalog number (its key hashed once, not once per
    // department), and counts are added as integers, with one `Decimal` addition per cell
    // (or per Int64 overflow): exact either way, a `Decimal` addition per department was
    // a third of this type's time for a province.
    let keys = forms.sorted().flatMap { form in catalog.cellKeys(form).map { (form: form, key: $0) } }
    // The departments that provided each form, by index, found once rather than per cell.
    var provided: [String: [Int]] = [:]
    for (i, d) in departments.enumerated() {
      for form in d.forms { provided[form, default: []].append(i) }
    }
    let providers = provided
    let sums = keys.parallelMap(minimumPerTask: 4) { cell -> (sum: Decimal, written: Bool, rateOfSeveral: Bool)? in
      // Checksums are recomputed from the region's breakdowns below, never summed.
      guard !catalog.isChecksum(cell.key) else { return nil }
      let number = catalog.cellNumbers[cell.key]
      let type = catalog[cell.form]?.valueType(row: cell.key.row) ?? .count
      if Self.isRate(cell.key, catalog) {
        let rate = Self.rate(
          cell.key, number: number, type: type, of: (providers[cell.form] ?? []).map { departments[$0] })
        return unwrittenIsAbsent && !rate.written ? nil : rate
      }
      var total = Decimal(0)
      var whole: Int64 = 0
      var written = false
      // Only the departments that provided the form, each read in place: walking all of them
      // as `for d in departments where d.forms.contains(…)` retained and released a dozen
      // references per department and cell.
      for i in providers[cell.form] ?? [] {
        let value =
          if let number { departments[i].figures.value(number: number) } else {
            departments[i].figures.value(cell.key)
          }
        guard let value else { continue }
        written = true
        // Blank and text contribute nothing (C-10 / S-5 report them), nor does a figure S-5
        // refuses (a negative one, a fraction of a count).
        if case .integer(let n) = value {
          guard n >= 0 else { continue }
          let (sum, overflow) = whole.addingReportingOverflow(n)
          if overflow {
            total += Decimal(whole)
            whole = n
          } else {
            whole = sum
          }
        } else if let n = value.summand(type) {
          total += n
        }
      }
      // A cell no department wrote anything in (a 2016 rate only the office that left out its
      // sheet reports) has no region figure: the report prints —, and CON-001 says so. It
      // was 0, printed as “办结率均为0%”. A blank a department wrote counts as 0 (C-10).
      if unwrittenIsAbsent && !written { return nil }
      return (whole == 0 ? total : total + Decimal(whole), written, false)
    }
    for (cell, sum) in zip(keys, sums) {
      guard let sum else { continue }
      if sum.rateOfSeveral {
        ratesOfSeveral.append(cell.key)
        continue
      }
      values[cell.key] = sum.sum
      if !sum.written { unwritten.append(cell.key) }
    }
    totalsDefinedBy = recomputer.complete(&values, forms: forms)
  }

  /// A rate (`FormDefinition.isRate`): usually one unit reports it (the office running the
  /// hotline); others leave the row out or write 0.
  static func isRate(_ key: CellKey, _ catalog: FormCatalog) -> Bool {
    catalog[key.form]?.isRate(row: key.row, column: key.column) ?? false
  }

  /// A rate's region figure: the one figure other than 0 that a department wrote (0 when
  /// every one is 0); none when several departments wrote one (`ratesOfSeveral`: the finding
  /// says so, and the report prints — rather than a sum or a guess). Blank, text and what
  /// S-5 refuses count for nothing, as in a sum.
  private static func rate(
    _ key: CellKey, number: Int?, type: ValueType, of providers: [DepartmentFigures]
  ) -> (sum: Decimal, written: Bool, rateOfSeveral: Bool) {
    var written = false
    var figures: [Decimal] = []
    for d in providers {
      guard let value = number.map({ d.figures.value(number: $0) }) ?? d.figures.value(key) else { continue }
      written = true
      if let n = value.summand(type), n != 0 { figures.append(n) }
    }
    if figures.count > 1 { return (0, written, true) }
    return (figures.first ?? 0, written, false)
  }

  /// Every department figure behind region cell `key` (the departments' own totals for a
  /// checksum), sorted. Made when a finding names them: rebuilding every department's figure
  /// with its sources for every region cell, to name a few of them, was most of the time
  /// this type took for a province.
  func sources(_ key: CellKey) -> [SourceRef] {
    let number = catalog.cellNumbers[key]
    var refs: Set<SourceRef> = []
    for d in departments where d.forms.contains(key.form) {
      let figure = number.map { d.figures.figure(number: $0) } ?? d.figures[key]
      guard let figure else { continue }
      refs.formUnion(figure.sources)
    }
    return refs.sorted()
  }

  /// The departments whose own figure for region cell `key` passes `test`, by name, with that
  /// figure's sources: where a region figure's oddity (C-9's decimals) was written.
  func departments(_ key: CellKey, where test: (Decimal) -> Bool) -> [(
    name: String, value: Decimal, sources: [SourceRef]
  )] {
    let number = catalog.cellNumbers[key]
    var out: [(name: String, value: Decimal, sources: [SourceRef])] = []
    for d in departments where d.forms.contains(key.form) {
      guard let figure = number.map({ d.figures.figure(number: $0) }) ?? d.figures[key],
        let value = figure.value.number, test(value)
      else { continue }
      out.append((d.name, value, figure.sources.sorted()))
    }
    return out
  }

  /// One department's part in a region check that fails.
  struct Contribution {
    var department: String
    var name: String
    var lhs: Decimal
    var rhs: Decimal
    /// The department's figures behind the formula's cells, sorted.
    var sources: [SourceRef]
    /// Forms the formula names that the department did not send (its cells count as 0, as in
    /// the region's sums), sorted.
    var missingForms: [String]
    /// For a formula naming last year's cells: whether the department sent nothing this year
    /// (it is in last year's dataset only) or nothing last year; its cells of that year count
    /// as 0, as in that year's region.
    var absentThisYear = false
    var absentLastYear = false
  }

  /// The departments whose own figures, read as the region reads them, fail `formula`: blank
  /// and text count for nothing and every total is recomputed from the department's own
  /// breakdowns. A department that checks out by its own declared totals can still move the
  /// region: a （七）总计 written as 11 over outcomes adding up to 8 passes the department's
  /// S-3 (its new and carried applications are 11 too) but puts 3 fewer outcomes into the
  /// region, whose total is the sum of outcomes. For an `=` formula the departments'
  /// differences add up to the region's, so the list says where all of it comes from.
  /// Empty for a formula that is not a plain sum of cells (`Formula.isSharedByDepartments`: a
  /// department's share of a rate or of a constant is not defined), and made only for a
  /// failed check.
  ///
  /// A formula naming last year's cells (C-1, C-2) is shared when last year's dataset is
  /// given: last year's region is the sum of last year's departments, so each department's
  /// share reads its own figures of both years, matched by department id. A department in
  /// one year only is a share of its own — a unit that stopped sending takes its carried-over
  /// applications with it, which a department-level check cannot show.
  func contributions(to formula: Formula, previous: PreviousDataset? = nil) -> [Contribution] {
    let lastYearCells = formula.previousCells
    guard formula.isSharedByDepartments, lastYearCells.isEmpty || previous != nil else { return [] }
    let named = Set(formula.cells.map(\.form))
    let namedLastYear = Set(lastYearCells.map(\.form))
    guard plainTotals(formula.cells + lastYearCells, definitions: totalsDefinedBy) else { return [] }
    // Only the cells the formula needs, totals through the definitions the region used (each
    // within its own form, so they hold whichever forms a department sent): a province has
    // thousands of departments, and a whole form recomputed for each of them, for each
    // failing check, cost seconds.
    func reader(forms: Set<String>, _ value: @escaping (CellKey) -> CellValue?) -> (CellKey) -> Decimal {
      var totals: [CellKey: Decimal] = [:]
      func own(_ key: CellKey) -> Decimal {
        guard forms.contains(key.form) else { return 0 }
        guard catalog.isChecksum(key) else {
          return value(key)?.summand(catalog[key.form]?.valueType(row: key.row) ?? .count) ?? 0
        }
        if let known = totals[key] { return known }
        let computed = totalsDefinedBy[key].flatMap { ChecksumRecomputer.value($0, own) } ?? 0
        totals[key] = computed
        return computed
      }
      return own
    }
    /// The formula's last-year forms `id` has figures of in last year's dataset.
    func lastYearForms(_ id: String) -> Set<String> {
      let cells = previous?.departments[id] ?? [:]
      return namedLastYear.filter { form in cells.keys.contains { $0.hasPrefix(form + ".") } }
    }
    func lastYearReader(_ id: String) -> ((CellKey) -> Decimal)? {
      guard !lastYearCells.isEmpty else { return nil }
      let cells = previous?.departments[id] ?? [:]
      return reader(forms: lastYearForms(id)) { cells[$0.description] }
    }
    func failing(_ thisYear: (CellKey) -> Decimal, _ lastYear: ((CellKey) -> Decimal)?) -> (Decimal, Decimal)? {
      guard let lhs = ChecksumRecomputer.value(formula.lhs, thisYear, previous: lastYear),
        let rhs = ChecksumRecomputer.value(formula.rhs, thisYear, previous: lastYear),
        !formula.comparison.holds(lhs, rhs)
      else { return nil }
      return (lhs, rhs)
    }
    var out: [Contribution] = []
    var present = Set<String>()
    for d in departments {
      present.insert(d.id)
      let forms = named.intersection(d.forms)
      // A department that did not send this year's forms still has last year's share.
      guard !forms.isEmpty || !lastYearCells.isEmpty else { continue }
      let figures = d.figures
      let own = reader(forms: forms) { figures.value($0) }
      guard let (lhs, rhs) = failing(own, lastYearReader(d.id)) else { continue }
      var refs = Set<SourceRef>()
      for key in formula.cells { refs.formUnion(d.figures[key]?.sources ?? []) }
      // A total the department wrote that its own breakdown does not add up to is where its
      // share comes from (the region reads the breakdown): shown first, not the first cell
      // of the formula, which may be right.
      var differing = Set<SourceRef>()
      for key in formula.cells where catalog.isChecksum(key) && forms.contains(key.form) {
        guard let figure = d.figures[key], let written = figure.value.number, written != own(key) else { continue }
        differing.formUnion(figure.sources)
      }
      out.append(
        Contribution(
          department: d.id, name: d.name, lhs: lhs, rhs: rhs,
          sources: differing.sorted() + refs.subtracting(differing).sorted(),
          missingForms: named.subtracting(d.forms).sorted(),
          absentLastYear: !lastYearCells.isEmpty && lastYearForms(d.id).isEmpty))
    }
    // Departments in last year's dataset only: this year's cells are 0 for them.
    if !lastYearCells.isEmpty, let previous {
      for id in previous.departments.keys.sorted() where !present.contains(id) {
        guard let (lhs, rhs) = failing({ _ in 0 }, lastYearReader(id)) else { continue }
        out.append(
          Contribution(
            department: id, name: previous.departmentNames[id] ?? id, lhs: lhs, rhs: rhs, sources: [],
            missingForms: [], absentThisYear: true))
      }
    }
    return out
  }

  /// Whether every total `cells` reach is a plain sum of cells of its own form: then a
  /// department's total is its part of the region's, whichever forms it sent. A rate, a
  /// constant or a cell of another form in a definition would make the shares not add up.
  private func plainTotals(_ cells: [CellKey], definitions: [CellKey: FormulaExpr]) -> Bool {
    var pending = cells.filter(catalog.isChecksum)
    var seen = Set<CellKey>()
    while let key = pending.popLast() {
      guard seen.insert(key).inserted, let rhs = definitions[key] else { continue }
      guard rhs.isLinear, !rhs.hasConstantTerm, rhs.cells.allSatisfy({ $0.form == key.form }) else { return false }
      pending += rhs.cells.filter(catalog.isChecksum)
    }
    return true
  }

  func lookup(_ key: CellKey) -> CellLookup {
    values[key].map { .value($0) } ?? .missing
  }

  /// Region values as the ledger stores them: counts as integers, amounts as decimals.
  var cellValues: [String: CellValue] {
    var out: [String: CellValue] = [:]
    for (k, v) in values {
      out[k.description] = Self.typed(v, type: catalog[k.form]?.valueType(row: k.row) ?? .count)
    }
    return out
  }

  /// `.integer` for a whole count that fits Int64, else `.decimal` (amounts always decimal).
  static func typed(_ v: Decimal, type: ValueType) -> CellValue {
    if type == .count, let i = DecimalFormat.int64(v) { return .integer(i) }
    return .decimal(v)
  }
}
