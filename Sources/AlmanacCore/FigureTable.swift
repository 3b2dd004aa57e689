import Foundation

/// A submission's figures by cell key: a dictionary's interface over sorted, packed arrays.
///
/// A province has a few thousand submissions of about a hundred figures each, held from
/// normalize to the end of the run. A `[String: Figure]` of 105 entries has 256 buckets (its
/// load stays under 3/4 and bucket counts are powers of two), so figures took about 195
/// bytes each; sorted arrays of `Figure` took 80 plus, for a count from a register, a source
/// array of its own (about 100 more). Almost every figure is a plain count: an integer written
/// as its digits, no unit, its sources in a few files. Such a figure is kept here as its
/// number and a run of packed sources (16 bytes each, the file named by a small per-table
/// list), 32 bytes in all; any other figure is kept whole. Figures are rebuilt when read, so
/// nothing outside sees the difference.
///
/// Lookups are binary searches (seven comparisons of short keys for a hundred figures).
/// Iteration is in key order, so it is the same on every run. Encoded in a packed JSON form
/// (`PackedFigureTable`).
public struct FigureTable: Sendable {
  /// Sorted by `<`, no two equal.
  public private(set) var keys: [String] = []
  /// `slots[i]` holds the figure of `keys[i]`.
  @usableFromInline private(set) var slots: [Slot] = []
  /// The figures that are not plain counts, whole.
  @usableFromInline private(set) var others: [Figure] = []
  /// The sources of plain counts, in runs (`Slot.sourceStart`, `Slot.sourceCount`).
  private var sources: [PackedSource] = []
  /// The files `sources` name.
  private var files = FileList()
  /// Sources and whole figures of replaced or removed figures, still stored.
  private var retired = 0

  /// One figure: a plain count (`number`, its sources in `sources`), or `others[number]` when
  /// `sourceCount` is `Slot.whole`.
  @usableFromInline struct Slot: Sendable {
    @usableFromInline var number: Int64
    var sourceStart: UInt32
    @usableFromInline var sourceCount: UInt32

    @usableFromInline static let whole = UInt32.max
  }

  private struct PackedSource: Sendable, Equatable {
    var line: Int64
    var column: Int32
    var file: Int32
  }

  /// The distinct (file, sha256) pairs of a table's sources, told apart by their bytes
  /// (`String`'s `==` would merge canonically equivalent spellings, and a figure must come
  /// back with the path exactly as it was written).
  ///
  /// A table's figures come from one file or a few dozen (rows attributed to a department in
  /// other departments' registers). Each pair has a 64-bit digest of its bytes: a lookup
  /// compares digests (no string is copied or retained) and then the bytes of the one that
  /// matches; a list longer than 64 is also indexed by digest.
  fileprivate struct FileList: Sendable {
    private(set) var paths: [String] = []
    private(set) var sha256s: [String] = []
    private var digests: [UInt64] = []
    private var index: [UInt64: Int32] = [:]
    /// The pair `number` answered last.
    private var last = 0

    var count: Int { paths.count }

    /// The number of (`file`, `sha256`), added if new.
    mutating func number(_ file: String, _ sha256: String) -> Int32 {
      file.withUTF8Bytes { f in sha256.withUTF8Bytes { s in number(file: f, sha256: s) { (file, sha256) } } }
    }

    /// The number of the pair whose UTF-8 bytes are `file` and `sha256`, added if new; the
    /// strings are made (`make`) only then (a checkpoint being decoded names its files as
    /// bytes).
    mutating func number(
      file: UnsafeRawBufferPointer, sha256: UnsafeRawBufferPointer, make: () throws -> (String, String)
    ) rethrows -> Int32 {
      // A figure's sources, and a table's figures, mostly name the file named just before.
      if last < paths.count, Self.same(paths[last], file), Self.same(sha256s[last], sha256) {
        return Int32(last)
      }
      let digest = ByteInterner.hash(file) ^ ByteInterner.hash(sha256) &* 0x9E37_79B9_7F4A_7C15
      if let known = find(file, sha256, digest: digest) {
        last = Int(known)
        return known
      }
      let (path, sha) = try make()
      last = paths.count
      paths.append(path)
      sha256s.append(sha)
      digests.append(digest)
      let n = Int32(paths.count - 1)
      if paths.count > 64 {
        if index.isEmpty {
          for (i, d) in digests.enumerated() where index[d] == nil { index[d] = Int32(i) }
        } else if index[digest] == nil {
          index[digest] = n
        }
      }
      return n
    }

    private func find(_ file: UnsafeRawBufferPointer, _ sha256: UnsafeRawBufferPointer, digest: UInt64) -> Int32? {
      func matches(_ i: Int) -> Bool {
        digests[i] == digest && Self.same(paths[i], file) && Self.same(sha256s[i], sha256)
      }
      if !index.isEmpty, let i = index[digest], matches(Int(i)) { return i }
      // From the end: the file being read is the one added last. (With an index, this scan
      // runs only for a digest two pairs share.)
      if !index.isEmpty && index[digest] == nil { return nil }
      var i = digests.count - 1
      while i >= 0 {
        if matches(i) { return Int32(i) }
        i -= 1
      }
      return nil
    }

    /// `s`'s UTF-8 is `bytes` (lengths first: most other files' paths differ in length).
    private static func same(_ s: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
      s.withUTF8Bytes { own in
        guard own.count == bytes.count else { return false }
        guard let a = own.baseAddress, let b = bytes.baseAddress else { return own.isEmpty }
        return a == b || memcmp(a, b, own.count) == 0
      }
    }
  }

