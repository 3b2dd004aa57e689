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

// Encoded as the array of groups it replaces, so checkpoints and `inspect --json` keep their form.
extension RegisterGroups: Codable {
  public init(from decoder: Decoder) throws {
    self.init(try [RegisterGroup](from: decoder))
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.unkeyedContainer()
    for g in self { try container.encode(g) }
  }
}
