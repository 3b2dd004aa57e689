import AlmanacCore
import AlmanacTestSupport
import Foundation

@testable import Reconcile

/// The 平潭综合实验区 2022 and 2023 汇总 reports (report-2021.md §5.2, §5.3), transcribed exactly,
/// and splits of each over departments whose sums are the published tables.
enum WorkedExamples {
  typealias Tables = ReconcileFixtures.Tables

  static func dec(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? -1 }

  /// The published figures in this suite's table shape.
  static func tables(_ p: PingtanPublished) -> Tables {
    Tables(
      t2: p.t2.mapValues(dec), t3: p.t3.mapValues { $0.map(Int64.init) }, t4: p.t4.mapValues { $0.map(Int64.init) })
  }

  // MARK: 平潭 2022 (published 2023-02-20)

  static let published2022 = tables(PingtanPublished.year2022)

  /// Two departments: A took the carried-over application and every result but most of 不掌握.
  static let departments2022: [(id: String, name: String, tables: Tables)] = [
    (
      "ptA", "平潭综合实验区管委会办公室",
      Tables(
        t2: [
          "gfxwj.zhifa": 50, "gfxwj.feizhi": 30, "gfxwj.youxiao": 400,
          "xzxk.jueding": 6000, "xzcf.jueding": 1000, "xzsyxsf.wanyuan": dec("5000.16"),
        ],
        t3: [
          "r1": [40, 3], "r2": [1], "r3_1": [21], "r3_2": [8, 1], "r3_3_5": [1], "r3_3_6": [2], "r3_3_7": [1],
          "r3_4_1": [6], "r3_6_1": [2], "r3_6_3": [0, 2],
        ],
        t4: ["fy": [0, 1, 1, 0], "ss_zj": [1, 0, 0, 0]]
      ).completed()
    ),
    (
      "ptB", "平潭综合实验区自然资源与规划局",
      Tables(
        t2: [
          "gfxwj.zhifa": 38, "gfxwj.feizhi": 25, "gfxwj.youxiao": 298,
          "xzxk.jueding": 4690, "xzcf.jueding": 1113, "xzsyxsf.wanyuan": dec("4116.2"),
        ],
        t3: ["r1": [31], "r3_4_1": [31]]
      ).completed()
    ),
  ]

  // MARK: 平潭 2023 (published 2024-03-08)

  static let published2023 = tables(PingtanPublished.year2023)

  static let departments2023: [(id: String, name: String, tables: Tables)] = [
    (
      "ptA", "平潭综合实验区管委会办公室",
      Tables(
        t2: [
          "gfxwj.zhifa": 40, "gfxwj.feizhi": 100, "gfxwj.youxiao": 300,
          "xzxk.jueding": 1000, "xzcf.jueding": 500, "xzqz.jueding": 20, "xzsyxsf.wanyuan": dec("3949.088667"),
        ],
        t3: [
          "r1": [40, 1], "r3_1": [22], "r3_2": [10, 1], "r3_3_4": [1], "r3_3_6": [1], "r3_3_7": [1], "r3_3_8": [2],
          "r3_5_2": [1], "r3_6_1": [1], "r3_6_3": [1],
        ],
        t4: ["fy": [1, 1, 0, 0], "ss_zj": [4, 0, 0, 1], "ss_fy": [1, 0, 1, 0]]
      ).completed()
    ),
    (
      "ptB", "平潭综合实验区自然资源与规划局",
      Tables(
        t2: [
          "gfxwj.zhifa": 20, "gfxwj.feizhi": 20, "gfxwj.youxiao": 100,
          "xzxk.jueding": 1000, "xzcf.jueding": 500, "xzqz.jueding": 20, "xzsyxsf.wanyuan": 1500,
        ],
        t3: ["r1": [25], "r3_2": [9], "r3_4_1": [16]]
      ).completed()
    ),
    (
      "ptC", "平潭综合实验区社会事业局",
      Tables(
        t2: [
          "gfxwj.zhifa": 17, "gfxwj.feizhi": 12, "gfxwj.youxiao": 70,
          "xzxk.jueding": 629, "xzcf.jueding": 330, "xzqz.jueding": 14, "xzsyxsf.wanyuan": 500,
        ],
        t3: ["r1": [15], "r3_4_1": [15]]
      ).completed()
    ),
  ]

  static func submissions(_ deps: [(id: String, name: String, tables: Tables)], year: Int) -> [Submission] {
    deps.map {
      ReconcileFixtures.submission($0.id, $0.name, path: "\(year)/\($0.name).csv", year: year, tables: $0.tables)
    }
  }

  /// The published tables as region cell values (counts integer, 收费 decimal).
  static func regionValues(_ t: Tables) -> [String: CellValue] {
    var out: [String: CellValue] = [:]
    for k in ReconcileFixtures.t2Cells {
      let v = t.t2[k] ?? 0
      out["t2.\(k)"] = k.hasPrefix("xzsyxsf") ? .decimal(v) : .integer(NSDecimalNumber(decimal: v).int64Value)
    }
    for row in ReconcileFixtures.t3Rows {
      let vs = t.t3[row] ?? Array(repeating: 0, count: 7)
      for (i, c) in ReconcileFixtures.t3Columns.enumerated() { out["t3.\(row).\(c)"] = .integer(vs[i]) }
    }
    for g in ReconcileFixtures.t4Groups {
      for (i, c) in ReconcileFixtures.t4Columns.enumerated() { out["t4.\(g).\(c)"] = .integer(t.t4[g]?[i] ?? -1) }
    }
    return out
  }
}
