import PropertyBased
import Testing

@testable import AlmanacCore

@Suite struct LabelFoldTests {
  @Test func testKey_stripsNumberingAndWidth() {
    #expect(LabelFold.key("（三）不予公开") == "不予公开")
    #expect(LabelFold.key("1.属于国家秘密") == "属于国家秘密")
    #expect(LabelFold.key("１．属于国家秘密") == "属于国家秘密")
    #expect(LabelFold.key("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量")
    #expect(LabelFold.key("3.危及“三安全一稳定”") == "危及\"三安全一稳定\"")
    #expect(LabelFold.key(" 自 然\n人 ") == "自然人")
    #expect(LabelFold.key("一是加强") == "加强")
  }

  /// One reader of Chinese numerals for dates (`二〇二六`, `十五`) and counts in prose (`两千`).
  @Test func testChineseNumber_digitsOrPlaces() {
    let read: [(String, Int?)] = [
      ("二〇二六", 2026), ("〇五", 5), ("十", 10), ("十五", 15), ("二十一", 21), ("三十", 30), ("一百零五", 105),
      ("两千", 2000), ("两", 2), ("四", 4), ("一二十三", nil), ("", nil), ("十a", nil), ("一二三四五六七八九〇", nil),
    ]
    for (text, value) in read {
      #expect(LabelFold.chineseNumber(text) == value, "\(text)")
    }
  }

  @Test func testPercent_roundsHalfUp() {
    #expect(DecimalFormat.percent(42, of: 81) == "51.85")
    #expect(DecimalFormat.percent(1, of: 8) == "12.50")
    #expect(DecimalFormat.fixed(0.125, scale: 2) == "0.13")
    #expect(DecimalFormat.percent(1, of: 0) == nil)
  }

  /// The byte check that lets `basic` return its input gives what the full fold gives, on text
  /// mixing characters it accepts (ASCII, Han at both ends of the range) with ones it must not
  /// (space, `'`, full-width forms, ideographic space, compatibility ideographs, curly quotes,
  /// Han just outside the range, combining marks).
  @Test func testBasic_fastPathEqualsTheFullFold() async {
    let characters: [String] = [
      "a", "Z", "0", "(", "\"", "~", "一", "龥", "\u{9FFF}", "\u{4E00}", "局", " ", "'", "（", "１", "\u{3000}",
      "\u{F900}", "\u{201C}", "\u{4DFF}", "\u{A000}", "e\u{301}", "\u{3001}", "\t", "\u{FEFF}",
    ]
    let text = Gen.element(of: characters).map { $0 ?? "a" }.array(of: 0...12).map { $0.joined() }
    await propertyCheck(input: text) { s in
      #expect(LabelFold.basic(s) == LabelFold.folded(s))
    }
    #expect(LabelFold.isFolded(Array("凌海市财政局(ABC)-1".utf8)))
    #expect(!LabelFold.isFolded(Array("凌海市财政局（本级）".utf8)))
    #expect(!LabelFold.isFolded(Array("\u{4DFF}".utf8)))
  }
}
