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

  init(pipeline: PipelineDefinition, seeds: Seeds, registry: DepartmentRegistry, year: Int) {
    self.pipeline = pipeline
    self.seeds = seeds
    self.registry = registry
    self.year = year
  }

  /// Adds one file's counts.
  mutating func add(_ counts: AttributedCounts) {
    for (department, figures) in counts.cells {
      // Taken out while merged: the merged table replaces it, so the old one is not held
      // beside the new one.
      var merged = cells.removeValue(forKey: department) ?? [:]
      merged.merge(FigureTable(figures)) { existing, figure in
        guard case .integer(let a) = existing.value, case .integer(let b) = figure.value else { return figure }
        let sum = a + b
        return Figure(
          value: .integer(sum), raw: String(sum), sources: SheetNormalizer.union(existing.sources, figure.sources))
      }
      cells[department] = merged
      forms[department, default: []].formUnion(counts.forms)
    }
    for (department, rows) in counts.rows {
      contributions[department, default: []].append((counts.source, rows))
    }
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
        form: counts.form, file: "seeds/\(name).csv", table: table, department: dc, row: rc, column: cc, value: vc)
      let seedSource = SourceFile(path: seed.file, sha256: "", size: 0)
      seedsRead.append(seed)
      for i in table.rows.indices {
        let id = seed.cell(i, seed.department)
        let text = seed.cell(i, seed.value)
        let known = registry.department(id) != nil
        guard known, Int64(text) != nil else {
          let line = seed.line(i)
          findings.append(
            Finding(
              code: "NRM-020", severity: .warning, stage: NormalizeStage.name,
              message: "\(seed.file) 第 \(line) 行：单位编号「\(id)」不在单位名录中，或申报数「\(text)」不是整数，该行未采用；请更正种子表后重新运行",
              department: known ? id : nil, actual: text,
              sources: [SourceRef(file: seed.file, sha256: "", line: line, column: 0)]))
          continue
        }
        declared[id, default: []].append(DeclaredRowRef(seed: Int32(seedsRead.count - 1), row: Int32(i)))
        declaredForms[id, default: []].insert(form.id)
        declaredSource[id] = seedSource
      }
    }
    var out: [Submission] = []
    for id in Set(cells.keys).union(declared.keys).sorted() {
      let rows = (declared.removeValue(forKey: id) ?? []).map { seedsRead[Int($0.seed)].declaredRow(Int($0.row)) }
      let own = Self.figures(rows, department: id, findings: &findings)
      var counted = cells.removeValue(forKey: id) ?? [:]
      // A declared cell the registers never reached was counted as zero.
      for key in own.keys where counted[key] == nil {
        counted[key] = Figure(value: .integer(0), raw: "0", sources: [])
      }
      let main = (contributions[id] ?? []).max { a, b in
        (a.rows, b.source.path) < (b.rows, a.source.path)
      }
      guard let source = main?.source ?? declaredSource[id] else { continue }
      out.append(
        Submission(
          department: id, departmentName: registry.department(id)?.name ?? id, year: year, source: source,
          forms: (forms[id] ?? []).union(declaredForms[id] ?? []).sorted(), cells: own,
          registerCells: counted))
    }
    return out
  }
}

/// One usable row of a declared seed.
private struct DeclaredRow {
  var key: String
  var value: Int64
  var file: String
  var line: Int
}

/// A usable row of a declared seed, by number (`DeclaredSeed.declaredRow` reads it).
private struct DeclaredRowRef {
  var seed: Int32
  var row: Int32
}

/// A declared seed and the columns it is read by.
private struct DeclaredSeed {
  var form: String
  var file: String
  var table: SeedTable
  var department: Int
  var row: Int
  var column: Int
  var value: Int

  /// Cell `c` of row `i`, trimmed ("" past the row's end).
  func cell(_ i: Int, _ c: Int) -> String {
    let row = table.rows[i]
    return c < row.count ? row[c].trimmingWhitespace : ""
  }

  /// The file line of row `i`.
  func line(_ i: Int) -> Int { i < table.lines.count ? table.lines[i] : i + 2 }

  /// Row `i`, which the first pass found usable.
  func declaredRow(_ i: Int) -> DeclaredRow {
    DeclaredRow(
      key: CellKey(form: form, row: cell(i, row), column: cell(i, column)).description,
      value: Int64(cell(i, value)) ?? 0, file: file, line: line(i))
  }
}

extension AttributedSubmissions {
  /// A department's declared figures: rows of the same cell add up. No source: a seed is not
  /// an inbox file, and a finding's place is the register's line. A row whose sum would
  /// overflow is not used (a finding says so) rather than trapping.
  fileprivate static func figures(_ rows: [DeclaredRow], department: String, findings: inout [Finding])
    -> FigureTable
  {
    var sums: [String: Int64] = [:]
    for row in rows {
      let (sum, overflow) = (sums[row.key] ?? 0).addingReportingOverflow(row.value)
      guard !overflow else {
        findings.append(
          Finding(
            code: "NRM-020", severity: .warning, stage: NormalizeStage.name,
            message: "\(row.file) 第 \(row.line) 行：单位「\(department)」同一单元格的申报数相加超出整数范围，该行未采用；请更正种子表后重新运行",
            department: department, actual: String(row.value),
            sources: [SourceRef(file: row.file, sha256: "", line: row.line, column: 0)]))
        continue
      }
      sums[row.key] = sum
    }
    return FigureTable(sums.mapValues { Figure(value: .integer($0), raw: String($0), sources: []) })
  }
}
