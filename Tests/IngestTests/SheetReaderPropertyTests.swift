import AlmanacCore
import Ingest
import PropertyBased
import Testing

@Suite struct SheetReaderPropertyTests {
  static let orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

  /// Whatever order the columns come in, every value is found under its own label path.
  @Test func testT3ColumnOrder_doesNotChangeWhatIsRead() async {
    let gen = zip(
      Gen.shuffled(Self.orgs), Gen.shuffled(["自然人", "法人或其他组织", "总计"]), Gen.int(in: 0...2), Gen.int(in: 0...3))
    await propertyCheck(input: gen) { orgs, groups, blanks, spacerAt in
      // Header rows and the value each column receives (value = 10 + index of the label).
      var row2: [String] = ["", "", ""]
      var row3: [String] = ["", "", ""]
      var expected: [[String]: Int64] = [:]
      var data: [String] = ["一、本年新收政府信息公开申请数量", "", ""]
      // Empty spacer columns departments insert: they must not shift anything.
      for _ in 0..<blanks {
        row2.append("")
        row3.append("")
        data.append("")
      }
      for (n, g) in groups.enumerated() {
        if n == spacerAt && n > 0 {
          row2.append("")
          row3.append("")
          data.append("")
        }
        if g == "法人或其他组织" {
          for (i, o) in orgs.enumerated() {
            row2.append(i == 0 ? g : "")
            row3.append(o)
            let v = Int64(10 + Self.orgs.firstIndex(of: o)!)
            expected[["申请人情况", g, o]] = v
            data.append(String(v))
          }
        } else {
          row2.append(g)
          row3.append("")
          let v: Int64 = g == "自然人" ? 1 : 2
          expected[["申请人情况", g]] = v
          data.append(String(v))
        }
      }
      var row1 = Array(repeating: "", count: row2.count)
      row1[0] = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
      row1[3 + blanks] = "申请人情况"
      let text = [row1, row2, row3, data].map { $0.joined(separator: ",") }.joined(separator: "\n")
      let sheet = try SheetTestSupport.sheet(text)
      let row = try #require(sheet.tables.first?.rows.first)
      var read: [[String]: Int64] = [:]
      for c in row.cells {
        if case .integer(let v) = c.value { read[c.columnPath] = v }
      }
      #expect(read == expected)
      #expect(row.labelPath == ["一、本年新收政府信息公开申请数量"])
    }
  }
}
