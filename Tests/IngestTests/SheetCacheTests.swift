import AlmanacCore
import AlmanacTestSupport
import Foundation
import PropertyBased
import Testing

@testable import Ingest

@Suite struct SheetCacheTests {
  static func key(_ n: Int) -> String { String(repeating: String(n % 10), count: 64) + "-0123456789abcdef" }
  static func payload(_ n: Int, version: Int = 0) -> Data { Data("{\"sheet\":\(n),\"v\":\(version)}\n".utf8) }

  static func files(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
  }

  @Test func testStoredPayloads_areServedAfterReopening() throws {
    let tmp = try TemporaryFolder("sheet-cache")
    defer { tmp.remove() }
    let folder = tmp.path("files")
    let cache = SheetCache(folder: folder)
    #expect(cache.payload(Self.key(1)) == nil)
    #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing is created before a store")
    for n in 1...3 { try cache.store(Self.payload(n), key: Self.key(n)) }
    #expect(cache.payload(Self.key(2)) == Self.payload(2))
    #expect(try Self.files(folder) == ["000001.pack"])

    let reopened = SheetCache(folder: folder)
    for n in 1...3 { #expect(reopened.payload(Self.key(n)) == Self.payload(n)) }
    #expect(reopened.payload(Self.key(4)) == nil)
    // A second run appends to a pack of its own; the newer record of a key is served.
    try reopened.store(Self.payload(2, version: 1), key: Self.key(2))
    #expect(try Self.files(folder) == ["000001.pack", "000002.pack"])
    #expect(SheetCache(folder: folder).payload(Self.key(2)) == Self.payload(2, version: 1))
    #expect(SheetCache.storedKeys(in: folder) == Set((1...3).map(Self.key)))
  }

  /// A run killed while appending leaves a torn record at the end of its pack: every earlier
  /// record is still served, the torn one never, and the next run's records come after it.
  @Test func testTornTail_isIgnoredWhereverTheCutFalls() throws {
    let tmp = try TemporaryFolder("sheet-cache-torn")
    defer { tmp.remove() }
    let folder = tmp.path("files")
    let cache = SheetCache(folder: folder)
    try cache.store(Self.payload(1), key: Self.key(1))
    try cache.store(Self.payload(2), key: Self.key(2))
    let pack = folder.appendingPathComponent("000001.pack")
    let whole = try Data(contentsOf: pack)
    let second = SheetCache.headerSize + Self.key(1).utf8.count + Self.payload(1).count
    for cut in second..<whole.count {
      try whole.prefix(cut).write(to: pack)
      let reopened = SheetCache(folder: folder)
      #expect(reopened.payload(Self.key(1)) == Self.payload(1), "cut at \(cut)")
      #expect(reopened.payload(Self.key(2)) == nil, "cut at \(cut)")
      #expect(SheetCache.storedKeys(in: folder) == [Self.key(1)])
    }
    let reopened = SheetCache(folder: folder)
    try reopened.store(Self.payload(2), key: Self.key(2))
    #expect(SheetCache(folder: folder).payload(Self.key(2)) == Self.payload(2))
  }

  @Test func testAlteredPayload_isNotServed() throws {
    let tmp = try TemporaryFolder("sheet-cache-altered")
    defer { tmp.remove() }
    let folder = tmp.path("files")
    try SheetCache(folder: folder).store(Self.payload(7), key: Self.key(7))
    let pack = folder.appendingPathComponent("000001.pack")
    var bytes = try Data(contentsOf: pack)
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: pack)
    #expect(SheetCache(folder: folder).payload(Self.key(7)) == nil)

    // Not a pack of ours at all: nothing is served, nothing crashes.
    try Data("garbage that is long enough to hold a header, and then some more bytes…".utf8).write(to: pack)
    #expect(SheetCache.storedKeys(in: folder).isEmpty)
  }

