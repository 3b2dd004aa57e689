import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `almanac run` as cron runs it: reruns, the lock, a failing outbox and every exit code
/// (cli.md "Stages", "Exit codes", "The outbox").
extension BinaryRuns {
  @Suite struct RunnerEndToEndTests {
    /// A temporary project: an inbox of `files` generated sheets and folders for one run.
    static func project(_ label: String, files: Int) async throws -> (TemporaryFolder, RunFolders) {
      let base = try TemporaryFolder(label)
      let inbox = base.path("inbox")
      try await EndToEnd.generator().write(count: files, to: inbox)
      return (base, RunFolders(inbox: inbox, base: base.url, name: "run", year: EndToEnd.year))
    }

    /// Path → (size, modification time) of every file, to prove nothing was rewritten.
    static func stamps(_ folder: URL, excluding: Set<String> = []) throws -> [String: String] {
      var result: [String: String] = [:]
      guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return result }
      while let rel = walker.nextObject() as? String {
        if excluding.contains((rel as NSString).lastPathComponent) { continue }
        var st = stat()
        guard stat(folder.appendingPathComponent(rel).path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
          continue
        }
        result[rel] = "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ino)"
      }
      return result
    }

    // MARK: - Reruns

    @Test func testRun_unchangedRerun_parsesNothingAndWritesOnlyTheSummary() async throws {
      let (base, folders) = try await Self.project("unchanged", files: 30)
      defer { base.remove() }
      let first = try await EndToEnd.run(folders)
      #expect(first.exitCode == 0, "\(first)")
      let firstRecord = try #require(try folders.lastRun())
      #expect(firstRecord.counter("files_parsed") == 30)
      #expect(firstRecord.filesHashed == 30)
      #expect(!firstRecord.nothingChanged)
      let outbox = try Self.stamps(folders.outbox)
      let state = try Self.stamps(folders.state, excluding: ["last-run.json", "almanac.lock"])

      let second = try await EndToEnd.run(folders)
      #expect(second.exitCode == 0, "\(second)")
      let record = try #require(try folders.lastRun())
      #expect(record.counter("files_parsed") == 0)
      #expect(record.filesHashed == 0)
      #expect(record.nothingChanged)
      #expect(record.stages.map(\.status) == Array(repeating: "reused", count: EndToEnd.stages.count))
      #expect(second.stdout.contains("输入未变化，全部阶段复用，未解析任何文件。"), "\(second)")
      // Nothing in the outbox or the state folder was written, not even with the same bytes.
      #expect(try Self.stamps(folders.outbox) == outbox)
      #expect(try Self.stamps(folders.state, excluding: ["last-run.json", "almanac.lock"]) == state)
    }

    /// `status` is read-only with the real stages too: before the first run it lists the
    /// inbox as new and leaves no state folder behind (it once wrote the validation memo).
    @Test func testStatus_beforeTheFirstRun_writesNothing() async throws {
      let (base, folders) = try await Self.project("status-read-only", files: 2)
      defer { base.remove() }
      var arguments = folders.runArguments()
      arguments[0] = "status"
      let status = try await EndToEnd.run(arguments)
      #expect(status.exitCode == 0, "\(status)")
      #expect(status.stdout.contains("待处理文件：2 个"), "\(status)")
      #expect(status.stdout.contains("上次运行：无记录"), "\(status)")
      #expect(!FileManager.default.fileExists(atPath: folders.state.path))
    }

    /// What an upgraded almanac looks like to a state folder: the same program with another
    /// build ID. Its checkpoints and cached sheets are not reused (they may encode other
    /// rules); the outputs
    /// agree, and the next run of the same build reuses everything again.
    @Test func testRun_checkpointsOfAnotherBuildAreNotReused() async throws {
      let (base, folders) = try await Self.project("other-build", files: 3)
      defer { base.remove() }
      let binary = try EndToEnd.binary()
      let id = try #require(BuildIdentity.gnuBuildID(ofExecutableAt: binary.path), "the build has no GNU build ID")
      var bytes = try Data(contentsOf: binary)
      let idBytes = Data(stride(from: 0, to: id.count, by: 2).map { UInt8(id.dropFirst($0).prefix(2), radix: 16)! })
      let at = try #require(bytes.range(of: idBytes))
      bytes[at.upperBound - 1] ^= 0xFF
      let other = base.path("almanac-other-build")
      try bytes.write(to: other)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: other.path)
      #expect(BuildIdentity.gnuBuildID(ofExecutableAt: other.path).map { $0 != id } == true)

