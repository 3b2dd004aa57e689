import AlmanacCore
import Foundation
import PropertyBased
import Testing

/// A unit glued to a figure is read against its cell's unit: money scales are converted to 万元
/// and multipliers applied to counts, exactly; a unit of another kind is never guessed at.
struct CellUnitTests {
  static func d(_ s: String) -> Decimal { Decimal(string: s) ?? .nan }

  @Test func testAmounts_otherMoneyScalesConvertToWanYuan_otherKindsAreRefused() {
    func read(_ v: String, _ unit: String) -> CellUnit.Reading {
      CellUnit.reading(Self.d(v), unit: unit, cellUnit: "万元", type: .amount)
    }
    #expect(read("12.6", "万元") == .asWritten)
    #expect(read("12.6", "万") == .asWritten)
    #expect(read("126000", "元") == .converted(Self.d("12.6"), unit: "万元"))
    #expect(read("126001.5", "元") == .converted(Self.d("12.60015"), unit: "万元"))
    #expect(read("0.5", "亿") == .converted(5000, unit: "万元"))
    #expect(read("0.126", "亿元") == .converted(1260, unit: "万元"))
    #expect(read("12600", "千元") == .converted(Self.d("1260"), unit: "万元"))
    #expect(read("1.5", "百万元") == .converted(150, unit: "万元"))
    #expect(read("1.5", "千万元") == .converted(1500, unit: "万元"))
    #expect(read("12", "件") == .wrongKind("件"))
    #expect(read("5", "%") == .wrongKind("%"))
    #expect(read("5", "％") == .wrongKind("％"))
  }

  @Test func testCounts_multipliersApply_moneyAndPercentAreRefused() {
    func read(_ v: String, _ unit: String) -> CellUnit.Reading {
      CellUnit.reading(Self.d(v), unit: unit, cellUnit: nil, type: .count)
    }
    #expect(read("820", "条") == .asWritten)
    #expect(read("60", "件") == .asWritten)
    #expect(read("1.2", "万") == .converted(12000, unit: nil))
    #expect(read("1.2", "万件") == .converted(12000, unit: "件"))
    #expect(read("3", "千条") == .converted(3000, unit: "条"))
    #expect(read("4120", "元") == .wrongKind("元"))
    #expect(read("4120", "万元") == .wrongKind("万元"))
    #expect(read("60", "%") == .wrongKind("%"))
    #expect(read("6", "‰") == .wrongKind("‰"))
    // After a multiplier, a unit of measure is not a number of items.
    #expect(read("5", "千克") == .wrongKind("千克"))
    #expect(read("1.5", "千米") == .wrongKind("千米"))
    #expect(read("3", "千人次") == .converted(3000, unit: "人次"))
    // About 22 is not a count: which one was meant cannot be told (it was read as 22).
    #expect(read("22", "余") == .wrongKind("余"))
    #expect(read("22", "多件") == .wrongKind("多件"))
    #expect(read("22", "abc") == .wrongKind("abc"))
    #expect(read("22", "件次") == .asWritten)
  }

  /// A cell declared in a measure word with a multiplier (the 2016 forms' 万份): its scales
  /// are converted, another measure word counts the same items, other kinds are refused.
  @Test func testMeasuredAmounts_scalesConvert_otherKindsAreRefused() {
    func read(_ v: String, _ unit: String) -> CellUnit.Reading {
      CellUnit.reading(Self.d(v), unit: unit, cellUnit: "万份", type: .amount)
    }
    #expect(read("2", "万份") == .asWritten)
    #expect(read("1.5", "万") == .asWritten)
    #expect(read("15000", "份") == .converted(Self.d("1.5"), unit: "万份"))
    #expect(read("3000", "张") == .converted(Self.d("0.3"), unit: "万份"))
    #expect(read("0.1", "亿份") == .converted(1000, unit: "万份"))
    #expect(read("100", "元") == .wrongKind("元"))
    #expect(read("60", "%") == .wrongKind("%"))
    #expect(read("5", "千克") == .wrongKind("千克"))
  }

  @Test func testDeclarableUnits() {
    for unit in ["元", "万元", "亿元", "%", "‰", "件", "万份", "人次"] {
      #expect(CellUnit.isDeclarable(unit), "\(unit)")
    }
    for unit in ["万圆", "千克", "", "US$"] {
      #expect(!CellUnit.isDeclarable(unit), "\(unit)")
    }
  }

  /// An amount without a declared unit (the 2016 forms' rates, `98%`) keeps what was written;
  /// a rate cell declared in % takes % and refuses a measure word.
  @Test func testAmountsWithoutADeclaredUnit_keepTheirFigure() {
    #expect(CellUnit.reading(98, unit: "%", cellUnit: nil, type: .amount) == .asWritten)
    #expect(CellUnit.reading(3, unit: "万份", cellUnit: nil, type: .amount) == .asWritten)
    #expect(CellUnit.reading(98, unit: "%", cellUnit: "%", type: .amount) == .asWritten)
    #expect(CellUnit.reading(98, unit: "％", cellUnit: "%", type: .amount) == .asWritten)
    #expect(CellUnit.reading(98, unit: "件", cellUnit: "%", type: .amount) == .wrongKind("件"))
    #expect(CellUnit.reading(5, unit: "‰", cellUnit: "%", type: .amount) == .converted(0.5, unit: "%"))
    #expect(CellUnit.reading(5, unit: "%", cellUnit: "‰", type: .amount) == .converted(50, unit: "‰"))
    #expect(CellUnit.reading(126000, unit: "元", cellUnit: "元", type: .amount) == .asWritten)
    #expect(CellUnit.reading(12.6, unit: "万元", cellUnit: "元", type: .amount) == .converted(126000, unit: "元"))
  }

  /// A money unit a header states at its end, and the label without it.
  @Test func testHeaderUnit_readsAStatedMoneyUnit() {
    #expect(CellUnit.headerUnit("收费金额（单位：元）")?.label == "收费金额")
    #expect(CellUnit.headerUnit("收费金额（单位：元）")?.unit == "元")
    #expect(CellUnit.headerUnit("金额(千元)")?.unit == "千元")
    #expect(CellUnit.headerUnit("本年收费金额（单位：万元）")?.unit == "万元")
    #expect(CellUnit.headerUnit("本年处理决定数量") == nil)
    #expect(CellUnit.headerUnit("数量（件）") == nil)
    #expect(CellUnit.headerUnit("（元）") == nil)
  }

  /// Converting 元 to 万元 loses nothing: ten thousand times the result is the figure written,
  /// for any amount to the fen.
  @Test func testYuanToWanYuan_isExact() async {
    await propertyCheck(input: Gen.int(in: 0...999_999_999_999), Gen.int(in: 0...2)) { fen, places in
      var written = Decimal(fen)
      var scaled = Decimal()
      _ = NSDecimalMultiplyByPowerOf10(&scaled, &written, Int16(-places), .plain)
      guard case .converted(let wan, let unit) = CellUnit.reading(scaled, unit: "元", cellUnit: "万元", type: .amount)
      else {
        Issue.record("\(scaled)元 was not converted")
        return
      }
      #expect(unit == "万元")
      #expect(wan * 10000 == scaled)
    }
  }
}
