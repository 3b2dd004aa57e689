import AlmanacCore
import AlmanacTestSupport
import Foundation
import Logging

/// A small hand-made reconciliation: two accepted departments (one with a `<script>` name and
/// formula-looking text), one superseded file, one missing department, one held-back file.
enum Fixture {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let pipelineFolder = repoRoot.appendingPathComponent("pipelines/disclosure-2021")

  static let evilName = "<script>alert(1)</script>"
  static let shaA = String(repeating: "a1", count: 32)
  static let shaOld = String(repeating: "0f", count: 32)
  static let shaB = String(repeating: "b2", count: 32)
  static let shaX = String(repeating: "c3", count: 32)

  static func pipeline() throws -> PipelineDefinition {
    var def = try PipelineDefinition.load(folder: pipelineFolder)
    def.rules = [
      RuleDefinition(
        code: "REC-T3-S1", severity: .error, scope: "both", title: "总计等于各类申请人之和",
        formula: "t3.{row}.zj = t3.{row}.np + sum(t3.{row}.*)", advice: "请核对该行各列数字与总计，修正后重新报送。")
    ]
    return def
  }

  static var seeds: Seeds {
    Seeds(tables: [
      "departments": SeedTable(
        name: "departments", header: ["id", "name", "level", "parent", "valid_from", "valid_to"],
        rows: [
          ["D01", "凌海市教育局", "部门", "", "", ""],
          ["D02", evilName, "乡镇", "", "", ""],
          ["D03", "凌海市财政局", "部门", "", "", ""],
        ],
        lines: [2, 3, 4])
    ])
  }

  static let t3Columns = ["np", "sy", "ky", "gy", "fl", "qt"]
  static let t3Rows = [
    "r1", "r2", "r3_1", "r3_2", "r3_3_1", "r3_3_2", "r3_3_3", "r3_3_4", "r3_3_5", "r3_3_6", "r3_3_7", "r3_3_8",
    "r3_4_1", "r3_4_2", "r3_4_3", "r3_5_1", "r3_5_2", "r3_5_3", "r3_5_4", "r3_5_5", "r3_6_1", "r3_6_2", "r3_6_3",
    "r3_7", "r4",
  ]
  /// The 21 result rows that （七）总计 adds up, written out independently of the form definition.
  static let resultRows = t3Rows.filter { $0.hasPrefix("r3_") && $0 != "r3_7" }

  /// Builds a department's 表三 from its non-zero breakdown figures; totals computed; rows in
  /// `blankRows` written as "/".
  static func t3Cells(
    _ data: [String: [Int64]], file: SourceFile, blankRows: Set<String> = []
  ) -> FigureTable {
    var values: [String: [Int64]] = [:]
    for r in t3Rows where r != "r3_7" { values[r] = data[r] ?? Array(repeating: 0, count: 6) }
    values["r3_7"] = (0..<6).map { c in resultRows.reduce(0) { $0 + (values[$1]?[c] ?? 0) } }
    var cells: FigureTable = [:]
    for (i, r) in t3Rows.enumerated() {
      let row = values[r] ?? []
      for (j, c) in (t3Columns + ["zj"]).enumerated() {
        let ref = file.ref(line: 12 + i, column: 4 + j)
        if blankRows.contains(r) {
          cells["t3.\(r).\(c)"] = Figure(value: .blank(token: "/"), raw: "/", sources: [ref])
          continue
        }
        let v = c == "zj" ? row.reduce(0, +) : row[j]
        cells["t3.\(r).\(c)"] = Figure(value: .integer(v), raw: String(v), sources: [ref])
      }
    }
    return cells
  }

  static func figure(_ v: CellValue, _ raw: String, _ file: SourceFile, _ line: Int, _ col: Int, unit: String? = nil)
    -> Figure
  {
    Figure(value: v, unit: unit, raw: raw, sources: [file.ref(line: line, column: col)])
  }

  static var fileA: SourceFile { SourceFile(path: "2021/教育局-v2.csv", sha256: shaA, size: 4096) }
  static var fileOld: SourceFile { SourceFile(path: "2021/教育局.csv", sha256: shaOld, size: 4000) }
  static var fileB: SourceFile { SourceFile(path: "2021/某镇.csv", sha256: shaB, size: 2048) }
  static var fileX: SourceFile { SourceFile(path: "2021/不明.csv", sha256: shaX, size: 99) }

