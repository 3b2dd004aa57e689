import AlmanacCore
import Foundation
import Ingest
import Testing

/// The sheet reader on real files: bytes through `RecordReader`, then `SheetReader`.
@Suite struct SheetFixtureTests {
  static let applicants = "申请人情况"
  static let org = "法人或其他组织"

  @Test func testGB18030T3_titleMetadataFooterAndAllRows() throws {
    let sheet = try SheetTestSupport.readFixture("t3-gb18030.csv", display: "环保局-表三.csv")
    #expect(sheet.source.encoding == .gb18030)
    #expect(sheet.source.delimiter == ",")
    #expect(sheet.recordCount == 31)
    #expect(sheet.findings == [])
    #expect(sheet.claims.titleDepartment == "凌海市环境保护局")
    #expect(sheet.claims.metadataDepartment == "凌海市环境保护局")
    #expect(sheet.claims.fileNameDepartment == "环保局")
    #expect(sheet.claims.titleYear == 2025)
    #expect(sheet.claims.filledOn == "2026年1月10日")
    let t = try #require(sheet.tables.first)
    #expect(sheet.tables.count == 1)
    #expect(t.form == "t3")
    #expect(t.rows.count == 25)
    let row = try #require(t.row(["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"]))
    #expect(row.line == 12)
    let cell = try #require(row.cell([Self.applicants, Self.org, "社会公益组织"]))
    #expect(cell.value == .integer(0))
    #expect(cell.line == 12)
    #expect(cell.column == 7)
    let total = try #require(t.row(["三、本年度办理结果", "（七）总计"])?.cell([Self.applicants, "总计"]))
    #expect(total.value == .integer(3))
    #expect(total.line == 29)
    #expect(total.column == 10)
  }