      let first = try await AlmanacProcess(
        folders.runArguments(), binary: other, outputFolder: base.path("other-build-output")
      ).wait(timeout: 600)
      #expect(first.exitCode == 0, "\(first)")
      let outputs = try EndToEnd.outputs(folders)
      // `status` says why every stage is stale.
      var statusArguments = folders.runArguments()
      statusArguments[0] = "status"
      let status = try await EndToEnd.run(statusArguments)
      #expect(status.exitCode == 0, "\(status)")
      #expect(
        status.stdout.components(separatedBy: "检查点由另一版本的 almanac 生成").count == EndToEnd.stages.count + 1,
        "\(status)")
      let second = try await EndToEnd.run(folders)
      #expect(second.exitCode == 0, "\(second)")
      let record = try #require(try folders.lastRun())
      #expect(!record.stages.map(\.status).contains("reused"))
      // Sheets the other build cached are read again too.
      #expect(record.counter("files_parsed") == 3)
      #expect(try EndToEnd.outputs(folders) == outputs)
      let third = try await EndToEnd.run(folders)
      #expect(third.exitCode == 0, "\(third)")
      #expect(try folders.lastRun()?.stages.map(\.status) == Array(repeating: "reused", count: EndToEnd.stages.count))
    }

    /// `--version` names the release and the build, which decides whether checkpoints are reused.
    @Test func testVersion_namesTheReleaseAndTheBuildID() async throws {
      let binary = try EndToEnd.binary()
      let id = try #require(BuildIdentity.gnuBuildID(ofExecutableAt: binary.path))
      let out = try await EndToEnd.run(["--version"])
      #expect(out.exitCode == 0, "\(out)")
      #expect(out.stdout == "almanac \(AlmanacVersion.current) (build-id:\(id))\n", "\(out)")
    }

    @Test func testRun_handEditedOrDeletedOutboxFile_isRestoredByTheNextRun() async throws {
      let (base, folders) = try await Self.project("outbox-edited", files: 3)
      defer { base.remove() }
      let first = try await EndToEnd.run(folders)
      #expect(first.exitCode == 0, "\(first)")
      let consolidated = folders.yearFolder.appendingPathComponent("consolidated.csv")
      let good = try Data(contentsOf: consolidated)

      // Edited by hand: same size, one byte changed, through the same inode.
      var edited = good
      edited[edited.count - 2] = edited[edited.count - 2] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
      let handle = try FileHandle(forWritingTo: consolidated)
      try handle.write(contentsOf: edited)
      try handle.close()
      #expect(try Data(contentsOf: consolidated) != good)
      let afterEdit = try await EndToEnd.run(folders)
      #expect(afterEdit.exitCode == 0, "\(afterEdit)")
      #expect(try Data(contentsOf: consolidated) == good)
      #expect(try folders.lastRun()?.stages.allSatisfy { $0.status == "reused" } == true)

      try FileManager.default.removeItem(at: consolidated)
      let afterDelete = try await EndToEnd.run(folders)
      #expect(afterDelete.exitCode == 0, "\(afterDelete)")
      #expect(try Data(contentsOf: consolidated) == good)
    }

    @Test func testRun_oneFileAdded_reingestsExactlyThatFile() async throws {
      let (base, folders) = try await Self.project("added", files: 30)
      defer { base.remove() }
      let first = try await EndToEnd.run(folders)
      #expect(first.exitCode == 0, "\(first)")
      let before = try EndToEnd.outputs(folders)

      let g = try await EndToEnd.generator()
      try g.writeFile(form: "t3", department: g.departments[0], version: 1, to: folders.inbox)
      let second = try await EndToEnd.run(folders, ["--log-format", "json"])
      #expect(second.exitCode == 0, "\(second)")
      let record = try #require(try folders.lastRun())
      #expect(record.counter("files_parsed") == 1)
      #expect(record.counter("files_reused") == 30)
      #expect(record.filesHashed == 1)
      #expect(!record.nothingChanged)
      #expect(record.status(of: "ingest") == "success" || record.status(of: "ingest") == "warned")
      // The JSON summary line says the same as last-run.json.
      let summary = try #require(
        second.stdout.split(separator: "\n").last { $0.contains("\"event\":\"run.summary\"") }, "\(second)")
      let object = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any]
      let stages = (object?["record"] as? [String: Any])?["stages"] as? [[String: Any]] ?? []
      let ingest = stages.first { $0["name"] as? String == "ingest" }
      let counters = ingest?["counters"] as? [String: Any]
      #expect((counters?["files_parsed"] as? NSNumber)?.intValue == 1)
      #expect((counters?["files_reused"] as? NSNumber)?.intValue == 30)
      // The department's 表三 now reaches the outbox.
      let after = try EndToEnd.outputs(folders)
      #expect(after["tables/t3.csv"] != before["tables/t3.csv"])
      #expect(after["consolidated.csv"] != before["consolidated.csv"])
    }

    // MARK: - The lock

    @Test func testRun_whileAnotherRunHoldsTheLock_exits75AtOnce() async throws {
      let (base, folders) = try await Self.project("lock", files: 10)
      defer { base.remove() }
      let holder = try EndToEnd.start(folders.runArguments(["--debug-hold-lock", "60"]))
      defer { holder.killHard() }
      try await Self.waitForLock(folders, pid: holder.pid)

      let second = try await EndToEnd.run(folders)
      #expect(second.exitCode == 75, "\(second)")
      #expect(second.seconds < 1.0, "\(second)")
      #expect(second.stderr.contains("另一个 almanac run 正在运行（进程 \(holder.pid)），本次未做任何操作"), "\(second)")
      #expect(second.stderr.contains(folders.state.appendingPathComponent("almanac.lock").path))
      // The holder took the outbox's lock too; nothing was published there.
      let outbox = (try? FileManager.default.contentsOfDirectory(atPath: folders.outbox.path)) ?? []
      #expect(outbox.filter { $0 != ".almanac.lock" }.isEmpty, "the second run wrote nothing")
      #expect(try folders.lastRun() == nil)
      #expect(holder.isRunning)

      // `status` says a run is under way, without taking the lock.
      var statusArguments = folders.runArguments()
      statusArguments[0] = "status"
      let status = try await EndToEnd.run(statusArguments)
      #expect(status.exitCode == 0, "\(status)")
      #expect(status.stdout.contains("正在运行：进程 \(holder.pid) 持有状态目录的锁"), "\(status)")
      let json = try await EndToEnd.run(statusArguments + ["--json"])
      let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
      #expect(object?["runningPID"] as? String == "\(holder.pid)", "\(json)")
      #expect(holder.isRunning)

      // A killed holder leaves no lock behind: the next run takes it and completes.
      holder.killHard()
      let killed = await holder.wait()
      #expect(killed.signal == SIGKILL)
      let third = try await EndToEnd.run(folders)
      #expect(third.exitCode == 0, "\(third)")
      #expect(try folders.lastRun()?.exitCode == 0)
      let idle = try await EndToEnd.run(statusArguments)
      #expect(!idle.stdout.contains("正在运行"), "\(idle)")
    }

    /// The lock file holds the holder's pid once `flock` succeeded.
    static func waitForLock(_ folders: RunFolders, pid: Int32) async throws {
      let lock = folders.state.appendingPathComponent("almanac.lock")
      let deadline = Date().addingTimeInterval(30)
      while Date() < deadline {
        if let text = try? String(contentsOf: lock, encoding: .utf8), text == "\(pid)\n" { return }
        try await Task.sleep(nanoseconds: 20_000_000)
      }
      Issue.record("run \(pid) did not take the lock within 30 s")
    }

    // MARK: - A failing outbox

    /// Root ignores permissions, so the outbox is made unwritable the way that stops root too:
    /// `outbox/<year>/tables` is a regular file, so no table can be written below it (ENOTDIR).
    @Test func testRun_outboxBlocked_exits3AndKeepsThePreviousOutbox() async throws {
      let (base, folders) = try await Self.project("blocked", files: 20)
      defer { base.remove() }
      let first = try await EndToEnd.run(folders)
      #expect(first.exitCode == 0, "\(first)")

      let tables = folders.yearFolder.appendingPathComponent("tables")
      try FileManager.default.removeItem(at: tables)
      try Data("blocks the tables folder\n".utf8).write(to: tables)
      let previous = try FolderSnapshot.hashes(folders.yearFolder)
      // New input, so every output changes and publishing has something to write.
      let g = try await EndToEnd.generator()
      try g.writeFile(form: "t3", department: g.departments[1], version: 1, to: folders.inbox)

      let failed = try await EndToEnd.run(folders)
      #expect(failed.exitCode == 3, "\(failed)")
      #expect(failed.stderr.contains(tables.path) || failed.stdout.contains(tables.path), "\(failed)")
      #expect(failed.stdout.contains("本次运行未发布任何文件"), "\(failed)")
      #expect(FolderSnapshot.differences(previous, try FolderSnapshot.hashes(folders.yearFolder)) == [])
      let record = try #require(try folders.lastRun())
      #expect(record.exitCode == 3)
      #expect(record.stages.allSatisfy { $0.status == "success" || $0.status == "warned" }, "\(record.stages)")

      // Unblocked, a rerun reuses every stage and publishes what a fresh run would.
      try FileManager.default.removeItem(at: tables)
      let resumed = try await EndToEnd.run(folders)
      #expect(resumed.exitCode == 0, "\(resumed)")
      #expect(try folders.lastRun()?.stages.map(\.status) == Array(repeating: "reused", count: EndToEnd.stages.count))
      let fresh = RunFolders(inbox: folders.inbox, base: base.url, name: "fresh", year: EndToEnd.year)
      let reference = try await EndToEnd.run(fresh)
      #expect(reference.exitCode == 0, "\(reference)")
      #expect(FolderSnapshot.differences(try EndToEnd.outputs(fresh), try EndToEnd.outputs(folders)) == [])
    }

    // MARK: - Exit codes

    @Test func testExitCode_cleanInbox_is0() async throws {
      let (base, folders) = try await Self.project("exit0", files: 12)
      defer { base.remove() }
      let out = try await EndToEnd.run(folders)
      #expect(out.exitCode == 0, "\(out)")
      #expect(out.stdout.contains("结论：完成（退出码 0）"), "\(out)")
      let jsonl = try String(
        contentsOf: folders.yearFolder.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
      #expect(!jsonl.contains("\"severity\":\"error\""))
    }

    @Test func testExitCode_departmentBreaksS1_is1WithTheReportDrafted() async throws {
      let (base, folders) = try await Self.project("exit1", files: 12)
      defer { base.remove() }
      let g = try await EndToEnd.generator()
      let department = g.departments[2]
      let name = try g.writeFile(form: "t3", department: department, version: 1, to: folders.inbox, breakS1: true)
      let out = try await EndToEnd.run(folders)
      #expect(out.exitCode == 1, "\(out)")
      #expect(out.stderr.contains("REC-T3-S1"), "\(out)")
      let jsonl = try String(
        contentsOf: folders.yearFolder.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
      let errors = jsonl.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }.filter { $0["severity"] as? String == "error" }
      // 本年新收's 总计 is one above its columns' sum: S-1 on that row, and S-3 (新收 + 上年结转 =
      // 办结 + 结转下年) on the 总计 column, whose left side is the same one too high.
      let grid = InboxGenerator.parseCSV(
        try String(contentsOf: folders.inbox.appendingPathComponent(name), encoding: .utf8))
      let r1 = try #require(grid.first { $0.first?.hasPrefix("一、") == true })
      let r2 = try #require(grid.first { $0.first?.hasPrefix("二、") == true })
      let r1Sum = r1[3...8].compactMap { Int($0) }.reduce(0, +)
      let r1Total = try #require(Int(r1[9]))
      let r2Total = try #require(Int(r2[9]))
      #expect(r1Total == r1Sum + 1)
      let found = errors.map { e in
        ["code", "department", "cell", "actual", "expected"].map { e[$0] as? String ?? "-" }.joined(separator: " ")
      }
      #expect(
        found.sorted() == [
          "REC-T3-S1 \(department.id) t3.r1.zj \(r1Total) \(r1Sum)",
          "REC-T3-S3 \(department.id) t3.r1.zj \(r1Total + r2Total) \(r1Sum + r2Total)",
        ], "\(errors)")
      #expect(FileManager.default.fileExists(atPath: folders.yearFolder.appendingPathComponent("report.md").path))
      #expect(try folders.lastRun()?.exitCode == 1)
    }

    @Test(arguments: [
      ["--no-such-flag"], ["--year", "twenty"], ["--log-format", "xml"], ["--quiet", "--verbose"],
    ])
    func testExitCode_badFlag_is2AndNothingRuns(flags: [String]) async throws {
      let (base, folders) = try await Self.project("exit2", files: 2)
      defer { base.remove() }
      let out = try await EndToEnd.run(folders.runArguments(flags))
      #expect(out.exitCode == 2, "\(out)")
      #expect(out.stderr.contains("rror"), "\(out)")
      #expect(!FileManager.default.fileExists(atPath: folders.state.path))
      #expect(!FileManager.default.fileExists(atPath: folders.outbox.path))
    }

    @Test func testExitCode_invalidPipeline_is2AndNothingRuns() async throws {
      let (base, folders) = try await Self.project("exit2-pipeline", files: 2)
      defer { base.remove() }
      // A copy of the national pipeline whose definition names a seed table that does not exist.
      let pipeline = base.path("pipeline")
      try FileManager.default.copyItem(at: ProjectPaths.nationalPipeline, to: pipeline)
      let yaml = pipeline.appendingPathComponent("pipeline.yaml")
      let text = try String(contentsOf: yaml, encoding: .utf8)
      try text.replacingOccurrences(of: "seeds: [departments,", with: "seeds: [no_such_table, departments,")
        .write(to: yaml, atomically: true, encoding: .utf8)
      var broken = folders
      broken.pipeline = pipeline
      let out = try await EndToEnd.run(broken)
      #expect(out.exitCode == 2, "\(out)")
      #expect(out.stderr.contains("no_such_table"), "\(out)")
      #expect(!FileManager.default.fileExists(atPath: folders.outbox.path))
      #expect(!FileManager.default.fileExists(atPath: folders.state.path))
      let validate = try await EndToEnd.run([
        "validate", "--pipeline", pipeline.path, "--seeds", ProjectPaths.seeds.path,
      ])
      #expect(validate.exitCode == 2, "\(validate)")
    }

    @Test func testExitCode_seedsBrokenAfterAGoodRun_is2() async throws {
      // A rerun skips validating a pipeline and seeds that passed before; changed seeds are
      // checked again.
      let (base, folders) = try await Self.project("exit2-seeds-later", files: 2)
      defer { base.remove() }
      let seeds = base.path("seeds")
      try FileManager.default.copyItem(at: ProjectPaths.seeds, to: seeds)
      var run = folders
      run.seeds = seeds
      let good = try await EndToEnd.run(run)
      #expect(good.exitCode == 0, "\(good)")
      let memo = run.lastRunURL.deletingLastPathComponent().appendingPathComponent("validated.json")
      #expect(FileManager.default.fileExists(atPath: memo.path))
      try Self.addGhostAlias(to: seeds)
      let broken = try await EndToEnd.run(run)
      #expect(broken.exitCode == 2, "\(broken)")
      #expect(broken.stderr.contains("SEED-007"), "\(broken)")
    }

    /// `verify` hashes what the manifest lists: an edited or missing output and a replaced,
    /// removed or added inbox file are each named (exit 1); a copy of the outbox without its
    /// inbox is checked alone; no manifest is exit 2.
    @Test func testVerify_namesEveryChangeSincePublishing() async throws {
      let (base, folders) = try await Self.project("verify", files: 3)
      defer { base.remove() }
      let good = try await EndToEnd.run(folders)
      #expect(good.exitCode == 0, "\(good)")
      let args = [
        "verify", "--outbox", folders.outbox.path, "--inbox", folders.inbox.path, "--state", folders.state.path,
      ]
      let clean = try await EndToEnd.run(args)
      #expect(clean.exitCode == 0, "\(clean)")
      #expect(clean.stdout.contains("结论：一致。输出文件与发布时相同，收件箱也与当时相同"), "\(clean)")

      let names = try FileManager.default.contentsOfDirectory(atPath: folders.inbox.path).sorted()
      try Data("改过的内容\n".utf8).write(to: folders.inbox.appendingPathComponent(names[0]))
      try FileManager.default.removeItem(at: folders.inbox.appendingPathComponent(names[1]))
      try Data("新\n".utf8).write(to: folders.inbox.appendingPathComponent("补报.csv"))
      let year = folders.yearFolder
      let report = year.appendingPathComponent("report.md")
      try (try String(contentsOf: report, encoding: .utf8) + "\n补充一句。\n").write(
        to: report, atomically: true, encoding: .utf8)
      try FileManager.default.removeItem(at: year.appendingPathComponent("tables/t4.csv"))
      let changed = try await EndToEnd.run(args)
      #expect(changed.exitCode == 1, "\(changed)")
      for line in [
        "  已被改动  report.md", "  缺失  tables/t4.csv", "  已更换  \(names[0])", "  已移走  \(names[1])", "  新增  补报.csv",
      ] {
        #expect(changed.stdout.contains(line + "\n"), "\(line)\n\(changed.stdout)")
      }
      #expect(changed.stdout.contains("结论：不一致。"), "\(changed)")
      let json = try await EndToEnd.run(args + ["--json"])
      #expect(json.exitCode == 1)
      let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      let outputs = try #require(object["outputs"] as? [[String: Any]])
      #expect(outputs.first { $0["path"] as? String == "report.md" }?["state"] as? String == "changed")

      // The outbox copied elsewhere, for an auditor: no inbox beside it, the outputs alone.
      let copy = base.path("audit/outbox")
      try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: folders.outbox, to: copy)
      try FileManager.default.removeItem(at: copy.appendingPathComponent("\(EndToEnd.year)/report.md"))
      try FileManager.default.copyItem(
        at: year.appendingPathComponent("report.md"), to: copy.appendingPathComponent("\(EndToEnd.year)/report.md"))
      let alone = try await EndToEnd.runIn(copy.deletingLastPathComponent(), ["verify"])
      #expect(alone.exitCode == 1, "\(alone)")
      #expect(alone.stdout.contains("收件箱：未核对"), "\(alone)")

      let none = try await EndToEnd.run(["verify", "--outbox", base.path("nothing").path])
      #expect(none.exitCode == 2, "\(none)")
    }

    /// Last year's published folder copied into the inbox is one error naming the folder and
    /// `--previous`, not a finding for each of its files (tables without a sender, a report
    /// read as prose, files that are not sheets).
    @Test func testPublishedFolderInTheInbox_isOneErrorAndNothingInItIsRead() async throws {
      let (base, folders) = try await Self.project("published-in-inbox", files: 2)
      defer { base.remove() }
      let good = try await EndToEnd.run(folders)
      #expect(good.exitCode == 0, "\(good)")
      let copied = folders.inbox.appendingPathComponent("去年结果")
      try FileManager.default.copyItem(at: folders.yearFolder, to: copied)
      let out = try await EndToEnd.run(folders)
      #expect(out.exitCode == 1, "\(out)")
      #expect(out.stderr.contains("去年结果/: error: 这是 almanac 发布的输出文件夹"), "\(out)")
      #expect(out.stderr.contains("[ING-019]"), "\(out)")
      let log = try String(
        contentsOf: folders.yearFolder.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
      #expect(!log.contains("去年结果/t"), "\(log)")
      #expect(!log.contains("去年结果/r"), "\(log)")
      // `inspect` of the inbox says the same of the folder.
      let inspected = try await EndToEnd.run([
        "inspect", folders.inbox.path, "--pipeline", ProjectPaths.nationalPipeline.path,
      ])
      #expect(inspected.stdout.contains("去年结果/：错误：这是 almanac 发布的输出文件夹"), "\(inspected)")
      try FileManager.default.removeItem(at: copied)
      let again = try await EndToEnd.run(folders)
      #expect(again.exitCode == 0, "\(again)")
    }

    /// An inbox sorted into one folder per unit: a sheet that does not name its sender is
    /// taken for the unit its folder names (NRM-023), not held back; one in another unit's
    /// folder is taken as it says, with a warning (NRM-022).
    @Test func testDepartmentFolders_nameTheSenderOfASheetThatDoesNot() async throws {
      let (base, folders) = try await Self.project("folders", files: 1)
      defer { base.remove() }
      let generator = try await EndToEnd.generator()
      let unit = generator.departments[1]
      var rng = SeededRandom(seed: 7)
      var grid = try generator.sheet(form: "t3", department: unit, version: 1, rng: &rng)
      grid[0][0] = String(grid[0][0].dropFirst(unit.name.count))
      let meta = try #require(grid.firstIndex { $0.first == "填报单位：" })
      grid[meta][1] = ""
      let folder = folders.inbox.appendingPathComponent(unit.name)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(InboxGenerator.csv(grid).utf8).write(to: folder.appendingPathComponent("表三.csv"))
      // The generated file of unit 0, moved into unit 1's folder.
      let first = try #require(
        try FileManager.default.contentsOfDirectory(atPath: folders.inbox.path).first { $0.hasSuffix(".csv") })
      try FileManager.default.moveItem(
        at: folders.inbox.appendingPathComponent(first), to: folder.appendingPathComponent(first))

      let out = try await EndToEnd.run(folders)
      #expect(out.exitCode == 0, "\(out)")
      #expect(out.stderr.contains("[NRM-022]"), "\(out)")
      let submissions = try String(
        contentsOf: folders.yearFolder.appendingPathComponent("submissions.csv"), encoding: .utf8)
      #expect(submissions.contains("\(unit.id),\(unit.name),"), "\(submissions)")
      #expect(submissions.contains("\(unit.name)/表三.csv"), "\(submissions)")
      #expect(submissions.contains("\(generator.departments[0].id),"), "\(submissions)")
      #expect(submissions.contains("\(unit.name)/\(first)"), "\(submissions)")
      let log = try String(
        contentsOf: folders.yearFolder.appendingPathComponent("reconciliation.jsonl"), encoding: .utf8)
      #expect(log.contains("\"NRM-023\""))
      #expect(!log.contains("\"NRM-001\""))
    }

    /// A report template edited after a good run, with a mistyped name: the rerun is refused
    /// before anything runs, naming the place, and the outbox keeps the last good report
    /// (the name rendered as a blank, with exit 0, before templates were checked).
    @Test func testExitCode_templateBrokenAfterAGoodRun_is2AndKeepsTheReport() async throws {
      let (base, folders) = try await Self.project("exit2-template", files: 2)
      defer { base.remove() }
      let pipeline = base.path("pipeline")
      try FileManager.default.copyItem(at: ProjectPaths.nationalPipeline, to: pipeline)
      var run = folders
      run.pipeline = pipeline
      let good = try await EndToEnd.run(run)
      #expect(good.exitCode == 0, "\(good)")
      let report = folders.outbox.appendingPathComponent("\(EndToEnd.year)/report.md")
      let published = try Data(contentsOf: report)

      let template = pipeline.appendingPathComponent("templates/report.md.mustache")
      let text = try String(contentsOf: template, encoding: .utf8)
      try text.replacingOccurrences(of: "统计期限自{{year}}年", with: "统计期限自{{yeer}}年")
        .write(to: template, atomically: true, encoding: .utf8)
      let broken = try await EndToEnd.run(run)
      #expect(broken.exitCode == 2, "\(broken)")
      #expect(broken.stderr.contains("\(template.path):"), "\(broken)")
      #expect(broken.stderr.contains("{{yeer}} 不是报告数据中的名称"), "\(broken)")
      #expect(broken.stderr.contains("[PIPE-007]"), "\(broken)")
      #expect(try Data(contentsOf: report) == published)
    }

    /// Breaks a seeds folder: its alias table names a department that does not exist (SEED-007).
    static func addGhostAlias(to seeds: URL) throws {
      let aliases = seeds.appendingPathComponent("department_aliases.csv")
      let text = try String(contentsOf: aliases, encoding: .utf8)
      try (text + "幽灵局,no_such_department,short,,,\n").write(to: aliases, atomically: true, encoding: .utf8)
    }

    /// Seeds that break a rule, or a `--previous` that is not last year's dataset, are found
    /// with the configuration: exit 2 before the inbox is read, and no state folder is made.
    @Test func testExitCode_badSeedsOrPreviousOnTheFirstRun_is2AndLeavesNoState() async throws {
      let (base, folders) = try await Self.project("exit2-first", files: 2)
      defer { base.remove() }
      let seeds = base.path("seeds")
      try FileManager.default.copyItem(at: ProjectPaths.seeds, to: seeds)
      try Self.addGhostAlias(to: seeds)
      var run = folders
      run.seeds = seeds
      let badSeeds = try await EndToEnd.run(run)
      #expect(badSeeds.exitCode == 2, "\(badSeeds)")
      #expect(badSeeds.stderr.contains("SEED-007"), "\(badSeeds)")
      #expect(!FileManager.default.fileExists(atPath: folders.state.path))

      let notADataset = base.path("last-year.csv")
      try Data("部门,数量\n环保局,3\n".utf8).write(to: notADataset)
      // The run's own year's dataset (its outbox, given by mistake) says nothing of last year.
      let sameYear = base.path("same-year.csv")
      try Data(
        "year,department_id,kind,form,row_key,column_key,value\n\(EndToEnd.year),REGION,region,t3,r4,zj,1\n".utf8
      ).write(to: sameYear)
      for previous in [base.path("no-such-folder"), notADataset, sameYear] {
        let out = try await EndToEnd.run(folders.runArguments(["--previous", previous.path]))
        #expect(out.exitCode == 2, "\(out)")
        #expect(out.stderr.contains(previous.path), "\(out)")
        if previous == sameYear { #expect(out.stderr.contains("跨年核对需要 \(EndToEnd.year - 1) 年度的数据"), "\(out)") }
        #expect(!FileManager.default.fileExists(atPath: folders.state.path))
        #expect(!FileManager.default.fileExists(atPath: folders.outbox.path))
        // `status` refuses the same configuration the same way.
        var status = folders.runArguments(["--previous", previous.path])
        status[0] = "status"
        let refused = try await EndToEnd.run(status)
        #expect(refused.exitCode == 2, "\(refused)")
      }
    }

    @Test func testDebugKillAfter_environmentVariable_killsRightAfterThatCheckpoint() async throws {
      let (base, folders) = try await Self.project("debug-env", files: 6)
      defer { base.remove() }
      let out = try await EndToEnd.run(folders, environment: ["ALMANAC_DEBUG_KILL_AFTER": "reconcile"])
      #expect(out.signal == SIGKILL, "\(out)")
      let runFolder = folders.state.appendingPathComponent("disclosure-2021/\(EndToEnd.year)")
      let present = EndToEnd.stages.enumerated().filter { i, stage in
        FileManager.default.fileExists(
          atPath: runFolder.appendingPathComponent("0\(i + 1)-\(stage)/checkpoint.json").path)
      }.map(\.element)
      #expect(present == ["ingest", "normalize", "reconcile"])
    }

    @Test func testExitCode_debugKillAfterUnknownStage_is2() async throws {
      let (base, folders) = try await Self.project("exit2-debug", files: 2)
      defer { base.remove() }
      let out = try await EndToEnd.run(folders, ["--debug-kill-after", "nowhere"])
      #expect(out.exitCode == 2, "\(out)")
      #expect(out.stderr.contains("--debug-kill-after nowhere: no such stage boundary"), "\(out)")
      #expect(!FileManager.default.fileExists(atPath: folders.state.path))
    }
  }
}
