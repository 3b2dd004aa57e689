import AlmanacCore
import AlmanacTestSupport
import Draft
import Foundation
import PropertyBased
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct TextMaterialTests {
  static let cases: [(String, TextMaterialName?)] = [
    ("一、总体情况.md", TextMaterialName(section: "一")),
    ("五-存在的主要问题.txt", TextMaterialName(section: "五")),
    ("六.md", TextMaterialName(section: "六")),
    ("section1.md", TextMaterialName(section: "一")),
    ("Section6_其他事项.MD", TextMaterialName(section: "六")),
    ("section5.txt", TextMaterialName(section: "五")),
    ("环保局-六.md", TextMaterialName(section: "六", department: "环保局")),
    ("财政局_section5.md", TextMaterialName(section: "五", department: "财政局")),
    ("六安市环保局-五.md", TextMaterialName(section: "五", department: "六安市环保局")),
    ("一（一）主动公开.md", TextMaterialName(section: "一", part: 1)),
    ("一(二).md", TextMaterialName(section: "一", part: 2)),
    ("一-3.md", TextMaterialName(section: "一", part: 3)),
    ("section1-4.md", TextMaterialName(section: "一", part: 4)),
    ("section1.5.md", TextMaterialName(section: "一", part: 5)),
    ("环保局-一（二）.md", TextMaterialName(section: "一", part: 2, department: "环保局")),
    ("一些想法.md", nil),
    ("三、依申请.md", nil),
    ("section3.md", nil),
    ("环保局.md", nil),
    ("-六.md", nil),
    ("六.csv", nil),
    ("一-12.md", TextMaterialName(section: "一")),
  ]

  @Test(arguments: 0..<cases.count)
  func testClassify_byFileName(_ i: Int) {
    let (name, expected) = Self.cases[i]
    #expect(TextMaterialName(fileName: name) == expected, "\(name)")
  }

  @Test func testClassify_departmentPrefixNeverLost() async {
    // Any department name without separators, followed by `-五`, is claimed for section 五.
    await propertyCheck(input: Gen.letterOrNumber.string(of: 1...12)) { name in
      let parsed = TextMaterialName(fileName: "X\(name)-五.md")
      #expect(parsed == TextMaterialName(section: "五", department: "X\(name)"))
    }
  }

  @Test func testLoad_classifiesSkipsAndNormalizes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("\u{FEFF}\r\n第一段。\r\n第二段。\r\n\r\n".utf8).write(to: folder.appendingPathComponent("五、问题.md"))
    try Data("本局无收费。".utf8).write(to: folder.appendingPathComponent("环保局-六.txt"))
    try Data("随手记".utf8).write(to: folder.appendingPathComponent("备忘.md"))
    // Notepad's "ANSI" (GB18030) and "Unicode" (UTF-16 with BOM) are read; bytes valid in
    // none of the three are not.
    try Data([0xD6, 0xD0, 0xCE, 0xC4]).write(to: folder.appendingPathComponent("六.md"))  // GB18030 "中文"
    try Data([0xFF, 0xFE, 0x2C, 0x67, 0x74, 0x5E]).write(to: folder.appendingPathComponent("一、概述.txt"))  // 本年
    try Data([0xFF, 0x41, 0x80]).write(to: folder.appendingPathComponent("section5.md"))
    try Data("x".utf8).write(to: folder.appendingPathComponent("readme.pdf"))
    let (materials, skipped) = try TextMaterial.load(from: folder)
    #expect(
      materials
        == [
          TextMaterial(
            file: "一、概述.txt", sha256: Digest.sha256Hex(Data([0xFF, 0xFE, 0x2C, 0x67, 0x74, 0x5E])), section: "一",
            department: nil, text: "本年"),
          TextMaterial(
            file: "五、问题.md", sha256: Digest.sha256Hex(Data("\u{FEFF}\r\n第一段。\r\n第二段。\r\n\r\n".utf8)),
            section: "五", department: nil, text: "第一段。\n第二段。"),
          TextMaterial(
            file: "环保局-六.txt", sha256: Digest.sha256Hex(Data("本局无收费。".utf8)), section: "六", department: "环保局",
            text: "本局无收费。"),
          TextMaterial(
            file: "六.md", sha256: Digest.sha256Hex(Data([0xD6, 0xD0, 0xCE, 0xC4])), section: "六", department: nil,
            text: "中文"),
        ].sorted { $0.file < $1.file })
    #expect(skipped.map(\.file) == ["section5.md", "备忘.md"])
    #expect(skipped[0].reason.contains("GB18030"))
    #expect(skipped[1].reason.contains("文件名无法识别"))
    let finding = skipped[1].finding
    #expect(finding.code == "DRF-002" && finding.severity == .warning && finding.stage == "draft")
    #expect(finding.message.hasPrefix("文字材料“备忘.md”未采用：文件名无法识别所属部分"))
    #expect(finding.sources.map(\.file) == ["备忘.md"])
  }

  /// A named pipe, or a link to one, would block the run when read: both are skipped with a reason.
  @Test func testLoad_namedPipeAndLinkToItAreSkippedNotRead() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("本局无收费。".utf8).write(to: folder.appendingPathComponent("六.md"))
    #expect(mkfifo(folder.appendingPathComponent("五.md").path, 0o644) == 0)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("一.md").path, withDestinationPath: "五.md")
    let (materials, skipped) = try TextMaterial.load(from: folder)
    #expect(materials.map(\.file) == ["六.md"])
    #expect(skipped.map(\.file) == ["一.md", "五.md"])
    #expect(skipped.allSatisfy { $0.reason.contains("命名管道") })
  }

  /// A sheet saved as text (Excel's "Unicode text", WPS's tab-separated text) is not prose:
  /// the reason it is skipped says how to send it as a sheet.
  @Test func testLoad_tableSavedAsTextGetsAHintPlainProseDoesNot() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let sheet = "表三\n申请人情况\t自然人\t合计\n新收申请\t3\t3\n"
    var utf16 = Data([0xFF, 0xFE])
    utf16.append(sheet.data(using: .utf16LittleEndian) ?? Data())
    try utf16.write(to: folder.appendingPathComponent("财政局.txt"))
    try Data(sheet.utf8).write(to: folder.appendingPathComponent("民政局.txt"))
    try Data("随手记\t一行\n第二行".utf8).write(to: folder.appendingPathComponent("备忘.txt"))
    let (_, skipped) = try TextMaterial.load(from: folder)
    let hint = "该文件看起来是表格"
    #expect(skipped.map(\.file) == ["备忘.txt", "民政局.txt", "财政局.txt"])
    #expect(skipped.map { $0.reason.contains(hint) } == [false, true, true])
    #expect(skipped[2].reason.contains("扩展名改为 .tsv"))
    // A table's figures are left out of the report: an error (the report stays 草稿).
    #expect(skipped.map(\.finding.severity) == [.warning, .error, .error])
  }

  /// A text past 1 MB is not a report section (a log or an export saved as .txt): skipped with
  /// its size, never read whole; one of exactly 1 MB is read.
  @Test func testLoad_fileOverOneMegabyteIsSkippedWithItsSize() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(repeating: 0x61, count: TextMaterial.maxBytes).write(to: folder.appendingPathComponent("五.md"))
    try Data(repeating: 0x61, count: 3 * TextMaterial.maxBytes / 2 + 1).write(to: folder.appendingPathComponent("六.md"))
    let (materials, skipped) = try TextMaterial.load(from: folder)
    #expect(materials.map(\.file) == ["五.md"])
    #expect(skipped.map(\.file) == ["六.md"])
    #expect(skipped.first?.reason.hasPrefix("文件有 1.5 MB，超过文字材料的上限 1 MB") == true)
    #expect(skipped.first?.finding.severity == .warning)
  }

  @Test func testLoad_missingFolderIsNoMaterial() throws {
    let (materials, skipped) = try TextMaterial.load(from: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"))
    #expect(materials.isEmpty && skipped.isEmpty)
  }

  @Test func testMarkdownEscape_controlCharacters() {
    #expect(MarkdownContentType.escape("a|b*c_d[e](f)<g>#h\\i`j\nk") == "a\\|b\\*c\\_d\\[e\\](f)\\<g\\>\\#h\\\\i\\`j k")
    #expect(MarkdownContentType.escape("51.85") == "51.85")
    #expect(MarkdownContentType.escape("生态环境局（d07）") == "生态环境局（d07）")
  }

  /// What the inbox listing found but `load` never saw is reported, never dropped.
  @Test func testUnread_subfolderAndNonUTF8NamesGetReasons() throws {
    let inbox = try TemporaryFolder("unread-text")
    defer { inbox.remove() }
    let listed = ["一、概述.md", "材料/五、依申请公开.md", "bad\u{FFFD}name.md"]
    let unread = TextMaterial.unread(listed, seen: ["一、概述.md"], inbox: inbox.url)
    #expect(unread.map(\.file) == ["bad\u{FFFD}name.md", "材料/五、依申请公开.md"])
    #expect(unread[0].reason.contains("UTF-8"))
    #expect(unread[1].reason.contains("子文件夹"))
    #expect(unread.allSatisfy { $0.finding.code == "DRF-002" })
    #expect(TextMaterial.unread(["一、概述.md"], seen: ["一、概述.md"], inbox: inbox.url).isEmpty)
  }

  /// A text named in GBK (unzipped from an archive made on Windows) is not placed by its
  /// garbled name (“cannot tell its section”) but refused for the name, with what it reads as.
  @Test func testLoad_gbkNameIsRefusedWithItsReading() throws {
    let inbox = try TemporaryFolder("gbk-text")
    defer { inbox.remove() }
    #expect(RawFileName.createFile(RawFileName.gbkText, in: inbox.url, content: "本年度，测试市坚持以公开为常态。\n"))
    let (materials, skipped) = try TextMaterial.load(from: inbox.url)
    #expect(materials.isEmpty)
    #expect(skipped.map(\.file) == [RawFileName.shown(RawFileName.gbkText)])
    #expect(skipped.first?.reason.contains("改名为“一、概述.md”") == true, "\(skipped)")

    // A name that truly holds U+FFFD (valid UTF-8) opens, and is read.
    let other = try TemporaryFolder("fffd-text")
    defer { other.remove() }
    try Data("本年度。\n".utf8).write(to: other.url.appendingPathComponent("五、\u{FFFD}问题.md"))
    let (read, none) = try TextMaterial.load(from: other.url)
    #expect(read.map(\.file) == ["五、\u{FFFD}问题.md"] && none.isEmpty, "\(none)")
  }
}
