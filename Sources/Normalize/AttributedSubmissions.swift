import AlmanacCore
import Foundation

/// Adds up the row-attributed register counts of every file (`RegisterCount.departmentField`)
/// into one submission per department, with the figures the department declared
/// (`RegisterCount.declaredSeed`) as its submitted cells, so that reconcile compares the two
/// like any register with its table (REC-REG-001).
struct AttributedSubmissions {
  let pipeline: PipelineDefinition
  let seeds: Seeds
  let registry: DepartmentRegistry
  let year: Int

  /// Department id → counted figures, merged file by file.
  private var cells: [String: FigureTable] = [:]
  private var forms: [String: Set<String>] = [:]
  /// Department id → (file, rows counted for it from that file).
  private var contributions: [String: [(source: SourceFile, rows: Int64)]] = [:]
  /// Units whose register was read (`AttributedCounts.scopes`).
  private var scopesRead = Set<String>()

  init(pipeline: PipelineDefinition, seeds: Seeds, registry: DepartmentRegistry, year: Int) {
    self.pipeline = pipeline
    self.seeds = seeds
    self.registry = registry
    self.year = year
  }

  /// Adds a batch of files' counts, in file order. Departments are merged on every core: each
  /// department's table is its own, and integer sums and sorted source lists come out the
  /// same in whatever order the files are merged.
  mutating func add(_ batch: [AttributedCounts]) {
    var incoming: [String: [FigureTable]] = [:]
    for counts in batch {
      scopesRead.formUnion(counts.scopes)
      for (department, table) in counts.cells {
        incoming[department, default: []].append(table)
        forms[department, default: []].formUnion(counts.forms)
      }
      for (department, rows) in counts.rows {
        contributions[department, default: []].append((counts.source, rows))
      }
    }
    let departments = incoming.keys.sorted()
    // Taken out while merged: the merged table replaces it, so the old one is not held
    // beside the new one longer than the batch.
    let work = departments.map { (existing: cells.removeValue(forKey: $0) ?? [:], tables: incoming[$0] ?? []) }
    incoming.removeAll()
    let merged = work.parallelMap(minimumPerTask: 4) { w in
      var table = w.existing
      for t in w.tables { Self.addCounts(t, to: &table) }
      return table
    }
    for (department, table) in zip(departments, merged) { cells[department] = table }
  }

  /// `table`'s counts and `more`'s added up cell by cell (`sum`).
  static func addCounts(_ more: FigureTable, to table: inout FigureTable) {
    table.mergeAddingCounts(more, sourceLimit: SheetNormalizer.maxSourcesPerFigure, combine: sum)
  }

  /// Two counts of one cell added up, their sources united.
  @Sendable static func sum(_ existing: Figure, _ figure: Figure) -> Figure {
    guard case .integer(let a) = existing.value, case .integer(let b) = figure.value else { return figure }
    let sum = a + b
    return Figure(
      value: .integer(sum), raw: String(sum), sources: SheetNormalizer.union(existing.sources, figure.sources))
  }

