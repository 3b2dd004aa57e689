import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

/// Names unzipped from an archive made on Chinese Windows arrive in GBK bytes.
@Suite struct LegacyFileNameTests {
  @Test func testGB18030Reading_ofGBKBytes() {
    #expect(LegacyFileName.gb18030Reading(RawFileName.gbkSheet) == "财政局-表三.csv")
    #expect(LegacyFileName.gb18030Reading(RawFileName.gbkText) == "一、概述.md")
    // Plain ASCII is no legacy name; 0xFF never starts a GB18030 character.
    #expect(LegacyFileName.gb18030Reading(Array("plain.csv".utf8)) == nil)
    #expect(LegacyFileName.gb18030Reading([0x62, 0xFF, 0xFE, 0x2E, 0x63]) == nil)
    // A lead byte with nothing after it.
    #expect(LegacyFileName.gb18030Reading([0x61, 0xB2]) == nil)
  }

  @Test func testReading_findsTheEntryByItsShownName() throws {
    let folder = try TemporaryFolder("legacy-name")
    defer { folder.remove() }
    #expect(RawFileName.createFile(RawFileName.gbkSheet, in: folder.url, content: "a,1\n"))
    let shown = RawFileName.shown(RawFileName.gbkSheet)
    #expect(shown.contains("\u{FFFD}"))
    #expect(LegacyFileName.reading(folder: folder.url.path, shownName: shown) == "财政局-表三.csv")
    #expect(LegacyFileName.reading(folder: folder.url.path, shownName: "other\u{FFFD}.csv") == nil)
    #expect(LegacyFileName.renameAdvice(reading: "财政局-表三.csv").contains("改名为“财政局-表三.csv”"))
    #expect(LegacyFileName.renameAdvice(reading: nil, what: "文件夹").contains("请将文件夹改名"))
  }
}