  static var d01: Submission {
    let f = fileA
    var cells = t3Cells(
      [
        "r1": [5, 2, 0, 0, 0, 1], "r2": [2, 0, 0, 0, 0, 0], "r3_1": [4, 1, 0, 0, 0, 0],
        "r3_3_1": [0, 1, 0, 0, 0, 0], "r3_4_1": [1, 0, 0, 0, 0, 1], "r3_6_3": [1, 0, 0, 0, 0, 0],
        "r4": [1, 0, 0, 0, 0, 0],
      ], file: f)
    let t2: [(String, CellValue, String)] = [
      ("guizhang.zhifa", .integer(0), "0"), ("guizhang.feizhi", .integer(0), "0"),
      ("guizhang.youxiao", .integer(0), "0"),
      ("gfxwj.zhifa", .integer(3), "3"), ("gfxwj.feizhi", .integer(1), "1"), ("gfxwj.youxiao", .integer(12), "12"),
      ("xzxk.jueding", .integer(25), "25"), ("xzcf.jueding", .integer(10), "10"), ("xzqz.jueding", .integer(2), "2"),
    ]
    for (i, (k, v, raw)) in t2.enumerated() {
      cells["t2.\(k)"] = figure(v, raw, f, 4 + i / 3, 2 + i % 3)
    }
    cells["t2.xzsyxsf.wanyuan"] = figure(.decimal(Decimal(string: "1.25") ?? 0), "1.25万元", f, 8, 2, unit: "万元")
    let t4: [String: [Int64]] = ["fy": [1, 0, 0, 1, 2], "ss_zj": [0, 1, 0, 0, 1], "ss_fy": [0, 0, 0, 0, 0]]
    for (g, row) in t4 {
      for (j, c) in ["wc", "jz", "qt", "wj", "zj"].enumerated() {
        let offset = ["fy": 0, "ss_zj": 5, "ss_fy": 10][g] ?? 0
        cells["t4.\(g).\(c)"] = figure(.integer(row[j]), String(row[j]), f, 42, 1 + offset + j)
      }
    }
    let register: FigureTable = [
      "t3.r1.np": Figure(value: .integer(5), raw: "5", sources: (50...54).map { f.ref(line: $0, column: 4) }),
      "t3.r1.zj": Figure(value: .integer(8), raw: "8", sources: (50...57).map { f.ref(line: $0, column: 4) }),
    ]
    return Submission(
      department: "D01", departmentName: "凌海市教育局", year: 2021, source: f, forms: ["t2", "t3", "t4"], cells: cells,
      registerCells: register, filledOn: "2022-01-20")
  }

  static var d01Old: Submission {
    Submission(
      department: "D01", departmentName: "凌海市教育局", year: 2021, source: fileOld, forms: ["t3"],
      cells: t3Cells(["r1": [1, 0, 0, 0, 0, 0], "r3_1": [1, 0, 0, 0, 0, 0]], file: fileOld), filledOn: "2022-01-10")
  }

  static var d02: Submission {
    let f = fileB
    var cells = t3Cells(
      ["r1": [3, 0, 0, 0, 1, 0], "r3_1": [2, 0, 0, 0, 0, 0], "r3_5_2": [1, 0, 0, 0, 1, 0]], file: f, blankRows: ["r2"])
    cells["t2.guizhang.zhifa"] = figure(
      .text("=HYPERLINK(\"http://evil.example/x\",\"点击\")"), "=HYPERLINK(\"http://evil.example/x\",\"点击\")", f, 4, 2)
    cells["t2.guizhang.feizhi"] = figure(.integer(0), "0", f, 4, 3)
    cells["t2.guizhang.youxiao"] = figure(.integer(0), "0", f, 4, 4)
    cells["t2.gfxwj.zhifa"] = figure(.text("@SUM(A1:A9)"), "@SUM(A1:A9)", f, 5, 2)
    cells["t2.gfxwj.feizhi"] = figure(.integer(0), "0", f, 5, 3)
    cells["t2.gfxwj.youxiao"] = figure(.integer(4), "4", f, 5, 4)
    cells["t2.xzxk.jueding"] = figure(.integer(0), "0", f, 6, 2)
    cells["t2.xzcf.jueding"] = figure(.integer(-3), "-3", f, 7, 2)
    cells["t2.xzqz.jueding"] = figure(.blank(token: "-"), "-", f, 8, 2)
    cells["t2.xzsyxsf.wanyuan"] = figure(.decimal(Decimal(string: "0.5") ?? 0), "0.50", f, 9, 2)
    return Submission(
      department: "D02", departmentName: evilName, year: 2021, source: f, forms: ["t2", "t3"], cells: cells)
  }

