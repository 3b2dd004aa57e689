import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@testable import Runner

@Suite struct PublicationCheckTests {
  /// A year folder whose manifest lists `outputs` (path → content) and the inbox `inputs`.
  static func published(_ folder: TemporaryFolder, outputs: [String: String], inputs: [String: String]) throws -> URL {
    let year = try folder.folder("outbox/2025")
    let inbox = try folder.folder("inbox")
    func ref(_ path: String, _ text: String) -> Manifest.FileRef {
      Manifest.FileRef(path: path, sha256: Digest.sha256Hex(Data(text.utf8)), size: Int64(text.utf8.count))
    }
    for (path, text) in outputs {
      let url = year.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    for (path, text) in inputs { try Data(text.utf8).write(to: inbox.appendingPathComponent(path)) }
    let manifest = Manifest(
      runId: "r1", pipeline: Manifest.PipelineRef(name: "p", digest: "d", seedsDigest: "s"), toolVersion: "t",
      year: 2025, startedAt: "a", finishedAt: "b", inputs: inputs.map { ref($0.key, $0.value) },
      outputs: outputs.map { ref($0.key, $0.value) })
    try AtomicFile.json(manifest).write(to: year.appendingPathComponent("manifest.json"))
    return year
  }

  @Test func testEverythingAsRecorded_isConsistent() throws {
    let folder = try TemporaryFolder("verify")
    defer { folder.remove() }
    let year = try Self.published(
      folder, outputs: ["report.md": "# 报告\n", "tables/t3.csv": "a,b\n"], inputs: ["表三.csv": "x"])
    let check = try PublicationCheck.check(
      yearFolder: year, shown: "outbox/2025/", inbox: folder.path("inbox"), excluding: [])
    #expect(check.consistent)
    #expect(check.outputs.map(\.path) == ["report.md", "tables/t3.csv"])
    #expect(check.inputs?.map(\.state) == [.same])
    #expect(check.unlisted == [])
  }

  @Test func testAPathLeavingTheFolder_isNeverRead_andKeptEditsAreUnlisted() throws {
    let folder = try TemporaryFolder("verify-unsafe")
    defer { folder.remove() }
    let year = try Self.published(folder, outputs: ["report.md": "r"], inputs: [:])
    try Data("secret".utf8).write(to: folder.path("outbox/secret"))
    var manifest = try JSONDecoder().decode(
      Manifest.self, from: Data(contentsOf: year.appendingPathComponent("manifest.json")))
    manifest.outputs.append(Manifest.FileRef(path: "../secret", sha256: Digest.sha256Hex(Data("secret".utf8)), size: 6))
    try AtomicFile.json(manifest).write(to: year.appendingPathComponent("manifest.json"))
    try Data("edited".utf8).write(to: year.appendingPathComponent("report.edited-r0.md"))
    let check = try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: nil, excluding: [])
    #expect(check.outputs.first { $0.path == "../secret" }?.state == .missing)
    #expect(check.unlisted == ["report.edited-r0.md"])
    #expect(check.inputs == nil)
    #expect(!check.consistent)
    #expect(check.text.contains("  清单外  report.edited-r0.md\n"))
    #expect(check.text.contains("收件箱：未核对"))
  }

  /// A consistent folder holding a kept edit says, in its conclusion, that the unlisted file is
  /// no part of what was published (an auditor copying the folder took `t3.edited-….csv`).
  @Test func testConsistentFolderWithAKeptEdit_saysToLeaveItOut() throws {
    let folder = try TemporaryFolder("verify-kept")
    defer { folder.remove() }
    let year = try Self.published(folder, outputs: ["report.md": "r"], inputs: [:])
    try Data("edited".utf8).write(to: year.appendingPathComponent("report.edited-r0.md"))
    let check = try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: nil, excluding: [])
    #expect(check.consistent)
    #expect(check.text.contains("另有 1 个清单外文件（见上），不是本次发布的内容，请勿作为发布结果使用（退出码 0）"), "\(check.text)")
  }

  /// A file a run never reads (a PDF) is recorded by its kind, name and inode: a copy of the
  /// inbox (new inodes) still has it as recorded; a removed one is missing.
  @Test func testFilesNeverRead_areComparedByPresence() throws {
    let folder = try TemporaryFolder("verify-unread")
    defer { folder.remove() }
    let year = try Self.published(folder, outputs: ["report.md": "r"], inputs: ["表三.csv": "a,1\n"])
    try Data("%PDF".utf8).write(to: folder.path("inbox/说明.pdf"))
    let listed = try InboxScanner.list(inbox: folder.path("inbox"))
    let recorded = try InboxHasher.hash(listed, cache: HashCache(url: folder.path("none.json"))).entries
    let manifestURL = year.appendingPathComponent("manifest.json")
    var manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
    manifest.inputs = recorded.map { Manifest.FileRef(path: $0.path, sha256: $0.sha256, size: $0.size) }
    try AtomicFile.json(manifest).write(to: manifestURL)

    let copy = folder.path("inbox-copy")
    try FileManager.default.copyItem(at: folder.path("inbox"), to: copy)
    let check = try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: copy, excluding: [])
    #expect(check.inputs?.map(\.state) == [.same, .same], "\(check.text)")
    try FileManager.default.removeItem(at: copy.appendingPathComponent("说明.pdf"))
    // A sheet that was read, now a link leading out of the inbox (never read): not the same.
    try FileManager.default.removeItem(at: copy.appendingPathComponent("表三.csv"))
    try FileManager.default.createSymbolicLink(
      at: copy.appendingPathComponent("表三.csv"), withDestinationURL: folder.path("inbox/表三.csv"))
    let removed = try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: copy, excluding: [])
    #expect(removed.inputs?.first { $0.path == "说明.pdf" }?.state == .missing)
    #expect(removed.inputs?.first { $0.path == "表三.csv" }?.state == .changed)
  }

  @Test func testNoOrABrokenManifest_isAFailureNamingIt() throws {
    let folder = try TemporaryFolder("verify-none")
    defer { folder.remove() }
    let year = try folder.folder("outbox/2025")
    #expect(throws: PublicationCheck.Failure.self) {
      try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: nil, excluding: [])
    }
    try Data("{\"runId\": 1}".utf8).write(to: year.appendingPathComponent("manifest.json"))
    do {
      _ = try PublicationCheck.check(yearFolder: year, shown: "outbox/2025/", inbox: nil, excluding: [])
      Issue.record("a manifest that is not one was accepted")
    } catch let failure as PublicationCheck.Failure {
      #expect(failure.description.hasPrefix("outbox/2025/manifest.json 无法解析，不是 almanac 写的发布清单"))
    }
  }
}