  /// One submission per department that was counted or declared, sorted by id; findings for
  /// declared rows that cannot be used. The counts are taken out as their submissions are
  /// made (a province's counts are not held twice).
  mutating func submissions(findings: inout [Finding]) -> [Submission] {
    // Declared rows by department, as row numbers: parsed again and summed per cell only when
    // the department's submission is made, so that a province's declared figures are never
    // all held at once (as figures, or as parsed rows).
    var declared: [String: [DeclaredRowRef]] = [:]
    var declaredForms: [String: Set<String>] = [:]
    var declaredSource: [String: SourceFile] = [:]
    var seedsRead: [DeclaredSeed] = []
    for form in pipeline.forms {
      guard let counts = form.counts, counts.departmentField != nil, let name = counts.declaredSeed,
        let table = seeds[name]
      else { continue }
      let cols = ["department_id", "row", "column", "value"].map { table.column($0) }
      guard let dc = cols[0], let rc = cols[1], let cc = cols[2], let vc = cols[3] else { continue }
      let seed = DeclaredSeed(
        form: counts.form, file: SeedValidator.path(name), table: table, department: dc, row: rc, column: cc, value: vc)
      let seedSource = SourceFile(path: seed.file, sha256: "", size: 0)
      seedsRead.append(seed)
      // A department's rows come together (a province's seed has 200,000 rows): the lookups
      // and tables are visited once per run of rows of one department, not once per row —
      // this loop is the one stretch of normalize on a single core.
      var runID: String?
      var runKnown = false
      var run: [DeclaredRowRef] = []
      func endRun() {
        guard let id = runID, !run.isEmpty else { return }
        declared[id, default: []].append(contentsOf: run)
        declaredForms[id, default: []].insert(form.id)
        declaredSource[id] = seedSource
        run.removeAll(keepingCapacity: true)
      }
      for i in table.rows.indices {
        let id = seed.cell(i, seed.department)
        if id != runID {
          endRun()
          runID = id
          runKnown = registry.department(id) != nil
        }
        let known = runKnown
        let text = seed.cell(i, seed.value)
        guard known, Int64(text) != nil else {
          // The cell at fault, by its column: the unit's id, else the value.
          let line = seed.line(i)
          let (problem, column, actual) =
            known
            ? ("申报数「\(text)」不是整数", seed.value + 1, text)
            : ("单位编号「\(id)」不在单位名录中", seed.department + 1, id)
          findings.append(
            Finding(
              code: "NRM-020", severity: .warning, stage: NormalizeStage.name,
              message: "\(seed.file) 第 \(line) 行第 \(column) 列：\(problem)，该行未采用；请更正种子表后重新运行",
              department: known ? id : nil, actual: actual,
              sources: [SourceRef(file: seed.file, sha256: "", line: line, column: column)]))
          continue
        }
        run.append(DeclaredRowRef(seed: Int32(seedsRead.count - 1), row: Int32(i)))
      }
      endRun()
    }
    // Departments are made on every core, a slice at a time (what a slice takes out of
    // `cells` is freed as its submissions are made); findings keep the departments' order.
    // A unit that declared figures but has no row in any register read, while the register of
    // the county it belongs to was not read either (names scoped by file name), sent nothing
    // yet: it is missing (REC-SUB-001), not a unit whose every declared figure disagrees with
    // a count of 0 (tens of thousands of REC-REG-001 errors mid-collection).
    let scoped = pipeline.forms.contains { $0.counts?.departmentScope == .fileNamePrefix }
    if scoped {
      for id in declared.keys where cells[id] == nil {
        guard let parent = registry.department(id)?.parent, !scopesRead.contains(parent) else { continue }
        declared[id] = nil
      }
    }
    let ids = Set(cells.keys).union(declared.keys).sorted()
    var out: [Submission] = []
    out.reserveCapacity(ids.count)
    for start in stride(from: 0, to: ids.count, by: Self.departmentsPerSlice) {
      let slice = ids[start..<min(ids.count, start + Self.departmentsPerSlice)]
      let work = slice.map { id in
        Department(
          id: id, declared: declared.removeValue(forKey: id) ?? [], counted: cells.removeValue(forKey: id) ?? [:],
          contributions: contributions[id] ?? [], forms: (forms[id] ?? []).union(declaredForms[id] ?? []).sorted(),
          declaredSource: declaredSource[id])
      }
      let made = work.parallelMap(minimumPerTask: 16) { [seedsRead, registry, year] d in
        Self.submission(d, seeds: seedsRead, registry: registry, year: year)
      }
      for m in made {
        findings.append(contentsOf: m.findings)
        if let s = m.submission { out.append(s) }
      }
    }
    return out
  }

  /// Departments made together before the next ones are taken.
  static let departmentsPerSlice = 256

  /// What one department's submission is made from.
  private struct Department: Sendable {
    var id: String
    var declared: [DeclaredRowRef]
    var counted: FigureTable
    var contributions: [(source: SourceFile, rows: Int64)]
    var forms: [String]
    var declaredSource: SourceFile?
  }