  @Test func testPrune_dropsUnusedEntriesAndStrayFiles() throws {
    let tmp = try TemporaryFolder("sheet-cache-prune")
    defer { tmp.remove() }
    let folder = tmp.path("files")
    let first = SheetCache(folder: folder)
    for n in 0..<8 { try first.store(Self.payload(n), key: Self.key(n)) }
    try Data("{".utf8).write(to: folder.appendingPathComponent(".x.json.tmp-1"))
    // Every entry in use: the pack stays as it is.
    #expect(SheetCache(folder: folder).prune(keeping: Set((0..<8).map(Self.key))) == 1)
    #expect(try Self.files(folder) == ["000001.pack"])
    #expect(SheetCache.storedKeys(in: folder).count == 8)

    // Three of eight unused: the five in use are copied to a new pack, the old one goes.
    #expect(SheetCache(folder: folder).prune(keeping: Set((0..<5).map(Self.key))) == 3)
    #expect(try Self.files(folder) == ["000002.pack"])
    #expect(SheetCache.storedKeys(in: folder) == Set((0..<5).map(Self.key)))
    let reopened = SheetCache(folder: folder)
    for n in 0..<5 { #expect(reopened.payload(Self.key(n)) == Self.payload(n)) }

    // A pack none of whose entries are used is deleted without copying anything.
    let next = SheetCache(folder: folder)
    try next.store(Self.payload(9), key: Self.key(9))
    #expect(next.prune(keeping: [Self.key(9)]) == 5)
    #expect(try Self.files(folder) == ["000003.pack"])
  }

  @Test func testPrune_mergesManySmallPacks() throws {
    let tmp = try TemporaryFolder("sheet-cache-merge")
    defer { tmp.remove() }
    let folder = tmp.path("files")
    for n in 0...SheetCache.maxPacks { try SheetCache(folder: folder).store(Self.payload(n), key: Self.key(n)) }
    #expect(try Self.files(folder).count == SheetCache.maxPacks + 1)
    let all = Set((0...SheetCache.maxPacks).map(Self.key))
    #expect(SheetCache(folder: folder).prune(keeping: all) == 0)
    #expect(try Self.files(folder) == [String(format: "%06d.pack", SheetCache.maxPacks + 2)])
    #expect(SheetCache.storedKeys(in: folder) == all)
  }

  /// Runs that store, are killed at an arbitrary byte of their pack, or complete and prune,
  /// in any order: the cache serves exactly what was last stored whole under a key, and after
  /// a prune nothing outside the kept keys.
  @Test func testAnyHistoryOfRunsAndKills_servesExactlyWhatWasStored() async throws {
    let tmp = try TemporaryFolder("sheet-cache-model")
    defer { tmp.remove() }
    // A run: the keys it stores (0...5), then a kill (the cut, per mille of its pack) or,
    // for a negative cut, a prune keeping the keys whose bit is set in the mask.
    let run = PropertyBased.zip(Gen.int(in: 0...5).array(of: 0...4), Gen.int(in: -300...1000), Gen.int(in: 0...63))
    await propertyCheck(count: 60, input: run.array(of: 1...6)) { runs in
      let folder = tmp.path("files-\(UUID().uuidString)")
      var model: [String: Data] = [:]
      var version = 0
      for (keys, cut, mask) in runs {
        let cache = SheetCache(folder: folder)
        let before = Set(SheetCache.packURLs(in: folder))
        var stored: [String: [Data]] = [:]
        for n in keys {
          version += 1
          try cache.store(Self.payload(n, version: version), key: Self.key(n))
          stored[Self.key(n), default: []].append(Self.payload(n, version: version))
        }
        if cut < 0 {
          for (key, versions) in stored { model[key] = versions.last }
          let keep = Set((0...5).filter { mask & (1 << $0) != 0 }.map(Self.key))
          _ = cache.prune(keeping: keep)
          model = model.filter { keep.contains($0.key) }
          #expect(SheetCache.storedKeys(in: folder).isSubset(of: keep))
        } else if let pack = Set(SheetCache.packURLs(in: folder)).subtracting(before).first {
          // Killed while writing its pack: the records wholly before the cut survive.
          let whole = try Data(contentsOf: pack)
          try whole.prefix(whole.count * cut / 1000).write(to: pack)
          let survivors = SheetCache(folder: folder)
          for (key, versions) in stored {
            if let served = survivors.payload(key), versions.contains(served) { model[key] = served }
          }
        }
        let check = SheetCache(folder: folder)
        for n in 0...5 {
          #expect(check.payload(Self.key(n)) == model[Self.key(n)], "key \(n) after \(runs)")
        }
      }
    }
  }
}
