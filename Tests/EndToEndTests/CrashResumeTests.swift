import AlmanacTestSupport
import Foundation
import Ingest
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// cli.md "Checkpoint guarantees": `kill -9` at any moment, then `almanac run` again, gives
/// outputs byte-identical to an uninterrupted run, and no inbox file is changed, moved or lost.
extension BinaryRuns {
  @Suite struct CrashResumeTests {
    /// One inbox and its uninterrupted run, shared by the boundary cases.
    actor Reference {
      static let shared = Reference()
      struct Made: Sendable {
        var base: TemporaryFolder
        var inbox: URL
        var inboxHashes: [String: String]
        var outputs: [String: String]
        var exitCode: Int32?
        var files: Int
      }
      private var made: Made?

      func get() async throws -> Made {
        if let made { return made }
        let base = try TemporaryFolder.removedAtExit("crash")
        let inbox = base.path("inbox")
        let files = 60
        try await EndToEnd.generator().write(count: files, to: inbox)
        let folders = RunFolders(inbox: inbox, base: base.url, name: "reference", year: EndToEnd.year)
        let out = try await EndToEnd.run(folders)
        guard out.exitCode == 0 else { throw GeneratorError("reference run failed: \(out)") }
        let m = Made(
          base: base, inbox: inbox, inboxHashes: try FolderSnapshot.hashes(inbox),
          outputs: try EndToEnd.outputs(folders), exitCode: out.exitCode, files: files)
        made = m
        return m
      }
    }

    @Test(arguments: EndToEnd.boundaries)
    func testRun_killedAfterStageBoundary_resumesToIdenticalOutbox(boundary: String) async throws {
      let ref = try await Reference.shared.get()
      let folders = RunFolders(inbox: ref.inbox, base: ref.base.url, name: "kill-\(boundary)", year: EndToEnd.year)

      let killed = try await EndToEnd.run(folders, ["--debug-kill-after", boundary])
      #expect(killed.signal == SIGKILL, "\(killed)")
      #expect(killed.exitCode == nil)
      // The killed stage's checkpoint is on disk; the next stage's is not.
      let runFolder = folders.state.appendingPathComponent("disclosure-2021/\(EndToEnd.year)")
      for (i, stage) in EndToEnd.stages.enumerated() {
        let checkpoint = runFolder.appendingPathComponent("0\(i + 1)-\(stage)/checkpoint.json")
        let expected = (EndToEnd.boundaries.firstIndex(of: boundary) ?? 0) >= i
        #expect(
          FileManager.default.fileExists(atPath: checkpoint.path) == expected, "\(stage) after kill at \(boundary)")
      }
      // Publishing comes after every stage: killed before it, the outbox was never created.
      let published = FileManager.default.fileExists(atPath: folders.yearFolder.path)
      #expect(published == (boundary == "publish"))
      #expect(try folders.lastRun() == nil, "a killed run writes no last-run.json")

      let resumed = try await EndToEnd.run(folders)
      #expect(resumed.exitCode == ref.exitCode, "\(resumed)")
      let record = try #require(try folders.lastRun())
      let killedAt = EndToEnd.boundaries.firstIndex(of: boundary) ?? 0
      for (i, stage) in EndToEnd.stages.enumerated() {
        let status = record.status(of: stage)
        if i <= killedAt {
          #expect(status == "reused", "\(stage) after a kill at \(boundary)")
        } else {
          #expect(status == "success" || status == "warned", "\(stage) after a kill at \(boundary): \(status ?? "-")")
        }
      }
      #expect(record.counter("files_parsed") == 0, "ingest is reused after every boundary")
      #expect(FolderSnapshot.differences(ref.outputs, try EndToEnd.outputs(folders)) == [])
      #expect(try EndToEnd.manifestOutputs(folders) == ref.outputs)
      #expect(try FolderSnapshot.hashes(ref.inbox) == ref.inboxHashes)
    }

    @Test func testRun_killedMidIngest_reusesCachedFilesAndResumesToIdenticalOutbox() async throws {
      let ref = try await Reference.shared.get()
      let folders = RunFolders(inbox: ref.inbox, base: ref.base.url, name: "kill-files", year: EndToEnd.year)
      let after = 20

      let killed = try await EndToEnd.run(folders, ["--debug-kill-after-files", String(after)])
      #expect(killed.signal == SIGKILL, "\(killed)")
      let ingest = folders.state.appendingPathComponent("disclosure-2021/\(EndToEnd.year)/01-ingest")
      #expect(!FileManager.default.fileExists(atPath: ingest.appendingPathComponent("checkpoint.json").path))
      let cached = SheetCache.storedKeys(in: ingest.appendingPathComponent("files")).count
      // Files still being read when the kill came may have finished their cache entry too.
      let width = ProcessInfo.processInfo.activeProcessorCount
      #expect(cached >= after && cached <= after + width, "\(cached) cache entries")

      let resumed = try await EndToEnd.run(folders)
      #expect(resumed.exitCode == ref.exitCode, "\(resumed)")
      let record = try #require(try folders.lastRun())
      #expect(record.counter("files_reused") == cached)
      #expect(record.counter("files_parsed") == ref.files - cached)
      #expect(record.stages.map(\.status).allSatisfy { $0 == "success" || $0 == "warned" })
      #expect(FolderSnapshot.differences(ref.outputs, try EndToEnd.outputs(folders)) == [])
      #expect(try FolderSnapshot.hashes(ref.inbox) == ref.inboxHashes)
    }

