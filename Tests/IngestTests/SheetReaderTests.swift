import AlmanacCore
import Foundation
import PropertyBased
import Testing

@testable import Ingest

@Suite struct SheetReaderTests {
  static let applicants = "申请人情况"
  static let org = "法人或其他组织"

  @Test func testT3Example_readsEveryRowByLabelPath() throws {
    let sheet = try SheetTestSupport.sheet(SheetTestSupport.t3Text, path: "环保局-表三.csv")
    #expect(sheet.tables.count == 1)
    #expect(sheet.findings.isEmpty)
    #expect(sheet.recordCount == 31)
    let t = try #require(sheet.tables.first)
    #expect(t.form == "t3")
    #expect(t.headerLines == [3, 4, 5])
    #expect(t.caption == nil)
    #expect(t.rows.count == 25)
    #expect(t.rows.first?.labelPath == ["一、本年新收政府信息公开申请数量"])
    #expect(t.rows.last?.labelPath == ["四、结转下年度继续办理"])
    #expect(t.rows.map(\.line) == Array(6...30))

    let secret = try #require(t.row(["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]))
    #expect(secret.line == 10)
    let other = try #require(t.row(["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"]))
    #expect(other.line == 11)
    let noInfo = try #require(t.row(["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"]))
    #expect(noInfo.cell([Self.applicants, "自然人"])?.value == .integer(1))
    #expect(t.row(["三、本年度办理结果", "（六）其他处理", "3.其他"]) != nil)
    #expect(t.row(["三、本年度办理结果", "（七）总计"]) != nil)
    #expect(t.row(["三、本年度办理结果", "（一）予以公开"])?.line == 8)

    let first = try #require(t.rows.first)
    #expect(
      first.cells.map(\.columnPath) == [
        [Self.applicants, "自然人"],
        [Self.applicants, Self.org, "商业企业"],
        [Self.applicants, Self.org, "科研机构"],
        [Self.applicants, Self.org, "社会公益组织"],
        [Self.applicants, Self.org, "法律服务机构"],
        [Self.applicants, Self.org, "其他"],
        [Self.applicants, "总计"],
      ])
    let total = try #require(first.cell([Self.applicants, "总计"]))
    #expect(total.value == .integer(3))
    #expect(total.raw == "3")
    #expect(total.line == 6)
    #expect(total.column == 10)
    #expect(first.cell([Self.applicants, "自然人"])?.column == 4)
  }

  @Test func testT3Example_claimsFromTitleMetadataAndFileName() throws {
    let sheet = try SheetTestSupport.sheet(SheetTestSupport.t3Text, path: "inbox/环保局-表三.csv")
    let c = sheet.claims
    #expect(c.title == "凌海市环境保护局2025年度政府信息公开工作年度报告统计表")
    #expect(c.titleLine == 1)
    #expect(c.titleDepartment == "凌海市环境保护局")
    #expect(c.titleYear == 2025)
    #expect(c.metadataDepartment == "凌海市环境保护局")
    #expect(c.metadataLine == 2)
    #expect(c.filledOn == "2026年1月10日")
    #expect(c.fileNameDepartment == "环保局")
    #expect(c.fileNameYear == nil)
  }

  @Test func testT3_reorderedColumnsAndSubtotalReadByLabel() throws {
    let text = """
      表三 收到和处理政府信息公开申请情况,,,,,,,,,,
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,,
      ,,,总计,法人或其他组织,,,,,,自然人
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,小计,
      一、本年新收政府信息公开申请数量,,,12,1,2,0,0,3,6,6
      三、本年度办理结果,（一）予以公开,,5,1,0,0,0,0,1,4
      """
    let sheet = try SheetTestSupport.sheet(text)
    let t = try #require(sheet.tables.first)
    #expect(t.form == "t3")
    #expect(t.caption == "表三 收到和处理政府信息公开申请情况")
    let r1 = try #require(t.row(["一、本年新收政府信息公开申请数量"]))
    #expect(r1.cell([Self.applicants, "总计"])?.value == .integer(12))
    #expect(r1.cell([Self.applicants, "总计"])?.column == 4)
    #expect(r1.cell([Self.applicants, Self.org, "小计"])?.value == .integer(6))
    #expect(r1.cell([Self.applicants, Self.org, "小计"])?.column == 10)
    #expect(r1.cell([Self.applicants, Self.org, "其他"])?.value == .integer(3))
    #expect(r1.cell([Self.applicants, "自然人"])?.value == .integer(6))
    #expect(r1.cell([Self.applicants, "自然人"])?.column == 11)
    #expect(r1.cells.count == 8)
    #expect(t.row(["三、本年度办理结果", "（一）予以公开"])?.cell([Self.applicants, "自然人"])?.value == .integer(4))
  }

  /// `1,234,567` unquoted is three fields, all joined back; `0,100` is a 0 and a stray value.
  @Test func testThousandsSplit_joinsEveryGroup_notALeadingZero() throws {
    let text = """
      第二十条第（五）项,,,,
      信息内容,本年处理决定数量,,,
      行政许可,1,234,567,
      第二十条第（六）项,,,,
      信息内容,本年处理决定数量,,,
      行政处罚,0,100,,
      """
    let sheet = try SheetTestSupport.sheet(text)
    let t2 = try #require(sheet.tables.first)
    #expect(t2.row(["行政许可"])?.cell(["本年处理决定数量"])?.value == .text("1,234,567"))
    #expect(t2.row(["行政处罚"])?.cell(["本年处理决定数量"])?.value == .integer(0))
    #expect(sheet.findings.map(\.code) == ["ING-101"])
    #expect(sheet.findings.first?.sources.first?.line == 6)
  }

  @Test func testStackedT2T3T4_oneSheetThreeTables() throws {
    let text = """
      凌海市大业乡2025年度政府信息公开工作年度报告统计表,,,,,,,,,,,,,,
      二、主动公开政府信息情况,,,,,,,,,,,,,,
      第二十条第（一）项,,,,,,,,,,,,,,
      信息内容,本年制发件数,本年废止件数,现行有效件数,,,,,,,,,,,
      规章,0,0,0,,,,,,,,,,,
      行政规范性文件,2,1,15,,,,,,,,,,,
      第二十条第（五）项,,,,,,,,,,,,,,
      信息内容,本年处理决定数量,,,,,,,,,,,,,
      行政许可,５６,,,,,,,,,,,,,
      第二十条第（六）项,,,,,,,,,,,,,,
      信息内容,本年处理决定数量,,,,,,,,,,,,,
      行政处罚,1,234,,,,,,,,,,,,,
      行政强制,/,12,,,,,,,,,,,,
      第二十条第（八）项,,,,,,,,,,,,,,
      信息内容,本年收费金额（单位：万元）,,,,,,,,,,,,,
      行政事业性收费,3.500001,,,,,,,,,,,,,
      三、收到和处理政府信息公开申请情况,,,,,,,,,,,,,,
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计,,,,,
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,,,,,,
      一、本年新收政府信息公开申请数量,,,2,0,0,0,0,0,2,,,,,
      三、本年度办理结果,（三）不予公开,1.属于国家秘密,—,无,/,0,0,0,0,,,,,
      ,,2.其他法律行政法规禁止公开,1,0,0,0,0,0,1,,,,,
      四、结转下年度继续办理,,,,,,,,,,,,,,
      四、政府信息公开行政复议、行政诉讼情况,,,,,,,,,,,,,,
      行政复议,,,,,行政诉讼,,,,,,,,,
      结果维持,结果纠正,其他结果,尚未审结,总计,未经复议直接起诉,,,,,复议后起诉,,,,
      ,,,,,结果维持,结果纠正,其他结果,尚未审结,总计,结果维持,结果纠正,其他结果,尚未审结,总计
      1,0,0,0,1,0,0,0,2,2,0,1,0,0,1
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.tables.map(\.form) == ["t2", "t3", "t4"])
    #expect(sheet.tables.map(\.caption) == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"])

    let t2 = sheet.tables[0]
    #expect(t2.headerLines == [4, 8, 11, 15])
    #expect(t2.rows.map(\.labelPath) == [["规章"], ["行政规范性文件"], ["行政许可"], ["行政处罚"], ["行政强制"], ["行政事业性收费"]])
    let gfx = try #require(t2.row(["行政规范性文件"]))
    #expect(gfx.cell(["现行有效件数"])?.value == .integer(15))
    #expect(gfx.cell(["现行有效件数"])?.column == 4)
    let permit = try #require(t2.row(["行政许可"]))
    #expect(permit.cells.map(\.columnPath) == [["本年处理决定数量"]])
    #expect(permit.cell(["本年处理决定数量"])?.value == .integer(56))
    #expect(permit.cell(["本年处理决定数量"])?.raw == "５６")
    // `1,234` exported without quotes: its thousands stand in a column without a header. It
    // was read as 1 (and 234 reported alone); the cell now keeps `1,234` as text for S-5.
    let split = try #require(t2.row(["行政处罚"])?.cell(["本年处理决定数量"]))
    #expect(GridTableBuilder.continuesThousands("1,234", "567"))
    #expect(!GridTableBuilder.continuesThousands("0", "100"))
    #expect(split.value == .text("1,234") && split.raw == "1,234" && split.column == 2)
    // A value past the header that continues no figure is reported where it stands.
    #expect(sheet.findings.map(\.code) == ["ING-101"])
    #expect(sheet.findings.first?.sources.first?.line == 13)
    #expect(sheet.findings.first?.sources.first?.column == 3)
    #expect(t2.row(["行政强制"])?.cell(["本年处理决定数量"])?.value == .blank(token: "/"))
    let fee = try #require(t2.row(["行政事业性收费"])?.cell(["本年收费金额（单位：万元）"]))
    #expect(fee.value == .decimal(Decimal(string: "3.500001")!))
    #expect(fee.line == 16)

    let t3 = sheet.tables[1]
    #expect(t3.headerLines == [18, 19, 20])
    #expect(t3.rows.count == 4)
    let secret = try #require(t3.row(["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]))
    #expect(secret.cell([Self.applicants, "自然人"])?.value == .blank(token: "—"))
    #expect(secret.cell([Self.applicants, Self.org, "商业企业"])?.value == .blank(token: "无"))
    #expect(secret.cell([Self.applicants, Self.org, "科研机构"])?.value == .blank(token: "/"))
    // An empty row is still a row: its cells are blank, for normalize to report.
    let carried = try #require(t3.row(["四、结转下年度继续办理"]))
    #expect(carried.line == 24)
    #expect(carried.cells.count == 7)
    #expect(carried.cells.allSatisfy { $0.value == .blank(token: "") })

    let t4 = sheet.tables[2]
    #expect(t4.headerLines == [26, 27, 28])
    #expect(t4.rows.count == 1)
    let data = try #require(t4.rows.first)
    #expect(data.labelPath == [])
    #expect(data.line == 29)
    #expect(data.cells.count == 15)
    #expect(data.cells[0].columnPath == ["行政复议", "结果维持"])
    #expect(data.cells[4].columnPath == ["行政复议", "总计"])
    #expect(data.cells[8].columnPath == ["行政诉讼", "未经复议直接起诉", "尚未审结"])
    #expect(data.cells[8].value == .integer(2))
    #expect(data.cells[14].columnPath == ["行政诉讼", "复议后起诉", "总计"])
    #expect(data.cells[14].column == 15)
    #expect(sheet.claims.titleDepartment == "凌海市大业乡")
  }

  @Test func testRegister_aggregatesGroupsWithoutKeepingRows() throws {
    let text = """
      凌海市环境保护局2025年依申请公开登记台账,,,,,,
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
      2,A-02,自然人,2025/3/5,予以公开,2025/3/9,否
      3,A-03,商业企业,2025年3月6日,不予公开-属于国家秘密,2025-03-20,否
      ４,A-04,自然人 ,45720,予以公开,45730,否
      合计,,,,,,
      5,A-05,商业企业,2025.3.4,不予公开-属于国家秘密,,是
      填表人：李明,,,,,,
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.tables.isEmpty)
    let reg = try #require(sheet.registers.first)
    #expect(reg.form == "register")
    #expect(reg.headerLine == 2)
    #expect(reg.groupBy == ["applicant_type", "result", "carried"])
    #expect(reg.columns == [3, 5, 7])
    #expect(reg.dataRows == 5)
    #expect(
      reg.groups.map(\.values) == [
        ["商业企业", "不予公开-属于国家秘密", "否"],
        ["商业企业", "不予公开-属于国家秘密", "是"],
        ["自然人", "予以公开", "否"],
      ])
    #expect(reg.groups.map(\.count) == [1, 1, 3])
    #expect(reg.groups[2].sampleLines == [3, 4, 6])
    #expect(sheet.findings.map(\.code) == ["ING-105"])
    #expect(sheet.findings.first?.sources.first?.line == 7)
    #expect(sheet.claims.titleDepartment == "凌海市环境保护局")
  }

  /// 序号 written as numbered items (`1.`, `2、`, `（3）`, `No.4`, `第5条`) are applications: a
  /// register numbered `1.` from its first row was read as a header with no data rows (0
  /// applications, exit 0). A row whose 序号 is blank or `五` in the middle is skipped with
  /// ING-105, and the rows after it are still counted (it was taken for another table's
  /// header, and every later row was lost).
  @Test func testRegister_numberedItemsAreRows_aBadRowLosesOnlyItself() throws {
    let text = """
      凌海市环境保护局2025年依申请公开登记台账,,,,,,
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1.,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
      2、,A-02,自然人,2025-03-05,予以公开,2025-03-09,否
      （3）,A-03,自然人,2025-03-06,予以公开,2025-03-20,否
      ,A-04,自然人,2025-03-06,予以公开,2025-03-20,否
      五,A-05,自然人,2025-03-06,予以公开,2025-03-20,否
      No.6,A-06,自然人,2025-03-06,予以公开,2025-03-20,否
      第7条,A-07,自然人,2025-03-06,予以公开,2025-03-20,否
      1.0,A-08,自然人,2025-03-06,予以公开,2025-03-20,否
      """
    let sheet = try SheetTestSupport.sheet(text)
    let reg = try #require(sheet.registers.first)
    #expect(reg.headerLine == 2)
    #expect(reg.dataRows == 5)
    #expect(reg.groups.map(\.count) == [5])
    #expect(sheet.findings.map(\.code) == ["ING-105"])
    #expect(sheet.findings.first?.message.contains("有3行") == true, "\(sheet.findings.map(\.message))")
    #expect(RegisterAggregator.numberOfItem("No.12") == "12" && RegisterAggregator.numberOfItem("A-1") == "A-1")
  }

  /// 表二's fee group retyped with its unit in 元 (`收费金额（单位：元）`) is a header of the fee
  /// column: the fee row belongs to it, not to the 本年处理决定数量 header above.
  @Test func testT2_feeHeaderStatingItsUnit_isAHeader() throws {
    let text = """
      信息内容,本年处理决定数量
      行政许可,312
      信息内容,收费金额（单位：元）
      行政事业性收费,126000
      """
    let sheet = try SheetTestSupport.sheet(text)
    let cells = sheet.tables.flatMap(\.rows).flatMap(\.cells)
    let fee = try #require(cells.first { $0.value == .integer(126000) })
    #expect(fee.columnPath.last == "收费金额（单位：元）")
    #expect(cells.first { $0.value == .integer(312) }?.columnPath.last == "本年处理决定数量")
  }

  /// A grid's header row with local spellings no alias knows (3 of 5 labels unknown) stays a
  /// header row: only a register's header asks that most cells be labels. It ended the header,
  /// and the department's whole 表三 was misread.
  @Test func testGridHeader_withUnknownSubLabels_staysAHeader() throws {
    let text = """
      ,申请人情况,,,,,,
      ,自然人,法人或其他组织,,,,,总计
      ,,商业企业,科研机构,社会团体,律所,其他组织,
      一、本年新收政府信息公开申请数量,1,2,3,4,5,6,21
      """
    let sheet = try SheetTestSupport.sheet(text)
    let table = try #require(sheet.tables.first)
    #expect(table.headerLines == [1, 2, 3])
    let cells = table.rows.flatMap(\.cells)
    #expect(cells.first?.columnPath == ["申请人情况", "自然人"])
    #expect(cells.first { $0.value == .integer(3) }?.columnPath == ["申请人情况", "法人或其他组织", "科研机构"])
  }

  /// A 表四 laid out with its groups as rows: the first row, `行政复议,—,—,…`, holds values
  /// (`—`), so it is not taken into the header, though 行政复议 is a header label of 表四.
  @Test func testGridHeader_rowOfDashesIsData() throws {
    let text = """
      表四 政府信息公开行政复议、行政诉讼情况,,,,,
      ,结果维持,结果纠正,其他结果,尚未审结,总计
      行政复议,—,—,—,—,—
      未经复议直接起诉,0,1,0,0,1
      """
    let sheet = try SheetTestSupport.sheet(text)
    let table = try #require(sheet.tables.first)
    #expect(table.headerLines == [2])
    #expect(table.rows.count == 2)
  }

  /// A register row with a blank 序号 and two cells filled, one of them a label (`自然人`), is
  /// skipped alone; the register goes on.
  @Test func testRegister_sparseRowWithALabel_doesNotEndTheRegister() throws {
    let text = """
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
      ,A-02,自然人,,,,
      3,A-03,自然人,2025-03-06,予以公开,2025-03-20,否
      """
    let sheet = try SheetTestSupport.sheet(text)
    let reg = try #require(sheet.registers.first)
    #expect(reg.dataRows == 2)
    #expect(sheet.findings.map(\.code) == ["ING-105"])
  }

  /// A note (`注：…`) or a `小计` row inside a register is a row of it, skipped alone (ING-105):
  /// the note was taken for the register's footer and the lone `小计` for another table's
  /// header, and every later application was lost. A footer at the end is no skipped row.
  @Test func testRegister_noteOrSubtotalInside_doesNotEndIt() throws {
    for inside in ["注：2号申请涉及多个事项,,,,,,", "小计,,,,,,"] {
      let text = """
        序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
        1,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
        2,A-02,自然人,2025-03-05,予以公开,2025-03-10,否
        \(inside)
        3,A-03,自然人,2025-03-06,予以公开,2025-03-20,否
        填表人：李明,,,,,,
        """
      let sheet = try SheetTestSupport.sheet(text)
      let reg = try #require(sheet.registers.first)
      #expect(reg.dataRows == 3, "\(inside)")
      #expect(sheet.findings.map(\.code) == ["ING-105"], "\(inside)")
      #expect(sheet.findings.first?.sources.first?.line == 4, "\(inside)")
    }
  }

  @Test func testRegister_missingRequiredColumnIsAFinding() throws {
    let text = """
      序号,申请人类型,收到日期,备注
      1,自然人,2025-01-02,
      """
    let sheet = try SheetTestSupport.sheet(text)
    let reg = try #require(sheet.registers.first)
    #expect(reg.columns == [2, 0, 0])
    #expect(reg.groups.map(\.values) == [["自然人", "", ""]])
    let f = try #require(sheet.findings.first)
    #expect(f.code == "ING-102")
    #expect(f.message.contains("办理结果"))
    #expect(f.sources.first?.line == 1)
  }

  @Test func testNoTable_isAnErrorFinding() throws {
    let sheet = try SheetTestSupport.sheet("随便写的内容,123\n又一行,456\n")
    #expect(sheet.tables.isEmpty)
    // Sorted by place: the whole-file finding (line 0) first.
    #expect(sheet.findings.map(\.code) == ["ING-104", "ING-103"])
    #expect(sheet.findings.first?.severity == .error)
    #expect(sheet.findings.last?.severity == .info)
    #expect(sheet.findings.last?.message == "有2行不属于任何表格，未读取（第1、2行）；如其中有数据，请放回表格内。")
  }

  @Test func testLabelAliases_recognizeMisspelledHeader() throws {
    let text = """
      行政法复议,,,,,行政诉讼,,,,,,,,,
      结果维持,结果纠正,其他结果,尚未审结,总计,未经复议直接起诉,,,,,复议后起诉,,,,
      ,,,,,结果维持,结果纠正,其他结果,尚未审结,总计,结果维持,结果纠正,其他结果,尚未审结,总计
      0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
      """
    let sheet = try SheetTestSupport.sheet(text, aliases: [LabelFold.key("行政法复议"): LabelFold.key("行政复议")])
    let t = try #require(sheet.tables.first)
    #expect(t.form == "t4")
    // Paths keep the text as written; normalize maps it through the aliases.
    #expect(t.rows.first?.cells.first?.columnPath == ["行政法复议", "结果维持"])
  }

  @Test func testUnknownRowLabel_stillBecomesARow() throws {
    let text = """
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
      一、本年新收政府信息公开申请数量,,,1,0,0,0,0,0,1
      五、本年收到的咨询,,,9,0,0,0,0,0,9
      """
    let sheet = try SheetTestSupport.sheet(text)
    let t = try #require(sheet.tables.first)
    #expect(t.rows.map(\.labelPath) == [["一、本年新收政府信息公开申请数量"], ["五、本年收到的咨询"]])
    #expect(t.row(["五、本年收到的咨询"])?.cell([Self.applicants, "总计"])?.value == .integer(9))
  }

  @Test func testParentOnlyRows_areStructureNotRows() throws {
    let text = """
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
      三、本年度办理结果,,,,,,,,,
      ,（三）不予公开,,,,,,,,
      ,,1.属于国家秘密,1,0,0,0,0,0,1
      四、结转下年度继续办理,,,0,0,0,0,0,0,0
      """
    let t = try #require(try SheetTestSupport.sheet(text).tables.first)
    #expect(
      t.rows.map(\.labelPath) == [
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"],
        ["四、结转下年度继续办理"],
      ])
  }
}

