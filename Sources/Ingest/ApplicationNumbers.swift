import AlmanacCore

/// The application numbers (申请编号) of one register seen so far, for telling a repeated
/// number (NRM-031) while the register streams past.
///
/// A number is kept as its 64-bit fingerprint (`ByteInterner.hash` of its trimmed bytes) and
/// the line of its first row: 12 bytes a slot, 16–24 a number (32 while tables doubled),
/// where keeping the bytes took about 100 (200 MB for a register of two million rows). Two
/// different numbers are taken for one only if their fingerprints collide; for numbers that
/// differ in one 8-byte word (the serial part of `环依申〔2025〕123号`) the hash is a bijection
/// and they cannot; otherwise the chance is about n² / 2⁶⁵ for n numbers (10⁻¹⁰ for 70,000,
/// the largest reference register), and the finding shows both rows' lines to check.
///
/// A register's numbers start in one open-addressing table; one that would outgrow `splitSlots`
/// is split into `shardCount` tables by the fingerprint's top bits, each then growing on its
/// own: one table doubling held its old and new slots at once, 36 bytes a number at that
/// moment, and a register of two million rows in one file peaked at 126 MB (105 MB in
/// shards doubling, 98–101 MB growing by half); a shard's growth holds a sixty-fourth of
/// that. Registers of thousands of rows (the reference inbox's) never split: 64 small tables
/// growing cost about 500 allocations a file.
struct ApplicationNumbers: Sendable {
  /// 2^`shardBits` shards once split, chosen by a fingerprint's top bits (its low bits pick
  /// the slot within a shard).
  static let shardBits = 6
  static let shardCount = 1 << shardBits
  /// The one table's slots to start with.
  static let initialSlots = 1_024
  /// A table's slots after growing: half as many again. Doubling left a two-million-number
  /// register's tables 48 % full (50 MB); growing by half, they end 50–75 % full.
  static func grown(_ slots: Int) -> Int { slots + slots / 2 }

  /// The one table is split rather than grown past this many slots (1.5 MB; it splits at
  /// 99,644 numbers, full at 132,859 slots): the reference registers (74,000 rows at most)
  /// stay in one; split at half this, the 10M run's peak rose by 1–2 MB (64 shards' small
  /// arrays are kept by the allocator once freed, where one table's large ones go back to the
  /// system).
  static let splitSlots = 1 << 17

  /// One open-addressing table of fingerprints and first lines.
  private struct Shard: Sendable {
    /// Fingerprint per slot; 0 is empty (a fingerprint of 0 is stored as 1).
    var prints: [UInt64]
    /// Per slot, the line of the number's first row; negative once a later row repeated it.
    var lines: [Int32]
    var count = 0

    init(slots: Int) {
      prints = Array(repeating: 0, count: slots)
      lines = Array(repeating: 0, count: slots)
    }

    /// True when one more number would take the shard past its load limit.
    var isFull: Bool { Self.isOverLoaded(count + 1, slots: prints.count) }

    /// True when `count` numbers in `slots` slots pass the load limit (three quarters).
    static func isOverLoaded(_ count: Int, slots: Int) -> Bool { count * 4 > slots * 3 }

    /// The home slot of `print` among `slots`: its bits below the shard's (the top
    /// `shardBits`) as a fraction of the table, so that a table may have any size and grow by
    /// half, not double.
    @inline(__always) static func home(_ print: UInt64, slots: Int) -> Int {
      Int(
        truncatingIfNeeded: (print &<< UInt64(ApplicationNumbers.shardBits)).multipliedFullWidth(by: UInt64(slots)).high
      )
    }

    /// Notes `print` on `line`.
    mutating func note(_ print: UInt64, line: Int) -> Seen {
      var i = Self.home(print, slots: prints.count)
      while prints[i] != 0 {
        if prints[i] == print {
          let first = lines[i]
          lines[i] = -abs(first)
          return .repeated(firstLine: Int(abs(first)), again: first < 0)
        }
        i += 1
        if i == prints.count { i = 0 }
      }
      if isFull {
        // Absent, so noting it in the grown table finds a free slot and stores it.
        self = Shard(slots: ApplicationNumbers.grown(prints.count), holding: self)
        return note(print, line: line)
      }
      prints[i] = print
      lines[i] = Int32(clamping: line)
      count += 1
      return .first
    }

    /// A shard of `slots` slots holding the entries of `old` for which `keep` holds. Through
    /// unchecked buffers: growing with an index and a uniqueness check per entry took 0.8 % of
    /// a 10M run's CPU.
    init(slots: Int, holding old: Shard, where keep: (UInt64) -> Bool = { _ in true }) {
      self.init(slots: slots)
      var added = 0
      prints.withUnsafeMutableBufferPointer { newPrints in
        lines.withUnsafeMutableBufferPointer { newLines in
          old.prints.withUnsafeBufferPointer { prints in
            old.lines.withUnsafeBufferPointer { lines in
              for j in 0..<prints.count where prints[j] != 0 && keep(prints[j]) {
                var i = Self.home(prints[j], slots: slots)
                while newPrints[i] != 0 {
                  i += 1
                  if i == slots { i = 0 }
                }
                newPrints[i] = prints[j]
                newLines[i] = lines[j]
                added += 1
              }
            }
          }
        }
      }
      count = added
    }
  }

  /// The one table, until it is split.
  private var one = Shard(slots: ApplicationNumbers.initialSlots)
  /// Empty until the split, then `shardCount`.
  private var shards: [Shard] = []

  /// What a row's number was.
  enum Seen: Equatable {
    /// Not seen before: now recorded with this row's line.
    case first
    /// Seen on `line` before; `again` when an earlier repeat was already noted.
    case repeated(firstLine: Int, again: Bool)
  }

  /// Notes the number whose trimmed bytes are `bytes` on `line`.
  mutating func note(_ bytes: UnsafeRawBufferPointer, line: Int) -> Seen {
    let h = ByteInterner.hash(bytes)
    let print = h == 0 ? 1 : h
    if shards.isEmpty {
      guard one.isFull, one.prints.count >= Self.splitSlots else { return one.note(print, line: line) }
      split()
    }
    return shards[Self.shard(of: print)].note(print, line: line)
  }

  private static func shard(of print: UInt64) -> Int {
    Int(truncatingIfNeeded: print >> UInt64(64 - shardBits))
  }

  /// Spreads the one full table over `shardCount` shards with half as many slots again in
  /// all (as after a growth, when the fingerprints' top bits spread evenly; a shard that would
  /// be over its load limit, as numbers made to collide could make one, starts larger).
  private mutating func split() {
    var counts = [Int](repeating: 0, count: Self.shardCount)
    for p in one.prints where p != 0 { counts[Self.shard(of: p)] += 1 }
    shards = (0..<Self.shardCount).map { s in
      var slots = Self.grown(one.prints.count) / Self.shardCount
      while Shard.isOverLoaded(counts[s] + 1, slots: slots) { slots = Self.grown(slots) }
      return Shard(slots: slots, holding: one) { Self.shard(of: $0) == s }
    }
    one = Shard(slots: 1)
  }

  /// Slots held across the tables (for tests of the growth).
  var slotCount: Int { shards.isEmpty ? one.prints.count : shards.reduce(0) { $0 + $1.prints.count } }

  /// The largest table's slots.
  var largestShardSlots: Int { shards.map(\.prints.count).max() ?? one.prints.count }
}
