import AlmanacCore
import Testing

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

  @Test func testPercent_roundsHalfUp() {
    #expect(DecimalFormat.percent(42, of: 81) == "51.85")
    #expect(DecimalFormat.percent(1, of: 8) == "12.50")
    #expect(DecimalFormat.fixed(0.125, scale: 2) == "0.13")
    #expect(DecimalFormat.percent(1, of: 0) == nil)
  }
}
