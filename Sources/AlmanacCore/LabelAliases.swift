import Foundation

/// The label alias seeds folded: per form, folded variant → folded canonical label.
///
/// Every seed table whose name ends in `label_aliases` (`label_aliases`,
/// `linghai_label_aliases`, …) has the columns `form,variant,canonical` and contributes, in
/// seed-name order. Shared by ingest (header recognition) and normalize (label → cell key).
public struct LabelAliases: Hashable, Sendable {
  public let byForm: [String: [String: String]]

  public init(byForm: [String: [String: String]]) {
    self.byForm = byForm
  }

  public init(seeds: Seeds) {
    var m: [String: [String: String]] = [:]
    let tables = seeds.tables.keys.filter { $0.hasSuffix("label_aliases") }.sorted()
    for r in tables.flatMap({ seeds[$0]?.records ?? [] }) {
      let form = (r["form"] ?? "").trimmingCharacters(in: .whitespaces)
      let variant = LabelFold.key(r["variant"] ?? "")
      let canonical = LabelFold.key(r["canonical"] ?? "")
      guard !form.isEmpty, !variant.isEmpty, !canonical.isEmpty, variant != canonical else { continue }
      // First row wins, as SeedValidator reports the later conflicting one.
      if m[form]?[variant] == nil { m[form, default: [:]][variant] = canonical }
    }
    byForm = m
  }

  public func forForm(_ form: String) -> [String: String] { byForm[form] ?? [:] }

  /// Every form's aliases in one map, for `SheetReader`, which matches header labels before it
  /// knows the form. A variant that is itself a label of some form (表四's `其他` → `其他结果`
  /// would break 表三's `其他` column), or that two forms map differently, is left out.
  public func merged(forms: [FormDefinition]) -> [String: String] {
    var labels = Set<String>()
    for f in forms { labels.formUnion(f.knownLabels) }
    var out: [String: String] = [:]
    var clashes = Set<String>()
    for form in byForm.keys.sorted() {
      for (v, c) in byForm[form] ?? [:] where !labels.contains(v) {
        if let existing = out[v], existing != c { clashes.insert(v) }
        out[v] = out[v] ?? c
      }
    }
    for v in clashes { out[v] = nil }
    return out
  }
}

extension FormDefinition {
  /// Every label, alias and parent label of the form, folded with `LabelFold.key`.
  public var knownLabels: Set<String> {
    var s = Set<String>()
    for a in (rows ?? []) + (columns ?? []) {
      s.insert(LabelFold.key(a.label))
      for x in (a.aliases ?? []) + (a.parents ?? []) { s.insert(LabelFold.key(x)) }
    }
    for f in fields ?? [] {
      s.insert(LabelFold.key(f.label))
      for x in f.aliases ?? [] { s.insert(LabelFold.key(x)) }
    }
    return s
  }
}
