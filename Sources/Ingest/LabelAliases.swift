import AlmanacCore

/// The label alias seed (`seeds/label_aliases.csv`: `form,variant,canonical`) as the sheet
/// reader uses it: folded variant → folded canonical.
public enum LabelAliases {
  /// Folds both sides with `LabelFold.key`. Rows are taken in file order; the first mapping of
  /// a variant wins, and a variant that folds to its own canonical is left out.
  public static func load(from seeds: Seeds) -> [String: String] {
    guard let table = seeds["label_aliases"] else { return [:] }
    return load(from: table)
  }

  /// Same as `load(from:)` for one table.
  public static func load(from table: SeedTable) -> [String: String] {
    guard let variant = table.column("variant"), let canonical = table.column("canonical") else { return [:] }
    var map: [String: String] = [:]
    for row in table.rows where variant < row.count && canonical < row.count {
      let v = LabelFold.key(row[variant])
      let c = LabelFold.key(row[canonical])
      guard !v.isEmpty, !c.isEmpty, v != c, map[v] == nil else { continue }
      map[v] = c
    }
    return map
  }
}