  public init() {}

  public init(_ figures: [String: Figure]) {
    let sorted = figures.sorted { $0.key < $1.key }
    reserveCapacity(sorted.count)
    sources.reserveCapacity(sorted.reduce(0) { $0 + $1.value.sources.count })
    for (key, figure) in sorted {
      keys.append(key)
      append(figure)
    }
  }

  /// Plain counts whose sources are lines of one file, as a register's counts are: `cells` in
  /// ascending key order, each with its count and its lines (sorted, distinct; column 0).
  /// Built without a `Figure`, a `SourceRef` or a dictionary entry per cell (a province's
  /// registers make some 200,000 of them); keys out of order are sorted the ordinary way.
  public init(counts cells: [(key: String, count: Int64, lines: [Int])], file: SourceFile) {
    let total = cells.reduce(0) { $0 + $1.lines.count }
    let ascending = zip(cells, cells.dropFirst()).allSatisfy { $0.key < $1.key }
    guard ascending, total < Int(UInt32.max) else {
      var figures: [String: Figure] = [:]
      for c in cells {
        figures[c.key] = Figure(
          value: .integer(c.count), raw: String(c.count), sources: c.lines.map { file.ref(line: $0) })
      }
      self.init(figures)
      return
    }
    self.init()
    reserveCapacity(cells.count)
    sources.reserveCapacity(total)
    let number = cells.isEmpty ? 0 : files.number(file.path, file.sha256)
    for c in cells {
      keys.append(c.key)
      let start = UInt32(sources.count)
      for line in c.lines { sources.append(PackedSource(line: Int64(line), column: 0, file: number)) }
      slots.append(Slot(number: c.count, sourceStart: start, sourceCount: UInt32(c.lines.count)))
    }
  }

  /// Like `Dictionary(uniqueKeysWithValues:)`, the last of equal keys wins instead of trapping.
  public init(_ pairs: some Sequence<(String, Figure)>) {
    var d: [String: Figure] = [:]
    for (k, v) in pairs { d[k] = v }
    self.init(d)
  }

  public var count: Int { keys.count }
  public var isEmpty: Bool { keys.isEmpty }

  /// The figures in key order (`values[i]` is the figure of `keys[i]`).
  public var values: Values { Values(table: self) }

  public struct Values: RandomAccessCollection, Sendable {
    fileprivate let table: FigureTable
    public var startIndex: Int { 0 }
    public var endIndex: Int { table.count }
    public subscript(position: Int) -> Figure { table.figure(at: position) }
  }

  /// The value of the figure at `index`, without rebuilding its sources.
  @inlinable
  public func value(at index: Int) -> CellValue {
    let slot = slots[index]
    return slot.sourceCount == Slot.whole ? others[Int(slot.number)].value : .integer(slot.number)
  }

  /// The number of the figure at `index` when it is a plain count (an integer written as its
  /// digits, no unit), for writers that take its sources from `forEachSource(at:_:)` instead
  /// of rebuilding the figure.
  func plainNumber(at index: Int) -> Int64? {
    let slot = slots[index]
    return slot.sourceCount == Slot.whole ? nil : slot.number
  }

  /// The sources of the plain count at `index`, in order: file number (see `file(_:)`),
  /// line, column.
  func forEachSource(at index: Int, _ body: (Int, Int, Int) -> Void) {
    let slot = slots[index]
    guard slot.sourceCount != Slot.whole else { return }
    let start = Int(slot.sourceStart)
    for s in sources[start..<(start + Int(slot.sourceCount))] {
      body(Int(s.file), Int(s.line), Int(s.column))
    }
  }

  /// How many distinct (file, sha256) pairs the table's sources name.
  var fileCount: Int { files.count }

  /// The path and sha256 of file number `number` of the table's sources.
  func file(_ number: Int) -> (path: String, sha256: String) {
    (files.paths[number], files.sha256s[number])
  }

  /// The figure at `index` as a flat writer needs it: value, unit, raw text and first source,
  /// without rebuilding its source list (an array per figure) as `figure(at:)` does.
  public func flat(at index: Int) -> (value: CellValue, unit: String?, raw: String, firstSource: SourceRef?) {
    let slot = slots[index]
    if slot.sourceCount == Slot.whole {
      let f = others[Int(slot.number)]
      return (f.value, f.unit, f.raw, f.sources.first)
    }
    var first: SourceRef?
    if slot.sourceCount > 0 {
      let s = sources[Int(slot.sourceStart)]
      first = SourceRef(
        file: files.paths[Int(s.file)], sha256: files.sha256s[Int(s.file)], line: Int(s.line), column: Int(s.column))
    }
    return (.integer(slot.number), nil, String(slot.number), first)
  }

