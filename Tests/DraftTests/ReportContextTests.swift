import AlmanacCore
import Foundation
import PropertyBased
import Testing

@testable import Draft

@Suite struct ReportContextTests {
  static let posix = Locale(identifier: "en_US_POSIX")

  func context(_ region: [String: CellValue]) throws -> ReportContext {
    let ledger = Ledger(year: 2023, accepted: [], superseded: [], heldBack: [], missing: [], region: region)
    return ReportContext(
      reconciliation: Reconciliation(ledger: ledger, findings: []), texts: [], pipeline: try PingtanFixture.pipeline())
  }

  /// An error an auditor accepted no longer makes the report a draft; the notes list it apart,
  /// with the decision. An open one still does.
  @Test func testNotes_acceptedErrorsAreListedApartAndDoNotKeepTheDraft() throws {
    let ledger = Ledger(year: 2023, accepted: [], superseded: [], heldBack: [], missing: [], region: [:])
    var accepted = Finding(
      code: "REC-T3-S2", severity: .error, stage: "reconcile", message: "相差 3",
      sources: [SourceRef(file: "住建局.csv", sha256: "ab", line: 24, column: 4)])
    accepted.acceptance = FindingAcceptance(reason: "单位书面确认", by: "李四", on: "2026-01-20", line: 2)
    let open = Finding(code: "REC-T3-S1", severity: .error, stage: "reconcile", message: "相差 1")
    func build(_ findings: [Finding]) throws -> [String: Any] {
      ReportContext(
        reconciliation: Reconciliation(ledger: ledger, findings: findings), texts: [],
        pipeline: try PingtanFixture.pipeline()
      ).build()
    }
    let settled = try build([accepted])
    #expect(settled["isDraft"] as? Bool == false)
    let notes = try #require(settled["notes"] as? [String: Any])
    #expect(notes["hasOpenErrors"] as? Bool == false)
    #expect(notes["hasAccepted"] as? Bool == true)
    let item = try #require((notes["accepted"] as? [[String: Any]])?.first)
    #expect(item["reason"] as? String == "单位书面确认")
    #expect(item["by"] as? String == "李四")
    #expect(item["location"] as? String == "住建局.csv:24:4")
    let both = try build([accepted, open])
    #expect(both["isDraft"] as? Bool == true)
    #expect(both["errorCount"] as? String == "1")
    // A finding without a place has no `location` (an empty one would still open its section).
    let openItem = try #require(((both["notes"] as? [String: Any])?["openErrors"] as? [[String: Any]])?.first)
    #expect(openItem["location"] == nil)
    #expect(openItem["code"] as? String == "REC-T3-S1")
  }

  @Test func testFormat_plainNumbers() {
    #expect(ReportContext.format(.integer(10690)) == "10690")
    #expect(ReportContext.format(.decimal(Decimal(string: "9116.360", locale: Self.posix) ?? 0)) == "9116.36")
    #expect(ReportContext.format(.decimal(Decimal(string: "5949.088667", locale: Self.posix) ?? 0)) == "5949.088667")
    #expect(ReportContext.format(.blank(token: "/")) == "/")
    #expect(ReportContext.format(.blank(token: "")) == "—")
  }

  @Test func testFigures_nestedForAnyFormWithDashForAbsentCells() throws {
    let f = try context(["t3.r1.zj": .integer(74), "ind.zdgk.bnd": .integer(3460)]).figures()
    #expect(f["t3"]?["r1"]?["zj"] == "74")
    #expect(f["t3"]?["r1"]?["np"] == "—")
    #expect(f["ind"]?["zdgk"]?["bnd"] == "3460")
    #expect(f["t3"]?["r1"]?["xj"] == nil)  // extra columns are never published
  }

  @Test func testPercentages_halfUpOfTotal() throws {
    // 1 of 800 = 0.125% → 0.13 (half-up); 799 of 800 = 99.875% → 99.88.
    let c = try context([
      "t3.r3_7.zj": .integer(800), "t3.r3_1.zj": .integer(1), "t3.r3_4_1.zj": .integer(799), "t3.r3_2.zj": .integer(0),
    ])
    let pct = c.percentages()["t3"] ?? [:]
    #expect(pct["r3_1"] == "0.13")
    #expect(pct["gkbf"] == "0.13")
    #expect(pct["wftg"] == "99.88")
    #expect(pct["r3_7"] == "100.00")
    #expect(pct["bygk"] == nil)  // no figure at all: no share invented
  }

  @Test func testPercentages_absentWhenNothingHandled() throws {
    let c = try context(["t3.r3_7.zj": .integer(0), "t3.r3_1.zj": .integer(0)])
    #expect(c.percentages().isEmpty)
  }

  @Test func testSubtotals_groupsSumTheirRows() async throws {
    await propertyCheck(input: Gen.int(in: 0...500).array(of: 8)) { values in
      var region: [String: CellValue] = [:]
      for (i, v) in values.enumerated() { region["t3.r3_3_\(i + 1).np"] = .integer(Int64(v)) }
      let sums = try context(region).subtotals()
      #expect(sums["t3"]?["bygk"]?["np"] == String(values.reduce(0, +)))
      #expect(sums["t3"]?["bygk"]?["sy"] == "—")
    }
  }
}
