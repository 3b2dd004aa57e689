import AlmanacCore
import PropertyBased
import Testing

@testable import Ingest

@Suite struct ApplicationNumbersTests {
  /// Against a dictionary of the numbers themselves: each row's number is new, or repeats the
  /// first row that had it (and says whether it was repeated before), across the table's
  /// growth; numbers drawn from a small pool so that repeats are common.
  @Test func testNote_agreesWithADictionaryOfTheNumbers() async {
    await propertyCheck(input: Gen.int(in: 0...3_000).array(of: 0...2_500)) { picks in
      var table = ApplicationNumbers()
      var firstLine: [String: Int] = [:]
      var repeated: Set<String> = []
      for (i, pick) in picks.enumerated() {
        let number = "环依申〔2025〕\(pick)号"
        let line = i + 3
        let seen = number.utf8.withContiguousStorageIfAvailable { table.note(UnsafeRawBufferPointer($0), line: line) }
        if let first = firstLine[number] {
          #expect(seen == .repeated(firstLine: first, again: repeated.contains(number)))
          repeated.insert(number)
        } else {
          #expect(seen == .first)
          firstLine[number] = line
        }
      }
    }
  }

  /// Numbers that differ in one byte, or only in length (`A-1`, `A-10`), are different.
  @Test func testNote_nearNumbersAreDifferent() {
    var table = ApplicationNumbers()
    var line = 1
    for prefix in ["", "A-", "凌环依申〔2025〕第"] {
      for n in 0..<20_000 {
        let seen = "\(prefix)\(n)".utf8.withContiguousStorageIfAvailable {
          table.note(UnsafeRawBufferPointer($0), line: line)
        }
        #expect(seen == .first, "\(prefix)\(n)")
        line += 1
      }
    }
  }

  /// A large register's numbers spread over the shards, so that no one table (whose growth
  /// holds its old and new slots at once) holds more than twice its share: one table of two
  /// million numbers doubling took 72 MB at once. A register of a few thousand rows keeps one.
  @Test func testNote_spreadsALargeRegistersNumbersOverTheShards() {
    var table = ApplicationNumbers()
    for n in 1...200_000 {
      if n == 40_000 { #expect(table.largestShardSlots == table.slotCount, "split at \(n) numbers") }
      let seen = "兴化文旅依申〔2025〕\(n)号".utf8.withContiguousStorageIfAvailable {
        table.note(UnsafeRawBufferPointer($0), line: n + 2)
      }
      #expect(seen == .first)
    }
    let share = table.slotCount / ApplicationNumbers.shardCount
    #expect(table.largestShardSlots <= 2 * share, "largest shard \(table.largestShardSlots) slots, share \(share)")
    #expect(table.slotCount <= 200_000 * 4, "\(table.slotCount) slots for 200,000 numbers")
  }

  /// Across the split into shards (past 99,644 numbers) and the shards' own growth: every
  /// number is found again with its first line, and a second repeat says so.
  @Test func testNote_findsNumbersAcrossTheSplit() {
    var table = ApplicationNumbers()
    let distinct = 120_000
    for i in 0..<(distinct + 30_000) {
      let n = i % distinct
      let seen = "A-\(n)".utf8.withContiguousStorageIfAvailable { table.note(UnsafeRawBufferPointer($0), line: i + 3) }
      #expect(seen == (i < distinct ? .first : .repeated(firstLine: n + 3, again: false)), "row \(i)")
    }
    let again = "A-7".utf8.withContiguousStorageIfAvailable { table.note(UnsafeRawBufferPointer($0), line: 1) }
    #expect(again == .repeated(firstLine: 10, again: true))
    #expect(table.largestShardSlots < table.slotCount)
  }

  /// Numbers whose fingerprints share their top bits (as numbers made to collide could) all go
  /// to one shard at the split: it starts large enough to hold them, and each is found again.
  @Test func testNote_splitWithEveryNumberInOneShard() {
    var numbers: [UInt64] = []
    var n: UInt64 = 0
    while numbers.count < 110_000 {
      n += 1
      let h = withUnsafeBytes(of: n) { ByteInterner.hash($0) }
      if h >> UInt64(64 - ApplicationNumbers.shardBits) == 0 { numbers.append(n) }
    }
    var table = ApplicationNumbers()
    for (i, number) in numbers.enumerated() {
      #expect(withUnsafeBytes(of: number) { table.note($0, line: i + 1) } == .first)
    }
    for (i, number) in numbers.enumerated() where i % 97 == 0 {
      #expect(withUnsafeBytes(of: number) { table.note($0, line: 0) } == .repeated(firstLine: i + 1, again: false))
    }
    #expect(table.largestShardSlots >= 131_072)
  }
}