    /// 20 real `kill -9`s at random moments over a 200-file inbox; each killed run is rerun to
    /// completion and must end with the reference outbox. Half the killed runs start from a
    /// fresh state, half are `--force` runs over complete state and a published outbox.
    @Test func testRun_killedAtRandomMoments_alwaysResumesToIdenticalOutbox() async throws {
      let seed =
        ProcessInfo.processInfo.environment["ALMANAC_E2E_SEED"].flatMap(UInt64.init)
        ?? UInt64.random(in: 1...UInt64(UInt32.max))
      print("testRun_killedAtRandomMoments: seed \(seed) (replay with ALMANAC_E2E_SEED=\(seed))")
      var rng = SeededRandom(seed: seed)
      let base = try TemporaryFolder("random-kill")
      defer { base.remove() }
      let inbox = base.path("inbox")
      let files = 200
      try await EndToEnd.generator().write(count: files, to: inbox)
      let inboxHashes = try FolderSnapshot.hashes(inbox)

      let reference = RunFolders(inbox: inbox, base: base.url, name: "reference", year: EndToEnd.year)
      let refRun = try await EndToEnd.run(reference)
      try #require(refRun.exitCode == 0, "seed \(seed): \(refRun)")
      let expected = try EndToEnd.outputs(reference)
      // A forced run over complete state reuses the per-file ingest cache and is shorter.
      let forced = try await EndToEnd.run(reference, ["--force"])
      try #require(forced.exitCode == 0, "seed \(seed): \(forced)")
      print(
        "testRun_killedAtRandomMoments: uninterrupted run \(String(format: "%.2f", refRun.seconds)) s, "
          + "forced rerun \(String(format: "%.2f", forced.seconds)) s")

      var folders = RunFolders(inbox: inbox, base: base.url, name: "k0", year: EndToEnd.year)
      var outcomes: [String] = []
      var kills = 0
      for k in 0..<20 {
        let fresh = k % 2 == 0
        if fresh { folders = RunFolders(inbox: inbox, base: base.url, name: "k\(k)", year: EndToEnd.year) }
        let before = fresh ? [:] : try EndToEnd.outputs(folders)
        let delay = Double.random(in: 0...(fresh ? refRun.seconds : forced.seconds), using: &rng)
        let p = try EndToEnd.start(folders.runArguments(fresh ? [] : ["--force"]))
        try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
        p.killHard()
        let killed = await p.wait()
        let checkpoints = EndToEnd.stages.indices.filter { i in
          FileManager.default.fileExists(
            atPath: folders.state.appendingPathComponent(
              "disclosure-2021/\(EndToEnd.year)/0\(i + 1)-\(EndToEnd.stages[i])/checkpoint.json"
            ).path)
        }.count
        let how = killed.signal.map { "sig\($0)" } ?? "exit\(killed.exitCode ?? -1)"
        outcomes.append("\(k):\(fresh ? "fresh" : "force"):\(String(format: "%.2f", delay))s:\(how):\(checkpoints)cp")
        if killed.signal != nil { kills += 1 }
        let context = "seed \(seed), kill \(k) after \(String(format: "%.2f", delay)) s"
        // Whatever the moment, the outbox holds the last good outputs (or none yet).
        if !fresh {
          #expect(FolderSnapshot.differences(before, try EndToEnd.outputs(folders)) == [], "\(context)")
        } else if killed.signal != nil, FileManager.default.fileExists(atPath: folders.yearFolder.path) {
          let partial = try EndToEnd.outputs(folders)
          #expect(partial.allSatisfy { expected[$0.key] == $0.value }, "\(context): a published file differs")
        }
        let resumed = try await EndToEnd.run(folders)
        #expect(resumed.exitCode == 0, "\(context): \(resumed)")
        #expect(FolderSnapshot.differences(expected, try EndToEnd.outputs(folders)) == [], "\(context)")
        #expect(try EndToEnd.manifestOutputs(folders) == expected, "\(context)")
        // No temporaries are left in the outbox after a completed run.
        let hidden = try FolderSnapshot.hashes(folders.yearFolder).keys.filter { $0.contains(".tmp-") }
        #expect(hidden.isEmpty, "\(context): \(hidden)")
      }
      print("testRun_killedAtRandomMoments: \(outcomes.joined(separator: " "))")
      // Delays are drawn below each kind of run's measured length: most runs die mid-way.
      #expect(kills >= 10, "seed \(seed): only \(kills) of 20 runs were killed before they finished")
      #expect(try FolderSnapshot.hashes(inbox) == inboxHashes, "seed \(seed): the inbox changed")
    }
  }
}
