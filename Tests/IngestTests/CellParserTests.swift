import AlmanacCore
import Foundation
import Ingest
import PropertyBased
import Testing

@Suite struct CellParserTests {
  @Test func testIntegers_separatorsAndFullWidth() {
    #expect(CellParser.parse("1,234") == .init(value: .integer(1234)))
    #expect(CellParser.parse("１２３４") == .init(value: .integer(1234)))
    #expect(CellParser.parse("１，２３４") == .init(value: .integer(1234)))
    #expect(CellParser.parse(" 12 ") == .init(value: .integer(12)))
    #expect(CellParser.parse("1,234,567") == .init(value: .integer(1_234_567)))
    #expect(CellParser.parse("0") == .init(value: .integer(0)))
  }

  @Test func testBadSeparators_areText() {
    #expect(CellParser.parse("12,34") == .init(value: .text("12,34")))
    #expect(CellParser.parse("1,2345") == .init(value: .text("1,2345")))
    #expect(CellParser.parse("1.") == .init(value: .text("1.")))
  }

  @Test func testDecimals_exactNeverDouble() {
    #expect(CellParser.parse("3.5") == .init(value: .decimal(Decimal(string: "3.5")!)))
    #expect(CellParser.parse("24252.311082") == .init(value: .decimal(Decimal(string: "24252.311082")!)))
    #expect(CellParser.parse("0.000001") == .init(value: .decimal(Decimal(string: "0.000001")!)))
    #expect(CellParser.parse("1,234.50") == .init(value: .decimal(Decimal(string: "1234.5")!)))
  }

  @Test func testUnitsGlued_keptApart() {
    #expect(CellParser.parse("820条") == .init(value: .integer(820), unit: "条"))
    #expect(CellParser.parse("60件") == .init(value: .integer(60), unit: "件"))
    #expect(CellParser.parse("3.5万元") == .init(value: .decimal(Decimal(string: "3.5")!), unit: "万元"))
    #expect(CellParser.parse("１２件") == .init(value: .integer(12), unit: "件"))
    #expect(CellParser.parse("3件（含1件转办）") == .init(value: .text("3件（含1件转办）")))
  }

  @Test func testBlankTokens_keepWhatWasWritten() {
    for token in ["", "/", "-", "—", "－", "无", "——"] {
      #expect(CellParser.parse(token) == .init(value: .blank(token: token)))
    }
    #expect(CellParser.parse("  ") == .init(value: .blank(token: "")))
    #expect(CellParser.parse(" / ") == .init(value: .blank(token: "/")))
    #expect(CellParser.parse("／") == .init(value: .blank(token: "／")))
  }

  @Test func testNegatives_stayNumbers() {
    #expect(CellParser.parse("-3") == .init(value: .integer(-3)))
    #expect(CellParser.parse("－3") == .init(value: .integer(-3)))
    #expect(CellParser.parse("-0.5") == .init(value: .decimal(Decimal(string: "-0.5")!)))
  }

  @Test func testText_isText() {
    #expect(CellParser.parse("不详") == .init(value: .text("不详")))
    #expect(CellParser.parse("1.23457E+11") == .init(value: .text("1.23457E+11")))
    #expect(CellParser.parse("约3件") == .init(value: .text("约3件")))
  }

  /// NFKC turns footnote marks and exponents into digits: `22①` was read as 221, silently.
  @Test func testFootnoteMarksAndExponents_areText() {
    for raw in ["22①", "①22", "22₁", "1²", "12.5①", "12.5¹", "22⑴"] {
      #expect(CellParser.parse(raw) == .init(value: .text(raw)), "\(raw)")
    }
  }

  /// Excel's text-forced number (`="22"`) is the number.
  @Test func testTextForcedNumber_isTheNumber() {
    #expect(CellParser.parse("=\"22\"") == .init(value: .integer(22)))
    #expect(CellParser.parse("=\"1.25\"") == .init(value: .decimal(Decimal(string: "1.25")!)))
    #expect(CellParser.parse("=\"\"") == .init(value: .text("=\"\"")))
    #expect(CellParser.parse("=\"abc\"") == .init(value: .text("=\"abc\"")))
    #expect(CellParser.parse("=SUM(A1:A3)") == .init(value: .text("=SUM(A1:A3)")))
  }

  /// A formula result Excel exports with 13 places is kept exactly, to the dataset's text.
  @Test func testManyDecimals_keptExactly() {
    let parsed = CellParser.parse("12.3333333333333")
    #expect(parsed == .init(value: .decimal(Decimal(string: "12.3333333333333")!)))
    #expect(parsed.value.number.map(DecimalFormat.plain) == "12.3333333333333")
    #expect(CellParser.parse("0.9999999999999").value.number.map(DecimalFormat.plain) == "0.9999999999999")
  }

  @Test func testIntegers_roundTripWithSeparators() async {
    await propertyCheck(input: Gen.int(in: 0...999_999_999)) { n in
      let plain = String(n)
      var grouped = ""
      for (i, ch) in plain.enumerated() {
        if i > 0 && (plain.count - i) % 3 == 0 { grouped.append(",") }
        grouped.append(ch)
      }
      let fullWidth = String(String.UnicodeScalarView(plain.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
      #expect(CellParser.parse(plain).value == .integer(Int64(n)))
      #expect(CellParser.parse(grouped).value == .integer(Int64(n)))
      #expect(CellParser.parse(fullWidth).value == .integer(Int64(n)))
    }
  }
}

@Suite struct CellParserDateLikeTests {
  @Test func testYearHeader_isTextNotAFigure() {
    #expect(CellParser.parse("2016年度").value == .text("2016年度"))
    #expect(CellParser.parse("5月").value == .text("5月"))
    #expect(CellParser.parse("820条").value == .integer(820))
  }
}
