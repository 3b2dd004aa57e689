import AlmanacCore
import Foundation
import Testing

@testable import Normalize

@Suite struct GridMappingTests {
  typealias F = Fixtures
  let np = ["申请人情况", "自然人"]
  let sy = ["申请人情况", "法人或其他组织", "商业企业"]
  let ky = ["申请人情况", "法人或其他组织", "科研机构"]
  let qt = ["申请人情况", "法人或其他组织", "其他"]
  let xj = ["申请人情况", "法人或其他组织小计"]
  let zj = ["申请人情况", "总计"]

  func sheet(_ tables: [SheetTable], path: String = "inbox/财政局-表三.csv") -> Sheet {
    Sheet(source: F.source(path), claims: F.claims(metadata: "凌海市财政局", titleYear: 2025), tables: tables)
  }

  func value(_ s: Submission?, _ key: String) -> CellValue? { s?.cells[key]?.value }

  @Test func testT3_rowsAndReorderedColumnsWithSubtotal() throws {
    // Columns reordered (总计 first), a 小计 column added, 2 columns deleted.
    let cols = [zj, np, sy, ky, qt, xj]
    func r(_ labels: [String], _ line: Int, _ v: [Int64]) -> SheetRow {
      F.row(labels, line, zip(cols, v).map { ($0, F.int($1)) })
    }
    let table = SheetTable(
      form: "t3", headerLines: [3, 4, 5],
      rows: [
        r(["一、本年新收政府信息公开申请数量"], 6, [5, 3, 1, 0, 1, 2]),
        r(["三、本年度办理结果", "（一）予以公开"], 8, [2, 2, 0, 0, 0, 0]),
        r(["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"], 10, [1, 0, 1, 0, 0, 1]),
        r(["三、本年度办理结果", "（六）其他处理", "3.其他"], 30, [1, 1, 0, 0, 0, 0]),
        r(["三、本年度办理结果", "（七）总计"], 31, [5, 3, 1, 0, 1, 2]),
        r(["四、结转下年度继续办理"], 32, [0, 0, 0, 0, 0, 0]),
      ])
    let out = F.normalizer().normalize(sheet([table]))
    let s = try #require(out.submission)
    #expect(out.findings == [])
    #expect(s.department == "czj")
    #expect(s.departmentName == "凌海市财政局")
    #expect(s.forms == ["t3"])
    #expect(s.cells.count == 36)
    #expect(value(s, "t3.r1.zj") == .integer(5))
    #expect(value(s, "t3.r1.np") == .integer(3))
    #expect(value(s, "t3.r1.qt") == .integer(1))
    #expect(value(s, "t3.r1.xj") == .integer(2))
    #expect(value(s, "t3.r3_3_1.sy") == .integer(1))
    #expect(value(s, "t3.r3_6_3.np") == .integer(1))
    #expect(value(s, "t3.r3_7.zj") == .integer(5))
    #expect(value(s, "t3.r4.np") == .integer(0))
    #expect(
      s.cells["t3.r1.np"]?.sources == [
        SourceRef(file: "inbox/财政局-表三.csv", sha256: F.source().sha256, line: 6, column: 5)
      ])
    #expect(s.cells["t3.r1.np"]?.raw == "3")
  }

  @Test func testT3_trialFormatAndShortenedLabels() throws {
    let table = SheetTable(
      form: "t3", headerLines: [3],
      rows: [
        F.row(["本年新收申请数量"], 6, [(["公民"], F.int(4)), (["合计"], F.int(4))]),
        F.row(["三、本年度办理结果", "（六）其他处理"], 20, [(["公民"], F.int(1))]),
        F.row(["部分公开"], 7, [(["公民"], .blank(token: "/"))]),
      ])
    var seeds = F.smallSeeds
    seeds.tables["label_aliases"] = F.table(
      "label_aliases", "form,variant,canonical\nt3,公民,自然人\nt3,合计,总计\nt3,本年新收申请数量,一、本年新收政府信息公开申请数量\nt3,其他处理,3.其他\n")
    let out = F.normalizer(seeds).normalize(sheet([table]))
    let s = try #require(out.submission)
    #expect(out.findings == [])
    #expect(value(s, "t3.r1.np") == .integer(4))
    #expect(value(s, "t3.r1.zj") == .integer(4))
    #expect(value(s, "t3.r3_6_3.np") == .integer(1))
    #expect(value(s, "t3.r3_2.np") == .blank(token: "/"))
  }

  /// A sheet of thousands of unknown rows: twenty NRM-007 and one for the rest (200,000 rows
  /// were 200,000 errors and 768 MB).
  @Test func testT3_manyUnknownRows_areCapped() throws {
    let rows = (0..<25).map { F.row(["未知项目\($0)"], 10 + $0, [(np, F.int(1))]) }
    let out = F.normalizer().normalize(sheet([SheetTable(form: "t3", headerLines: [3], rows: rows)]))
    let dropped = out.findings.filter { $0.code == "NRM-007" }
    #expect(dropped.count == SheetNormalizer.listedDroppedRows + 1)
    #expect(dropped.last?.message.contains("另有 5 行的行标签无法识别或可对应多个项目，未逐一列出（示例行：30、31、32、33、34），共 5 个数值未采用") == true)
    #expect(dropped.last?.severity == .error)
  }

  /// A dropped row of zeros loses nothing (a warning); a 小计/合计 row the form lacks is not to
  /// be registered as an alias (it would count its rows twice); the finding is shown at the
  /// label's own column and names the pipeline's label seed.
  @Test func testT3_droppedRows_severityByWhatIsLost_subtotalRowsSaySo() throws {
    let table = SheetTable(
      form: "t3", headerLines: [3],
      rows: [
        F.row(["一、本年新收政府信息公开申请数量"], 6, [(np, F.int(3))]),
        SheetRow(
          labelPath: ["五、本年新收信访件数"], line: 7,
          cells: [SheetCell(columnPath: np, value: .integer(0), raw: "0", line: 7, column: 4)], labelColumn: 2),
        F.row(["三、本年度办理结果", "小计"], 8, [(np, F.int(5))]),
        F.row(["申请总计"], 9, [(np, F.int(4))]),
      ])
    var pipeline = F.pipeline
    pipeline.seeds = pipeline.seeds.filter { !$0.hasSuffix("label_aliases") } + ["county_label_aliases"]
    let out = SheetNormalizer(pipeline: pipeline, seeds: F.smallSeeds, year: 2025).normalize(sheet([table]))
    #expect(out.findings.map(\.code) == ["NRM-007", "NRM-007", "NRM-007"])
    // A label that only ends in 总计 may be an item's own figure: lost, an error, aliasable.
    #expect(out.findings.map(\.severity) == [.warning, .warning, .error])
    #expect(out.findings[2].message.contains("seeds/county_label_aliases.csv"))
    #expect(out.findings[0].sources == [F.source().ref(line: 7, column: 2)])
    #expect(out.findings[0].message.contains("seeds/county_label_aliases.csv"))
    #expect(out.findings[1].message.contains("「三、本年度办理结果 > 小计」行是模板之外的小计或合计行"))
    #expect(out.findings[1].message.contains("请不要把它登记为别名"))
  }

  @Test func testT3_unknownRowAndColumnAreFindings() throws {
    let table = SheetTable(
      form: "t3", headerLines: [3],
      rows: [
        F.row(["一、本年新收政府信息公开申请数量"], 6, [(np, F.int(3)), (["申请人情况", "外国人"], F.int(1))]),
        F.row(["三、本年度办理结果", "（一）予以公开"], 8, [(np, F.int(2)), (["申请人情况", "外国人"], F.int(0))]),
        F.row(["五、本年新收信访件数"], 9, [(np, F.int(7))]),
      ])
    let out = F.normalizer().normalize(sheet([table]))
    let s = try #require(out.submission)
    #expect(s.cells.keys.sorted() == ["t3.r1.np", "t3.r3_1.np"])
    #expect(out.findings.map(\.code) == ["NRM-007", "NRM-008"])
    let row = out.findings[0]
    // Its 7 is missing from the report: an error, not a warning the report is final beside.
    #expect(row.severity == .error)
    #expect(row.department == "czj")
    #expect(row.form == "t3")
    #expect(row.sources == [F.source().ref(line: 9, column: 1)])
    #expect(row.message.contains("「五、本年新收信访件数」无法识别，该行 1 个数值未采用"))
    #expect(row.message.contains("一、本年新收政府信息公开申请数量（r1）"))
    #expect(row.message.contains("seeds/label_aliases.csv"))
    let column = out.findings[1]
    #expect(column.sources == [F.source().ref(line: 6, column: 5)])
    #expect(column.message.contains("列标题「申请人情况 > 外国人」无法识别，该列 2 个数值未采用"))
  }

  @Test func testT4_rowsFromColumnHeader() throws {
    let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    var cells: [([String], CellValue)] = []
    for (g, group) in [["行政法复议"], ["行政诉讼", "未经复议直接起诉"], ["行政诉讼", "复议后起诉"]].enumerated() {
      for (i, r) in results.enumerated() {
        // 行政复议's columns are vertically merged: the forward-filled label repeats.
        let path = g == 0 ? group + [r, r] : group + [r]
        cells.append((path, F.int(Int64(g * 10 + i))))
      }
    }
    let table = SheetTable(form: "t4", headerLines: [3, 4, 5], rows: [F.row([], 6, cells, firstColumn: 1)])
    let out = F.normalizer().normalize(sheet([table], path: "inbox/财政局-表四.csv"))
    let s = try #require(out.submission)
    #expect(out.findings == [])
    #expect(s.cells.count == 15)
    #expect(value(s, "t4.fy.wc") == .integer(0))
    #expect(value(s, "t4.fy.zj") == .integer(4))
    #expect(value(s, "t4.ss_zj.jz") == .integer(11))
    #expect(value(s, "t4.ss_fy.wj") == .integer(23))
    #expect(s.cells["t4.ss_fy.zj"]?.sources.first?.column == 15)
  }

  /// A money figure written in 元 went into the 万元 sum as written (ten thousand times too
  /// large, published without a word); it is converted, exactly, with a warning. A multiplier
  /// on a count applies; a unit of another kind leaves the cell as text for S-5.
  @Test func testT2_unitsGluedToFigures_areReadInTheCellsUnit() throws {
    func cell(_ path: [String], _ value: CellValue, unit: String, raw: String, column: Int) -> SheetCell {
      SheetCell(columnPath: path, value: value, unit: unit, raw: raw, line: 8, column: column)
    }
    let table = SheetTable(
      form: "t2", headerLines: [3],
      rows: [
        SheetRow(
          labelPath: ["行政事业性收费"], line: 11,
          cells: [cell(["本年收费金额（万元）"], .integer(126000), unit: "元", raw: "126000元", column: 2)]),
        SheetRow(
          labelPath: ["行政许可"], line: 8,
          cells: [cell(["本年处理决定数量"], .decimal(Decimal(string: "1.2")!), unit: "万件", raw: "1.2万件", column: 2)]),
        SheetRow(
          labelPath: ["行政处罚"], line: 9,
          cells: [cell(["本年处理决定数量"], .integer(865), unit: "元", raw: "865元", column: 2)]),
        SheetRow(
          labelPath: ["行政强制"], line: 10,
          cells: [cell(["本年处理决定数量"], .integer(60), unit: "件", raw: "60件", column: 2)]),
      ])
    let out = F.normalizer().normalize(sheet([table], path: "inbox/公安局-表二.csv"))
    let s = try #require(out.submission)
    #expect(value(s, "t2.xzsyxsf.wanyuan") == .decimal(Decimal(string: "12.6")!))
    #expect(s.cells["t2.xzsyxsf.wanyuan"]?.unit == "万元")
    #expect(s.cells["t2.xzsyxsf.wanyuan"]?.raw == "126000元")
    #expect(value(s, "t2.xzxk.jueding") == .integer(12000))
    #expect(s.cells["t2.xzxk.jueding"]?.unit == "件")
    #expect(value(s, "t2.xzcf.jueding") == .text("865元"))
    #expect(value(s, "t2.xzqz.jueding") == .integer(60))
    let converted = out.findings.filter { $0.code == "NRM-024" }
    #expect(converted.map(\.cell) == ["t2.xzsyxsf.wanyuan", "t2.xzxk.jueding"])
    #expect(converted.map(\.expected) == ["12.6", "12000"])
    #expect(converted.map(\.actual) == ["126000元", "1.2万件"])
    #expect(converted.allSatisfy { $0.severity == .warning && $0.department != nil })
    #expect(converted.first?.message.contains("填写为「126000元」，本栏以万元为单位，已换算为 12.6 万元 计入汇总") == true)
    #expect(converted.last?.message.contains("本栏填写件数，已换算为 12000 件 计入汇总") == true)
    #expect(out.findings.count == 2, "\(out.findings.map(\.code))")
  }

  /// Shortened headers of the fee column, as departments retype them: the fee is read, not
  /// dropped as a value under the 本年处理决定数量 header of the group above (NRM-009).
  @Test func testT2_shortenedFeeHeaders_areTheFeeColumn() throws {
    for header in ["收费金额（单位：万元）", "收费金额(万元)", "金额（万元）", "金额（单位：万元）", "收费金额"] {
      let table = SheetTable(
        form: "t2", headerLines: [3],
        rows: [F.row(["行政事业性收费"], 11, [([header], .decimal(Decimal(string: "12.6") ?? 0))])])
      let out = F.normalizer().normalize(sheet([table], path: "inbox/公安局-表二.csv"))
      let s = try #require(out.submission)
      #expect(value(s, "t2.xzsyxsf.wanyuan") == .decimal(Decimal(string: "12.6") ?? 0), "\(header)")
      #expect(out.findings.isEmpty, "\(header): \(out.findings.map(\.message))")
    }
  }

  /// A fee column whose header states 元 (`收费金额（单位：元）`) is the fee column, its figures
  /// read in 元 and converted to 万元 with a warning naming the header (the value was dropped
  /// under the header of the group above, and the fee reported as 0).
  @Test func testT2_feeHeaderStatingYuan_convertsItsFigures() throws {
    let table = SheetTable(
      form: "t2", headerLines: [3],
      rows: [F.row(["行政事业性收费"], 11, [(["收费金额（单位：元）"], .integer(126000))])])
    let out = F.normalizer().normalize(sheet([table], path: "inbox/人社局-表二.csv"))
    let s = try #require(out.submission)
    #expect(value(s, "t2.xzsyxsf.wanyuan") == .decimal(Decimal(string: "12.6") ?? 0))
    #expect(out.findings.map(\.code) == ["NRM-024"])
    #expect(
      out.findings.first?.message.contains(
        "「行政事业性收费 · 收费金额（单位：元）」表头写明单位为元，填写为「126000」，本栏以万元为单位，已换算为 12.6 万元") == true,
      "\(out.findings.map(\.message))")
    // 230500 千元 is 23050 万元; 230500 元 is 23.05 万元.
    let yuan = CellValue.decimal(Decimal(string: "23.05") ?? 0)
    for (header, expected) in [
      ("金额(千元)", CellValue.integer(23050)), ("本年收费金额(单位:千元)", .integer(23050)), ("金额（单位：元）", yuan),
    ] {
      let t = SheetTable(
        form: "t2", headerLines: [3], rows: [F.row(["行政事业性收费"], 11, [([header], .integer(230500))])])
      let o = F.normalizer().normalize(sheet([t], path: "inbox/人社局-表二.csv"))
      #expect(o.submission.map { value($0, "t2.xzsyxsf.wanyuan") } == expected, "\(header)")
    }
    // A count column's header stating 元 is not the count column.
    let counts = SheetTable(
      form: "t2", headerLines: [3], rows: [F.row(["行政许可"], 8, [(["本年处理决定数量（元）"], .integer(5))])])
    let other = F.normalizer().normalize(sheet([counts], path: "inbox/人社局-表二.csv"))
    #expect(other.findings.map(\.code).contains("NRM-008"), "\(other.findings.map(\.code))")
    #expect(other.submission?.cells["t2.xzxk.jueding"] == nil)
  }

  /// A 表四 laid out with its groups as rows writes the group into the row label
  /// (`行政诉讼—复议后起诉`, as Almanac's own messages print it): those rows are read.
  @Test func testT4_groupsAsRowsWithGroupInTheLabel() throws {
    let table = SheetTable(
      form: "t4", headerLines: [3],
      rows: [
        F.row(["行政复议"], 4, [(["结果维持"], F.int(2))], firstColumn: 2),
        F.row(["行政诉讼—未经复议直接起诉"], 5, [(["结果纠正"], F.int(1))], firstColumn: 2),
        F.row(["行政诉讼（复议后起诉）"], 6, [(["结果维持"], F.int(3))], firstColumn: 2),
      ])
    let out = F.normalizer().normalize(sheet([table]))
    let s = try #require(out.submission)
    #expect(value(s, "t4.fy.wc") == .integer(2))
    #expect(value(s, "t4.ss_zj.jz") == .integer(1))
    #expect(value(s, "t4.ss_fy.wc") == .integer(3))
    #expect(out.findings.isEmpty, "\(out.findings.map(\.message))")
  }

  @Test func testT4_unknownHeaderGroupIsFinding() throws {
    let table = SheetTable(
      form: "t4", headerLines: [3],
      rows: [F.row([], 6, [(["行政复议", "结果维持"], F.int(1)), (["行政裁决", "结果维持"], F.int(2))], firstColumn: 1)])
    let out = F.normalizer().normalize(sheet([table]))
    let s = try #require(out.submission)
    #expect(s.cells.keys.sorted() == ["t4.fy.wc"])
    #expect(out.findings.map(\.code) == ["NRM-008"])
    #expect(out.findings[0].message.contains("表头「行政裁决 > 结果维持」无法确定所属行"))
  }

  @Test func testT2_irregularRows() throws {
    let zhifa = ["本年制发件数"]
    let feizhi = ["本年废止件数"]
    let youxiao = ["现行有效件数"]
    let jueding = ["本年处理决定数量"]
    let table = SheetTable(
      form: "t2", headerLines: [3],
      rows: [
        F.row(["规章"], 4, [(zhifa, F.int(0)), (feizhi, F.int(0)), (youxiao, .blank(token: "/")), (jueding, F.int(2))]),
        F.row(["规范性文件"], 5, [(zhifa, F.int(3)), (feizhi, F.int(1)), (youxiao, F.int(25))]),
        F.row(["第二十条第（五）项"], 6, [(zhifa, .blank(token: ""))]),
        F.row(["信息内容"], 7, [(zhifa, .text("本年处理决定数量")), (feizhi, .blank(token: "")), (youxiao, .blank(token: ""))]),
        F.row(["行政许可"], 8, [(jueding, F.int(12)), (jueding, .blank(token: "")), (jueding, .blank(token: ""))]),
        F.row(["行政处罚"], 9, [(jueding, .blank(token: "")), (jueding, F.int(7))]),
        F.row(["行政事业性收费"], 11, [(["本年收费金额（万元）"], .decimal(Decimal(35) / 10))]),
      ])
    let out = F.normalizer().normalize(sheet([table], path: "inbox/财政局-表二.csv"))
    let s = try #require(out.submission)
    #expect(
      s.cells.keys.sorted() == [
        "t2.gfxwj.feizhi", "t2.gfxwj.youxiao", "t2.gfxwj.zhifa", "t2.guizhang.feizhi", "t2.guizhang.youxiao",
        "t2.guizhang.zhifa",
        "t2.xzcf.jueding", "t2.xzsyxsf.wanyuan", "t2.xzxk.jueding",
      ])
    #expect(value(s, "t2.guizhang.youxiao") == .blank(token: "/"))
    #expect(value(s, "t2.xzxk.jueding") == .integer(12))
    #expect(value(s, "t2.xzcf.jueding") == .integer(7))
    #expect(s.cells["t2.xzcf.jueding"]?.sources.first?.column == 5)
    #expect(value(s, "t2.xzsyxsf.wanyuan") == .decimal(Decimal(35) / 10))
    #expect(out.findings.map(\.code) == ["NRM-009"])
    #expect(out.findings[0].cell == "t2.guizhang.jueding")
    #expect(out.findings[0].message.contains("「规章」一行没有「本年处理决定数量」一栏"))
    #expect(out.findings[0].sources == [F.source("inbox/财政局-表二.csv").ref(line: 4, column: 7)])
  }

  @Test func testGrid_conflictingDuplicateKeepsFirst() throws {
    let t1 = SheetTable(form: "t3", headerLines: [3], rows: [F.row(["一、本年新收政府信息公开申请数量"], 6, [(np, F.int(3))])])
    let t2 = SheetTable(form: "t3", headerLines: [40], rows: [F.row(["一、本年新收政府信息公开申请数量"], 43, [(np, F.int(4))])])
    let out = F.normalizer().normalize(sheet([t1, t2]))
    #expect(value(out.submission, "t3.r1.np") == .integer(3))
    #expect(out.findings.map(\.code) == ["NRM-010"])
    #expect(out.findings[0].expected == "3")
    #expect(out.findings[0].actual == "4")
  }
}
