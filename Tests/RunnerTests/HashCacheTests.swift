import AlmanacCore
import Foundation
import Runner
import Testing

@Suite struct HashCacheTests {
  @Test func testListing_sortsAndSkipsDotfilesStateAndOutbox() throws {
    let p = try TestProject()
    defer { p.remove() }
    for path in [
      "inbox/b.csv", "inbox/a.CSV", "inbox/c.csv.gz", "inbox/n.txt", "inbox/m.md", "inbox/x.xlsx", "inbox/.tmp.csv",
      "inbox/.hidden/d.csv", "inbox/sub/e.csv", "inbox/state/f.csv", "inbox/out/g.csv",
    ] {
      try p.write("1\n", to: path)
    }
    let listed = try InboxScanner.list(inbox: p.url("inbox"), excluding: [p.url("inbox/state"), p.url("inbox/out")])
    #expect(listed.map(\.path) == ["a.CSV", "b.csv", "c.csv.gz", "m.md", "n.txt", "sub/e.csv", "x.xlsx"])
    // Not a sheet: listed so that ingest reports it (ING-018), never read.
    #expect(listed.filter { $0.refusal != nil }.map(\.path) == ["x.xlsx"])
  }

  /// The state folder and the outbox are skipped whatever path names them: through a link to
  /// the inbox, or with `..` in it.
  @Test func testListing_skipsStateAndOutboxNamedThroughALinkOrDotDot() throws {
    let p = try TestProject()
    defer { p.remove() }
    for path in ["inbox/a.csv", "inbox/state/f.csv", "inbox/out/g.csv"] {
      try p.write("1\n", to: path)
    }
    try FileManager.default.createSymbolicLink(at: p.url("alias"), withDestinationURL: p.url("inbox"))
    let listed = try InboxScanner.list(
      inbox: p.url("inbox"), excluding: [p.url("alias/state"), p.url("inbox/state/../out")])
    #expect(listed.map(\.path) == ["a.csv"])
  }

  /// A file that cannot be read (permissions, an I/O error; here: gone after listing) does
  /// not stop the run: it is an entry whose digest names its state, never cached, and ingest
  /// reports it (ING-013).
  @Test func testHash_unreadableFile_isAnEntryNotAFailure() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("alpha\n", to: "inbox/a.csv")
    try p.write("beta\n", to: "inbox/b.csv")
    let listed = try InboxScanner.list(inbox: p.url("inbox"))
    try FileManager.default.removeItem(at: p.url("inbox/b.csv"))
    let cache = HashCache(url: p.url("state/hash-cache.json"))
    let hashed = try InboxHasher.hash(listed, cache: cache)
    #expect(hashed.entries.map(\.path) == ["a.csv", "b.csv"])
    #expect(hashed.entries[1].sha256.count == 64)
    #expect(hashed.entries[1].sha256 != Digest.sha256Hex("beta\n"))
    #expect(hashed.stats.filesHashed == 1)
    let again = try InboxHasher.hash(listed, cache: cache)
    #expect(again.entries == hashed.entries)
    #expect(cache.lookup("b.csv", stamp: listed[1].stamp) == nil)
  }

  @Test func testHash_unchangedFilesAreNotReadAgain() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("alpha\n", to: "inbox/a.csv")
    try p.write("beta\n", to: "inbox/b.csv")
    let cacheURL = p.url("state/hash-cache.json")

    let first = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: HashCache(url: cacheURL))
    #expect(first.stats == HashStats(files: 2, filesHashed: 2, bytesHashed: 11))
    #expect(
      first.entries == [
        InboxEntry(path: "a.csv", sha256: Digest.sha256Hex("alpha\n"), size: 6),
        InboxEntry(path: "b.csv", sha256: Digest.sha256Hex("beta\n"), size: 5),
      ])

    let cache1 = HashCache(url: cacheURL)
    let firstSaved = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: cache1)
    #expect(firstSaved.stats.filesHashed == 2)  // nothing was saved by the first call
    #expect(try cache1.save())

    let cache2 = HashCache(url: cacheURL)
    let again = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: cache2)
    #expect(again.stats == HashStats(files: 2, filesHashed: 0, bytesHashed: 0))
    #expect(again.entries == first.entries)
    #expect(try cache2.save() == false)

    // Same size, new content: the changed stat (mtime/ctime) forces a re-read of that file only.
    try p.write("gamma\n", to: "inbox/a.csv")
    let cache3 = HashCache(url: cacheURL)
    let changed = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: cache3)
    #expect(changed.stats == HashStats(files: 2, filesHashed: 1, bytesHashed: 6))
    #expect(changed.entries[0].sha256 == Digest.sha256Hex("gamma\n"))
  }

  @Test func testHash_removedFilesDropOutOfTheCache() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("alpha\n", to: "inbox/a.csv")
    try p.write("beta\n", to: "inbox/b.csv")
    let cacheURL = p.url("state/hash-cache.json")
    let c1 = HashCache(url: cacheURL)
    _ = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: c1)
    try c1.save()
    try FileManager.default.removeItem(at: p.url("inbox/b.csv"))
    let c2 = HashCache(url: cacheURL)
    _ = try InboxHasher.hash(try InboxScanner.list(inbox: p.url("inbox")), cache: c2)
    #expect(try c2.save())
    let text = try String(contentsOf: cacheURL, encoding: .utf8)
    #expect(text.contains("\"a.csv\""))
    #expect(!text.contains("\"b.csv\""))
  }

  /// A stamp the file system clock has not yet moved past could belong to a file still being
  /// written within the same tick: it is not saved, so the next run reads the file again.
  @Test func testSave_keepsOnlyStampsTheClockHasPassed() throws {
    let p = try TestProject()
    defer { p.remove() }
    let cacheURL = p.url("state/hash-cache.json")
    let cache = HashCache(url: cacheURL)
    let now = Int64(Date().timeIntervalSince1970 * 1e9)
    let old = FileStamp(size: 6, mtimeNs: now - 5_000_000_000, inode: 1, ctimeNs: now - 5_000_000_000)
    let fresh = FileStamp(size: 5, mtimeNs: now + 60_000_000_000, inode: 2, ctimeNs: now + 60_000_000_000)
    cache.store("a.csv", stamp: old, sha256: Digest.sha256Hex("alpha\n"))
    cache.store("b.csv", stamp: fresh, sha256: Digest.sha256Hex("beta\n"))
    #expect(try cache.save())

    let reloaded = HashCache(url: cacheURL)
    #expect(reloaded.lookup("a.csv", stamp: old) == Digest.sha256Hex("alpha\n"))
    #expect(reloaded.lookup("b.csv", stamp: fresh) == nil)
  }

  @Test func testHash_damagedCacheIsIgnored() throws {
    let p = try TestProject()
    defer { p.remove() }
    try p.write("alpha\n", to: "inbox/a.csv")
    try p.write("{not json", to: "state/hash-cache.json")
    let r = try InboxHasher.hash(
      try InboxScanner.list(inbox: p.url("inbox")), cache: HashCache(url: p.url("state/hash-cache.json")))
    #expect(r.stats.filesHashed == 1)
    #expect(r.entries[0].sha256 == Digest.sha256Hex("alpha\n"))
  }
}