  /// One department's submission (nil when it has no source), with the findings about its
  /// declared rows.
  private static func submission(_ d: Department, seeds: [DeclaredSeed], registry: DepartmentRegistry, year: Int)
    -> (submission: Submission?, findings: [Finding])
  {
    var findings: [Finding] = []
    let rows = d.declared.map { seeds[Int($0.seed)].declaredRow(Int($0.row)) }
    let own = figures(rows, department: d.id, findings: &findings)
    var counted = d.counted
    // A declared cell the registers never reached was counted as zero.
    for key in own.keys where counted.index(forKey: key) == nil {
      counted[key] = Figure(value: .integer(0), raw: "0", sources: [])
    }
    let main = d.contributions.max { a, b in
      (a.rows, b.source.path) < (b.rows, a.source.path)
    }
    guard let source = main?.source ?? d.declaredSource else { return (nil, findings) }
    let submission = Submission(
      department: d.id, departmentName: registry.department(d.id)?.name ?? d.id, year: year, source: source,
      forms: d.forms, cells: own, registerCells: counted)
    return (submission, findings)
  }
}

/// One usable row of a declared seed.
private struct DeclaredRow {
  var key: String
  var value: Int64
  var file: String
  var line: Int
  /// 1-based column of the value.
  var column: Int
}

/// A usable row of a declared seed, by number (`DeclaredSeed.declaredRow` reads it).
private struct DeclaredRowRef: Sendable {
  var seed: Int32
  var row: Int32
}

/// A declared seed and the columns it is read by. A class: read once per declared row (a
/// province has hundreds of thousands), a struct was copied, table and all, for each.
private final class DeclaredSeed: Sendable {
  let form: String
  let file: String
  let table: SeedTable
  let department: Int
  let row: Int
  let column: Int
  let value: Int

  init(form: String, file: String, table: SeedTable, department: Int, row: Int, column: Int, value: Int) {
    self.form = form
    self.file = file
    self.table = table
    self.department = department
    self.row = row
    self.column = column
    self.value = value
  }

  /// Cell `c` of row `i`, trimmed ("" past the row's end).
  func cell(_ i: Int, _ c: Int) -> String {
    table.cell(i, c).trimmingWhitespace
  }

  /// The file line of row `i`.
  func line(_ i: Int) -> Int { table.line(i) }

  /// Row `i`, which the first pass found usable.
  func declaredRow(_ i: Int) -> DeclaredRow {
    DeclaredRow(
      key: CellKey(form: form, row: cell(i, row), column: cell(i, column)).description,
      value: Int64(cell(i, value)) ?? 0, file: file, line: line(i), column: value + 1)
  }
}

extension AttributedSubmissions {
  /// A department's declared figures: rows of the same cell add up. Each figure's sources are
  /// the seed rows it adds up (file, line and the value's column; no digest: a seed is not an
  /// inbox file, the run's manifest has the seeds' digest), so that an auditor can trace a
  /// declared figure, and every region figure made of declared ones, to its row. A row whose
  /// sum would overflow is not used (a finding says so) rather than trapping.
  fileprivate static func figures(_ rows: [DeclaredRow], department: String, findings: inout [Finding])
    -> FigureTable
  {
    // One entry per cell: its sum and the rows it adds up (mostly one).
    var cells: [String: (sum: Int64, sources: [SourceRef])] = [:]
    for row in rows {
      let (sum, overflow) = (cells[row.key]?.sum ?? 0).addingReportingOverflow(row.value)
      guard !overflow else {
        findings.append(
          Finding(
            code: "NRM-020", severity: .warning, stage: NormalizeStage.name,
            message:
              "\(row.file) 第 \(row.line) 行第 \(row.column) 列：单位「\(department)」同一单元格的申报数相加超出整数范围，该行未采用；请更正种子表后重新运行",
            department: department, actual: String(row.value),
            sources: [SourceRef(file: row.file, sha256: "", line: row.line, column: row.column)]))
        continue
      }
      let source = SourceRef(file: row.file, sha256: "", line: row.line, column: row.column)
      if var cell = cells.removeValue(forKey: row.key) {
        cell.sum = sum
        if cell.sources.count < SheetNormalizer.maxSourcesPerFigure { cell.sources.append(source) }
        cells[row.key] = cell
      } else {
        cells[row.key] = (sum, [source])
      }
    }
    return FigureTable(
      cells.mapValues { cell in
        Figure(
          value: .integer(cell.sum), raw: String(cell.sum),
          sources: cell.sources.count > 1 ? cell.sources.sorted() : cell.sources)
      })
  }
}
