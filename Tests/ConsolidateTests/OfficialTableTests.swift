import AlmanacCore
import Foundation
import Testing

@testable import Consolidate

@Suite struct OfficialTableTests {
  static func table(_ form: String) throws -> OfficialTable {
    let def = try Fixture.pipeline()
    let f = try #require(def.form(form))
    return OfficialTable.build(
      form: f, layout: OfficialLayout.of(form: form, style: def.style), values: Fixture.reconciliation().ledger.region)
  }

  @Test func testT3_hasOfficialLayout() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("tables/t3.csv")
    try #require(rows.count == 3 + 25)
    #expect(rows.allSatisfy { $0.count == 10 })
    #expect(rows[0] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""])
    #expect(rows[1] == ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"])
    #expect(rows[2] == ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""])
    #expect(rows[3] == ["一、本年新收政府信息公开申请数量", "", "", "8", "2", "0", "0", "1", "1", "12"])
    #expect(rows[5][0...2] == ["三、本年度办理结果", "（一）予以公开", ""])
    #expect(rows[6][0...2] == ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""])
    #expect(rows[7][0...2] == ["", "（三）不予公开", "1.属于国家秘密"])
    #expect(rows[8][0...2] == ["", "", "2.其他法律行政法规禁止公开"])
    #expect(rows[9][2] == "3.危及“三安全一稳定”")
    #expect(rows[15][1...2] == ["（四）无法提供", "1.本机关不掌握相关政府信息"])
    #expect(rows[26][0...2] == ["", "（七）总计", ""])
    #expect(rows[26][3...9] == ["9", "2", "0", "0", "1", "1", "13"])
    #expect(rows[27] == ["四、结转下年度继续办理", "", "", "1", "0", "0", "0", "0", "0", "1"])
    // D02 wrote "/" for 上年结转: the region sum is D01's alone.
    #expect(rows[4][3] == "2")
  }

  @Test func testT3_mergesFollowTheOfficialSpans() throws {
    let t = try Self.table("t3")
    guard case .cell(let corner) = t.rows[0][0], case .cell(let result) = t.rows[5][0],
      case .cell(let refuse) = t.rows[7][1], case .cell(let total) = t.rows[26][1],
      case .cell(let natural) = t.rows[1][3],
      case .cell(let org) = t.rows[1][4], case .cell(let applicant) = t.rows[0][3]
    else {
      Issue.record("expected cells at the merge anchors")
      return
    }
    #expect((corner.rowspan, corner.colspan) == (3, 3))
    #expect(result.text == "三、本年度办理结果" && result.rowspan == 22)
    #expect(refuse.rowspan == 8)
    #expect(total.colspan == 2)
    #expect(natural.rowspan == 2)
    #expect(org.colspan == 5)
    #expect(applicant.colspan == 7)
    #expect(t.rows[6][0] == .covered)
    #expect(t.headerRows == 3)
  }

  @Test func testT2_hasFourBlocks() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("tables/t2.csv")
    #expect(
      rows == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "3", "1", "16"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "25", "", ""],
        ["第二十条第（六）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政处罚", "10", "", ""],
        ["行政强制", "2", "", ""],
        ["第二十条第（八）项", "", "", ""],
        ["信息内容", "本年收费金额（单位：万元）", "", ""],
        ["行政事业性收费", "1.75", "", ""],
      ])
  }

  @Test func testT4_hasThreeHeaderRowsAndOneDataRow() async throws {
    let run = try await StagedRun.make()
    let rows = try run.records("tables/t4.csv")
    let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    try #require(rows.count == 4)
    #expect(rows[0] == ["行政复议", "", "", "", "", "行政诉讼"] + Array(repeating: "", count: 9))
    #expect(rows[1] == results + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""])
    #expect(rows[2] == Array(repeating: "", count: 5) + results + results)
    #expect(rows[3] == ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"])
  }

  @Test func testCSV_labelTextIsNeutralizedButNumbersStayNumbers() {
    let form = FormDefinition(
      id: "x", name: "X", kind: .grid, anchors: [],
      rows: [AxisDefinition(key: "a", label: "=1+1"), AxisDefinition(key: "b", label: "-负数")],
      columns: [AxisDefinition(key: "v", label: "@值")])
    let t = OfficialTable.build(
      form: form, layout: OfficialLayout(), values: ["x.a.v": .integer(-5), "x.b.v": .text("+1")])
    let text = String(decoding: t.csv, as: UTF8.self)
    #expect(text == "\u{FEFF},'@值\r\n'=1+1,-5\r\n'-负数,'+1\r\n")
  }
}
