import AlmanacCore
import Foundation

/// The departments that must submit for a year, read from `seeds/departments.csv`
/// (`id,name,level,parent,valid_from,valid_to`).
public enum ExpectedDepartments {
  /// Departments whose level is in `levels` (all when nil) and whose validity overlaps the year
  /// (`valid_from` ≤ year-12-31 and `valid_to` empty or ≥ year-01-01), sorted by id.
  public static func list(seeds: Seeds, levels: [String]?, year: Int) -> [DepartmentRef] {
    guard let table = seeds["departments"] else { return [] }
    let first = String(format: "%04d-01-01", year)
    let last = String(format: "%04d-12-31", year)
    var out: [DepartmentRef] = []
    var seen = Set<String>()
    for r in table.records {
      let id = (r["id"] ?? "").trimmingWhitespace
      guard !id.isEmpty, seen.insert(id).inserted else { continue }
      let level = (r["level"] ?? "").trimmingWhitespace
      if let levels, !levels.contains(level) { continue }
      if let from = SeedDate.cell(r["valid_from"]), from > last { continue }
      if let to = SeedDate.cell(r["valid_to"]), to < first { continue }
      out.append(DepartmentRef(id: id, name: (r["name"] ?? "").trimmingWhitespace))
    }
    return out.sorted()
  }
}
