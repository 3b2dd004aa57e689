import AlmanacTestSupport
import Foundation
import Testing

extension BinaryRuns {
  /// `almanac inspect` run as an operator runs it: on a folder, on a workbook, on a name in GBK.
  @Suite struct InspectCommandTests {
    static func inspect(_ arguments: [String]) async throws -> ProcessOutcome {
      try await EndToEnd.run(
        ["inspect", "--pipeline", ProjectPaths.nationalPipeline.path, "--seeds", ProjectPaths.seeds.path] + arguments)
    }

    static let example = ProjectPaths.fixtures.appendingPathComponent("projects/linghai-2025/inbox")

    /// A folder stands for what a run would read in it: its sheets, below it too, and the files
    /// ingest reports without reading; prose is the draft's and is left out.
    @Test func testInspect_folderInspectsEachSheetInIt() async throws {
      let folder = try TemporaryFolder("inspect-folder")
      defer { folder.remove() }
      let inbox = try folder.folder("inbox")
      try FileManager.default.createDirectory(at: inbox.appendingPathComponent("乡镇"), withIntermediateDirectories: true)
      for (name, target) in [("人社局-表三.csv", "人社局-表三.csv"), ("石山镇2025年度统计表.csv", "乡镇/石山镇.csv")] {
        try FileManager.default.copyItem(
          at: Self.example.appendingPathComponent(name), to: inbox.appendingPathComponent(target))
      }
      try Data("本年度，测试市坚持以公开为常态。\n".utf8).write(to: inbox.appendingPathComponent("一、总体情况.md"))
      try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 32)).write(
        to: inbox.appendingPathComponent("财政局.xlsx"))

      let out = try await Self.inspect(["--json", inbox.path])
      #expect(out.exitCode == 1, "\(out)")
      let lines = out.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      let files = lines.compactMap { $0["file"] as? String }
      #expect(
        files == ["乡镇/石山镇.csv", "人社局-表三.csv", "财政局.xlsx"].map { "\(inbox.path)/\($0)" }, "\(out)")
      // The workbook is refused as a run refuses it, not read as a CSV.
      #expect(out.stdout.contains("ING-018"), "\(out)")

      let text = try await Self.inspect([inbox.path + "/"])
      #expect(text.stdout.contains("文件：\(inbox.path)/乡镇/石山镇.csv"), "\(text)")

      let empty = try folder.folder("empty")
      let none = try await Self.inspect([empty.path])
      #expect(none.exitCode == 2, "\(none)")
      #expect(none.stderr.contains("no sheet"), "\(none)")
    }

    /// A shell's glob over a GBK name hands over bytes that are not UTF-8: the finding says what
    /// the name reads as, not that the file does not exist.
    /// The unit a sheet names, looked up as a run looks it up: a run holds back a sheet of an
    /// unregistered unit (NRM-001), and inspect said only the name it read.
    @Test func testInspect_saysWhetherTheUnitIsRegistered() async throws {
      let unknown = Self.example.appendingPathComponent("凌海市科学技术局2025年度政府信息公开统计.csv")
      let out = try await Self.inspect([unknown.path, Self.example.appendingPathComponent("司法局2025.csv").path])
      #expect(out.stdout.contains("  登记：未登记；运行时该文件暂缓采用（NRM-001）。最接近的登记名称："), "\(out)")
      #expect(out.stdout.contains("  登记：已登记：凌海市司法局（sfj）"), "\(out)")
      let json = try await Self.inspect(["--json", unknown.path])
      #expect(json.stdout.contains("\"registry\":\"未登记"), "\(json)")
    }

    @Test func testInspect_gbkNameSaysWhatItReadsAs() async throws {
      let folder = try TemporaryFolder("inspect-gbk")
      defer { folder.remove() }
      #expect(RawFileName.createFile(RawFileName.gbkSheet, in: folder.url, content: "a,1\n"))
      let shown = folder.url.path + "/" + RawFileName.shown(RawFileName.gbkSheet)
      let out = try await Self.inspect([shown])
      #expect(out.exitCode == 1, "\(out)")
      #expect(out.stdout.contains("ING-016"), "\(out)")
      #expect(out.stdout.contains("改名为“财政局-表三.csv”"), "\(out)")
    }
  }
}
