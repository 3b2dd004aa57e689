import AlmanacCore
import Foundation
import Runner
import Testing

/// What `almanac run` prints, driven exactly as the CLI does.
@Suite struct RunSessionTests {
  final class Output: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) {
      lock.lock()
      items.append(s)
      lock.unlock()
    }
    var all: [String] {
      lock.lock()
      defer { lock.unlock() }
      return items
    }
  }

  func session(_ p: TestProject, _ raw: RawSettings, lines: LineRecorder, out: Output) throws -> RunSession {
    RunSession(
      settings: try p.settings(raw), wiring: TestWiring(log: ExecutionLog()), console: lines.console,
      output: { out.add($0) })
  }

  @Test func testQuiet_printsNothingOnSuccess() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    let lines = LineRecorder()
    let out = Output()
    let (code, _) = try await session(p, RawSettings(quiet: true), lines: lines, out: out).run()
    #expect(code == 0)
    #expect(lines.lines.isEmpty)
    #expect(out.all.isEmpty)
  }

  /// A `--quiet` run of a one-file inbox beside a file named `afile` (a folder path below it
  /// cannot be made): its exit code, console lines and summary output.
  func quietRunBesideAFile(_ raw: RawSettings) async throws -> (code: Int32, lines: [String], out: [String]) {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try p.write("x\n", to: "afile")
    let lines = LineRecorder()
    let out = Output()
    var quiet = raw
    quiet.quiet = true
    let (code, _) = try await session(p, quiet, lines: lines, out: out).run()
    return (code, lines.lines, out.all)
  }

  /// A run that stops before any stage (here: its state folder cannot be made) says why on
  /// the console even with --quiet, where no summary is printed: cron mailed only "exit 3".
  @Test func testQuiet_failureBeforeAnyStage_isOneLine() async throws {
    let run = try await quietRunBesideAFile(RawSettings(state: "afile/state"))
    #expect(run.code == 3)
    #expect(run.lines.count == 1)
    #expect(run.lines.first?.hasPrefix("almanac: error: 运行失败：无法读写状态文件") == true, "\(run.lines)")
    #expect(run.lines.first?.contains("afile/state") == true, "\(run.lines)")
    #expect(run.out.isEmpty)
  }

  /// Publishing that fails is one line (it was logged twice once pre-stage failures were), and
  /// does not claim an earlier output it would keep.
  @Test func testQuiet_publishFailure_isOneLine() async throws {
    let run = try await quietRunBesideAFile(RawSettings(outbox: "afile/out"))
    #expect(run.code == 3)
    #expect(run.lines.count == 1, "\(run.lines)")
    #expect(run.lines.first?.contains("无法写入输出目录") == true, "\(run.lines)")
    #expect(run.lines.first?.contains("已发布的文件（如有）保持不变") == true, "\(run.lines)")
  }

  @Test func testQuiet_printsOneDiagnosticLinePerProblem() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nERROR b\nWARN c\n", to: "inbox/a.csv")
    let lines = LineRecorder()
    let out = Output()
    let (code, _) = try await session(p, RawSettings(quiet: true), lines: lines, out: out).run()
    #expect(code == 1)
    #expect(
      lines.lines == [
        "inbox/a.csv:2:1: error: 第 2 行标记为问题 [TST-001]",
        "inbox/a.csv:3:1: warning: 第 3 行标记为问题 [TST-002]",
      ])
    #expect(out.all.isEmpty)
  }

  @Test func testQuiet_unchangedRerunSaysOnceThatProblemsAreStillOpen() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nERROR b\nWARN c\n", to: "inbox/a.csv")
    _ = try await session(p, RawSettings(quiet: true), lines: LineRecorder(), out: Output()).run()
    let lines = LineRecorder()
    let (code, _) = try await session(p, RawSettings(quiet: true), lines: lines, out: Output()).run()
    #expect(code == 1)
    #expect(lines.lines.count == 1)
    #expect(lines.lines.first?.contains("上次运行发现的 1 条错误、1 条警告仍未解决") == true)
  }

  /// Open warnings alone fail nothing (exit 0): an unchanged quiet rerun prints nothing, or
  /// cron would mail the same line after every run; without --quiet, and with --strict, the
  /// line is there.
  @Test func testQuiet_unchangedRerunWithWarningsOnly_isSilent() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nWARN c\n", to: "inbox/a.csv")
    _ = try await session(p, RawSettings(quiet: true), lines: LineRecorder(), out: Output()).run()
    let quiet = LineRecorder()
    let (code, _) = try await session(p, RawSettings(quiet: true), lines: quiet, out: Output()).run()
    #expect(code == 0)
    #expect(quiet.lines.isEmpty, "\(quiet.lines)")
    let normal = LineRecorder()
    _ = try await session(p, RawSettings(), lines: normal, out: Output()).run()
    #expect(normal.lines.contains { $0.contains("0 条错误、1 条警告仍未解决") })
    let strict = LineRecorder()
    let (strictCode, _) = try await session(p, RawSettings(strict: true, quiet: true), lines: strict, out: Output())
      .run()
    #expect(strictCode == 1)
    #expect(strict.lines.count == 1)
  }

  /// A run killed after its last checkpoint may have printed nothing: the next run, though
  /// every stage is reused, says so and prints the findings in full instead of “still open”;
  /// `status` names the interrupted run until then.
  @Test func testRunAfterAKilledRun_reportsEveryFindingAgain() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nERROR b\nWARN c\n", to: "inbox/a.csv")
    _ = try await session(p, RawSettings(quiet: true), lines: LineRecorder(), out: Output()).run()
    let runFolder = p.url(".almanac/test-pipeline/2021")
    #expect(!p.exists(".almanac/test-pipeline/2021/\(RunMarker.fileName)"))
    // What a run killed by SIGKILL leaves: its marker.
    let marker = RunMarker(runId: "20211231T235959-killed", startedAt: "2021-12-31T23:59:59Z", pid: 4242)
    try Data(try JSONEncoder().encode(marker)).write(to: runFolder.appendingPathComponent(RunMarker.fileName))
    let status = try StatusReport.inspect(settings: try p.settings(), wiring: TestWiring(log: ExecutionLog()))
    #expect(status.interrupted == marker)
    #expect(status.render().contains("上次运行没有结束：20211231T235959-killed 于 2021-12-31T23:59:59Z 开始后中断"))

    let lines = LineRecorder()
    let (code, _) = try await session(p, RawSettings(quiet: true), lines: lines, out: Output()).run()
    #expect(code == 1)
    #expect(lines.lines.contains { $0.contains("上次运行（20211231T235959-killed") && $0.contains("没有结束") })
    #expect(lines.lines.contains { $0.contains("ERROR b") || $0.contains("a.csv:2") })
    #expect(!lines.lines.contains { $0.contains("仍未解决") })
    // This one ended: the next is an unchanged rerun again.
    #expect(!p.exists(".almanac/test-pipeline/2021/\(RunMarker.fileName)"))
    let again = LineRecorder()
    _ = try await session(p, RawSettings(quiet: true), lines: again, out: Output()).run()
    #expect(again.lines.count == 1)
    #expect(again.lines.first?.contains("仍未解决") == true)
  }

  @Test func testQuiet_stageFailureIsOneLine() async throws {
    let p = try TestProject()
    defer { p.remove() }
    let lines = LineRecorder()
    let session = RunSession(
      settings: try p.settings(RawSettings(quiet: true)), wiring: TestWiring(log: ExecutionLog(), failing: ["sum"]),
      console: lines.console, output: { _ in })
    let (code, _) = await session.run()
    #expect(code == 3)
    #expect(lines.lines == ["almanac: error: 阶段 sum 失败：disk full (simulated)"])
  }

  @Test func testJSON_oneObjectPerEvent() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("WARN c\n", to: "inbox/a.csv")
    let lines = LineRecorder()
    let out = Output()
    let (code, _) = try await session(p, RawSettings(logFormat: "json"), lines: lines, out: out).run()
    #expect(code == 0)
    var events: [String] = []
    for line in lines.lines {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
      events.append(object?["event"] ?? "?")
      if object?["event"] == "finding" {
        #expect(object?["code"] == "TST-002")
        #expect(object?["file"] == "a.csv")
        #expect(object?["line"] == "1")
        #expect(object?["level"] == "warning")
      }
    }
    #expect(
      events == [
        "run.start", "stage.start", "stage.finish", "stage.start", "stage.finish", "stage.start", "stage.finish",
        "finding", "publish",
      ])
    #expect(out.all.count == 1)
    let summary = try JSONSerialization.jsonObject(with: Data(out.all[0].utf8)) as? [String: Any]
    #expect(summary?["event"] as? String == "run.summary")
    #expect((summary?["record"] as? [String: Any])?["exitCode"] as? Int == 0)
  }

  @Test func testText_summaryInChinese() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\nERROR b\n", to: "inbox/a.csv")
    let out = Output()
    _ = try await session(p, RawSettings(), lines: LineRecorder(), out: out).run()
    let out2 = Output()
    _ = try await session(p, RawSettings(), lines: LineRecorder(), out: out2).run()
    #expect(
      out.all == [
        """
        —— almanac 运行摘要：test-pipeline，2021 年度 ——
        阶段：count 已运行 / sum 已运行 / publish 已运行
        文件：收件箱 1 个，读取 1 个（0.0 MB），解析 1 个
        发现：错误 1 条，警告 0 条，提示 0 条
        输出：outbox/2021/（更新 2 个文件，未变 0 个）
        结论：完成，报告已起草，但有 1 条错误需要审核（退出码 1）
        """
      ])
    #expect(
      out2.all == [
        """
        —— almanac 运行摘要：test-pipeline，2021 年度 ——
        阶段：count 复用 / sum 复用 / publish 复用
        文件：收件箱 1 个，读取 0 个（0.0 MB），解析 0 个
        发现：错误 1 条，警告 0 条，提示 0 条
        输出：outbox/2021/（更新 0 个文件，未变 2 个）
        输入未变化，全部阶段复用，未解析任何文件。
        结论：完成，报告已起草，但有 1 条错误需要审核（退出码 1）
        """
      ])
  }

  @Test func testProgress_rendersFilesBytesRateAndTimeLeft() {
    let text = TerminalProgress.render(
      stage: "ingest", files: 12, totalFiles: 40, bytes: 30 * 1_048_576, totalBytes: 120 * 1_048_576, elapsed: 10)
    #expect(text == "ingest [######------------------] 12/40 文件  30.0/120.0 MB  3.0 MB/s  剩余 0:30")
  }

  @Test func testProgress_redrawsAtMostTenTimesASecond() {
    let writes = Output()
    let console = Console(isTerminal: true) { writes.add($0) }
    let clock = TestClock()
    let progress = TerminalProgress(console: console, clock: { clock.now })
    progress.begin(stage: "hash", totalFiles: 100, totalBytes: 100)
    for _ in 0..<50 {
      clock.advance(1.0 / 64)
      progress.advance(files: 1, bytes: 1)
    }
    progress.end()
    // begin draws once; 50 updates 1/64 s apart redraw every 7th (0.109 s), 7 times.
    let draws = writes.all.filter { $0.hasPrefix("hash [") }
    #expect(draws.count == 8)
    #expect(draws.last == "hash [###########-------------] 49/100 文件  0.0/0.0 MB  0.0 MB/s  剩余 0:01")
  }
}

final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var t = Date(timeIntervalSince1970: 1_700_000_000)
  var now: Date {
    lock.lock()
    defer { lock.unlock() }
    return t
  }
  func advance(_ s: TimeInterval) {
    lock.lock()
    t += s
    lock.unlock()
  }
}
