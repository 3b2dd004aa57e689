import AlmanacCore
import Testing

@testable import Ingest

/// `FormIndex.key` remembers its answers across files; they must stay those of folding.
@Suite struct FormIndexTests {
  let forms: [FormDefinition]

  init() throws {
    forms = try SheetTestSupport.forms()
  }

  /// What `key(_:)` computed before it remembered anything.
  static func folded(_ text: String, aliases: [String: String]) -> String {
    let k = LabelFold.key(text)
    return aliases[k] ?? k
  }

  @Test func testKey_isTheFoldedAliasMappedLabel_firstTimeAndAfter() {
    let aliases = [LabelFold.key("行政法复议"): LabelFold.key("行政复议")]
    let index = FormIndex(forms: forms, aliases: aliases)
    let texts = ["序号", " 受理单位 ", "（一）行政法复议", "申请人类型", "ＡＢＣ", "凌海市环保局2025年依申请公开登记台账", ""]
    for text in texts + texts {
      #expect(index.key(text) == Self.folded(text, aliases: aliases), "\(text)")
    }
    #expect(index.key("行政法复议") == LabelFold.key("行政复议"))
  }

  @Test func testKey_staysRightAfterTheMemoIsFull() {
    let index = FormIndex(forms: forms, aliases: [:])
    // Past the memo's limit texts are folded each time; earlier ones are still remembered.
    for i in 0..<(FormIndex.keyMemoLimit + 100) { _ = index.key("标题\(i)") }
    for text in ["标题3", "标题20099", "（三）受理单位", "1.申请人类型"] {
      #expect(index.key(text) == Self.folded(text, aliases: [:]), "\(text)")
    }
  }

  @Test func testIsHeaderKey_agreesWithTheFormsHeaderKeys() {
    let index = FormIndex(forms: forms, aliases: [:])
    for entry in index.entries {
      for key in entry.headerKeys { #expect(index.isHeaderKey(key), "\(key)") }
    }
    for text in ["凌海市环保局", "合计", "备  注", "受理单位", "2025"] {
      let key = index.key(text)
      #expect(index.isHeaderKey(key) == index.entries.contains { $0.headerKeys.contains(key) }, "\(text)")
    }
  }
}
