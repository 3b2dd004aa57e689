import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

@Suite struct LedgerTests {
  typealias F = ReconcileFixtures
  typealias W = WorkedExamples

  static var tablesA: F.Tables { W.departments2022[0].tables }
  static var tablesB: F.Tables { W.departments2022[1].tables }

  /// Nothing accepted (an empty inbox, or every file held back) is an error: the report would
  /// be blank tables, and must not look complete.
  @Test func testNothingAccepted_isAnError_sayingWhy() async throws {
    let empty = try await F.reconcile([])
    let none = empty.findings.filter { $0.code == "REC-SUB-005" }
    #expect(none.map(\.severity) == [.error])
    #expect(none.first?.message.contains("收件箱中没有可用的统计表") == true)
    let held = HeldBackFile(source: F.source("乱码.csv"), reason: .unknownDepartment, claimed: "某某局")
    let allHeld = try await F.reconcile([], heldBack: [held])
    #expect(allHeld.findings.first { $0.code == "REC-SUB-005" }?.message.contains("1 个文件均暂缓采用") == true)
    let some = try await F.reconcile([F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)])
    #expect(!some.findings.contains { $0.code == "REC-SUB-005" })
  }

  @Test func testResubmission_laterFilledOnSupersedes_evenWhenItsPathSortsFirst() async throws {
    var corrected = Self.tablesA
    corrected.t2["xzxk.jueding"] = 6001
    let old = F.submission("ptA", "管委会办公室", path: "z-管委会办公室.csv", filledOn: "2023年1月10日", tables: Self.tablesA)
    let new = F.submission("ptA", "管委会办公室", path: "a-管委会办公室-更正.csv", filledOn: "2023-01-20", tables: corrected)
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB)
    let r = try await F.reconcile([old, new, b])
    #expect(r.ledger.accepted.map(\.source.path) == ["a-管委会办公室-更正.csv", "b.csv"])
    #expect(r.ledger.superseded.map(\.source.path) == ["z-管委会办公室.csv"])
    #expect(r.ledger.region["t2.xzxk.jueding"] == .integer(10691))
    let f = r.findings.filter { $0.code == "REC-SUB-002" }
    #expect(f.count == 1)
    #expect(f.first?.sources == [old.source.ref(), new.source.ref()])
    #expect((f.first?.actual, f.first?.expected) == (old.source.sha256, new.source.sha256))
    let message = f.first?.message ?? ""
    for part in [old.source.path, new.source.path, old.source.sha256, new.source.sha256] {
      #expect(message.contains(part))
    }
    #expect(r.findings.map(\.code) == ["REC-SUB-002"])
  }

  @Test func testResubmission_withoutDates_pathSortingLastWins() async throws {
    let first = F.submission("ptA", "管委会办公室", path: "01_管委会办公室.csv", tables: Self.tablesA)
    let second = F.submission("ptA", "管委会办公室", path: "02_管委会办公室.csv", tables: Self.tablesA)
    let r = try await F.reconcile([second, first])
    #expect(r.ledger.accepted.map(\.source.path) == ["02_管委会办公室.csv"])
    #expect(r.ledger.superseded.map(\.source.path) == ["01_管委会办公室.csv"])
  }

  /// A copy of the same file (`表三 - 副本.csv`) is counted once and called a copy, not a
  /// resubmission of which the operator must remove the newer file.
  @Test func testResubmission_identicalCopyIsCalledACopy() async throws {
    var copy = F.submission("ptA", "管委会办公室", path: "管委会办公室 - 副本.csv", tables: Self.tablesA)
    let original = F.submission("ptA", "管委会办公室", path: "管委会办公室.csv", tables: Self.tablesA)
    copy.source.sha256 = original.source.sha256
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: Self.tablesB)
    let r = try await F.reconcile([copy, original, b])
    #expect(r.ledger.accepted.count == 2)
    #expect(
      r.ledger.region["t2.xzxk.jueding"] == (try await F.reconcile([original, b])).ledger.region["t2.xzxk.jueding"])
    let message = r.findings.first { $0.code == "REC-SUB-002" }?.message ?? ""
    #expect(message.contains("两份内容完全相同的文件"), "\(message)")
    #expect(!message.contains("重新报送"), "\(message)")
  }

  @Test func testResubmission_undatedSheetIsOlderThanDatedOne() {
    let dated = F.submission("ptA", "x", path: "a.csv", filledOn: "2023/1/5", tables: Self.tablesA)
    let undated = F.submission("ptA", "x", path: "b.csv", tables: Self.tablesA)
    #expect(SubmissionOrder.isOlder(undated, than: dated))
    #expect(SubmissionOrder.date("２０２３年１月５日") == 20230105)
    #expect(SubmissionOrder.date("44936") == 20230110)
    #expect(SubmissionOrder.date("一月") == nil)
  }

  @Test func testResubmission_correctedFormAloneReplacesOnlyThatForm() async throws {
    let full = F.submission("ptA", "管委会办公室", path: "a.csv", filledOn: "2023-01-10", tables: Self.tablesA)
    var t3Only = Self.tablesA
    t3Only.t3["r3_4_1"]?[0] += 1
    t3Only.t3["r1"]?[0] += 1
    t3Only = t3Only.completed()
    t3Only.t2 = [:]
    t3Only.t4 = [:]
    let fix = F.submission("ptA", "管委会办公室", path: "a-表三.csv", filledOn: "2023-01-15", tables: t3Only)
    let r = try await F.reconcile([full, fix])
    #expect(r.ledger.accepted.map(\.source.path) == ["a-表三.csv", "a.csv"])
    let kept = try #require(r.ledger.accepted.first { $0.source.path == "a.csv" })
    #expect(kept.forms == ["t2", "t4"])
    #expect(kept.cells.count == 25)
    #expect(r.ledger.superseded.map { "\($0.source.path) \($0.forms)" } == ["a.csv [\"t3\"]"])
    #expect(r.ledger.region["t3.r1.np"] == .integer(41))
    let f = r.findings.filter { $0.code == "REC-SUB-002" }
    #expect(f.map(\.form) == ["t3"])
    #expect(f.first?.message.contains("表三") == true)
  }

  @Test func testMissing_expectedDepartmentsByLevelAndValidity() async throws {
    let seeds = F.seeds([
      ("ptA", "管委会办公室", "部门", "", ""),
      ("ptB", "自然资源与规划局", "部门", "2020-01-01", ""),
      ("ptX", "潭城镇", "乡镇", "", ""),
      ("ptY", "旧商务局", "部门", "", "2021-06-30"),
      ("ptN", "新设局", "部门", "2023-03-01", ""),
      ("ptZ", "区政府", "政府", "", ""),
      ("ptM", "合并局", "部门", "", "2022-05-31"),
    ])
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let held = HeldBackFile(source: F.source("乱码.csv"), reason: .unknownDepartment, claimed: "某某局")
    let r = try await F.reconcile([a], heldBack: [held], seeds: seeds)
    #expect(
      r.ledger.missing == [
        DepartmentRef(id: "ptB", name: "自然资源与规划局"), DepartmentRef(id: "ptM", name: "合并局"),
        DepartmentRef(id: "ptX", name: "潭城镇"),
      ])
    let f = r.findings.filter { $0.code == "REC-SUB-001" }
    #expect(f.map(\.department) == ["ptB", "ptM", "ptX"])
    #expect(f.first?.message.contains("自然资源与规划局") == true)
    #expect(f.first?.severity == .warning)
    #expect(r.ledger.heldBack == [held])
    #expect(r.ledger.year == 2022)
  }

  @Test func testMissingForm_isNotedAndRegionUsesTheOthers() async throws {
    var noT4 = Self.tablesB
    noT4.t4 = [:]
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let b = F.submission("ptB", "自然资源与规划局", path: "b.csv", tables: noT4)
    let r = try await F.reconcile([a, b])
    let f = r.findings.filter { $0.code == "REC-SUB-003" }
    #expect(f.map { "\($0.department ?? "-") \($0.form ?? "-")" } == ["ptB t4"])
    #expect(r.ledger.region["t4.fy.zj"] == .integer(2))
  }

  @Test func testWrongYear_isHeldBackNotMixedIn() async throws {
    let a = F.submission("ptA", "管委会办公室", path: "a.csv", tables: Self.tablesA)
    let old = F.submission("ptB", "自然资源与规划局", path: "b-2021.csv", year: 2021, tables: Self.tablesB)
    let r = try await F.reconcile([a, old])
    #expect(r.ledger.accepted.map(\.department) == ["ptA"])
    #expect(r.ledger.heldBack.map(\.reason) == [.wrongYear])
    #expect(r.findings.map(\.code) == ["REC-SUB-004"])
    #expect(r.ledger.region["t3.r1.np"] == .integer(40))
  }

  @Test func testOutput_isDeterministicWhateverTheInputOrder() async throws {
    let subs = W.submissions(W.departments2023, year: 2023)
    let r1 = try await F.reconcile(subs, year: 2023)
    let r2 = try await F.reconcile(subs.reversed(), year: 2023)
    #expect(try AtomicFile.json(r1) == AtomicFile.json(r2))
    #expect(Set(r1.findings.map(\.id)).count == r1.findings.count)
  }
}