@Suite struct SheetReaderLayoutTests {
  @Test func testTitleSharingRowWithUnitNote_isStillTheTitle() throws {
    let text = """
      凌海市民政局2025年度政府信息公开工作年度报告统计表,,,,单位：件
      单位：件,,,,填报日期：2026-01-05
      行政复议,,,,,行政诉讼,,,,,,,,,
      结果维持,结果纠正,其他结果,尚未审结,总计,未经复议直接起诉,,,,,复议后起诉,,,,
      ,,,,,结果维持,结果纠正,其他结果,尚未审结,总计,结果维持,结果纠正,其他结果,尚未审结,总计
      0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.claims.titleDepartment == "凌海市民政局")
    #expect(sheet.claims.titleLine == 1)
    #expect(sheet.claims.filledOn == "2026-01-05")
    #expect(sheet.claims.metadataDepartment == nil)
    #expect(sheet.tables.map(\.form) == ["t4"])
    #expect(sheet.findings == [])
  }

  @Test func testHeaderBlockFromRecords_pathsAndLines() {
    let records = SheetTestSupport.records(
      """
      x,,,申请人情况,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
      """)
    let block = HeaderBlock(records: records)
    #expect(block.lines == [1, 2, 3])
    #expect(block.width == 10)
    let paths = block.columnPaths
    #expect(paths[3] == ["申请人情况", "自然人"])
    #expect(paths[5] == ["申请人情况", "法人或其他组织", "科研机构"])
    #expect(paths[9] == ["申请人情况", "总计"])
  }

  @Test func testClaims_fileNamesAndTitles() {
    #expect(ClaimsReader.fileNameClaims("inbox/环保局-表三.csv").department == "环保局")
    #expect(ClaimsReader.fileNameClaims("03_凌海市环境保护局_2025年报统计.csv").department == "凌海市环境保护局")
    #expect(ClaimsReader.fileNameClaims("03_凌海市环境保护局_2025年报统计.csv").year == 2025)
    #expect(ClaimsReader.fileNameClaims("凌海市统计局2024年度表三.csv.gz").department == "凌海市统计局")
    #expect(ClaimsReader.fileNameClaims("凌海市统计局2024年度表三.csv.gz").year == 2024)
    #expect(ClaimsReader.fileNameClaims("table3-final.csv").department == nil)
    #expect(ClaimsReader.titleClaims("2025年度凌海市交通运输局政府信息公开工作年度报告").department == "凌海市交通运输局")
    #expect(ClaimsReader.titleClaims("2025年度凌海市交通运输局政府信息公开工作年度报告").year == 2025)
    #expect(ClaimsReader.titleClaims("凌海市海关政府信息公开工作年度报告").department == "凌海市海关")
    #expect(ClaimsReader.titleClaims("凌海市海关政府信息公开工作年度报告").year == nil)
    // A year typed in Chinese numerals names the sheet's year too (it was read as none, and
    // another year's sheet was summed in); the department is what precedes it.
    let chinese = ClaimsReader.titleClaims("凌海市公安局二〇二四年度政府信息公开工作年度报告")
    #expect(chinese.year == 2024 && chinese.department == "凌海市公安局", "\(chinese)")
    #expect(ClaimsReader.titleClaims("二○二五年度凌海市交通运输局政府信息公开工作年度报告").year == 2025)
    #expect(ClaimsReader.fileNameClaims("公安局二〇二四年度统计.csv").year == 2024)
    #expect(ClaimsReader.titleClaims("凌海市一二三四局工作报告").year == nil)
    #expect(ClaimsReader.isTitle("凌海市公安局二〇二四年度政府信息公开情况"))
  }

  @Test func testClaims_foldersNearestFirst() {
    #expect(ClaimsReader.folderClaims("表三.csv") == [])
    #expect(ClaimsReader.folderClaims("人社局/表三.csv") == ["人社局"])
    // Years and generic words are not names; a folder named as a file would be is read so.
    // Batch folders sort submissions, they do not name senders.
    #expect(ClaimsReader.folderClaims("2025/人社局2025年报/第一批/表三.csv") == ["人社局"])
    #expect(ClaimsReader.folderClaims("人社局/补报/第2次/表三.csv") == ["人社局"])
    #expect(ClaimsReader.isBatchFolder("第十一批") && ClaimsReader.isBatchFolder("新建文件夹"))
    #expect(!ClaimsReader.isBatchFolder("新庄子镇") && !ClaimsReader.isBatchFolder("第一中学"))
    #expect(ClaimsReader.folderClaims("财政局/报表/财政局-终稿/表三.csv") == ["财政局"])
    var reader = ClaimsReader(path: "人社局/表三.csv")
    reader.noteTitle("2025年度政府信息公开工作年度报告统计表", line: 1)
    #expect(reader.claims.folderDepartments == ["人社局"])
    #expect(ClaimsReader(path: "表三.csv").claims.folderDepartments == nil)
  }
}

@Suite struct SheetReaderT2Tests {
  @Test func testT2BlockHeaderWithoutLabelHeading_startsANewBlock() throws {
    let text = """
      信息内容,本年制发件数,本年废止件数,现行有效件数
      规章,0,0,0
      ,本年处理决定数量,,
      行政许可,7,,
      """
    let sheet = try SheetTestSupport.sheet(text)
    let t = try #require(sheet.tables.first)
    #expect(sheet.tables.count == 1)
    #expect(t.headerLines == [1, 3])
    #expect(t.row(["行政许可"])?.cells.map(\.columnPath) == [["本年处理决定数量"]])
    #expect(t.row(["行政许可"])?.cells.first?.value == .integer(7))
    #expect(t.rows.count == 2)
  }
}

@Suite struct SheetReaderFindingTests {
  @Test func testUnknownHeader_namesItsLabelsAndLine() throws {
    let sheet = try SheetTestSupport.sheet("附注内容\n自然人,总计\n3,3\n")
    #expect(sheet.tables.isEmpty)
    #expect(sheet.findings.map(\.code) == ["ING-104", "ING-103", "ING-106"])
    let unknown = try #require(sheet.findings.first { $0.code == "ING-106" })
    #expect(unknown.sources.first?.line == 2)
    #expect(unknown.severity == .warning)
    #expect(unknown.message.hasPrefix("第2行像是表头（自然人、总计）"))
    let stray = try #require(sheet.findings.first { $0.code == "ING-103" })
    #expect(stray.message == "有2行不属于任何表格，未读取（第1、3行）；如其中有数据，请放回表格内。")
  }

  @Test func testNumberInLabelColumn_isAFindingWithItsPlace() throws {
    let text = """
      （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）,,,申请人情况,,,,,,
      ,,,自然人,法人或其他组织,,,,,总计
      ,,,,商业企业,科研机构,社会公益组织,法律服务机构,其他,
      一、本年新收政府信息公开申请数量,,5,3,0,0,0,0,0,3
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.findings.map(\.code) == ["ING-107"])
    #expect(sheet.findings.first?.sources.first?.line == 4)
    #expect(sheet.findings.first?.sources.first?.column == 3)
    #expect(sheet.findings.first.map { $0.id } != nil)
    #expect(sheet.tables.first?.rows.first?.labelPath == ["一、本年新收政府信息公开申请数量", "5"])
  }

  @Test func testFindingIDs_differPerPlace() throws {
    let text = """
      信息内容,本年处理决定数量,,
      行政许可,1,2,3
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.findings.map(\.code) == ["ING-101", "ING-101"])
    #expect(sheet.findings.map { $0.sources.first?.column } == [3, 4])
    #expect(Set(sheet.findings.map(\.id)).count == 2)
  }
}

@Suite struct SheetReaderTitleTests {
  @Test func testTitleWithYearButNoReportWord_isTheTitleNotACaption() throws {
    let text = """
      凌海市环境保护局2025年度政府信息公开情况,,,,,,,,,,,,,,
      四、政府信息公开行政复议、行政诉讼情况,,,,,,,,,,,,,,
      行政复议,,,,,行政诉讼,,,,,,,,,
      结果维持,结果纠正,其他结果,尚未审结,总计,未经复议直接起诉,,,,,复议后起诉,,,,
      ,,,,,结果维持,结果纠正,其他结果,尚未审结,总计,结果维持,结果纠正,其他结果,尚未审结,总计
      0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
      """
    let sheet = try SheetTestSupport.sheet(text)
    #expect(sheet.claims.titleDepartment == "凌海市环境保护局")
    #expect(sheet.claims.titleYear == 2025)
    #expect(sheet.tables.first?.caption == "四、政府信息公开行政复议、行政诉讼情况")
  }
}

/// The byte path (`SheetIngest` → `SheetSink`, which skips a data row's uncounted fields) and
/// the record path (`RecordReader` → `SheetReader.consume(Record)`) read a register alike.
@Suite struct RegisterBytePathTests {
  @Test func testRegister_bytePathEqualsRecordPath() throws {
    let text = #"""
      凌海市环境保护局2025年依申请公开登记台账,,,,,,,,
      序号,申请编号,受理单位,申请人类型,收到日期,办理结果,答复日期,是否上年结转,备注
      1,A-01,凌海市环境保护局,自然人,2025-03-04,予以公开,2025-03-10,否,"备注,含逗号"
      2,A-02,凌海市环境保护局,自然人,2025/3/5,予以公开,2025/3/9,否,"两行
      备注 ""引号"""
      ３,A-03,凌海市环境保护局 ,商业企业,2025年3月6日,部分公开,2025-03-20,是,
      合计,,,,,,,,
      4,A-04,凌海市环境保护局,自然人,,予以公开,,否,x
      abc,A-05,凌海市环境保护局,自然人,,予以公开,,否,不是数据行
      填表人：李明,,,,,,,,
      """#
    for encoding in ["UTF-8", "GB18030"] {
      try compare(text, encoding: encoding)
    }
  }

  /// The ING-006 of a bad GB18030 byte names the same line and column on both paths.
  @Test func testInvalidGB18030_samePlaceOnBothPaths() throws {
    let url = IngestFixtures.bytes("invalid-gb18030.csv")
    let source = SourceFile(path: "invalid-gb18030.csv", sha256: "", size: 0)
    let ingest = SheetIngest(forms: try SheetTestSupport.forms(), labelAliases: [:])
    do {
      _ = try ingest.read(url, source: source)
      Issue.record("an invalid GB18030 file must not read")
    } catch {
      #expect(error.code == "ING-006")
      #expect(error.line == 3)
      #expect(error.column == 2)
      #expect(error.message.contains("0x81 0x20"))
    }
  }

  /// Values padded with spaces, tabs, ideographic and no-break spaces group with their bare
  /// spelling on the byte path exactly as on the record path (which trims decoded text), in
  /// both encodings — with characters next to the padding whose bytes look like part of an
  /// ideographic space (UTF-8 、 E3 80 81, GB18030 啊 B0 A1, UTF-8 顡 E9 A1 A1), which trimming
  /// the wrong bytes would cut.
  @Test func testPaddedValues_groupAsOnTheRecordPath() async throws {
    let values = ["自然人", "啊", "顡", "予以公开", "凌海市环境保护局", "啊顡", "A1", "甲、"]
    let pads = ["", " ", "\t", "\u{3000}", "\u{00A0}", " \u{3000} ", "\u{3000}\u{3000}"]
    let cell = PropertyBased.zip(
      Gen.int(in: 0...(values.count - 1)), Gen.int(in: 0...(pads.count - 1)),
      Gen.int(in: 0...(pads.count - 1)))
    let row = PropertyBased.zip(cell, cell)
    await propertyCheck(count: 40, input: row.array(of: 1...12), Gen.bool()) { rows, gb in
      var text = "序号,申请编号,受理单位,申请人类型,收到日期,办理结果,答复日期,是否上年结转,备注\n"
      for (n, (a, b)) in rows.enumerated() {
        let applicant = pads[a.1] + values[a.0] + pads[a.2]
        let outcome = pads[b.1] + values[b.0] + pads[b.2]
        text += "\(n + 1),X-\(n),凌海市环境保护局,\(applicant),,\(outcome),,否,\n"
      }
      let (viaBytes, viaRecords) = try Self.bothPaths(text, encoding: gb ? "GB18030" : "UTF-8")
      let a = try #require(viaBytes.registers.first)
      let b = try #require(viaRecords.registers.first)
      #expect(a.dataRows == Int64(rows.count))
      #expect(a.groups.map(\.values) == b.groups.map(\.values))
      #expect(a.groups.map(\.count) == b.groups.map(\.count))
      #expect(a.groups.map(\.sampleLines) == b.groups.map(\.sampleLines))
      let bare = Set(rows.map { [values[$0.0.0], values[$0.1.0]] })
      #expect(Set(a.groups.map { Array($0.values.prefix(2)) }) == bare)
    }
  }

  /// Rows numbered in advance and left empty are no applications (they were counted, with a
  /// blank applicant type and result); a row with its 序号 and only a field no count reads (a
  /// date, the request's subject) is one, whichever path reads it — the byte path does not
  /// copy that field.
  @Test func testRegister_rowsWithOnlyTheirNumber_areNotApplications() throws {
    let text = """
      凌海市环境保护局2025年依申请公开登记台账,,,,,,
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
      2,,,,,,
      3,, ,,,,
      4,A-04,,2025-03-06,,,
      5,,,,,,
      6,,\u{3000},,,,
      7,,,,, ,
      8,,,,,\u{3000}\u{3000},
      9,,,,,2025-03-10,
      """
    for encoding in ["UTF-8", "GB18030"] {
      let (bytes, records) = try Self.bothPaths(text, encoding: encoding)
      for sheet in [bytes, records] {
        let reg = try #require(sheet.registers.first)
        // Row 9 has a 答复日期 (a field the byte path does not copy): an application. Rows 7
        // and 8 have only spaces there: numbered in advance, like 2, 3, 5 and 6.
        #expect(reg.dataRows == 3, "\(encoding)")
        #expect(reg.numberedBlank == RegisterNumberedBlank(rows: 6, sampleLines: [4, 5, 7, 8, 9, 10]), "\(encoding)")
        #expect(reg.groups.map(\.count).reduce(0, +) == 3)
      }
    }
  }

  /// Counted rows are tallied by the year of their 收到日期 and their carry mark, on either
  /// path (the fixture form counts 申请人身份 × 答复结果 × 是否上年结转, dates in 收到日期).
  @Test func testRegister_receivedDatesAreTalliedByYear() throws {
    let text = """
      凌海市环境保护局2025年依申请公开登记台账,,,,,,
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,A-01,自然人,2025-03-04,予以公开,2025-03-10,否
      2,A-02,自然人,2024-12-20,予以公开,2025-01-09,是
      3,A-03,自然人,2024年11月3日,予以公开,2024-11-20,否
      4,A-04,自然人,2026-01-05,予以公开,,否
      5,A-05,自然人,2025-02-30,予以公开,,否
      6,A-06,自然人,45658,予以公开,,否
      7,A-07,自然人,,予以公开,,否
      """
    for encoding in ["UTF-8", "GB18030"] {
      let (bytes, records) = try Self.bothPaths(text, encoding: encoding)
      for sheet in [bytes, records] {
        let tallies = try #require(sheet.registers.first?.received, "\(encoding)")
        #expect(
          tallies == [
            RegisterReceivedTally(year: nil, carried: "否", rows: 1, sampleLines: [7], example: "2025-02-30"),
            RegisterReceivedTally(year: 2024, carried: "否", rows: 1, sampleLines: [5]),
            RegisterReceivedTally(year: 2024, carried: "是", rows: 1, sampleLines: [4]),
            RegisterReceivedTally(year: 2025, carried: "否", rows: 2, sampleLines: [3, 8]),
            RegisterReceivedTally(year: 2026, carried: "否", rows: 1, sampleLines: [6]),
          ], "\(encoding)")
      }
    }
  }

  /// The byte path tallies 收到日期 by the field's bytes (each spelling worked out once) and
  /// agrees with the record path, which trims and reads the text of every row: padded dates,
  /// dates of only spaces (blank, not counted), dates with no day, and the first row of each
  /// tally as its example.
  @Test func testRegister_receivedTalliesAgreeOnBothPaths() async throws {
    let dates = ["2025-03-04", "2024/12/20", "2025年3月6日", "2025-02-30", "45658", "", "无", "2026-01-05"]
    let pads = ["", " ", "\t", "\u{3000}", "\u{00A0}", "\u{3000} "]
    let carries = ["否", "是", " 否"]
    let cell = PropertyBased.zip(
      Gen.int(in: 0...(dates.count - 1)), Gen.int(in: 0...(pads.count - 1)), Gen.int(in: 0...(carries.count - 1)))
    await propertyCheck(count: 40, input: cell.array(of: 1...14), Gen.bool()) { rows, gb in
      var text = "序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转\n"
      for (n, (d, p, c)) in rows.enumerated() {
        text += "\(n + 1),A-\(n),自然人,\(pads[p] + dates[d] + pads[p]),予以公开,,\(carries[c])\n"
      }
      let (viaBytes, viaRecords) = try Self.bothPaths(text, encoding: gb ? "GB18030" : "UTF-8")
      let a = try #require(viaBytes.registers.first)
      let b = try #require(viaRecords.registers.first)
      #expect(a.received == b.received)
      let counted = rows.filter { !dates[$0.0].isEmpty }.count
      #expect((a.received ?? []).reduce(0) { $0 + $1.rows } == Int64(counted))
    }
  }

  /// A 申请编号 written on an earlier row is a repeat, on either path and in either encoding:
  /// padded spellings are the same number, a blank number is none, and the first data row
  /// (read from its record, not its bytes, as the register's header ends there) counts too.
  @Test func testRegister_repeatedApplicationNumbersAreTallied() throws {
    let text = """
      凌海市环境保护局2025年依申请公开登记台账,,,,,,
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,环依申〔2025〕1号,自然人,2025-03-04,予以公开,2025-03-10,否
      2,环依申〔2025〕2号,自然人,2025-03-05,予以公开,2025-03-10,否
      3, 环依申〔2025〕1号\u{3000},自然人,2025-03-06,予以公开,2025-03-10,否
      4,,自然人,2025-03-07,予以公开,,否
      5,,自然人,2025-03-08,予以公开,,否
      ６,环依申〔2025〕2号,自然人,2025-03-09,予以公开,,否
      7,环依申〔2025〕1号,自然人,2025-03-09,予以公开,,否
      8,环依申〔2025〕3号,,,,,
      """
    for encoding in ["UTF-8", "GB18030"] {
      let (bytes, records) = try Self.bothPaths(text, encoding: encoding)
      for sheet in [bytes, records] {
        let repeats = try #require(sheet.registers.first?.repeatedNumbers, "\(encoding)")
        #expect(repeats.column == 2)
        #expect(repeats.numbers == 2, "\(encoding)")
        #expect(repeats.rows == 3, "\(encoding)")
        #expect(
          repeats.examples == [
            .init(number: "环依申〔2025〕1号", firstLine: 3, line: 5),
            .init(number: "环依申〔2025〕2号", firstLine: 4, line: 8),
            .init(number: "环依申〔2025〕1号", firstLine: 3, line: 9),
          ], "\(encoding)")
      }
    }
    let distinct = try Self.bothPaths(
      """
      序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
      1,A-1,自然人,2025-03-04,予以公开,,否
      2,A-10,自然人,2025-03-04,予以公开,,否
      3,A-1 0,自然人,2025-03-04,予以公开,,否
      4,无,自然人,2025-03-04,予以公开,,否
      5,无,自然人,2025-03-04,予以公开,,否
      6,—,自然人,2025-03-04,予以公开,,否
      7,—,自然人,2025-03-04,予以公开,,否
      """, encoding: "UTF-8")
    #expect(distinct.bytes.registers.first?.repeatedNumbers == nil)
    #expect(distinct.records.registers.first?.repeatedNumbers == nil)
    // Numbers written in full-width or Chinese digits are numbers.
    for encoding in ["UTF-8", "GB18030"] {
      let chinese = try Self.bothPaths(
        """
        序号,申请编号,申请人身份,收到日期,答复结果,答复日期,是否上年结转
        1,第二〇二五〇一号,自然人,2025-03-04,予以公开,,否
        2,第二〇二五〇一号,自然人,2025-03-04,予以公开,,否
        3,Ａ－１,自然人,2025-03-04,予以公开,,否
        4,Ａ－１,自然人,2025-03-04,予以公开,,否
        """, encoding: encoding)
      for sheet in [chinese.bytes, chinese.records] {
        #expect(sheet.registers.first?.repeatedNumbers?.numbers == 2, "\(encoding)")
      }
    }
  }

  /// A register read by the byte path and by the record path.
  static func bothPaths(_ text: String, encoding: String) throws -> (bytes: Sheet, records: Sheet) {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("register.csv")
    try encoded(text, as: encoding).write(to: url)
    let source = SourceFile(path: "register.csv", sha256: "", size: 0)
    let viaBytes = try SheetIngest(forms: try SheetTestSupport.forms(), labelAliases: [:]).read(url, source: source)
    var reader = SheetReader(source: source, forms: try SheetTestSupport.forms(), labelAliases: [:])
    _ = try RecordReader().read(url, displayPath: "register.csv") { reader.consume($0) }
    return (viaBytes, reader.finish())
  }

  func compare(_ text: String, encoding: String) throws {
    let dir = try IngestFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("register.csv")
    try Self.encoded(text, as: encoding).write(to: url)
    let source = SourceFile(path: "register.csv", sha256: "", size: 0)
    let viaBytes = try SheetIngest(forms: try SheetTestSupport.forms(), labelAliases: [:]).read(url, source: source)
    var reader = SheetReader(source: source, forms: try SheetTestSupport.forms(), labelAliases: [:])
    _ = try RecordReader().read(url, displayPath: "register.csv") { reader.consume($0) }
    let viaRecords = reader.finish()
    let a = try #require(viaBytes.registers.first)
    let b = try #require(viaRecords.registers.first)
    #expect(a.dataRows == 4)
    #expect(a.groups.map(\.values) == b.groups.map(\.values))
    #expect(a.groups.map(\.count) == b.groups.map(\.count))
    #expect(a.groups.map(\.sampleLines) == b.groups.map(\.sampleLines))
    #expect(viaBytes.findings.map(\.code) == viaRecords.findings.map(\.code))
    #expect(viaBytes.recordCount == viaRecords.recordCount)
    #expect(viaBytes.claims.titleDepartment == "凌海市环境保护局")
    #expect(viaBytes.source.encoding?.rawValue == encoding)
  }

  static func encoded(_ text: String, as encoding: String) throws -> Data {
    if encoding == "UTF-8" { return Data(text.utf8) }
    let cd = try #require(Iconv(from: "UTF-8", to: encoding))
    let input = Array(text.utf8)
    var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced = input.withUnsafeBytes { i in out.withUnsafeMutableBytes { cd.convert(i, into: $0).produced } }
    return Data(out[..<produced])
  }
}
