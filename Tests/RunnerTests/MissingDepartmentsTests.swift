import AlmanacCore
import Foundation
import Testing

@testable import Runner

/// Whom the office still has to chase: the departments of open REC-SUB-001 findings, named as
/// the registry names them.
@Suite struct MissingDepartmentsTests {
  static func missing(_ id: String, accepted: Bool = false) -> Finding {
    var f = Finding(
      code: "REC-SUB-001", severity: .warning, stage: "reconcile", message: "\(id) 没有报送", department: id)
    if accepted {
      f.acceptance = FindingAcceptance(reason: "已撤销", by: "审计", on: "2026-01-20", line: 2)
    }
    return f
  }

  static let seeds = Seeds(tables: [
    "departments": SeedTable(
      name: "departments", header: ["id", "name", "level"],
      rows: [["bjt", "班吉塔镇", "乡镇"], ["at", "安屯乡", "乡镇"], ["old", "旧局", "部门"]], lines: [2, 3, 4])
  ])

  @Test func testOpenMissingSubmissions_namedAndSorted_acceptedOnesLeftOut() {
    let findings = [
      Self.missing("bjt"), Self.missing("old", accepted: true), Self.missing("at"), Self.missing("nameless"),
      Finding(code: "REC-SUB-003", severity: .info, stage: "reconcile", message: "缺表", department: "czj"),
    ]
    #expect(
      Runner.missingDepartments(findings, seeds: Self.seeds) == [
        DepartmentRef(id: "at", name: "安屯乡"), DepartmentRef(id: "bjt", name: "班吉塔镇"),
        DepartmentRef(id: "nameless", name: ""),
      ])
    #expect(DepartmentRef(id: "nameless", name: "").displayName == "nameless")
    #expect(Runner.missingDepartments([], seeds: Self.seeds).isEmpty)
  }

  @Test func testSummary_namesFiveAndPointsToStatus() {
    var report = RunReport(runID: "r", startedAt: Date(timeIntervalSince1970: 0), strict: false)
    report.missingDepartments = (1...7).map { DepartmentRef(id: "d\($0)", name: "单位\($0)") }
    let summary = RunSummary.render(report)
    #expect(
      summary.contains("未报送：7 个单位（单位1（d1）、单位2（d2）、单位3（d3）、单位4（d4）、单位5（d5） 等，全部名单见 almanac status）"),
      "\(summary)")
    report.missingDepartments = Array((report.missingDepartments ?? []).prefix(2))
    #expect(RunSummary.render(report).contains("未报送：2 个单位（单位1（d1）、单位2（d2））"))
    report.missingDepartments = []
    #expect(!RunSummary.render(report).contains("未报送"))
  }
}

/// A run that stopped before reconcile checked nobody: `status` says the list is unknown,
/// not that nobody is missing.
@Suite struct MissingDepartmentsStatusTests {
  static func status(missing: [DepartmentRef]?, failed: Bool) -> String {
    var report = RunReport(runID: "r", startedAt: Date(timeIntervalSince1970: 0), strict: false)
    report.missingDepartments = missing
    if failed { report.failure = RunFailure(kind: .stage, stage: "reconcile", message: "阶段 reconcile 失败") }
    let record = RunRecord(report)
    return StatusReport(
      pipeline: "p", year: 2025, runningPID: nil, stages: [], inboxFiles: 1, pending: [], heldBack: [],
      missing: record.missingDepartments, lastRun: record, otherRuns: []
    ).render()
  }

  @Test func testStatus_runStoppedBeforeReconcile_saysTheListIsUnknown() {
    let stopped = Self.status(missing: nil, failed: true)
    #expect(stopped.contains("未报送的单位：上次运行没有完成核对，名单未知"), "\(stopped)")
    #expect(!stopped.contains("未报送的单位：无"))
    #expect(Self.status(missing: [], failed: false).contains("未报送的单位：无"))
    let two = Self.status(
      missing: [DepartmentRef(id: "at", name: "安屯乡"), DepartmentRef(id: "x", name: "")], failed: false)
    #expect(two.contains("未报送的单位：2 个（上次运行时；请催报）\n  安屯乡（at）、x"), "\(two)")
  }
}
