/// A register's groups in flat storage, read as a collection of `RegisterGroup`.
///
/// A province's registers have hundreds of thousands of groups, all held until normalize has
/// counted them. As `[RegisterGroup]` each group was three small arrays of its own (values,
/// keys, sample lines: about 270 bytes); here a group is a few integers (about 60 bytes),
/// and each distinct string is stored once per register. Reading a group builds its
/// `RegisterGroup`; the encoded form (JSON) is the array of groups, unchanged.
public struct RegisterGroups: Sendable {
  /// The strings the groups' values and keys point into.
  private var strings: [String] = []
  /// Per group, from `starts[g]`: the number of values n, n indices into `strings`, then the
  /// number of keys m (-1: the group has no keys), then m indices (-1: that key is nil).
  private var layout: [Int32] = []
  private var starts: [Int] = []
  private var counts: [Int64] = []
  /// Sample lines of all groups; group g's end at `lineEnds[g]`.
  private var lines: [Int] = []
  private var lineEnds: [Int] = []

  public init() {}

  /// Groups given one by one; equal strings are stored once.
  public init(_ groups: some Sequence<RegisterGroup>) {
    var known: [String: Int32] = [:]
    func index(_ s: String, in groups: inout RegisterGroups) -> Int32 {
      if let i = known[s] { return i }
      let i = groups.addString(s)
      known[s] = i
      return i
    }
    for g in groups {
      let values = g.values.map { index($0, in: &self) }
      let keys = g.keys.map { keys in keys.map { $0.map { index($0, in: &self) } ?? -1 } }
      append(
        count: g.count, sampleLines: g.sampleLines, valueCount: values.count, value: { values[$0] },
        keyCount: keys?.count, key: { keys?[$0] ?? -1 })
    }
  }

  /// Room for `groups` more groups of `width` values (and as many keys when `keyed`) and
  /// `lines` more sample lines: a register's groups are held until normalize, so no growth
  /// slack is kept.
  public mutating func reserveCapacity(groups: Int, width: Int, keyed: Bool, lines sampleLines: Int) {
    layout.reserveCapacity(layout.count + groups * (2 + (keyed ? 2 : 1) * width))
    starts.reserveCapacity(starts.count + groups)
    counts.reserveCapacity(counts.count + groups)
    lines.reserveCapacity(lines.count + sampleLines)
    lineEnds.reserveCapacity(lineEnds.count + groups)
  }

  /// Gives back the growth slack of storage filled by appending, once the register is
  /// complete: a province's registers are all held until normalize, where a quarter spare
  /// capacity on average was megabytes.
  public mutating func shrinkToFit() {
    strings.trimCapacity()
    layout.trimCapacity()
    starts.trimCapacity()
    counts.trimCapacity()
    lines.trimCapacity()
    lineEnds.trimCapacity()
  }

  /// Adds `s` to the string table, without looking for an equal one (the caller knows its
  /// strings are distinct); returns the index `append` takes.
  public mutating func addString(_ s: String) -> Int32 {
    strings.append(s)
    return Int32(strings.count - 1)
  }

  /// Appends a group whose values and keys are string indices from `addString`: `value(i)`
  /// for i in 0..<valueCount; `key(i)` for i in 0..<keyCount, -1 for a nil key, and no keys
  /// at all when `keyCount` is nil.
  public mutating func append(
    count: Int64, sampleLines: some Collection<Int>, valueCount: Int, value: (Int) -> Int32, keyCount: Int?,
    key: (Int) -> Int32
  ) {
    starts.append(layout.count)
    layout.append(Int32(valueCount))
    for i in 0..<valueCount { layout.append(value(i)) }
    if let keyCount {
      layout.append(Int32(keyCount))
      for i in 0..<keyCount { layout.append(key(i)) }
    } else {
      layout.append(-1)
    }
    counts.append(count)
    lines.append(contentsOf: sampleLines)
    lineEnds.append(lines.count)
  }
}

extension RegisterGroups: RandomAccessCollection {
  public var startIndex: Int { 0 }
  public var endIndex: Int { counts.count }

  public subscript(position: Int) -> RegisterGroup {
    let keyCount = keyCount(position)
    return RegisterGroup(
      values: (0..<valueCount(position)).map { value(position, $0) }, count: rowCount(position),
      sampleLines: Array(sampleLines(position)), keys: keyCount.map { n in (0..<n).map { key(position, $0) } })
  }

  // Parts of group `g` without building its `RegisterGroup` (the checkpoint writer and
  // normalize read every group once).

  public func rowCount(_ g: Int) -> Int64 { counts[g] }
  public func valueCount(_ g: Int) -> Int { Int(layout[starts[g]]) }
  public func value(_ g: Int, _ i: Int) -> String { strings[Int(layout[starts[g] + 1 + i])] }
  /// nil when the group has no keys (the register was not resolved while reading).
  public func keyCount(_ g: Int) -> Int? {
    let n = layout[starts[g] + 1 + valueCount(g)]
    return n < 0 ? nil : Int(n)
  }
  public func key(_ g: Int, _ i: Int) -> String? {
    let k = layout[starts[g] + 2 + valueCount(g) + i]
    return k < 0 ? nil : strings[Int(k)]
  }
  public func sampleLines(_ g: Int) -> ArraySlice<Int> { lines[(g == 0 ? 0 : lineEnds[g - 1])..<lineEnds[g]] }
}

