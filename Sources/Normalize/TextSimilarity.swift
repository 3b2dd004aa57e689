import AlmanacCore

/// Similarity of short Chinese texts (department names, labels): character-bigram Dice blended
/// with single-character Dice, on folded text.
///
/// Whitespace tokens mean nothing in Chinese, so names are compared by overlapping character
/// pairs; the single-character part keeps a ranking when two names share no pair at all.
public enum TextSimilarity {
  /// A score in 0...1; 1 for equal texts.
  public static func score(_ a: String, _ b: String) -> Double {
    let x = Array(a)
    let y = Array(b)
    if x == y { return 1 }
    if x.isEmpty || y.isEmpty { return 0 }
    return 0.75 * dice(bigrams(x), bigrams(y)) + 0.25 * dice(x.map { [$0] }, y.map { [$0] })
  }

  /// The `limit` candidates most similar to `text`, best first; ties keep the candidates' order.
  /// (Candidates scoring 0 are left out.)
  public static func nearest(_ text: String, among candidates: [String], limit: Int) -> [String] {
    Prepared(candidates).nearest(text, limit: limit).map { candidates[$0] }
  }

  static func bigrams(_ chars: [Character]) -> [[Character]] {
    guard chars.count > 1 else { return [chars] }
    return (0..<(chars.count - 1)).map { [chars[$0], chars[$0 + 1]] }
  }

  /// Dice coefficient over multisets, so repeated pairs count as often as they occur.
  static func dice(_ a: [[Character]], _ b: [[Character]]) -> Double {
    var counts: [[Character]: Int] = [:]
    for g in a { counts[g, default: 0] += 1 }
    var common = 0
    for g in b {
      if let n = counts[g], n > 0 {
        common += 1
        counts[g] = n - 1
      }
    }
    return Double(2 * common) / Double(a.count + b.count)
  }
}

extension TextSimilarity {
  /// `score` against a fixed list of candidates, prepared once: each candidate's characters,
  /// bigrams and single characters as sorted integer codes, so that scoring a text against
  /// all of them allocates nothing per candidate (the plain `score` builds arrays of
  /// `Character` arrays and a dictionary for every pair). The scores are `score`'s exactly.
  ///
  /// For the department registry's suggestions: every name that resolves to no department
  /// is compared with each of the region's registered spellings (ten thousand in a
  /// province), and a register can bring thousands of such names.
  public struct Prepared: Sendable {
    /// The candidates' distinct characters, numbered.
    private let numbers: [Character: UInt32]
    private let texts: [[UInt32]]
    private let pairs: [[UInt64]]
    private let singles: [[UInt32]]

    /// Stands for a character no candidate has (it can match nothing).
    private static let foreign = UInt32.max - 1
    /// Second half of the "bigram" of a one-character text (which `bigrams` keeps whole).
    private static let alone = UInt32.max

    public init(_ candidates: [String]) {
      var numbers: [Character: UInt32] = [:]
      var texts: [[UInt32]] = []
      texts.reserveCapacity(candidates.count)
      for c in candidates {
        texts.append(
          c.map { ch in
            if let n = numbers[ch] { return n }
            let n = UInt32(numbers.count)
            numbers[ch] = n
            return n
          })
      }
      self.numbers = numbers
      self.texts = texts
      pairs = texts.map(Self.pairs)
      singles = texts.map { $0.sorted() }
    }

    public var count: Int { texts.count }

    /// `score(text, candidates[i])` for every candidate, in their order.
    public func scores(_ text: String) -> [Double] {
      let x = text.map { numbers[$0] ?? Self.foreign }
      let xPairs = Self.pairs(x)
      let xSingles = x.sorted()
      return texts.indices.map { i in
        let y = texts[i]
        if x == y { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        return 0.75 * Self.dice(xPairs, pairs[i]) + 0.25 * Self.dice(xSingles, singles[i])
      }
    }

    /// Indices of the `limit` candidates most similar to `text` (score above 0), best first;
    /// ties keep the candidates' order.
    public func nearest(_ text: String, limit: Int) -> [Int] {
      let s = scores(text)
      return s.indices.sorted { (s[$0], -$0) > (s[$1], -$1) }
        .filter { s[$0] > 0 }
        .prefix(max(0, limit))
        .map { $0 }
    }

    /// `bigrams` as sorted codes (a one-character text is its own "bigram").
    private static func pairs(_ t: [UInt32]) -> [UInt64] {
      guard t.count > 1 else { return t.map { UInt64($0) << 32 | UInt64(alone) } }
      return (0..<(t.count - 1)).map { UInt64(t[$0]) << 32 | UInt64(t[$0 + 1]) }.sorted()
    }

    /// `dice` on sorted codes: the multiset intersection by one merge.
    private static func dice<T: Comparable>(_ a: [T], _ b: [T]) -> Double {
      var i = 0
      var j = 0
      var common = 0
      while i < a.count && j < b.count {
        if a[i] == b[j] {
          common += 1
          i += 1
          j += 1
        } else if a[i] < b[j] {
          i += 1
        } else {
          j += 1
        }
      }
      return Double(2 * common) / Double(a.count + b.count)
    }
  }
}
