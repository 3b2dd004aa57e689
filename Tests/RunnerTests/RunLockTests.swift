import Foundation
import Testing

@testable import Runner

@Suite struct RunLockTests {
  @Test func testLock_secondAcquisitionFailsWhileHeldAndSucceedsAfterRelease() throws {
    let p = try TestProject()
    defer { p.remove() }
    let url = p.url("almanac.lock")
    let first = try RunLock.acquire(at: url)
    #expect(throws: RunLockError.held(path: url.path, holder: "\(getpid())")) {
      _ = try RunLock.acquire(at: url)
    }
    first.release()
    let again = try RunLock.acquire(at: url)
    again.release()
  }

  /// `status` finds the holder from the kernel's lock table, without taking the lock.
  @Test func testHolder_isFoundWithoutTakingTheLock() throws {
    let p = try TestProject()
    defer { p.remove() }
    let url = p.url("almanac.lock")
    #expect(RunLock.holder(at: url) == nil)
    let held = try RunLock.acquire(at: url)
    #expect(RunLock.holder(at: url) == "\(getpid())")
    // Asking did not take it: it is still ours alone.
    #expect(throws: RunLockError.self) { _ = try RunLock.acquire(at: url) }
    held.release()
    #expect(RunLock.holder(at: url) == nil)
  }

  @Test func testHolder_readsTheKernelsLine() {
    let table = """
      1: POSIX  ADVISORY  WRITE 700 fe:00:16225210 0 EOF
      2: FLOCK  ADVISORY  WRITE 18739 fe:00:16225210 0 EOF
      3: FLOCK  ADVISORY  WRITE 42 08:01:99 0 EOF
      """
    // fe:00 is major 254, minor 0; 08:01 is major 8, minor 1.
    #expect(RunLock.holder(in: table, device: 254 << 8, inode: 16_225_210) == "18739")
    #expect(RunLock.holder(in: table, device: (8 << 8) | 1, inode: 99) == "42")
    #expect(RunLock.holder(in: table, device: (8 << 8) | 1, inode: 16_225_210) == nil)
  }

  @Test func testLock_releasedWhenOwnerGoesAway() throws {
    let p = try TestProject()
    defer { p.remove() }
    let url = p.url("almanac.lock")
    do {
      _ = try RunLock.acquire(at: url)
    }
    // Closing the descriptor is what the kernel does for a killed process.
    let next = try RunLock.acquire(at: url)
    next.release()
  }

  @Test func testRun_whileLockedExits75AndDoesNothing() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try FileManager.default.createDirectory(at: p.url(".almanac"), withIntermediateDirectories: true)
    let held = try RunLock.acquire(at: p.url(".almanac/almanac.lock"))
    defer { held.release() }
    let log = ExecutionLog()
    let lines = LineRecorder()
    let r = try await p.run(wiring: TestWiring(log: log), lines: lines)
    #expect(r.exitCode == 75)
    #expect(r.failure?.kind == .locked)
    #expect(log.ran.isEmpty)
    #expect(!p.exists(".almanac/test-pipeline"))
    #expect(!p.exists(".almanac/hash-cache.json"))
    #expect(!p.exists("outbox/2021"))
    #expect(lines.lines.contains { $0.contains("另一个 almanac run 正在运行") })
  }

  /// Two runs with different state folders (cron's, an operator's from another directory)
  /// publishing into one outbox: the second waits its turn (75) rather than clearing the first's
  /// temporary files there and failing with an I/O error.
  @Test func testRun_sameOutboxOtherStateFolder_exits75() async throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("a\n", to: "inbox/a.csv")
    try FileManager.default.createDirectory(at: p.url("outbox"), withIntermediateDirectories: true)
    let held = try RunLock.acquire(at: Runner.outboxLockURL(outbox: p.url("outbox")))
    let log = ExecutionLog()
    let lines = LineRecorder()
    var raw = RawSettings()
    raw.state = "other-state"
    let r = try await p.run(raw, wiring: TestWiring(log: log), lines: lines)
    #expect(r.exitCode == 75)
    #expect(log.ran.isEmpty)
    #expect(!p.exists("outbox/2021"))
    #expect(lines.lines.contains { $0.contains("另一个 almanac run 正在运行") && $0.contains("outbox/.almanac.lock") })
    // The state folder's lock was let go: a run there goes ahead once the outbox is free.
    held.release()
    let next = try await p.run(raw, wiring: TestWiring(log: log), lines: lines)
    #expect(next.exitCode == 0)
    #expect(p.exists("outbox/2021"))
  }

  @Test func testLock_otherProcessHoldingItBlocksUntilItDies() throws {
    let p = try TestProject()
    defer { p.remove() }
    let url = p.url("almanac.lock")
    // A real second process (flock(1) from util-linux; -o keeps the lock out of its child) holds the lock, then is killed.
    try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"))
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
    holder.arguments = ["-o", url.path, "sleep", "5"]
    try holder.run()
    defer { if holder.isRunning { holder.terminate() } }
    var locked = false
    for _ in 0..<100 {
      do {
        let l = try RunLock.acquire(at: url)
        l.release()
        usleep(20_000)
      } catch {
        locked = true
        break
      }
    }
    #expect(locked)
    kill(holder.processIdentifier, SIGKILL)
    var acquired = false
    for _ in 0..<200 where !acquired {
      if let l = try? RunLock.acquire(at: url) {
        l.release()
        acquired = true
      } else {
        usleep(10_000)
      }
    }
    #expect(acquired, "the kernel releases a killed holder's flock")
  }
}
