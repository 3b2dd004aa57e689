import Foundation
import AlmanacCore

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

  /// Every form's aliases in one map (first form in id order wins a clash), for `SheetReader`,
  /// which matches header labels before it knows the form.
  public var merged: [String: String] {
    var out: [String: String] = [:]
    for form in byForm.keys.sorted() {
      for (v, c) in byForm[form] ?? [:] where out[v] == nil { out[v] = c }
    }
    return out
  }
}
