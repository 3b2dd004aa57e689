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