  /// The figure at `index`, rebuilt.
  public func figure(at index: Int) -> Figure {
    let slot = slots[index]
    if slot.sourceCount == Slot.whole { return others[Int(slot.number)] }
    let start = Int(slot.sourceStart)
    let refs = sources[start..<(start + Int(slot.sourceCount))].map { s in
      SourceRef(
        file: files.paths[Int(s.file)], sha256: files.sha256s[Int(s.file)], line: Int(s.line), column: Int(s.column))
    }
    return Figure(value: .integer(slot.number), raw: String(slot.number), sources: refs)
  }

  /// Appends `figure` as the last figure (its key is already in `keys`).
  private mutating func append(_ figure: Figure) {
    slots.append(pack(figure))
  }

  /// Stores `figure`'s parts (its sources, or the whole figure) and returns its slot.
  private mutating func pack(_ figure: Figure) -> Slot {
    guard case .integer(let n) = figure.value, figure.unit == nil, figure.raw == String(n),
      sources.count + figure.sources.count < Int(UInt32.max),
      figure.sources.allSatisfy({ Int32(exactly: $0.column) != nil })
    else {
      others.append(figure)
      return Slot(number: Int64(others.count - 1), sourceStart: 0, sourceCount: Slot.whole)
    }
    let start = UInt32(sources.count)
    for s in figure.sources {
      let file = files.number(s.file, s.sha256)
      sources.append(PackedSource(line: Int64(s.line), column: Int32(s.column), file: file))
    }
    return Slot(number: n, sourceStart: start, sourceCount: UInt32(figure.sources.count))
  }

  /// Appends the figure at `index` of `other` (its key is already in `keys`), copying packed
  /// sources as they are; `fileMap` maps `other`'s file numbers to this table's (-1: not yet).
  private mutating func append(from other: FigureTable, at index: Int, fileMap: inout [Int32]) {
    let slot = other.slots[index]
    guard slot.sourceCount != Slot.whole else {
      slots.append(Slot(number: Int64(others.count), sourceStart: 0, sourceCount: Slot.whole))
      others.append(other.others[Int(slot.number)])
      return
    }
    guard sources.count + Int(slot.sourceCount) < Int(UInt32.max) else {
      append(other.figure(at: index))
      return
    }
    let start = UInt32(sources.count)
    let from = Int(slot.sourceStart)
    for var s in other.sources[from..<(from + Int(slot.sourceCount))] {
      if fileMap[Int(s.file)] < 0 {
        fileMap[Int(s.file)] = files.number(other.files.paths[Int(s.file)], other.files.sha256s[Int(s.file)])
      }
      s.file = fileMap[Int(s.file)]
      sources.append(s)
    }
    slots.append(Slot(number: slot.number, sourceStart: start, sourceCount: slot.sourceCount))
  }

  /// The position of `key`, or where it would be inserted.
  private func position(of key: String) -> (index: Int, found: Bool) {
    var low = 0
    var high = keys.count
    while low < high {
      let mid = (low + high) / 2
      if keys[mid] < key { low = mid + 1 } else { high = mid }
    }
    return (low, low < keys.count && keys[low] == key)
  }

  /// The index of `key`'s figure, if it has one.
  public func index(forKey key: String) -> Int? {
    let p = position(of: key)
    return p.found ? p.index : nil
  }

  public subscript(key: String) -> Figure? {
    get {
      let p = position(of: key)
      return p.found ? figure(at: p.index) : nil
    }
    set {
      let p = position(of: key)
      if p.found { retire(slots[p.index]) }
      switch (p.found, newValue) {
      case (true, let v?): slots[p.index] = pack(v)
      case (true, nil):
        keys.remove(at: p.index)
        slots.remove(at: p.index)
      case (false, let v?):
        keys.insert(key, at: p.index)
        slots.insert(pack(v), at: p.index)
      case (false, nil): break
      }
      // A replaced or removed figure's parts stay behind until they outweigh the rest.
      if retired > 64 && retired > sources.count / 2 + others.count / 2 { self = compacted() }
    }
  }

  /// Sources and whole figures stored, used or not (for tests of compaction).
  var storedParts: Int { sources.count + others.count }

  /// Counts a slot's parts as no longer used.
  private mutating func retire(_ slot: Slot) {
    retired += slot.sourceCount == Slot.whole ? 1 : Int(slot.sourceCount)
  }

  /// The same figures without parts no slot uses.
  private func compacted() -> FigureTable {
    var out = FigureTable()
    out.reserveCapacity(count)
    out.files = files
    var fileMap = Array(0..<Int32(files.count))
    for i in indices {
      out.keys.append(keys[i])
      out.append(from: self, at: i, fileMap: &fileMap)
    }
    return out
  }

