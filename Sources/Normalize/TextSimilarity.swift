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
  public static func nearest(_ text: String, among candidates: [String], limit: Int) -> [String] {
    let scored = candidates.enumerated().map { (index: $0.offset, text: $0.element, score: score(text, $0.element)) }
    return scored.sorted { ($0.score, -$0.index) > ($1.score, -$1.index) }
      .filter { $0.score > 0 }
      .prefix(max(0, limit))
      .map(\.text)
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
