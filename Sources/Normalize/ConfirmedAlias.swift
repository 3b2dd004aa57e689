import AlmanacCore
import Foundation

/// An operator's confirmation that a name a department wrote means a registered department:
/// checked against the registry, then appended to `seeds/department_aliases.csv` as a
/// `confirmed` row so every later run resolves it (forms.md §3).
public struct ConfirmedAlias: Hashable, Sendable {
  public var alias: String
  public var department: DepartmentRef
  public var note: String

  /// Why a confirmation was refused; zh-CN for the operator.
  public struct Refusal: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
  }

  /// Checks that `departmentID` exists and that `name` does not already mean another
  /// department on `date` (which would make every file using it ambiguous).
  /// Returns nil when the registry already resolves `name` to that department.
  public static func check(
    name: String, departmentID: String, note: String, seeds: Seeds, on date: String
  ) throws -> ConfirmedAlias? {
    let registry = DepartmentRegistry(seeds: seeds)
    let alias = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !alias.isEmpty, !alias.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
      throw Refusal(message: "名称“\(name)”为空或含有逗号、引号、换行，不能作为别名。")
    }
    guard let record = registry.department(departmentID) else {
      let near = registry.closest(departmentID, limit: 3).map { "\($0.name)（\($0.id)）" }.joined(separator: "、")
      throw Refusal(message: "基础数据中没有编号为 \(departmentID) 的单位。\(near.isEmpty ? "" : "相近的有：\(near)。")")
    }
    let ref = DepartmentRef(id: record.id, name: record.name)
    switch registry.resolve(alias, on: date) {
    case .resolved(let existing, _) where existing.id == ref.id:
      return nil
    case .resolved(let existing, _):
      throw Refusal(
        message: "“\(alias)”已经对应 \(existing.name)（\(existing.id)），不能再指向 \(ref.name)。请先修改 seeds/department_aliases.csv。")
    case .ambiguous(let refs):
      let names = refs.map { "\($0.name)（\($0.id)）" }.joined(separator: "、")
      throw Refusal(message: "“\(alias)”同时对应 \(names)，请先在 seeds/department_aliases.csv 中消除歧义。")
    case .unknown:
      return ConfirmedAlias(alias: alias, department: ref, note: note)
    }
  }

  /// The seed row, in the `department_aliases` column order.
  public var row: [String] { [alias, department.id, "confirmed", "", "", note] }
}
