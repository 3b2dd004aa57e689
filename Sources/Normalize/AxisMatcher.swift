import AlmanacCore

/// Matches a label path (outermost first, as written) to one row or column definition of a form.
///
/// A definition matches when its label (or an alias) equals the path's leaf and its parents are
/// a subsequence of the path's ancestors; the one with most parents wins. When no definition
/// matches that way but exactly one matches by leaf alone (a template that dropped a merged
/// header level), that one is taken.
struct AxisMatcher: Sendable {
  struct Candidate: Sendable {
    var definition: AxisDefinition
    var keys: Set<String>
    var parents: [String]
  }

  enum Match: Equatable, Sendable {
    case matched(AxisDefinition)
    case ambiguous([AxisDefinition])
    case none
  }

  let candidates: [Candidate]
  /// Folded variant → folded canonical, for this form.
  let aliases: [String: String]

  init(_ definitions: [AxisDefinition], aliases: [String: String]) {
    self.aliases = aliases
    candidates = definitions.map { d in
      var keys: Set<String> = [LabelFold.key(d.label)]
      for a in d.aliases ?? [] { keys.insert(LabelFold.key(a)) }
      return Candidate(definition: d, keys: keys, parents: (d.parents ?? []).map(LabelFold.key))
    }
  }

  /// Folded path: empty parts dropped, repeated parts (vertically merged headers) collapsed.
  static func fold(_ path: [String]) -> [String] {
    var out: [String] = []
    for p in path {
      let k = LabelFold.key(p)
      if !k.isEmpty, out.last != k { out.append(k) }
    }
    return out
  }

  /// The spellings a folded label may stand for: itself and its seed alias.
  func forms(_ key: String) -> [String] {
    if let a = aliases[key], a != key { return [key, a] }
    return [key]
  }

  func same(_ key: String, _ target: String) -> Bool { forms(key).contains(target) }

  /// Matches with the path's last element as the leaf.
  func match(_ path: [String]) -> Match {
    matchFolded(Self.fold(path))
  }

  func matchFolded(_ folded: [String]) -> Match {
    guard let leaf = folded.last else { return .none }
    let ancestors = Array(folded.dropLast())
    let byLeaf = candidates.filter { c in forms(leaf).contains { c.keys.contains($0) } }
    let strict = byLeaf.filter { isSubsequence($0.parents, of: ancestors) }
    if let best = strict.map(\.parents.count).max() {
      let top = strict.filter { $0.parents.count == best }
      return top.count == 1 ? .matched(top[0].definition) : .ambiguous(top.map(\.definition))
    }
    switch byLeaf.count {
    case 0: return .none
    case 1: return .matched(byLeaf[0].definition)
    default: return .ambiguous(byLeaf.map(\.definition))
    }
  }

  /// Matches with any element of the path as the leaf, deepest first (表四's row groups sit
  /// above the column labels in the header).
  func matchAnywhere(_ path: [String]) -> Match {
    let folded = Self.fold(path)
    var firstAmbiguous: Match?
    for end in stride(from: folded.count, to: 0, by: -1) {
      let m = matchFolded(Array(folded[..<end]))
      if case .matched = m { return m }
      if case .ambiguous = m, firstAmbiguous == nil { firstAmbiguous = m }
    }
    return firstAmbiguous ?? .none
  }

  func isSubsequence(_ needles: [String], of hay: [String]) -> Bool {
    var i = 0
    for h in hay where i < needles.count && same(h, needles[i]) { i += 1 }
    return i == needles.count
  }

  /// The nearest known labels to `label`, as `label（key）`, best first.
  func nearest(_ label: String, limit: Int = 3) -> [String] {
    let key = LabelFold.key(label)
    let scored = candidates.map { c in
      (c, c.keys.map { TextSimilarity.score(key, $0) }.max() ?? 0)
    }
    return scored.filter { $0.1 > 0 }
      .sorted { ($0.1, $1.0.definition.key) > ($1.1, $0.0.definition.key) }
      .prefix(limit)
      .map { "\($0.0.definition.label)（\($0.0.definition.key)）" }
  }
}
