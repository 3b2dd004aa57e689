import AlmanacCore

/// The pipeline's forms reduced to folded label keys, for finding and recognizing headers.
///
/// Every label is folded with `LabelFold.key` and then mapped through the label aliases
/// (folded variant → folded canonical), so `行政法复议` in a header counts as `行政复议`.
struct FormIndex: Sendable {
  /// What one form's header may contain.
  struct Entry: Sendable {
    var form: FormDefinition
    /// Folded anchors, in definition order, duplicates removed.
    var anchors: [String]
    /// Keys that mark a data column (column labels, parents, aliases; row labels for `rowsInHeader`).
    var dataKeys: Set<String>
    /// Anchors plus data keys (plus field labels for registers).
    var headerKeys: Set<String>
    /// Register forms: folded field label or alias → field key.
    var fieldKeys: [String: String]
  }

  // Constants: copies of an index share `keys`, whose answers hold only for these aliases.
  let entries: [Entry]
  let aliases: [String: String]
  /// Folded anchor → indexes of the forms that list it.
  let anchorForms: [String: Set<Int>]
  /// Every key that may appear in any form's header, by bytes (keys are folded, so bytes
  /// compare as the text does).
  private let headerKeys: Set<UTF8Key>
  /// `key(_:)`'s answers, shared by the files read in parallel: every register of a province
  /// repeats the same header (`序号,申请编号,受理单位,…`), and folding its cells again for each
  /// of 2,000 files cost more than reading a small register. Title rows differ from file to
  /// file, so it stops growing at `keyMemoLimit` texts; later texts are folded each time.
  private let keys = TextMemo<String>(limit: FormIndex.keyMemoLimit)
  static let keyMemoLimit = 20_000

  init(forms: [FormDefinition], aliases: [String: String]) {
    self.aliases = aliases
    var entries: [Entry] = []
    var all = Set<UTF8Key>()
    var anchorForms: [String: Set<Int>] = [:]
    func fold(_ s: String) -> String {
      let k = LabelFold.key(s)
      return aliases[k] ?? k
    }
    for (i, form) in forms.enumerated() {
      var anchors: [String] = []
      for a in form.anchors.map(fold) where !anchors.contains(a) { anchors.append(a) }
      var dataKeys = Set<String>()
      func addAxis(_ axis: [AxisDefinition]?) {
        for a in axis ?? [] {
          dataKeys.insert(fold(a.label))
          for p in a.parents ?? [] { dataKeys.insert(fold(p)) }
          for al in a.aliases ?? [] { dataKeys.insert(fold(al)) }
        }
      }
      addAxis(form.columns)
      if form.rowsInHeader == true { addAxis(form.rows) }
      var fieldKeys: [String: String] = [:]
      for f in form.fields ?? [] {
        for label in [f.label] + (f.aliases ?? []) where fieldKeys[fold(label)] == nil {
          fieldKeys[fold(label)] = f.key
        }
      }
      dataKeys.remove("")
      var headerKeys = dataKeys.union(anchors).union(fieldKeys.keys)
      headerKeys.remove("")
      for a in anchors { anchorForms[a, default: []].insert(i) }
      all.formUnion(headerKeys.map(UTF8Key.init))
      entries.append(
        Entry(form: form, anchors: anchors, dataKeys: dataKeys, headerKeys: headerKeys, fieldKeys: fieldKeys))
    }
    self.entries = entries
    self.headerKeys = all
    self.anchorForms = anchorForms
  }

  /// The folded, alias-mapped key of a label as written.
  func key(_ text: String) -> String {
    keys.get(text) {
      let k = LabelFold.key(text)
      let key = aliases[k] ?? k
      // `收费金额（单位：元）`: a header label that states a money unit is its column's label
      // (normalize reads the figures in that unit); other labels are as written.
      if !headerKeys.contains(UTF8Key(key)), let stated = CellUnit.headerUnit(text) {
        let base = LabelFold.key(stated.label)
        let baseKey = aliases[base] ?? base
        if headerKeys.contains(UTF8Key(baseKey)) { return baseKey }
      }
      return key
    }
  }

  /// Whether `key` (from `key(_:)`) may appear in some form's header.
  func isHeaderKey(_ key: String) -> Bool { headerKeys.contains(UTF8Key(key)) }

  /// The form a header block belongs to: the one with most distinct anchors present (at least
  /// two), ties broken by the larger share of its anchors, then by definition order.
  func recognize(headerKeys keys: Set<String>) -> Int? {
    var best: (index: Int, hits: Int, total: Int)?
    for (i, e) in entries.enumerated() where !e.anchors.isEmpty {
      let hits = e.anchors.filter { keys.contains($0) }.count
      guard hits >= min(2, e.anchors.count) else { continue }
      if let b = best {
        // Same hit count: the larger share of the form's anchors wins (hits/total compared exactly).
        if hits < b.hits || (hits == b.hits && hits * b.total <= b.hits * e.anchors.count) { continue }
      }
      best = (i, hits, e.anchors.count)
    }
    return best?.index
  }
}
