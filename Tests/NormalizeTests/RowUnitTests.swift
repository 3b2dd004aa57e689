import AlmanacCore
import Foundation
import Testing

@testable import Normalize

/// The 2016 indicator list states each row's unit in its 计量单位 column. A row that declares a
/// unit (`unit: 万份` on 政务公开日发放宣传材料数) reads its figure in the unit written there:
/// a town that wrote `份` and 15000 sent 1.5 万份, not 15000 万份 (which was summed with the
/// other units' 万份 and published).
struct RowUnitTests {
  typealias F = Fixtures

  static let pipeline: PipelineDefinition? = try? PipelineDefinition.load(
    folder: F.repoRoot.appendingPathComponent("pipelines/linghai-2016"))

  func normalize(_ rows: [SheetRow]) throws -> (Submission?, [Finding]) {
    let pipeline = try #require(Self.pipeline)
    var tables: [String: SeedTable] = [:]
    for name in pipeline.seeds {
      let url = F.repoRoot.appendingPathComponent("seeds/\(name).csv")
      tables[name] = F.table(name, try String(contentsOf: url, encoding: .utf8))
    }
    let normalizer = SheetNormalizer(pipeline: pipeline, seeds: Seeds(tables: tables), year: 2016)
    let sheet = Sheet(
      source: F.source("inbox/财政局2016.csv"), claims: F.claims(metadata: "凌海市财政局", titleYear: 2016),
      tables: [SheetTable(form: "ind", headerLines: [3], rows: rows)])
    let out = normalizer.normalize(sheet)
    return (out.submission, out.findings)
  }

  /// A row of the list: label, then 计量单位 and 本年度 in the order given.
  func row(_ label: String, _ line: Int, unit: String, figure: CellValue, unitFirst: Bool = true) -> SheetRow {
    let unitCell = (["计量单位"], CellValue.text(unit))
    let figureCell = (["本年度"], figure)
    return F.row([label], line, unitFirst ? [unitCell, figureCell] : [figureCell, unitCell], firstColumn: 2)
  }

  @Test func testUnitColumn_otherScaleOfTheRowsUnit_isConverted() throws {
    for unitFirst in [true, false] {
      let (s, findings) = try normalize([
        row("政务公开日发放宣传材料数", 5, unit: "份", figure: .integer(15000), unitFirst: unitFirst),
        row("政务公开日参加活动单位数", 4, unit: "家", figure: .integer(30), unitFirst: unitFirst),
      ])
      let submission = try #require(s)
      #expect(submission.cells["ind.gkr_cl.bnd"]?.value == .decimal(Decimal(string: "1.5") ?? 0))
      #expect(submission.cells["ind.gkr_cl.bnd"]?.unit == "万份")
      #expect(submission.cells["ind.gkr_cl.bnd"]?.raw == "15000")
      // A row without a declared unit keeps its figure whatever its 计量单位 says.
      #expect(submission.cells["ind.gkr_dw.bnd"]?.value == .integer(30))
      let converted = findings.filter { $0.code == "NRM-024" }
      #expect(converted.count == 1, "\(findings.map(\.message))")
      #expect(
        converted.first?.message.contains("填写为「15000」，计量单位写作「份」，本栏以万份为单位，已换算为 1.5 万份 计入汇总") == true,
        "\(converted.map(\.message))")
      #expect(converted.first?.expected == "1.5")
    }
  }

  @Test func testUnitColumn_theRowsOwnUnit_orBlank_changesNothing() throws {
    let (s, findings) = try normalize([
      row("政务公开日发放宣传材料数", 5, unit: "万份", figure: .integer(2)),
      row("民心网办结率", 6, unit: "%", figure: .integer(100)),
      row("市长热线和市长信箱办结率", 7, unit: "", figure: .integer(98)),
    ])
    let submission = try #require(s)
    #expect(submission.cells["ind.gkr_cl.bnd"]?.value == .integer(2))
    #expect(submission.cells["ind.mxw_bjl.bnd"]?.value == .integer(100))
    #expect(submission.cells["ind.rx_bjl.bnd"]?.value == .integer(98))
    #expect(findings.filter { $0.code.hasPrefix("NRM-02") }.isEmpty, "\(findings.map(\.message))")
  }

  /// The row's own unit written with brackets or spaces, or 百分比 for %, is that unit.
  @Test func testUnitColumn_ownUnitWrittenOtherwise_isTheOwnUnit() throws {
    let (s, findings) = try normalize([
      row("政务公开日发放宣传材料数", 5, unit: "（万份）", figure: .integer(2)),
      row("政务公开日参加活动单位数", 4, unit: "家", figure: .integer(30)),
      row("民心网办结率", 6, unit: "百分比", figure: .integer(100)),
      row("市长热线和市长信箱办结率", 7, unit: "％", figure: .integer(98)),
    ])
    let submission = try #require(s)
    #expect(submission.cells["ind.gkr_cl.bnd"]?.value == .integer(2))
    #expect(findings.filter { $0.code.hasPrefix("NRM-02") }.isEmpty, "\(findings.map(\.message))")
    let spaced = try normalize([row("政务公开日发放宣传材料数", 5, unit: "万 份", figure: .integer(2))])
    #expect(spaced.1.filter { $0.code.hasPrefix("NRM-02") }.isEmpty, "\(spaced.1.map(\.message))")
  }

  /// A count row declares no unit; a multiplier in its 计量单位 (`千条`) still scales the figure.
  @Test func testUnitColumn_multiplierOnACountRow_isApplied() throws {
    let (s, findings) = try normalize([
      row("主动公开政府信息数", 8, unit: "千条", figure: .integer(12)),
      row("其中：政府门户网站公开数", 9, unit: "千克", figure: .integer(3)),
    ])
    let submission = try #require(s)
    #expect(submission.cells["ind.zdgk.bnd"]?.value == .integer(12000))
    #expect(findings.filter { $0.code == "NRM-024" }.map(\.cell) == ["ind.zdgk.bnd"])
    // A unit of measure on a count: the figure stays, a warning asks.
    #expect(submission.cells["ind.zdgk_wz.bnd"]?.value == .integer(3))
    let differs = findings.filter { $0.code == "NRM-026" }
    #expect(differs.first?.message.contains("计量单位写作「千克」，本行填写件数，两者无法换算") == true, "\(differs.map(\.message))")
  }

  /// A 计量单位 that is not a scale of the row's unit is a label beside the figure: the figure
  /// counts in the row's unit, and a warning asks to check it (it is not refused, as a unit
  /// glued to the figure would be).
  @Test func testUnitColumn_anotherKindOfUnit_warnsAndKeepsTheFigure() throws {
    let (s, findings) = try normalize([
      row("民心网办结率", 6, unit: "件", figure: .integer(100)),
      row("政务公开日发放宣传材料数", 5, unit: "元", figure: .integer(2)),
    ])
    let submission = try #require(s)
    #expect(submission.cells["ind.mxw_bjl.bnd"]?.value == .integer(100))
    #expect(submission.cells["ind.gkr_cl.bnd"]?.value == .integer(2))
    let differs = findings.filter { $0.code == "NRM-026" }
    #expect(differs.map(\.cell) == ["ind.mxw_bjl.bnd", "ind.gkr_cl.bnd"])
    #expect(differs.allSatisfy { $0.severity == .warning })
    #expect(differs.first?.message.contains("计量单位写作「件」，表式规定为「%」") == true)
    #expect(differs.first?.sources.first?.line == 6)
    #expect(differs.first?.sources.first?.column == 3)
  }
}
