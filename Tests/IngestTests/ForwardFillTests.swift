import AlmanacCore
import Ingest
import Testing

@Suite struct ForwardFillTests {
  @Test func testColumnPaths_t3TotalDoesNotBecomeOther() {
    let grid = [
      ["说明", "", "", "申请人情况", "", "", "", "", "", ""],
      ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
      ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    let paths = HeaderBlock.columnPaths(grid)
    #expect(paths.count == 10)
    #expect(paths[0] == ["说明"])
    #expect(paths[1] == [])
    #expect(paths[2] == [])
    #expect(paths[3] == ["申请人情况", "自然人"])
    #expect(paths[4] == ["申请人情况", "法人或其他组织", "商业企业"])
    #expect(paths[8] == ["申请人情况", "法人或其他组织", "其他"])
    #expect(paths[9] == ["申请人情况", "总计"])
  }

  @Test func testColumnPaths_t4GroupsStayWithinParentSpan() {
    let grid = [
      ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
      ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
      ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    ]
    let paths = HeaderBlock.columnPaths(grid)
    #expect(paths[1] == ["行政复议", "结果纠正"])
    #expect(paths[4] == ["行政复议", "总计"])
    #expect(paths[6] == ["行政诉讼", "未经复议直接起诉", "结果纠正"])
    #expect(paths[9] == ["行政诉讼", "未经复议直接起诉", "总计"])
    #expect(paths[10] == ["行政诉讼", "复议后起诉", "结果维持"])
    #expect(paths[14] == ["行政诉讼", "复议后起诉", "总计"])
  }

  @Test func testColumnPaths_singleRowMergedValueHeaderIsNotFilled() {
    let paths = HeaderBlock.columnPaths([["信息内容", "本年处理决定数量", "", ""]])
    #expect(paths == [["信息内容"], ["本年处理决定数量"], [], []])
  }

  @Test func testColumnPaths_shortRowsArePadded() {
    let paths = HeaderBlock.columnPaths([["甲", ""], ["子1", "子2", "子3"]])
    #expect(paths == [["甲", "子1"], ["甲", "子2"], ["甲", "子3"]])
  }

  @Test func testRowLabels_shallowerLabelResetsDeeperLevels() {
    var fill = RowLabelFill(depth: 3)
    #expect(fill.path(for: ["一、本年新收", "", ""]) == ["一、本年新收"])
    #expect(fill.path(for: ["三、本年度办理结果", "（一）予以公开", ""]) == ["三、本年度办理结果", "（一）予以公开"])
    #expect(fill.path(for: ["", "（三）不予公开", "1.属于国家秘密"]) == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"])
    #expect(fill.path(for: ["", "", "2.其他法律行政法规禁止公开"]) == ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"])
    #expect(fill.path(for: ["", "（七）总计", ""]) == ["三、本年度办理结果", "（七）总计"])
    #expect(fill.path(for: ["四、结转下年度继续办理", "", ""]) == ["四、结转下年度继续办理"])
    #expect(fill.path(for: ["", "", ""]) == [])
  }

  @Test func testRowLabels_noLabelColumns() {
    var fill = RowLabelFill(depth: 0)
    #expect(fill.path(for: []) == [])
  }
}

@Suite struct ForwardFillSpacerTests {
  @Test func testColumnPaths_insertedBlankColumnIsLookedThrough() {
    let grid = [
      ["", "申请人情况", "", "", "", ""],
      ["", "自然人", "", "法人或其他组织", "", "总计"],
      ["", "", "", "商业企业", "科研机构", ""],
    ]
    let paths = HeaderBlock.columnPaths(grid)
    #expect(paths[2] == [])
    #expect(paths[3] == ["申请人情况", "法人或其他组织", "商业企业"])
    #expect(paths[4] == ["申请人情况", "法人或其他组织", "科研机构"])
    #expect(paths[5] == ["申请人情况", "总计"])
  }
}
