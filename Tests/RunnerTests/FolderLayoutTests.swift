import Foundation
import Runner
import Testing

@Suite struct FolderLayoutTests {
  /// `TestProject` settings with the given folders (relative to the project).
  func settings(_ p: TestProject, outbox: String = "outbox", state: String = ".almanac") throws -> RunSettings {
    var raw = RawSettings()
    raw.outbox = outbox
    raw.state = state
    return try p.settings(raw)
  }

  func refusal(_ p: TestProject, outbox: String = "outbox", state: String = ".almanac") throws -> String? {
    do {
      try FolderLayout.check(try settings(p, outbox: outbox, state: state), year: 2021)
      return nil
    } catch let e as UsageError {
      return e.message
    }
  }

  @Test func testCheck_acceptsSeparateFoldersAndFoldersInsideTheInbox() throws {
    let p = try TestProject()
    defer { p.remove() }
    #expect(try refusal(p) == nil)
    // Skipped by the inbox listing.
    #expect(try refusal(p, outbox: "inbox/out", state: "inbox/.state") == nil)
    // The outbox holding the inbox is fine as long as results go elsewhere (<outbox>/2021).
    #expect(try refusal(p, outbox: ".") == nil)
    #expect(try refusal(p, outbox: "out", state: "out/.state") == nil)
  }

  /// The state folder is made private (0700) and its contents may be deleted: given as the
  /// seeds, the pipeline or the outbox, a run changed their permissions and wrote into them.
  @Test func testCheck_refusesAStateFolderThatIsAnotherFolder() throws {
    let p = try TestProject()
    defer { p.remove() }
    for state in ["seeds", "pipelines/test", "pipelines/test/st", "pipelines", "outbox"] {
      #expect(try refusal(p, state: state)?.contains("overlap: the state folder is made private") == true, "\(state)")
    }
    #expect(try refusal(p, outbox: ".almanac/out")?.contains("and --outbox") == true)
    // Inside the seeds (`--seeds .` with the default .almanac) or beside the outbox's years: fine.
    #expect(try refusal(p, state: "seeds/st") == nil)
    #expect(try refusal(p, state: "outbox/.state") == nil)
  }

  @Test func testCheck_refusesLayoutsThatMixTheFolders() throws {
    let p = try TestProject()
    defer { p.remove() }
    #expect(try refusal(p, outbox: "inbox")?.contains("is the inbox: published files") == true)
    #expect(try refusal(p, outbox: "inbox/sub/..")?.contains("is the inbox") == true)
    #expect(try refusal(p, state: "inbox")?.contains("is the inbox: checkpoints") == true)
    #expect(try refusal(p, state: ".")?.contains("inside the state folder") == true)
    #expect(try refusal(p, outbox: "out", state: "out/2021")?.contains("where results are published") == true)
    #expect(try refusal(p, outbox: "out", state: "out/2021/st")?.contains("where results are published") == true)

    var seedsInInbox = RawSettings()
    seedsInInbox.seeds = "inbox/seeds"
    #expect(throws: UsageError.self) { try FolderLayout.check(try p.settings(seedsInInbox), year: 2021) }
    var pipelineAsInbox = RawSettings()
    pipelineAsInbox.inbox = "pipelines/test"
    #expect(throws: UsageError.self) { try FolderLayout.check(try p.settings(pipelineAsInbox), year: 2021) }

    // An inbox at <outbox>/<year>: publishing would write over departments' files.
    try FileManager.default.createDirectory(at: p.url("drop/2021"), withIntermediateDirectories: true)
    var raw = RawSettings()
    raw.inbox = "drop/2021"
    raw.outbox = "drop"
    let published = try p.settings(raw)
    #expect(throws: UsageError.self) { try FolderLayout.check(published, year: 2021) }
    // Another year publishes beside it.
    try FolderLayout.check(published, year: 2022)
  }

  /// A file where the outbox, its year folder or the state folder should be was found only when
  /// the run came to write there: after every stage had run (exit 3), or before any (state).
  @Test func testCheck_refusesAFileInAFoldersPlace() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("x\n", to: "afile")
    try p.write("x\n", to: "out/2021")
    #expect(
      try refusal(p, outbox: "afile")
        == "--outbox \(p.url("afile").path) is a file, not a folder; move the file away or pass another --outbox")
    #expect(
      try refusal(p, outbox: "out")?.hasPrefix("the outbox's year folder \(p.url("out/2021").path) is a file") == true)
    #expect(try refusal(p, state: "afile")?.hasPrefix("--state \(p.url("afile").path) is a file") == true)
  }

  @Test func testCheck_seesThroughSymbolicLinks() throws {
    let p = try TestProject()
    defer { p.remove() }
    try FileManager.default.createSymbolicLink(at: p.url("alias"), withDestinationURL: p.url("inbox"))
    #expect(try refusal(p, outbox: "alias")?.contains("is the inbox") == true)
    // A folder yet to be created under the link is inside the inbox, so skipped: accepted.
    #expect(try refusal(p, state: "alias/.state") == nil)
  }

  /// A refused layout is a configuration error: exit 2, nothing created, the inbox untouched.
  @Test func testRun_withTheOutboxAsTheInbox_exits2AndWritesNothing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    var raw = RawSettings()
    raw.outbox = "inbox"
    let report = try await p.run(raw, wiring: TestWiring(log: ExecutionLog()))
    #expect(report.exitCode == 2)
    #expect(report.failure?.message.contains("is the inbox") == true)
    #expect(!p.exists(".almanac"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: p.url("inbox").path) == ["a.csv"])
  }
}
