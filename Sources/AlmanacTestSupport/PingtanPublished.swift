/// The published tables of the 平潭综合实验区 2022 and 2023 汇总 reports, transcribed once from
/// shared/spec/report-2021.md §5.2 and §5.3; the reconcile and end-to-end tests both check
/// against these figures.
public struct PingtanPublished: Sendable {
  public let year: Int
  /// 表二 cell `row.column` → value as printed (`xzsyxsf.wanyuan` is an amount in 万元).
  public let t2: [String: String]
  /// 表三 rows as printed: row key → np, sy, ky, gy, fl, qt, zj. Rows not listed are all zeros.
  public let t3: [String: [Int]]
  /// 表四 groups fy, ss_zj, ss_fy → wc, jz, qt, wj, zj.
  public let t4: [String: [Int]]

  public static let year2022 = PingtanPublished(
    year: 2022,
    t2: [
      "guizhang.zhifa": "0", "guizhang.feizhi": "0", "guizhang.youxiao": "0", "gfxwj.zhifa": "88", "gfxwj.feizhi": "55",
      "gfxwj.youxiao": "698", "xzxk.jueding": "10690", "xzcf.jueding": "2113", "xzqz.jueding": "0",
      "xzsyxsf.wanyuan": "9116.36",
    ],
    t3: [
      "r1": [71, 3, 0, 0, 0, 0, 74],
      "r2": [1, 0, 0, 0, 0, 0, 1],
      "r3_1": [21, 0, 0, 0, 0, 0, 21],
      "r3_2": [8, 1, 0, 0, 0, 0, 9],
      "r3_3_5": [1, 0, 0, 0, 0, 0, 1],
      "r3_3_6": [2, 0, 0, 0, 0, 0, 2],
      "r3_3_7": [1, 0, 0, 0, 0, 0, 1],
      "r3_4_1": [37, 0, 0, 0, 0, 0, 37],
      "r3_6_1": [2, 0, 0, 0, 0, 0, 2],
      "r3_6_3": [0, 2, 0, 0, 0, 0, 2],
      "r3_7": [72, 3, 0, 0, 0, 0, 75],
      "r4": [0, 0, 0, 0, 0, 0, 0],
    ],
    t4: ["fy": [0, 1, 1, 0, 2], "ss_zj": [1, 0, 0, 0, 1], "ss_fy": [0, 0, 0, 0, 0]])

  public static let year2023 = PingtanPublished(
    year: 2023,
    t2: [
      "guizhang.zhifa": "0", "guizhang.feizhi": "0", "guizhang.youxiao": "0", "gfxwj.zhifa": "77",
      "gfxwj.feizhi": "132", "gfxwj.youxiao": "470", "xzxk.jueding": "2629", "xzcf.jueding": "1330",
      "xzqz.jueding": "54", "xzsyxsf.wanyuan": "5949.088667",
    ],
    t3: [
      "r1": [80, 1, 0, 0, 0, 0, 81],
      "r2": [0, 0, 0, 0, 0, 0, 0],
      "r3_1": [22, 0, 0, 0, 0, 0, 22],
      "r3_2": [19, 1, 0, 0, 0, 0, 20],
      "r3_3_4": [1, 0, 0, 0, 0, 0, 1],
      "r3_3_6": [1, 0, 0, 0, 0, 0, 1],
      "r3_3_7": [1, 0, 0, 0, 0, 0, 1],
      "r3_3_8": [2, 0, 0, 0, 0, 0, 2],
      "r3_4_1": [31, 0, 0, 0, 0, 0, 31],
      "r3_5_2": [1, 0, 0, 0, 0, 0, 1],
      "r3_6_1": [1, 0, 0, 0, 0, 0, 1],
      "r3_6_3": [1, 0, 0, 0, 0, 0, 1],
      "r3_7": [80, 1, 0, 0, 0, 0, 81],
      "r4": [0, 0, 0, 0, 0, 0, 0],
    ],
    t4: ["fy": [1, 1, 0, 0, 2], "ss_zj": [4, 0, 0, 1, 5], "ss_fy": [1, 0, 1, 0, 2]])
}