  @Test func testReorderedColumnsWithSubtotal_readByLabel() throws {
    let sheet = try SheetTestSupport.readFixture("t3-reordered.csv", display: "03_凌海市财政局_2025年报统计.csv")
    #expect(sheet.source.encoding == .utf8BOM)
    #expect(sheet.claims.metadataDepartment == "凌海市财政局")
    #expect(sheet.claims.fileNameDepartment == "凌海市财政局")
    #expect(sheet.claims.fileNameYear == 2025)
    #expect(sheet.claims.filledOn == "2026-01-08")
    let t = try #require(sheet.tables.first)
    #expect(t.headerLines == [3, 4, 5])
    let r1 = try #require(t.row(["一、本年新收政府信息公开申请数量"]))
    #expect(
      r1.cells.map(\.columnPath) == [
        [Self.applicants, "总计"],
        [Self.applicants, "自然人"],
        [Self.applicants, Self.org, "科研机构"],
        [Self.applicants, Self.org, "商业企业"],
        [Self.applicants, Self.org, "社会公益组织"],
        [Self.applicants, Self.org, "法律服务机构"],
        [Self.applicants, Self.org, "其他"],
        [Self.applicants, Self.org, "法人或其他组织小计"],
      ])
    #expect(r1.cells.map(\.value) == [12, 6, 2, 1, 0, 0, 3, 6].map { CellValue.integer($0) })
    #expect(r1.cell([Self.applicants, Self.org, "商业企业"])?.column == 7)
    #expect(t.rows.count == 4)
    #expect(sheet.findings == [])
  }

  @Test func testValues_fullWidthSeparatorsUnitsBlanksNegatives() throws {
    let sheet = try SheetTestSupport.readFixture("t3-values.csv")
    #expect(sheet.source.encoding == .utf8)
    let t = try #require(sheet.tables.first)
    let r1 = try #require(t.row(["一、本年新收政府信息公开申请数量"]))
    #expect(r1.line == 4)
    let np = try #require(r1.cell([Self.applicants, "自然人"]))
    #expect(np.value == .integer(1234))
    #expect(np.raw == "１２３４")
    #expect(np.column == 4)
    #expect(r1.cell([Self.applicants, Self.org, "商业企业"])?.value == .integer(1234))
    #expect(r1.cell([Self.applicants, Self.org, "商业企业"])?.raw == "1,234")
    let ky = try #require(r1.cell([Self.applicants, Self.org, "科研机构"]))
    #expect(ky.value == .integer(60))
    #expect(ky.unit == "件")
    #expect(r1.cell([Self.applicants, Self.org, "社会公益组织"])?.value == .blank(token: "—"))
    #expect(r1.cell([Self.applicants, Self.org, "法律服务机构"])?.value == .blank(token: "/"))
    #expect(r1.cell([Self.applicants, Self.org, "其他"])?.value == .blank(token: "无"))
    #expect(r1.cell([Self.applicants, "总计"])?.value == .integer(2528))
    let secret = try #require(t.row(["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]))
    #expect(secret.cell([Self.applicants, "自然人"])?.value == .integer(-1))
    #expect(secret.cell([Self.applicants, Self.org, "商业企业"])?.value == .blank(token: ""))
    #expect(secret.cell([Self.applicants, Self.org, "科研机构"])?.value == .integer(0))
    let other = try #require(t.row(["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"]))
    #expect(other.cell([Self.applicants, "自然人"])?.unit == "件")
    #expect(other.line == 6)
  }

  @Test func testStackedGB18030_threeFormsWithCaptions() throws {
    let sheet = try SheetTestSupport.readFixture("stacked-t2-t3-t4.csv", display: "大业乡.csv")
    #expect(sheet.source.encoding == .gb18030)
    #expect(sheet.tables.map(\.form) == ["t2", "t3", "t4"])
    #expect(sheet.tables.map(\.caption) == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"])
    #expect(sheet.claims.metadataDepartment == "大业乡人民政府")
    #expect(sheet.claims.titleDepartment == "凌海市大业乡")
    #expect(sheet.claims.fileNameDepartment == "大业乡")
    #expect(sheet.findings == [])
    let t2 = sheet.tables[0]
    #expect(t2.headerLines == [5, 9, 12, 16])
    #expect(t2.row(["规章"])?.cells.map(\.value) == [.blank(token: "/"), .blank(token: "/"), .blank(token: "/")])
    #expect(t2.row(["行政许可"])?.cell(["本年处理决定数量"])?.value == .integer(1204))
    #expect(t2.row(["行政许可"])?.cell(["本年处理决定数量"])?.line == 10)
    let fee = try #require(t2.row(["行政事业性收费"])?.cell(["本年收费金额（单位：万元）"]))
    #expect(fee.value == .decimal(Decimal(string: "3.5")!))
    #expect(fee.unit == "万元")
    #expect(fee.line == 17)
    #expect(fee.column == 2)
    let t3 = sheet.tables[1]
    #expect(t3.headerLines == [19, 20, 21])
    #expect(
      t3.rows.map(\.labelPath) == [
        ["一、本年新收政府信息公开申请数量"], ["三、本年度办理结果", "（一）予以公开"], ["四、结转下年度继续办理"],
      ])
    let t4 = sheet.tables[2]
    #expect(t4.headerLines == [26, 27, 28])
    let data = try #require(t4.rows.first)
    #expect(t4.rows.count == 1)
    #expect(data.labelPath == [])
    #expect(data.cells.count == 15)
    #expect(data.cells[9].columnPath == ["行政诉讼", "未经复议直接起诉", "总计"])
    #expect(data.cells[9].value == .integer(2))
    #expect(data.cells[9].line == 29)
    #expect(data.cells[9].column == 10)
  }

  @Test func testRegisterFixture_groupsCountsAndLines() throws {
    let sheet = try SheetTestSupport.readFixture("register.csv")
    #expect(sheet.tables.isEmpty)
    let reg = try #require(sheet.registers.first)
    #expect(reg.headerLine == 2)
    #expect(reg.columns == [3, 5, 7])
    #expect(reg.dataRows == 5)
    #expect(
      reg.groups == [
        RegisterGroup(values: ["法人或其他组织-商业企业", "不予公开-属于国家秘密", "否"], count: 1, sampleLines: [5]),
        RegisterGroup(values: ["自然人", "予以公开", "否"], count: 3, sampleLines: [3, 4, 8]),
        RegisterGroup(values: ["自然人", "无法提供（本机关不掌握相关政府信息）", "是"], count: 1, sampleLines: [6]),
      ])
    #expect(sheet.findings.map(\.code) == ["ING-105"])
    #expect(sheet.findings.first?.sources.first?.line == 9)
    #expect(sheet.claims.titleDepartment == "凌海市环境保护局")
    #expect(sheet.claims.titleYear == 2025)
  }
}