  @discardableResult
  public mutating func removeValue(forKey key: String) -> Figure? {
    let old = self[key]
    self[key] = nil
    return old
  }

  public mutating func reserveCapacity(_ n: Int) {
    keys.reserveCapacity(n)
    slots.reserveCapacity(n)
  }

  /// The figures `isIncluded` accepts. When it accepts them all (a department's only file
  /// keeps every cell), the result shares this table's storage instead of copying it.
  public func filter(_ isIncluded: ((key: String, value: Figure)) throws -> Bool) rethrows -> FigureTable {
    var kept: [Int] = []
    for i in indices where try isIncluded(self[i]) { kept.append(i) }
    return keeping(kept)
  }

  /// The table with only the figures whose keys `isIncluded` keeps: `filter(_:)` for a test
  /// of the key alone, without rebuilding each figure (and its sources) to show it.
  public func filterKeys(_ isIncluded: (String) throws -> Bool) rethrows -> FigureTable {
    var kept: [Int] = []
    for (i, k) in keys.enumerated() where try isIncluded(k) { kept.append(i) }
    return keeping(kept)
  }

  /// The table with only the figures at `kept` (ascending places).
  private func keeping(_ kept: [Int]) -> FigureTable {
    if kept.count == count { return self }
    var out = FigureTable()
    out.reserveCapacity(kept.count)
    out.files = files  // numbered as here (a file no figure keeps any more costs its entry)
    var fileMap = Array(0..<Int32(files.count))
    for i in kept {
      // Taken in key order: appending keeps the table sorted.
      out.keys.append(keys[i])
      out.append(from: self, at: i, fileMap: &fileMap)
    }
    return out
  }

  /// Adds `other`'s figures: a key in both gets `combine(mine, theirs)`. One pass over both
  /// sorted tables (a department's counts are merged once per file that names it).
  public mutating func merge(_ other: FigureTable, combine: (Figure, Figure) throws -> Figure) rethrows {
    let mine = self
    self = try Self.merged(mine, other) { out, i, j, _ in
      out.append(try combine(mine.figure(at: i), other.figure(at: j)))
    }
  }

  /// `merge(_:combine:)` for tables of counts, where `combine` adds two counts up and unites
  /// their sources: where both tables hold a plain count of a key, their sum is made here from
  /// the packed sources, merged in `SourceRef` order, repeats dropped, the first `sourceLimit`
  /// kept (what such a `combine` makes of them, without rebuilding either figure: a
  /// province's department tables are merged file by file, some 200,000 figures). Any other
  /// pair, or sources not in order, go through `combine`.
  public mutating func mergeAddingCounts(
    _ other: FigureTable, sourceLimit: Int, combine: (Figure, Figure) throws -> Figure
  ) rethrows {
    let mine = self
    // Ranked when a key is first found in both tables, not for merges with an empty one.
    var order: SourceOrder?
    self = try Self.merged(mine, other) { out, i, j, theirs in
      let ranks = order ?? SourceOrder(mine.files, other.files)
      order = ranks
      if !out.appendSum(mine, i, other, j, order: ranks, limit: sourceLimit, theirs: &theirs) {
        out.append(try combine(mine.figure(at: i), other.figure(at: j)))
      }
    }
  }

