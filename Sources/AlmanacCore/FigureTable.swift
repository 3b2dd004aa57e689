/// A submission's figures by cell key: a dictionary's interface over two sorted arrays.
///
/// A province has a few thousand submissions of about a hundred figures each, held from
/// normalize to the end of the run. A `[String: Figure]` of 105 entries has 256 buckets (its
/// load stays under 3/4 and bucket counts are powers of two), so figures took about 195
/// bytes each; here they take their own 80. Lookups are binary searches (seven comparisons
/// of short keys for a hundred figures). Iteration is in key order, so it is the same on
/// every run. Encoded as the JSON object the dictionary was.
public struct FigureTable: Sendable, Hashable {
  /// Sorted by `<`, no two equal.
  public private(set) var keys: [String] = []
  /// `values[i]` is the figure of `keys[i]`.
  public private(set) var values: [Figure] = []

  public init() {}

  public init(_ figures: [String: Figure]) {
    let sorted = figures.sorted { $0.key < $1.key }
    keys = sorted.map(\.key)
    values = sorted.map(\.value)
  }

  /// Like `Dictionary(uniqueKeysWithValues:)`, the last of equal keys wins instead of trapping.
  public init(_ pairs: some Sequence<(String, Figure)>) {
    var d: [String: Figure] = [:]
    for (k, v) in pairs { d[k] = v }
    self.init(d)
  }

  public var count: Int { keys.count }
  public var isEmpty: Bool { keys.isEmpty }

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

  public subscript(key: String) -> Figure? {
    get {
      let p = position(of: key)
      return p.found ? values[p.index] : nil
    }
    set {
      let p = position(of: key)
      switch (p.found, newValue) {
      case (true, let v?): values[p.index] = v
      case (true, nil):
        keys.remove(at: p.index)
        values.remove(at: p.index)
      case (false, let v?):
        keys.insert(key, at: p.index)
        values.insert(v, at: p.index)
      case (false, nil): break
      }
    }
  }

  @discardableResult
  public mutating func removeValue(forKey key: String) -> Figure? {
    let old = self[key]
    self[key] = nil
    return old
  }

  public mutating func reserveCapacity(_ n: Int) {
    keys.reserveCapacity(n)
    values.reserveCapacity(n)
  }

  /// The figures `isIncluded` accepts. When it accepts them all (a department's only file
  /// keeps every cell), the result shares this table's storage instead of copying it.
  public func filter(_ isIncluded: ((key: String, value: Figure)) throws -> Bool) rethrows -> FigureTable {
    guard let firstOut = try indices.first(where: { try !isIncluded(self[$0]) }) else { return self }
    var out = FigureTable()
    out.keys = Array(keys[..<firstOut])
    out.values = Array(values[..<firstOut])
    for i in (firstOut + 1)..<count where try isIncluded(self[i]) {
      // Taken in key order: appending keeps the table sorted.
      out.keys.append(keys[i])
      out.values.append(values[i])
    }
    return out
  }

  /// Adds `other`'s figures: a key in both gets `combine(mine, theirs)`. One pass over both
  /// sorted tables (a department's counts are merged once per file that names it).
  public mutating func merge(_ other: FigureTable, combine: (Figure, Figure) throws -> Figure) rethrows {
    if other.isEmpty { return }
    if isEmpty {
      self = other
      return
    }
    var out = FigureTable()
    out.reserveCapacity(count + other.count)
    var i = 0
    var j = 0
    while i < count || j < other.count {
      if j == other.count || (i < count && keys[i] < other.keys[j]) {
        out.keys.append(keys[i])
        out.values.append(values[i])
        i += 1
      } else if i == count || other.keys[j] < keys[i] {
        out.keys.append(other.keys[j])
        out.values.append(other.values[j])
        j += 1
      } else {
        out.keys.append(keys[i])
        out.values.append(try combine(values[i], other.values[j]))
        i += 1
        j += 1
      }
    }
    self = out
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
  public subscript(position: Int) -> (key: String, value: Figure) { (keys[position], values[position]) }
}

extension FigureTable: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, Figure)...) { self.init(elements) }
}

extension FigureTable: Codable {
  public init(from decoder: Decoder) throws {
    self.init(try [String: Figure](from: decoder))
  }

  public func encode(to encoder: Encoder) throws {
    try dictionary.encode(to: encoder)
  }
}
