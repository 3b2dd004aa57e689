import AlmanacCore
import Foundation

/// A `variant,<key>` seed (`applicant_types`, `result_aliases`) folded for lookups of register
/// values.
struct VariantTable: Sendable {
  /// Folded variant → key.
  let map: [String: String]
  /// Variants as written, in seed order, for "nearest known" hints.
  let written: [String]
  /// `written` folded, and prepared for `nearest` (asked once per unrecognized value; a
  /// register with thousands of them folded and compared every variant each time).
  private let folded: [String]
  private let similarity: TextSimilarity.Prepared

  init(_ table: SeedTable?) {
    var m: [String: String] = [:]
    var w: [String] = []
    if let table {
      let vc = table.column("variant") ?? 0
      let kc = table.header.indices.first { $0 != vc } ?? 1
      for r in table.rows.indices {
        let variant = table.cell(r, vc)
        let key = table.cell(r, kc).trimmingWhitespace
        guard !key.isEmpty else { continue }
        let folded = LabelFold.key(variant)
        if m[folded] == nil { m[folded] = key }
        if !folded.isEmpty { w.append(variant) }
      }
    }
    map = m
    written = w
    folded = w.map(LabelFold.key)
    similarity = TextSimilarity.Prepared(folded)
  }

  /// The key for a raw register value: the value itself, then its last part after a dash
  /// (`不予公开—属于国家秘密`), then the text inside trailing brackets (`无法提供（…）`).
  func lookup(_ raw: String) -> String? {
    for candidate in Self.readings(raw) {
      if let k = map[candidate] { return k }
    }
    return nil
  }

  static func readings(_ raw: String) -> [String] {
    let k = LabelFold.key(raw)
    var out = [k]
    func add(_ s: Substring) {
      let f = LabelFold.key(String(s))
      if !out.contains(f) { out.append(f) }
    }
    let dashes: Set<Character> = ["-", "—", "–", "－", "~", ":", "/", "_"]
    if let i = k.lastIndex(where: { dashes.contains($0) }), k.index(after: i) < k.endIndex {
      add(k[k.index(after: i)...])
    }
    if k.hasSuffix(")"), let open = k.lastIndex(of: "("), k.index(after: open) < k.index(before: k.endIndex) {
      add(k[k.index(after: open)..<k.index(before: k.endIndex)])
    }
    return out
  }

  /// The variants nearest to `raw`, best first, each as first written in the seed.
  func nearest(_ raw: String, limit: Int = 3) -> [String] {
    similarity.nearest(LabelFold.key(raw), limit: limit).compactMap { i in
      folded.firstIndex(of: folded[i]).map { written[$0] }
    }
  }
}