  /// `a` and `b`'s figures in one pass over both sorted tables; a key in both is appended by
  /// `both(out, index in a, index in b, b's file numbers in out)`. `a`'s files keep their
  /// numbers; only `b`'s few are looked up.
  private static func merged(
    _ a: FigureTable, _ b: FigureTable, both: (inout FigureTable, Int, Int, inout [Int32]) throws -> Void
  ) rethrows -> FigureTable {
    if b.isEmpty { return a }
    if a.isEmpty { return b }
    var out = FigureTable()
    out.reserveCapacity(a.count + b.count)
    out.sources.reserveCapacity(a.sources.count + b.sources.count)
    out.files = a.files
    var mine = Array(0..<Int32(a.files.count))
    var theirs = [Int32](repeating: -1, count: b.files.count)
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a.keys[i] < b.keys[j]) {
        out.keys.append(a.keys[i])
        out.append(from: a, at: i, fileMap: &mine)
        i += 1
      } else if i == a.count || b.keys[j] < a.keys[i] {
        out.keys.append(b.keys[j])
        out.append(from: b, at: j, fileMap: &theirs)
        j += 1
      } else {
        out.keys.append(a.keys[i])
        try both(&out, i, j, &theirs)
        i += 1
        j += 1
      }
    }
    return out
  }

  /// Where a source sorts among those of two tables (`SourceRef`'s `<`: path, line, column,
  /// digest; strings that are `==` rank the same), by each table's file numbers.
  private struct SourceOrder {
    let mine: [(path: Int32, sha256: Int32)]
    let theirs: [(path: Int32, sha256: Int32)]

    init(_ a: FileList, _ b: FileList) {
      let paths = Self.ranks(a.paths + b.paths)
      let digests = Self.ranks(a.sha256s + b.sha256s)
      let both = Array(zip(paths, digests)).map { (path: $0.0, sha256: $0.1) }
      mine = Array(both[..<a.count])
      theirs = Array(both[a.count...])
    }

    /// Each string's rank among `strings` by `<`, equal strings sharing one.
    static func ranks(_ strings: [String]) -> [Int32] {
      let sorted = strings.indices.sorted { strings[$0] < strings[$1] }
      var ranks = [Int32](repeating: 0, count: strings.count)
      var rank: Int32 = 0
      for (n, i) in sorted.enumerated() {
        if n > 0 && strings[sorted[n - 1]] < strings[i] { rank += 1 }
        ranks[i] = rank
      }
      return ranks
    }

    func key(_ s: PackedSource, mine isMine: Bool) -> (Int32, Int64, Int32, Int32) {
      let f = isMine ? mine[Int(s.file)] : theirs[Int(s.file)]
      return (f.path, s.line, s.column, f.sha256)
    }
  }

  /// Appends the sum of the plain counts at `i` of `a` (whose file numbers are this table's)
  /// and at `j` of `b` (numbered through `theirs`); false, appending nothing, when either is
  /// not a plain count or its sources are not in order.
  private mutating func appendSum(
    _ a: FigureTable, _ i: Int, _ b: FigureTable, _ j: Int, order: SourceOrder, limit: Int, theirs: inout [Int32]
  ) -> Bool {
    let x = a.slots[i]
    let y = b.slots[j]
    guard x.sourceCount != Slot.whole, y.sourceCount != Slot.whole,
      sources.count + Int(x.sourceCount) + Int(y.sourceCount) < Int(UInt32.max)
    else { return false }
    let xs = a.sources[Int(x.sourceStart)..<(Int(x.sourceStart) + Int(x.sourceCount))]
    let ys = b.sources[Int(y.sourceStart)..<(Int(y.sourceStart) + Int(y.sourceCount))]
    func inOrder(_ run: ArraySlice<PackedSource>, mine: Bool) -> Bool {
      zip(run, run.dropFirst()).allSatisfy { !(order.key($1, mine: mine) < order.key($0, mine: mine)) }
    }
    guard inOrder(xs, mine: true), inOrder(ys, mine: false) else { return false }
    let start = UInt32(sources.count)
    var last: (Int32, Int64, Int32, Int32)?
    var p = xs.startIndex
    var q = ys.startIndex
    var kept = 0
    while kept < limit, p < xs.endIndex || q < ys.endIndex {
      var next: PackedSource
      let nextKey: (Int32, Int64, Int32, Int32)
      if q == ys.endIndex || (p < xs.endIndex && order.key(xs[p], mine: true) < order.key(ys[q], mine: false)) {
        next = xs[p]
        nextKey = order.key(next, mine: true)
        p += 1
      } else if p == xs.endIndex || order.key(ys[q], mine: false) < order.key(xs[p], mine: true) {
        next = ys[q]
        nextKey = order.key(next, mine: false)
        if theirs[Int(next.file)] < 0 {
          theirs[Int(next.file)] = files.number(b.files.paths[Int(next.file)], b.files.sha256s[Int(next.file)])
        }
        next.file = theirs[Int(next.file)]
        q += 1
      } else {
        next = xs[p]
        nextKey = order.key(next, mine: true)
        p += 1
        q += 1
      }
      if let last, last == nextKey { continue }
      last = nextKey
      sources.append(next)
      kept += 1
    }
    slots.append(Slot(number: x.number + y.number, sourceStart: start, sourceCount: UInt32(kept)))
    return true
  }

  /// The figures as a dictionary (for callers that build on one).
  public var dictionary: [String: Figure] {
    Dictionary(uniqueKeysWithValues: zip(keys, values))
  }
}

extension FigureTable: RandomAccessCollection {
  public typealias Element = (key: String, value: Figure)
  public var startIndex: Int { 0 }
  public var endIndex: Int { keys.count }
  public subscript(position: Int) -> (key: String, value: Figure) { (keys[position], figure(at: position)) }
}

/// Equal when they hold the same figures under the same keys, however they are packed.
extension FigureTable: Hashable {
  public static func == (a: FigureTable, b: FigureTable) -> Bool {
    guard a.keys == b.keys else { return false }
    return a.indices.allSatisfy { a.figure(at: $0) == b.figure(at: $0) }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for i in indices {
      hasher.combine(keys[i])
      hasher.combine(figure(at: i))
    }
  }
}

