import AlmanacTestSupport
import Testing

/// The published tables of the 平潭综合实验区 2022 and 2023 reports (`PingtanPublished`,
/// transcribed from shared/spec/report-2021.md §5.2 and §5.3, not from the fixture generator),
/// shaped as the end-to-end tests compare them.
struct GoldenPublished: Sendable, CustomTestStringConvertible {
  var testDescription: String { "平潭 \(year)" }

  let year: Int
  /// 表二 cell `row.column` → value as printed.
  let t2: [String: String]
  /// 表三 rows printed with a non-zero figure: row key → the seven columns np…qt, zj. Every
  /// other row is all zeros.
  let t3NonZero: [String: [Int]]
  /// 表四 groups fy, ss_zj, ss_fy → wc, jz, qt, wj, zj.
  let t4: [String: [Int]]

  /// Every 表三 cell `row.column` → value (rows not printed are 0).
  var t3: [String: Int] {
    var out: [String: Int] = [:]
    for (key, _) in GoldenTables.t3Rows {
      let values = t3NonZero[key] ?? Array(repeating: 0, count: 7)
      for (i, c) in GoldenTables.t3Columns.enumerated() { out["\(key).\(c)"] = values[i] }
    }
    return out
  }

  var t4Cells: [String: Int] {
    var out: [String: Int] = [:]
    for g in GoldenTables.t4Groups {
      for (i, c) in GoldenTables.t4Columns.enumerated() { out["\(g).\(c)"] = t4[g]?[i] }
    }
    return out
  }

  init(_ p: PingtanPublished) {
    year = p.year
    t2 = p.t2
    t3NonZero = p.t3
    t4 = p.t4
  }

  static let pingtan2022 = GoldenPublished(PingtanPublished.year2022)

  static let pingtan2023 = GoldenPublished(PingtanPublished.year2023)
}
