import AlmanacCore
import Draft
import Foundation
import Logging

/// The 平潭综合实验区 2023 汇总 report (report-2021.md §5.3) as an in-memory reconciliation.
enum PingtanFixture {
  static let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let pipelineFolder = repoRoot.appendingPathComponent("pipelines/disclosure-2021")

  /// The national pipeline with the region renamed to 平潭.
  static func pipeline() throws -> PipelineDefinition {
    var p = try PipelineDefinition.load(folder: pipelineFolder)
    p.region.name = "平潭综合实验区"
    return p
  }

  /// Every T2/T3/T4 cell of the published 2023 tables.
  static var region: [String: CellValue] {
    var r: [String: CellValue] = [:]
    let t3Rows = [
      "r1", "r2", "r3_1", "r3_2", "r3_3_1", "r3_3_2", "r3_3_3", "r3_3_4", "r3_3_5", "r3_3_6", "r3_3_7", "r3_3_8",
      "r3_4_1", "r3_4_2", "r3_4_3", "r3_5_1", "r3_5_2", "r3_5_3", "r3_5_4", "r3_5_5", "r3_6_1", "r3_6_2", "r3_6_3",
      "r3_7", "r4",
    ]
    for row in t3Rows {
      for col in ["np", "sy", "ky", "gy", "fl", "qt", "zj"] { r["t3.\(row).\(col)"] = .integer(0) }
    }
    let t3: [String: (np: Int64, sy: Int64)] = [
      "r1": (80, 1), "r3_1": (22, 0), "r3_2": (19, 1), "r3_3_4": (1, 0), "r3_3_6": (1, 0), "r3_3_7": (1, 0),
      "r3_3_8": (2, 0), "r3_4_1": (31, 0), "r3_5_2": (1, 0), "r3_6_1": (1, 0), "r3_6_3": (1, 0), "r3_7": (80, 1),
    ]
    for (row, v) in t3 {
      r["t3.\(row).np"] = .integer(v.np)
      r["t3.\(row).sy"] = .integer(v.sy)
      r["t3.\(row).zj"] = .integer(v.np + v.sy)
    }
    let t4: [String: [Int64]] = ["fy": [1, 1, 0, 0, 2], "ss_zj": [4, 0, 0, 1, 5], "ss_fy": [1, 0, 1, 0, 2]]
    for (row, values) in t4 {
      for (col, v) in zip(["wc", "jz", "qt", "wj", "zj"], values) { r["t4.\(row).\(col)"] = .integer(v) }
    }
    for (key, v) in [
      "t2.guizhang.zhifa": 0, "t2.guizhang.feizhi": 0, "t2.guizhang.youxiao": 0, "t2.gfxwj.zhifa": 77,
      "t2.gfxwj.feizhi": 132, "t2.gfxwj.youxiao": 470, "t2.xzxk.jueding": 2629, "t2.xzcf.jueding": 1330,
      "t2.xzqz.jueding": 54,
    ] as [String: Int64] {
      r[key] = .integer(v)
    }
    r["t2.xzsyxsf.wanyuan"] = .decimal(Decimal(string: "5949.088667", locale: Locale(identifier: "en_US_POSIX")) ?? 0)
    return r
  }

  static func ledger(missing: [DepartmentRef] = [], heldBack: [HeldBackFile] = []) -> Ledger {
    Ledger(year: 2023, accepted: [], superseded: [], heldBack: heldBack, missing: missing, region: region)
  }

  static func errorFinding(department: String? = "d07") -> Finding {
    Finding(
      code: "REC-T3-S2", severity: .error, stage: "reconcile",
      message: "表三（七）总计与各办理结果之和不符：应为81，实为80，请核对后重新报送",
      department: department, form: "t3", cell: "t3.r3_7.zj", expected: "81", actual: "80", difference: "1",
      sources: [SourceRef(file: "环保局.csv", sha256: "ab12", line: 12, column: 9)])
  }

  static func warningFinding() -> Finding {
    Finding(
      code: "REC-T2-C2", severity: .warning, stage: "reconcile", message: "现行有效件数与上年不衔接，请说明原因",
      department: nil, form: "t2", cell: "t2.gfxwj.youxiao")
  }

  /// Output of one draft run: the two documents and the findings the stage emitted.
  struct Drafted {
    var markdown: String
    var html: String
    var staged: StagedFiles
    var findings: [Finding]
  }

  static func draft(
    _ reconciliation: Reconciliation, texts: [TextMaterial] = [], pipelineFolder: URL = pipelineFolder
  ) async throws -> Drafted {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("draft-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    let sink = FindingSink()
    let context = StageContext(
      findings: sink, workDirectory: work, logger: Logger(label: "draft-tests"), pipeline: try pipeline(),
      pipelineFolder: pipelineFolder, seeds: Seeds(tables: [:]), year: 2023)
    let staged = try await DraftStage().run(DraftInput(reconciliation: reconciliation, texts: texts), in: context)
    let md = try String(contentsOf: StagedFiles.stagedURL("report.md", in: work), encoding: .utf8)
    let html = try String(contentsOf: StagedFiles.stagedURL("report.html", in: work), encoding: .utf8)
    return Drafted(markdown: md, html: html, staged: staged, findings: sink.findings)
  }
}
