import AlmanacCore
import Foundation
import Testing

@testable import Draft

/// C-5 and C-6: the figures and claims of the operators' prose against the region's tables
/// (平潭 2023's published tables; its published narrative agrees with them).
struct NarrativeCheckTests {
  func check(_ text: String, department: String? = nil) throws -> [Finding] {
    let material = TextMaterial(
      file: "一（二）.md", sha256: String(repeating: "b", count: 64), section: "一", department: department,
      text: text, part: 2)
    let check = NarrativeCheck(
      region: PingtanFixture.region, figures: ReportFigures(pipeline: try PingtanFixture.pipeline()), year: 2023)
    return check.findings([material])
  }

  /// One wrong sentence repeated throughout a file: twenty findings and one for the rest, not
  /// one per line (two million of them for a 100 MB file).
  @Test func testManyWrongSentencesInOneFile_areCapped() throws {
    let findings = try check(Array(repeating: "本年度收到申请80件。", count: 30).joined(separator: "\n"))
    #expect(findings.count == NarrativeCheck.listedPerFile + 1)
    #expect(findings.last?.message.contains("另有 10 处数字与报表不符，未逐一列出（示例行：21、22、23") == true)
    #expect(findings.last?.actual == "10")
    #expect(Set(findings.map(\.id)).count == findings.count)
  }

  /// True sentences a report writes that are not the whole count the pattern names: a kind of
  /// suit, one kind of applicant, reviews and suits together, last year, stated exceptions.
  @Test func testTrueSentencesThatAreNotTheTotal_areNotFlagged() throws {
    for text in [
      "未经复议直接提起行政诉讼5件，复议后提起行政诉讼2件。",
      "收到自然人申请80件，商业企业申请1件。",
      "全年发生政府信息公开行政复议、行政诉讼案件共9件。",
      "与上年相比，2022年收到申请75件；较上年收到申请增加6件。",
      "行政复议案件2件，除结果纠正1件外，其余均获维持。",
      "上年结转申请0件。",
      "本年度办结申请81件，其中本年新收申请77件、上年结转申请4件。",
      "全市各级行政机关共收到申请81件，其中市直部门收到申请60件，乡镇（街道）收到申请21件。",
      "办结申请81件，其中在法定期限内办结80件，延期办结1件。",
      "力争实现政府信息公开行政复议、行政诉讼零败诉。",
      "2022年度发生的行政复议案件均获维持。",
      "市直部门收到申请60件，乡镇（街道）收到申请21件。",
    ] {
      let findings = try check(text)
      #expect(findings.isEmpty, "\(text): \(findings.map(\.message))")
    }
  }

  /// Wrong figures written with 共计, beside a bracketed figure of another year, or in a
  /// sentence after another that states exceptions, are still found.
  @Test func testWrongFiguresInOtherWordings_areFound() throws {
    #expect(try check("本年度共收到政府信息公开申请共计90件。").map(\.actual) == ["90"])
    #expect(try check("本年度共收到政府信息公开申请90件（2022年为70件）。").map(\.actual) == ["90"])
    #expect(try check("行政诉讼四件。").map(\.actual) == ["4"])
    #expect(try check("全年办结申请八十一件，行政复议两件。").isEmpty)
    #expect(LabelFold.chineseNumber("一百零五") == 105 && LabelFold.chineseNumber("十") == 10)
    let upheld = try check("全年收到申请81件，除涉及国家秘密的外均依法答复。行政复议2件，均获维持。")
    #expect(upheld.map(\.code) == ["DRF-005"])
  }

  /// Two mismatches of one kind on one line are two findings (one id had swallowed the other).
  @Test func testTwoMismatchesOnALine_areTwoFindings() throws {
    let findings = try check("全年收到申请99件，另有本年新收申请77件。")
    #expect(findings.map(\.actual) == ["99", "77"])
    #expect(Set(findings.map(\.id)).count == 2)
  }

  /// “均获维持” said of suits only is checked against the suits only.
  @Test func testUpheldClaimAboutSuits_isCheckedAgainstSuitsOnly() throws {
    let message = try check("行政诉讼案件均获维持。").first?.message ?? ""
    #expect(message.contains("但表四有未经复议直接起诉的行政诉讼尚未审结 1 件。"), "\(message)")
    #expect(!message.contains("行政复议结果纠正"), "\(message)")
  }

  @Test func testPublishedNarrative_agreesWithTheTables() throws {
    let text = """
      2023年，共收到政府信息公开申请81件，其中自然人80件、商业企业1件。全年办结81件，\
      其中予以公开及部分公开42件，不予公开5件，无法提供31件，不予处理1件，其他处理2件。
      本年度发生行政复议案件2件、行政诉讼案件７件。
      """
    #expect(try check(text).isEmpty)
  }

  /// A sentence may count applications with last year's carried over (平潭 2022's wording):
  /// either reading of the table agrees.
  @Test func testApplications_newOrNewWithCarriedOver_bothAgree() throws {
    var region = PingtanFixture.region
    region["t3.r2.zj"] = .integer(1)
    let material = TextMaterial(
      file: "一（二）.md", sha256: "", section: "一", department: nil, text: "共收到申请82件；新收申请81件。", part: 2)
    let check = NarrativeCheck(
      region: region, figures: ReportFigures(pipeline: try PingtanFixture.pipeline()), year: 2023)
    #expect(check.findings([material]).isEmpty)
  }

  @Test func testFiguresTheTableContradicts_areWarningsAtTheirLine() throws {
    let findings = try check("概述。\n收到政府信息公开申请75件，办结80件，予以公开及部分公开40件，不予公开6件，行政复议3件。")
    #expect(findings.map(\.code) == Array(repeating: "DRF-004", count: 5))
    #expect(findings.allSatisfy { $0.severity == .warning && $0.sources.first?.line == 2 })
    #expect(findings.map(\.actual) == ["40", "6", "80", "75", "3"])
    #expect(findings.map(\.expected) == ["42", "5", "81", "81", "2"])
    #expect(findings[0].message.contains("写“予以公开及部分公开40件”，与报表不符：予以公开及部分公开 42 件"), "\(findings[0].message)")
    // The longer wording is read once: not also as 部分公开40件.
    #expect(!findings.contains { $0.message.contains("写“部分公开40件”") })
    #expect(Set(findings.map(\.id)).count == 5)
  }

  /// C-6: “均获维持” while 表四 has a corrected review and a pending suit.
  @Test func testUpheldClaim_contradictedByTable4() throws {
    let findings = try check("行政复议、行政诉讼案件均获维持，无败诉。")
    #expect(findings.map(\.code) == ["DRF-005"])
    let message = findings.first?.message ?? ""
    #expect(message.contains("称“均获维持”，但表四有行政复议结果纠正 1 件、未经复议直接起诉的行政诉讼尚未审结 1 件"), "\(message)")
  }

  /// A department's own text speaks of its own figures, not the region's.
  @Test func testDepartmentText_isNotComparedWithTheRegion() throws {
    #expect(try check("收到申请3件，均获维持。", department: "环保局").isEmpty)
  }
}
