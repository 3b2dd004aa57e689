import AlmanacCore
import Foundation
import PropertyBased
import Testing

@testable import Reconcile

/// Random departments whose identities hold by construction.
@Suite struct ReconcilePropertyTests {
  typealias F = ReconcileFixtures

  static let strictCodes: Set<String> = ["REC-T3-S1", "REC-T3-S2", "REC-T3-S3", "REC-T4-S4"]
  /// 21 result rows × 6 columns, r4 × 6, r2 (capped) × 6, 表四 3 × 4, 表二 3.
  static let valuesPerDepartment = 21 * 6 + 6 + 6 + 12 + 3

  /// Builds a valid department from random small numbers: breakdowns first, totals computed.
  static func tables(_ v: [Int]) -> F.Tables {
    var t = F.Tables()
    var i = 0
    func next() -> Int64 {
      defer { i += 1 }
      return Int64(v[i])
    }
    var r37 = Array(repeating: Int64(0), count: 6)
    for row in F.resultRows {
      let vs = (0..<6).map { _ in next() }
      for c in 0..<6 { r37[c] += vs[c] }
      t.t3[row] = vs
    }
    let r4 = (0..<6).map { _ in next() }
    let r2 = (0..<6).map { c in min(next(), r37[c] + r4[c]) }
    t.t3["r4"] = r4
    t.t3["r2"] = r2
    t.t3["r1"] = (0..<6).map { c in r37[c] + r4[c] - r2[c] }
    for g in F.t4Groups { t.t4[g] = (0..<4).map { _ in next() } }
    let issued = Decimal(next())
    let repealed = Decimal(next())
    t.t2["gfxwj.zhifa"] = issued
    t.t2["gfxwj.feizhi"] = repealed
    t.t2["gfxwj.youxiao"] = issued + Decimal(next())
    return t.completed()
  }

  static let departments = Gen.int(in: 0...9).array(of: valuesPerDepartment).array(of: 1...3)

  static func submissions(_ deps: [[Int]]) -> [Submission] {
    deps.enumerated().map { i, v in F.submission("d\(i)", "单位\(i)", path: "d\(i).csv", tables: tables(v)) }
  }

  /// Every published cell of 表三 and 表四.
  static let cells: [CellKey] =
    F.t3Rows.flatMap { r in F.t3Columns.map { CellKey(form: "t3", row: r, column: $0) } }
    + F.t4Groups.flatMap { g in F.t4Columns.map { CellKey(form: "t4", row: g, column: $0) } }

  @Test func testValidDepartments_regionIsCellwiseSum_andNoStrictRuleFires() async {
    await propertyCheck(count: 30, input: Self.departments) { deps in
      let subs = Self.submissions(deps)
      let r = try await F.reconcile(subs)
      #expect(r.findings.filter { Self.strictCodes.contains($0.code) || $0.severity == .error } == [])
      for key in Self.cells + F.t2Cells.compactMap({ CellKey("t2.\($0)") }) {
        let sum = subs.reduce(Decimal(0)) { $0 + ($1.cells[key.description]?.value.number ?? 0) }
        #expect(r.ledger.region[key.description]?.number == sum, "\(key)")
      }
      #expect(r.ledger.region.count == 200)
    }
  }

  /// Valid departments from `deps`, then department `which` (modulo their count) with cell
  /// number `cell` of `cells` changed by `delta`.
  static func changingOneCell(_ deps: [[Int]], which: Int, cell: Int, by delta: Int) -> (
    submissions: [Submission], department: Int, key: CellKey
  ) {
    var subs = submissions(deps)
    let d = which % subs.count
    let key = cells[cell]
    let old = subs[d].cells[key.description]?.value.number ?? 0
    let changed = NSDecimalNumber(decimal: old).int64Value + Int64(delta)
    subs[d].cells[key.description] = F.figure(.integer(changed), key: key, file: subs[d].source)
    return (subs, d, key)
  }

  @Test func testChangingOneCell_firesAStrictRuleNamingItOrItsTotal() async {
    await propertyCheck(
      count: 50, input: Self.departments, Gen.int(in: 0...2), Gen.int(in: 0...(Self.cells.count - 1)),
      Gen.int(in: 1...5)
    ) { deps, which, cellIndex, delta in
      let (subs, d, key) = Self.changingOneCell(deps, which: which, cell: cellIndex, by: delta)
      let r = try await F.reconcile(subs)
      let allowed: Set<String> =
        key.form == "t3"
        ? [key.description, "t3.\(key.row).zj", "t3.r3_7.\(key.column)"]
        : [key.description, "t4.\(key.row).zj"]
      let fired = r.findings.filter { Self.strictCodes.contains($0.code) && $0.department == "d\(d)" }
      #expect(!fired.isEmpty, "\(key) +\(delta) in d\(d)")
      #expect(
        fired.contains { allowed.contains($0.cell ?? "") }, "\(key): \(fired.map { "\($0.code) \($0.cell ?? "")" })")
      // A strict finding names both values: what the department wrote and what the breakdown says.
      #expect(fired.allSatisfy { $0.expected != nil && $0.actual != nil && $0.expected != $0.actual })
    }
  }

  @Test func testRegionDifference_isTheSumOfTheDepartmentsItNames() async {
    await propertyCheck(
      count: 50, input: Self.departments, Gen.int(in: 0...2), Gen.int(in: 0...(Self.cells.count - 1)),
      Gen.int(in: -5...5)
    ) { deps, which, cellIndex, delta in
      let (subs, d, _) = Self.changingOneCell(deps, which: which, cell: cellIndex, by: delta)
      let r = try await F.reconcile(subs)
      for f in r.findings where f.department == nil && Self.strictCodes.contains(f.code) {
        // `差额来自…：单位0（相差 -2）、…。`: only the changed department, and all of the difference.
        let named = try #require(f.message.firstRange(of: "差额来自")).upperBound
        let list = f.message[named...].prefix { $0 != "。" }
        let parts = list.split(separator: "、")
        #expect(parts.count == 1 && parts.allSatisfy { $0.contains("单位\(d)（") }, "\(f.message)")
        let differences = parts.compactMap { part in
          part.split(separator: "相差 ").last.flatMap { Decimal(string: String($0.dropLast())) }
        }
        #expect(differences.count == parts.count)
        #expect(DecimalFormat.plain(differences.reduce(0, +)) == f.difference, "\(f.message)")
        #expect(f.sources.first?.file == subs[d].source.path)
      }
    }
  }
}