extension FigureTable {
  /// Reads the table's JSON form (`PackedFigureTable`) at `at` without `Codable` containers:
  /// what `CompactJSONDecoder` does for a `FigureTable`. Each source's file is looked up by its
  /// number; files are read as bytes and made into strings once per table. Nil when the
  /// object at `at` is not in that form (an object of figures, read by `decodeJSON`).
  static func decodePackedJSON(_ scanner: JSONScanner, at: Int) throws -> FigureTable? {
    var countsAt: Int?
    var filesAt: Int?
    var keysAt: Int?
    var othersAt: Int?
    let end = try scanner.forEachMember(of: at) { nameStart, nameEnd, value in
      if try scanner.byte(value) == UInt8(ascii: "[") {
        if scanner.name(nameStart, nameEnd, is: "counts") {
          countsAt = value
        } else if scanner.name(nameStart, nameEnd, is: "files") {
          filesAt = value
        } else if scanner.name(nameStart, nameEnd, is: "keys") {
          keysAt = value
        } else if scanner.name(nameStart, nameEnd, is: "others") {
          othersAt = value
        }
      }
      return try scanner.skipValue(value)
    }
    guard let countsAt, let keysAt else { return nil }
    guard let filesAt, let othersAt else { throw scanner.error(at, "a figure table without files or others") }
    var table = FigureTable()
    var fileMap: [Int32] = []
    _ = try scanner.elements(of: filesAt) { pair in
      var parts: [(start: Int, end: Int)] = []
      let pairEnd = try scanner.elements(of: pair) { e in
        guard try scanner.byte(e) == UInt8(ascii: "\"") else { throw scanner.error(e, "expected a string") }
        let end = try scanner.stringEnd(e)
        parts.append((e, end))
        return end
      }
      guard parts.count == 2 else { throw scanner.error(pair, "a file is not a [path, sha256] pair") }
      let (path, sha256) = (parts[0], parts[1])
      if let p = scanner.plainStringBytes(path.start, path.end),
        let s = scanner.plainStringBytes(sha256.start, sha256.end)
      {
        fileMap.append(
          try table.files.number(file: p, sha256: s) {
            (try scanner.string(path.start), try scanner.string(sha256.start))
          })
      } else {
        fileMap.append(table.files.number(try scanner.string(path.start), try scanner.string(sha256.start)))
      }
      return pairEnd
    }
    var keys: [String] = []
    _ = try scanner.elements(of: keysAt) { k in
      keys.append(try scanner.string(k))
      return try scanner.stringEnd(k)
    }
    var whole: [Figure] = []
    _ = try scanner.elements(of: othersAt) { f in
      whole.append(try Figure(from: JSONValueDecoder(scanner: scanner, at: f)))
      return try scanner.skipValue(f)
    }
    var numbers: [Int64] = []
    var ends: [Int] = []
    numbers.reserveCapacity(keys.count * 4)
    ends.reserveCapacity(keys.count)
    _ = try scanner.elements(of: countsAt) { entry in
      let entryEnd = try scanner.integers(of: entry, into: &numbers)
      ends.append(numbers.count)
      scanner.passed(entryEnd)
      return entryEnd
    }
    do {
      try table.fill(keys: keys, numbers: numbers, ends: ends, fileMap: fileMap, others: whole)
    } catch let problem as PackedFormProblem {
      throw scanner.error(at, problem.what)
    }
    scanner.passed(end)
    return table
  }

  /// Reads the JSON object of figures at `at` (the form of earlier versions) straight into
  /// the table.
  ///
  /// Through `Codable`, each figure was a keyed container and each source another, with its
  /// file name and digest made into strings: a resumed run spent two and a half seconds
  /// decoding a province's reconciliation (288,000 sources), most of it here. A plain count
  /// (`{"raw":"12","sources":[…],"value":{"i":"12"}}`, no unit) is now packed as it is read,
  /// its sources' files looked up by their bytes; any other figure is decoded as a `Figure`.
  /// Keys in `String` order (as the encoder writes cell keys) are appended as they come;
  /// others are sorted as `init(_:)` sorts them. Two keys `String` calls equal are an error
  /// (the caller then decodes again with `JSONDecoder`).
  static func decodeJSON(_ scanner: JSONScanner, at: Int) throws -> FigureTable {
    if let packed = try decodePackedJSON(scanner, at: at) { return packed }
    var table = FigureTable()
    var inOrder = true
    let end = try scanner.forEachMember(of: at) { nameStart, _, value in
      scanner.passed(nameStart)
      let key = try scanner.string(nameStart)
      if let last = table.keys.last, !(last < key) { inOrder = false }
      table.keys.append(key)
      return try table.appendDecoded(scanner, at: value)
    }
    if inOrder {
      table.shrinkToFit()
      return table
    }
    var figures: [String: Figure] = [:]
    for i in table.indices { figures[table.keys[i]] = table.figure(at: i) }
    guard figures.count == table.count else { throw scanner.error(end, "two figures for one cell key") }
    return FigureTable(figures)
  }

  /// Gives back the growth slack of arrays filled by appending (a province's submissions are
  /// held for the rest of the run).
  private mutating func shrinkToFit() {
    keys.trimCapacity()
    slots.trimCapacity()
    sources.trimCapacity()
    others.trimCapacity()
  }

