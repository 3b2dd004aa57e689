import AlmanacCore
import Foundation

/// `submissions.csv`: who sent what. One row per department and status:
/// - `received`: the accepted file(s) of a department (several when forms came in separate files);
/// - `superseded`: its older files, replaced by a newer submission;
/// - `missing`: an expected department that sent nothing usable;
/// - `held_back`: one row per file that could not be used, with the department it claimed
///   (as written: it could not be resolved) and the reason.
///
/// Rows of resolved departments come first, by department id then status in that order; held-back
/// files follow, by file path. Levels come from `seeds/departments.csv`.
public enum SubmissionsList {
  public static let header = [
    "department_id", "department_name", "level", "status", "status_label", "files", "sha256", "reason",
    "reason_label",
  ]

  public struct Row: Sendable, Hashable {
    public var departmentID: String
    public var departmentName: String
    public var level: String
    public var status: SubmissionStatus
    public var files: [String]
    public var sha256: [String]
    public var reason: HoldReason?
    /// For a unit received: the required forms it did not send (`表四`).
    public var missingForms: [String] = []

    public var fields: [String] {
      // A unit that sent some forms is 已报送; the forms it did not send are its reason.
      let missing = missingForms.isEmpty ? nil : "缺" + missingForms.joined(separator: "、")
      return [
        departmentID, departmentName, level, status.rawValue, status.label, files.joined(separator: ";"),
        sha256.joined(separator: ";"), reason?.rawValue ?? (missing == nil ? "" : "missing_forms"),
        reason?.label ?? missing ?? "",
      ]
    }
  }

  /// `missingForms`: department id → short names of the required forms it did not send.
  public static func rows(of ledger: Ledger, seeds: Seeds, missingForms: [String: [String]] = [:]) -> [Row] {
    let levels = departmentLevels(seeds)
    var byDepartment: [String: [Row]] = [:]
    func add(_ id: String, _ name: String, _ status: SubmissionStatus, _ subs: [Submission]) {
      let sorted = subs.sorted { $0.source.path < $1.source.path }
      byDepartment[id, default: []].append(
        Row(
          departmentID: id, departmentName: name, level: levels[id] ?? "", status: status,
          files: sorted.map(\.source.path), sha256: sorted.map(\.source.sha256), reason: nil,
          missingForms: status == .received ? missingForms[id] ?? [] : []))
    }
    for (id, subs) in Dictionary(grouping: ledger.accepted, by: \.department) {
      add(id, subs.map(\.departmentName).min() ?? "", .received, subs)
    }
    for (id, subs) in Dictionary(grouping: ledger.superseded, by: \.department) {
      add(id, subs.map(\.departmentName).min() ?? "", .superseded, subs)
    }
    for m in ledger.missing where byDepartment[m.id]?.contains(where: { $0.status == .received }) != true {
      add(m.id, m.name, .missing, [])
    }
    let order: [SubmissionStatus: Int] = [.received: 0, .superseded: 1, .missing: 2, .heldBack: 3]
    var out: [Row] = []
    for id in byDepartment.keys.sorted() {
      out += (byDepartment[id] ?? []).sorted { (order[$0.status] ?? 9) < (order[$1.status] ?? 9) }
    }
    for h in ledger.heldBack.sorted(by: { $0.source.path < $1.source.path }) {
      out.append(
        Row(
          departmentID: "", departmentName: h.claimed ?? "", level: "", status: .heldBack, files: [h.source.path],
          sha256: [h.source.sha256], reason: h.reason))
    }
    return out
  }

  public static func csv(_ rows: [Row]) -> Data {
    var w = CSVWriter()
    w.row(header)
    for r in rows { w.row(r.fields) }
    return w.data
  }

  /// Department id → level (`部门`, `乡镇`, `街道` …) from the departments seed.
  static func departmentLevels(_ seeds: Seeds) -> [String: String] {
    var out: [String: String] = [:]
    for r in seeds["departments"]?.records ?? [] {
      if let id = r["id"], !id.isEmpty, let level = r["level"], out[id] == nil { out[id] = level }
    }
    return out
  }
}

extension HoldReason {
  /// What staff read in `submissions.csv` and the HTML (zh-CN).
  public var label: String {
    switch self {
    case .unreadable: "文件无法读取，已隔离"
    case .unknownDepartment: "无法识别报送单位"
    case .ambiguousDepartment: "报送单位名称对应多个单位"
    case .conflictingDepartment: "标题、表内与文件名所写单位不一致"
    case .wrongYear: "报表年度与本次汇总年度不符"
    case .noForm: "未找到可识别的报表"
    }
  }
}