  /// Region figures summed here by hand-written rules (independent of `FormCatalog.breakdown`).
  static func region(_ subs: [Submission]) -> [String: CellValue] {
    // A negative figure is an S-5 error and is not summed (D02's −3 行政处罚).
    func n(_ s: Submission, _ k: String) -> Decimal { max(s.cells[k]?.value.number ?? 0, 0) }
    func sum(_ keys: [String]) -> Decimal {
      subs.reduce(Decimal(0)) { acc, s in acc + keys.reduce(Decimal(0)) { $0 + n(s, $1) } }
    }
    func integer(_ d: Decimal) -> CellValue { .integer(Int64(truncating: NSDecimalNumber(decimal: d))) }
    var out: [String: CellValue] = [:]
    for r in t3Rows {
      let rows = r == "r3_7" ? resultRows : [r]
      for c in t3Columns { out["t3.\(r).\(c)"] = integer(sum(rows.map { "t3.\($0).\(c)" })) }
      out["t3.\(r).zj"] = integer(sum(rows.flatMap { row in t3Columns.map { "t3.\(row).\($0)" } }))
    }
    for k in [
      "guizhang.zhifa", "guizhang.feizhi", "guizhang.youxiao", "gfxwj.zhifa", "gfxwj.feizhi", "gfxwj.youxiao",
      "xzxk.jueding", "xzcf.jueding", "xzqz.jueding",
    ] {
      out["t2.\(k)"] = integer(sum(["t2.\(k)"]))
    }
    out["t2.xzsyxsf.wanyuan"] = .decimal(sum(["t2.xzsyxsf.wanyuan"]))
    for g in ["fy", "ss_zj", "ss_fy"] {
      for c in ["wc", "jz", "qt", "wj"] { out["t4.\(g).\(c)"] = integer(sum(["t4.\(g).\(c)"])) }
      out["t4.\(g).zj"] = integer(sum(["wc", "jz", "qt", "wj"].map { "t4.\(g).\($0)" }))
    }
    return out
  }

  static var findings: [Finding] {
    [
      Finding(
        code: "REC-T3-S1", severity: .error, stage: "reconcile",
        message: "表三第一行总计与各类申请人之和不一致<b>请核对</b>", department: "D02", form: "t3", cell: "t3.r1.zj",
        expected: "4", actual: "5", difference: "1", sources: [fileB.ref(line: 12, column: 10)]),
      Finding(
        code: "REC-T2-C9", severity: .warning, stage: "reconcile", message: "行政事业性收费金额小数位数过多",
        form: "t2", cell: "t2.xzsyxsf.wanyuan", expected: "≤2位小数", actual: "1.25"),
      Finding(
        code: "ING-003", severity: .error, stage: "ingest", message: "文件编码无法识别，已隔离。请另存为 UTF-8 后重新报送。",
        sources: [fileX.ref()]),
      Finding(
        code: "NRM-004", severity: .info, stage: "normalize", message: "同一单位报送了新版本，旧版本不再采用。",
        department: "D01", sources: [fileOld.ref()]),
    ].sorted()
  }

  static func reconciliation() -> Reconciliation {
    let accepted = [d01, d02]
    let ledger = Ledger(
      year: 2021, accepted: accepted, superseded: [d01Old],
      heldBack: [HeldBackFile(source: fileX, reason: .unreadable, claimed: "某某局")],
      missing: [DepartmentRef(id: "D03", name: "凌海市财政局")], region: region(accepted))
    return Reconciliation(ledger: ledger, findings: findings)
  }

  static func context(_ pipeline: PipelineDefinition, work: URL) -> StageContext {
    StageContext(
      findings: FindingSink(), workDirectory: work, logger: Logger(label: "test"), pipeline: pipeline,
      pipelineFolder: pipelineFolder, seeds: seeds, year: 2021)
  }

  static func temporaryDirectory() throws -> URL {
    try TemporaryFolder.removedAtExit("consolidate").url
  }
}