  /// Decodes the figure at `at` into a new slot (its key is already in `keys`); returns where
  /// the figure ends.
  private mutating func appendDecoded(_ scanner: JSONScanner, at: Int) throws -> Int {
    let firstSource = sources.count
    var number: Int64?
    var raw: UnsafeRawBufferPointer?
    var sawSources = false
    var plain = true
    let end = try scanner.forEachMember(of: at) { nameStart, nameEnd, value in
      if scanner.name(nameStart, nameEnd, is: "value") {
        return try scanner.forEachMember(of: value) { a, b, v in
          if scanner.name(a, b, is: "i"), try scanner.byte(v) == UInt8(ascii: "\""), number == nil {
            number = Int64(try scanner.string(v))
            if number == nil { plain = false }
          } else {
            plain = false
          }
          return try scanner.skipValue(v)
        }
      }
      if scanner.name(nameStart, nameEnd, is: "raw") {
        guard try scanner.byte(value) == UInt8(ascii: "\"") else {
          plain = false
          return try scanner.skipValue(value)
        }
        let end = try scanner.stringEnd(value)
        raw = scanner.plainStringBytes(value, end)
        return end
      }
      if scanner.name(nameStart, nameEnd, is: "unit") {
        if !scanner.isNull(value) { plain = false }
        return try scanner.skipValue(value)
      }
      if scanner.name(nameStart, nameEnd, is: "sources") {
        sawSources = true
        guard plain else { return try scanner.skipValue(value) }
        return try scanner.elements(of: value) { e in
          let end = try appendSource(scanner, at: e)
          if end.packed == false { plain = false }
          return end.end
        }
      }
      // Any other member is ignored, as `Figure`'s `Codable` ignores it.
      return try scanner.skipValue(value)
    }
    if plain, sawSources, let number, let raw, raw.elementsEqual(String(number).utf8),
      sources.count < Int(UInt32.max)
    {
      slots.append(
        Slot(number: number, sourceStart: UInt32(firstSource), sourceCount: UInt32(sources.count - firstSource)))
      return end
    }
    // Not a plain count, or a member is missing: decoded whole (and missing members are
    // reported as `Codable` reports them).
    sources.removeSubrange(firstSource...)
    slots.append(pack(try Figure(from: JSONValueDecoder(scanner: scanner, at: at))))
    return end
  }

  /// Packs the source object at `at`; `packed` is false when it cannot be (a member missing
  /// or of another kind, a column too wide), and the figure is then decoded whole.
  private mutating func appendSource(_ scanner: JSONScanner, at: Int) throws -> (end: Int, packed: Bool) {
    var line: Int?
    var column: Int?
    var file: (start: Int, end: Int)?
    var sha256: (start: Int, end: Int)?
    var ok = true
    let end = try scanner.forEachMember(of: at) { nameStart, nameEnd, value in
      let valueEnd = try scanner.skipValue(value)
      if scanner.name(nameStart, nameEnd, is: "line") {
        line = Int(scanner.token(value, end: valueEnd))
        if line == nil { ok = false }
      } else if scanner.name(nameStart, nameEnd, is: "column") {
        column = Int(scanner.token(value, end: valueEnd))
        if column == nil { ok = false }
      } else if scanner.name(nameStart, nameEnd, is: "file") || scanner.name(nameStart, nameEnd, is: "sha256") {
        guard try scanner.byte(value) == UInt8(ascii: "\"") else {
          ok = false
          return valueEnd
        }
        if scanner.name(nameStart, nameEnd, is: "file") { file = (value, valueEnd) } else { sha256 = (value, valueEnd) }
      }
      return valueEnd
    }
    guard ok, let line, let column, let file, let sha256, let narrow = Int32(exactly: column) else {
      return (end, false)
    }
    let number: Int32
    if let f = scanner.plainStringBytes(file.start, file.end),
      let s = scanner.plainStringBytes(sha256.start, sha256.end)
    {
      number = try files.number(file: f, sha256: s) {
        (try scanner.string(file.start), try scanner.string(sha256.start))
      }
    } else {
      number = files.number(try scanner.string(file.start), try scanner.string(sha256.start))
    }
    sources.append(PackedSource(line: Int64(line), column: narrow, file: number))
    return (end, true)
  }
}

extension FigureTable: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, Figure)...) { self.init(elements) }
}

// MARK: - JSON form

/// A table's JSON form: the cell keys once, each plain count as a short array of integers,
/// each source as three integers that name its file by number, the files listed once:
///
///     {"counts":[[12],[3,0,7,2],[]],"files":[["财政局.csv","<sha256>"]],
///      "keys":["t3.r1.zj","t3.r2.zj","t3.r3.zj"],"others":[{"raw":"1.5",…}]}
///
/// `counts[i]` belongs to `keys[i]`: a plain count's number, then file, line and column of
/// each source; or `[]` for a figure kept whole, which is the next entry of `others` (each a
/// `Figure` as its `Codable` writes it). Files are numbered in the order the figures first
/// cite them, so equal tables give equal bytes however they were built.
///
/// Stage checkpoints hold a province's figures twice (normalize, reconcile). As an object
/// per figure and per source, repeating each source's file name and digest, each was 80 MB
/// for 10M register rows, written and hashed on every run; in this form it is about a
/// quarter of that (architecture.md: stage outputs are compact, not a JSON object per cell).
/// Tables written as the object of figures they once were (`{"t3.r1.zj":{"raw":…},…}`, by
/// earlier versions) are still read.
struct PackedFigureTable: Codable {
  var counts: [[Int64]]
  var files: [[String]]
  var keys: [String]
  var others: [Figure]
}

