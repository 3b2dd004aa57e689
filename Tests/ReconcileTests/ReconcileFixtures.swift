import AlmanacCore
import Foundation
import Logging
import Testing

@testable import Reconcile

/// In-memory departments, pipeline and context for the reconcile tests.
enum ReconcileFixtures {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let pipelineFolder = repoRoot.appendingPathComponent("pipelines/disclosure-2021")

  static func pipeline() throws -> PipelineDefinition {
    if let cached { return cached }
    return try PipelineDefinition.load(folder: pipelineFolder)
  }

  /// Loaded once: YAML parsing dominates a stage run on small fixtures.
  private static let cached: PipelineDefinition? = try? PipelineDefinition.load(folder: pipelineFolder)

  static let t3Columns = ["np", "sy", "ky", "gy", "fl", "qt", "zj"]
  static let t3Rows = [
    "r1", "r2", "r3_1", "r3_2", "r3_3_1", "r3_3_2", "r3_3_3", "r3_3_4", "r3_3_5", "r3_3_6", "r3_3_7", "r3_3_8",
    "r3_4_1", "r3_4_2", "r3_4_3", "r3_5_1", "r3_5_2", "r3_5_3", "r3_5_4", "r3_5_5", "r3_6_1", "r3_6_2", "r3_6_3",
    "r3_7", "r4",
  ]
  static let resultRows = Array(t3Rows[2..<23])
  static let t4Groups = ["fy", "ss_zj", "ss_fy"]
  static let t4Columns = ["wc", "jz", "qt", "wj", "zj"]
  static let t2Cells = [
    "guizhang.zhifa", "guizhang.feizhi", "guizhang.youxiao", "gfxwj.zhifa", "gfxwj.feizhi", "gfxwj.youxiao",
    "xzxk.jueding", "xzcf.jueding", "xzqz.jueding", "xzsyxsf.wanyuan",
  ]

  /// One department's three tables as plain numbers.
  struct Tables: Sendable {
    /// `row.col` → value (`xzsyxsf.wanyuan` is an amount).
    var t2: [String: Decimal] = [:]
    /// row → [np, sy, ky, gy, fl, qt, zj]; absent rows are all 0.
    var t3: [String: [Int64]] = [:]
    /// group → [wc, jz, qt, wj, zj].
    var t4: [String: [Int64]] = [:]

    /// Fills in the 总计 column, the （七）总计 row and the 表四 总计 so every identity holds.
    func completed() -> Tables {
      var t = self
      for row in ReconcileFixtures.t3Rows {
        var v = (t.t3[row] ?? []) + Array(repeating: 0, count: max(0, 7 - (t.t3[row]?.count ?? 0)))
        v = Array(v.prefix(7))
        t.t3[row] = v
      }
      var total = Array(repeating: Int64(0), count: 7)
      for row in ReconcileFixtures.resultRows {
        for c in 0..<6 { total[c] += t.t3[row]?[c] ?? 0 }
      }
      t.t3["r3_7"] = total
      for row in ReconcileFixtures.t3Rows {
        guard var v = t.t3[row] else { continue }
        v[6] = v[0..<6].reduce(0, +)
        t.t3[row] = v
      }
      for g in ReconcileFixtures.t4Groups {
        var v = (t.t4[g] ?? []) + Array(repeating: 0, count: max(0, 5 - (t.t4[g]?.count ?? 0)))
        v = Array(v.prefix(5))
        v[4] = v[0..<4].reduce(0, +)
        t.t4[g] = v
      }
      for k in ReconcileFixtures.t2Cells where t.t2[k] == nil { t.t2[k] = 0 }
      return t
    }
  }

  /// Where a cell sits in the fake file: 表三 rows from line 10, 表四 on line 40, 表二 from line 2.
  static func position(_ key: CellKey) -> (line: Int, column: Int) {
    switch key.form {
    case "t3":
      return (10 + (t3Rows.firstIndex(of: key.row) ?? 90), 4 + (t3Columns.firstIndex(of: key.column) ?? 10))
    case "t4":
      return (40, 1 + 5 * (t4Groups.firstIndex(of: key.row) ?? 9) + (t4Columns.firstIndex(of: key.column) ?? 9))
    default:
      return (2 + (t2Cells.firstIndex(of: "\(key.row).\(key.column)") ?? 30), 2)
    }
  }

