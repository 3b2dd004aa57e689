import AlmanacCore
import Foundation
import PropertyBased
import Testing

/// Seeds edited in Excel or WPS come back with dates as the system shows them.
struct SeedDateTests {
  /// Every real day, written `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D` or `YYYY年M月D日`, is that day;
  /// the reference is Foundation's Gregorian calendar.
  @Test func testCanonical_isTheSameDayWhicheverWayItIsWritten() async {
    await propertyCheck(input: Gen.int(in: 1900...2199), Gen.int(in: 1...12), Gen.int(in: 1...31)) { y, m, d in
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
      let parts = DateComponents(year: y, month: m, day: d)
      let real = calendar.date(from: parts).map { calendar.dateComponents([.year, .month, .day], from: $0) } == parts
      let iso = String(format: "%04d-%02d-%02d", y, m, d)
      for written in [
        iso, "\(y)/\(m)/\(d)", "\(y).\(m).\(d)", "\(y)年\(m)月\(d)日", String(format: "%04d/%02d/%02d", y, m, d),
      ] {
        #expect(SeedDate.canonical(written) == (real ? iso : nil), "\(written)")
      }
    }
  }

  @Test func testCanonical_refusesWhatIsNoDate() {
    for text in [
      "", "2019", "19/3/29", "3/29/2019", "2019-3/29", "2019年3月29", "2019/03/29/", "２０１９/3/29", "2019-00-10",
    ] {
      #expect(SeedDate.canonical(text) == nil, "\(text)")
    }
  }
}