extension FigureTable: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: PackedKey.self)
    guard container.contains(.counts), container.contains(.keys) else {
      // The object of figures of earlier versions.
      self.init(try [String: Figure](from: decoder))
      return
    }
    let packed = try PackedFigureTable(from: decoder)
    do {
      self.init()
      var fileMap: [Int32] = []
      for pair in packed.files {
        guard pair.count == 2 else { throw PackedFormProblem("a file is not a [path, sha256] pair") }
        fileMap.append(files.number(pair[0], pair[1]))
      }
      var numbers: [Int64] = []
      var ends: [Int] = []
      for entry in packed.counts {
        numbers.append(contentsOf: entry)
        ends.append(numbers.count)
      }
      try fill(keys: packed.keys, numbers: numbers, ends: ends, fileMap: fileMap, others: packed.others)
    } catch let problem as PackedFormProblem {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem.what))
    }
  }

  public func encode(to encoder: Encoder) throws {
    try packed.encode(to: encoder)
  }

  private enum PackedKey: String, CodingKey {
    case counts, keys
  }

  /// The table in its JSON form (`PackedFigureTable`). `CompactJSONEncoder` writes the same
  /// bytes without building it.
  var packed: PackedFigureTable {
    var fileNumbers = [Int64](repeating: -1, count: files.count)
    var cited: [[String]] = []
    var counts: [[Int64]] = []
    var whole: [Figure] = []
    for i in indices {
      let slot = slots[i]
      if slot.sourceCount == Slot.whole {
        counts.append([])
        whole.append(others[Int(slot.number)])
        continue
      }
      var entry = [slot.number]
      forEachSource(at: i) { file, line, column in
        if fileNumbers[file] < 0 {
          fileNumbers[file] = Int64(cited.count)
          cited.append([files.paths[file], files.sha256s[file]])
        }
        entry.append(contentsOf: [fileNumbers[file], Int64(line), Int64(column)])
      }
      counts.append(entry)
    }
    return PackedFigureTable(counts: counts, files: cited, keys: keys, others: whole)
  }

  /// Fills an empty table (its `files` already listed, `fileMap` giving the table's number of
  /// each file the JSON lists) from the JSON form's parts: entry `i` of the counts is
  /// `numbers[ends[i - 1]..<ends[i]]`.
  fileprivate mutating func fill(
    keys given: [String], numbers: [Int64], ends: [Int], fileMap: [Int32], others whole: [Figure]
  ) throws {
    guard ends.count == given.count else {
      throw PackedFormProblem("\(given.count) cell keys but \(ends.count) entries of counts")
    }
    reserveCapacity(given.count)
    var nextWhole = 0
    var start = 0
    for (i, end) in ends.enumerated() {
      if end == start {
        guard nextWhole < whole.count else { throw PackedFormProblem("more empty counts than figures in others") }
        slots.append(pack(whole[nextWhole]))
        nextWhole += 1
      } else {
        guard (end - start - 1) % 3 == 0 else {
          throw PackedFormProblem("the counts of \(given[i]) are not a number and (file, line, column) triples")
        }
        let first = sources.count
        var k = start + 1
        while k < end {
          guard let f = Int(exactly: numbers[k]), fileMap.indices.contains(f) else {
            throw PackedFormProblem("a source of \(given[i]) names file \(numbers[k]) of \(fileMap.count)")
          }
          guard let column = Int32(exactly: numbers[k + 2]) else {
            throw PackedFormProblem("a source of \(given[i]) has column \(numbers[k + 2])")
          }
          sources.append(PackedSource(line: numbers[k + 1], column: column, file: fileMap[f]))
          k += 3
        }
        guard sources.count < Int(UInt32.max) else { throw PackedFormProblem("too many sources") }
        slots.append(
          Slot(number: numbers[start], sourceStart: UInt32(first), sourceCount: UInt32(sources.count - first)))
      }
      keys.append(given[i])
      start = end
    }
    guard nextWhole == whole.count else { throw PackedFormProblem("more figures in others than empty counts") }
    if zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) {
      shrinkToFit()
      return
    }
    // Keys out of order (not as written): sorted as `init(_:)` sorts them.
    var figures: [String: Figure] = [:]
    for i in indices { figures[keys[i]] = figure(at: i) }
    guard figures.count == count else { throw PackedFormProblem("two figures for one cell key") }
    self = FigureTable(figures)
  }
}
