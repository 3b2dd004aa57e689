import AlmanacCore
import Foundation

/// `seeds/label_aliases.csv` folded: per form, folded variant → folded canonical label.
public struct LabelAliases: Hashable, Sendable {
  public let byForm: [String: [String: String]]

  public init(byForm: [String: [String: String]]) {
    self.byForm = byForm
  }

  public init(seeds: Seeds) {
    var m: [String: [String: String]] = [:]
    for r in seeds["label_aliases"]?.records ?? [] {
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
    for f in forms { labels.formUnion(SeedValidator.knownLabels(f)) }
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