  static func source(_ path: String) -> SourceFile {
    SourceFile(path: path, sha256: Digest.sha256Hex(path), size: 100)
  }

  static func figure(_ value: CellValue, key: CellKey, file: SourceFile) -> Figure {
    let (line, column) = position(key)
    let raw: String
    switch value {
    case .integer(let i): raw = String(i)
    case .decimal(let d): raw = DecimalFormat.plain(d)
    case .blank(let t): raw = t
    case .text(let t): raw = t
    }
    return Figure(value: value, raw: raw, sources: [file.ref(line: line, column: column)])
  }

  /// Cells of the tables keyed by `CellKey.description`.
  static func cells(_ t: Tables, file: SourceFile) -> [String: Figure] {
    var cells: [String: Figure] = [:]
    for (k, v) in t.t2 {
      let key = CellKey(form: "t2", row: String(k.split(separator: ".")[0]), column: String(k.split(separator: ".")[1]))
      let value: CellValue = key.row == "xzsyxsf" ? .decimal(v) : .integer(NSDecimalNumber(decimal: v).int64Value)
      cells[key.description] = figure(value, key: key, file: file)
    }
    for (row, vs) in t.t3 {
      for (i, v) in vs.enumerated() {
        let key = CellKey(form: "t3", row: row, column: t3Columns[i])
        cells[key.description] = figure(.integer(v), key: key, file: file)
      }
    }
    for (g, vs) in t.t4 {
      for (i, v) in vs.enumerated() {
        let key = CellKey(form: "t4", row: g, column: t4Columns[i])
        cells[key.description] = figure(.integer(v), key: key, file: file)
      }
    }
    return cells
  }

  static func submission(
    _ id: String, _ name: String, path: String? = nil, year: Int = 2022, filledOn: String? = nil, tables: Tables
  ) -> Submission {
    let file = source(path ?? "\(name).csv")
    let cells = cells(tables, file: file)
    let forms = Set(cells.keys.compactMap { CellKey($0)?.form }).sorted()
    return Submission(
      department: id, departmentName: name, year: year, source: file, forms: forms, cells: FigureTable(cells),
      filledOn: filledOn)
  }

  static func seeds(_ departments: [(id: String, name: String, level: String, from: String, to: String)]) -> Seeds {
    let table = SeedTable(
      name: "departments", header: ["id", "name", "level", "parent", "valid_from", "valid_to"],
      rows: departments.map { [$0.id, $0.name, $0.level, "", $0.from, $0.to] },
      lines: Array(2..<(2 + departments.count)))
    return Seeds(tables: ["departments": table])
  }

  static func context(
    pipeline: PipelineDefinition, seeds: Seeds = Seeds(tables: [:]), year: Int = 2022
  ) -> StageContext {
    StageContext(
      findings: FindingSink(overrides: pipeline.severities ?? [:]),
      workDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-tests"),
      logger: quietLogger, pipeline: pipeline, pipelineFolder: pipelineFolder, seeds: seeds, year: year)
  }

  static let quietLogger: Logger = {
    var l = Logger(label: "reconcile-tests")
    l.logLevel = .warning
    return l
  }()

  /// Runs the stage on in-memory submissions with the real pipeline.
  static func reconcile(
    _ submissions: [Submission], heldBack: [HeldBackFile] = [], previous: PreviousDataset? = nil,
    seeds: Seeds = Seeds(tables: [:]), year: Int = 2022, pipeline: PipelineDefinition? = nil
  ) async throws -> Reconciliation {
    let p = try pipeline ?? self.pipeline()
    let ctx = context(pipeline: p, seeds: seeds, year: year)
    return try await ReconcileStage().run(
      ReconcileInput(normalized: NormalizedSet(submissions: submissions, heldBack: heldBack), previous: previous),
      in: ctx)
  }
}