extension RegisterGroups: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: RegisterGroup...) { self.init(elements) }
}

// Equal when the groups are: two registers that stored their strings in another order are
// the same register.
extension RegisterGroups: Hashable {
  public static func == (lhs: RegisterGroups, rhs: RegisterGroups) -> Bool { lhs.elementsEqual(rhs) }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for g in self { hasher.combine(g) }
  }
}

// MARK: - JSON form

/// A register's groups as JSON: each group one array of integers, the strings listed once:
///
///     {"groups":[[12,3,0,1,2,3,3,4,5,71],[1,3,6,1,2,-1,40,41]],
///      "strings":["东台城管局","自然人","部分公开","D1823","a1","o02","东台市城管局"]}
///
/// A group is its row count; the number of values, then each value's string number; the
/// number of keys (-1: the group has none), then each key's string number (-1: nil); then its
/// sample lines. Strings are numbered in the order the groups first cite them, so equal
/// groups give equal bytes however their strings were stored.
///
/// Ingest's checkpoint holds every group of a province's registers (300,000 at 10M rows). As
/// an object per group, each naming its values and keys in full, it was 44 MB; in this form it
/// is about a quarter of that. The array of group objects earlier versions wrote is still read.
struct PackedRegisterGroups: Codable {
  var groups: [[Int64]]
  var strings: [String]
}

extension RegisterGroups {
  /// Numbers a table's strings in the order they are first cited.
  struct StringNumbering {
    private var numbers: [Int64]
    /// The string table's indices, in number order.
    private(set) var cited: [Int32] = []

    init(strings: Int) { numbers = Array(repeating: -1, count: strings) }

    /// The number of string `index` (-1 stays -1: a nil key).
    mutating func number(_ index: Int32) -> Int64 {
      guard index >= 0 else { return -1 }
      if numbers[Int(index)] < 0 {
        numbers[Int(index)] = Int64(cited.count)
        cited.append(index)
      }
      return numbers[Int(index)]
    }
  }

  var stringCount: Int { strings.count }
  func string(_ index: Int32) -> String { strings[Int(index)] }

  /// Appends group `g`'s packed integers to `out` (see `PackedRegisterGroups`).
  func appendPacked(_ g: Int, numbering: inout StringNumbering, to out: inout [Int64]) {
    out.append(counts[g])
    let start = starts[g]
    let valueCount = Int(layout[start])
    out.append(Int64(valueCount))
    for i in 0..<valueCount { out.append(numbering.number(layout[start + 1 + i])) }
    let keyCount = Int(layout[start + 1 + valueCount])
    out.append(Int64(keyCount))
    for i in 0..<Swift.max(0, keyCount) { out.append(numbering.number(layout[start + 2 + valueCount + i])) }
    for line in sampleLines(g) { out.append(Int64(line)) }
  }

  /// The groups in their JSON form. `CompactJSONEncoder` writes the same bytes without
  /// building it.
  var packed: PackedRegisterGroups {
    var numbering = StringNumbering(strings: strings.count)
    var groups: [[Int64]] = []
    groups.reserveCapacity(count)
    for g in indices {
      var entry: [Int64] = []
      appendPacked(g, numbering: &numbering, to: &entry)
      groups.append(entry)
    }
    return PackedRegisterGroups(groups: groups, strings: numbering.cited.map { strings[Int($0)] })
  }

  /// Appends a group from its packed integers (`e`, checked here), whose string numbers are
  /// indices in the string table (the register's strings, added first). Nothing is copied: a
  /// province's checkpoint has 300,000 groups.
  mutating func appendPacked(_ e: [Int64]) throws {
    let stringCount = strings.count
    let shape = PackedFormProblem("a register group is not [count, values…, keys…, lines…]")
    guard e.count >= 3, e[1] >= 0, e[1] <= e.count - 3 else { throw shape }
    let valueCount = Int(e[1])
    let keyCount = e[2 + valueCount]
    guard keyCount >= -1, keyCount <= e.count - 3 - valueCount else { throw shape }
    let keyStart = 3 + valueCount
    let lineStart = keyStart + Swift.max(0, Int(keyCount))
    for i in 2..<lineStart where i != 2 + valueCount {
      let n = e[i]
      guard (n >= 0 && n < stringCount) || (n == -1 && i >= keyStart) else {
        throw PackedFormProblem("a register group names string \(n) of \(stringCount)")
      }
    }
    append(
      count: e[0], sampleLines: e[lineStart...].lazy.map { Int($0) }, valueCount: valueCount,
      value: { Int32(e[2 + $0]) }, keyCount: keyCount < 0 ? nil : Int(keyCount),
      key: { Int32(e[keyStart + $0]) })
  }
}

extension RegisterGroups: Codable {
  public init(from decoder: Decoder) throws {
    guard (try? decoder.container(keyedBy: PackedKey.self)) != nil else {
      // The array of groups earlier versions wrote.
      self.init(try [RegisterGroup](from: decoder))
      return
    }
    let packed = try PackedRegisterGroups(from: decoder)
    self.init()
    for s in packed.strings { _ = addString(s) }
    do {
      for entry in packed.groups {
        try appendPacked(entry)
      }
    } catch let problem as PackedFormProblem {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem.what))
    }
  }

  public func encode(to encoder: Encoder) throws {
    try packed.encode(to: encoder)
  }

  private enum PackedKey: CodingKey {
    case groups, strings
  }
}
