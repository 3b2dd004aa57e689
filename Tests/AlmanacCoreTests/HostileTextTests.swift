import AlmanacCore
import Foundation
import Testing

/// Issue 8: text from the inbox as file names, terminal lines and CSV cells.
@Suite struct HostileTextTests {
  /// `explain` printed a cell's terminal escape raw (a retitled terminal, `ESC[8m` hiding the
  /// “非数值，未计入” note): each line is escaped, the lines kept.
  @Test func testEscapingControlsPerLine_keepsLinesEscapesTheRest() {
    let text = "t2.xzxk.jueding\n  值 = \u{1B}]0;PWNED\u{7}\u{1B}[8m22\n"
    #expect(PrintableText.escapingControlsPerLine(text) == "t2.xzxk.jueding\n  值 = \\u{1B}]0;PWNED\\u{7}\\u{1B}[8m22\n")
  }

  @Test func testSafeFileName_neverAPathOrAnOption() {
    #expect(SafeFileName.make("t3-表三") == "t3-表三")
    #expect(SafeFileName.make("../../etc/passwd") == "_.._.._etc_passwd")
    #expect(SafeFileName.make("..") == "_")
    #expect(SafeFileName.make("") == "_")
    #expect(SafeFileName.make("-rf") == "_-rf")
    #expect(SafeFileName.make(".hidden") == "_.hidden")
    #expect(SafeFileName.make("a\nb\u{1B}c") == "a_b_c")
    #expect(SafeFileName.make("a:b*c?\"<>|\\d") == "a_b_c______d")
    let long = SafeFileName.make(String(repeating: "表", count: 300))
    #expect(long.utf8.count <= SafeFileName.maxBytes && long.hasSuffix("表…") && long.count == 60)
    #expect(SafeFileName.make(String(repeating: "a", count: 300)) == String(repeating: "a", count: 119) + "…")
    #expect(SafeFileName.make(String(repeating: "a", count: 120)) == String(repeating: "a", count: 120))
    #expect(SafeFileName.make(String(repeating: "表", count: 60)) == String(repeating: "表", count: 60))
  }

  @Test func testPrintableText_controlsBecomeEscapes() {
    #expect(PrintableText.escapingControls("凌海市统计局") == "凌海市统计局")
    #expect(PrintableText.escapingControls("a\nb\r\tc") == "a\\nb\\r\\tc")
    #expect(PrintableText.escapingControls("\u{1B}[2J\u{7F}\u{85}\u{2028}") == "\\u{1B}[2J\\u{7F}\\u{85}\\u{2028}")
  }

  @Test func testCSVWriter_formulasNeutralizedNumbersKept() {
    var w = CSVWriter(bom: false)
    w.row(["=HYPERLINK(\"http://evil.example/\",\"x\")", "@SUM(A1:A9)", "+1", "-1", "\tx", "\rx", "凌海"], numeric: [])
    w.row(["-1", "-1.5", "+1", "-1+1", "=1", "1,234"], numeric: [0, 1, 2, 3, 4, 5])
    #expect(
      w.text
        == "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",'@SUM(A1:A9),'+1,'-1,'\tx,\"'\rx\",凌海\r\n"
        + "-1,-1.5,'+1,'-1+1,'=1,\"1,234\"\r\n")
  }
}
