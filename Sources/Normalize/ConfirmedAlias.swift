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

  /// What `check` found: a row to append, or nothing to do.
  public enum Outcome: Hashable, Sendable {
    case add(ConfirmedAlias)
    /// The registry already resolves the name to this department.
    case known(DepartmentRef)
  }

  /// Checks that `department` is registered — by id, or by a name the registry resolves (an
  /// operator often types 凌海市财政局 for czj) — and that `name` does not already mean
  /// another department on `date` (which would make every file using it ambiguous).
  /// `aliasesFile` is how messages name the alias table.
  public static func check(
    name: String, department: String, note: String, seeds: Seeds, on date: String,
    aliasesFile: String = "seeds/department_aliases.csv"
  ) throws -> Outcome {
    let registry = DepartmentRegistry(seeds: seeds)
    let alias = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !alias.isEmpty, !alias.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
      throw Refusal(message: "名称“\(name)”为空或含有逗号、引号、换行，不能作为别名。")
    }
    let ref: DepartmentRef
    if let record = registry.department(department) {
      ref = DepartmentRef(id: record.id, name: record.name)
    } else if case .resolved(let named, _) = registry.resolve(department, on: date) {
      ref = named
    } else {
      let near = registry.closest(department, limit: 3).map { "\($0.name)（\($0.id)）" }.joined(separator: "、")
      throw Refusal(
        message: "基础数据中没有编号或名称为 \(department) 的单位。\(near.isEmpty ? "" : "相近的有：\(near)。")"
          + "新设立的单位请先登记到 departments.csv。")
    }
    switch registry.resolve(alias, on: date) {
    case .resolved(let existing, _) where existing.id == ref.id:
      return .known(ref)
    case .resolved(let existing, _):
      throw Refusal(
        message: "“\(alias)”已经对应 \(existing.name)（\(existing.id)），不能再指向 \(ref.name)（\(ref.id)）。"
          + "如原对应有误，请先在 \(aliasesFile) 中删除或改正该行。")
    case .ambiguous(let refs):
      let names = refs.map { "\($0.name)（\($0.id)）" }.joined(separator: "、")
      throw Refusal(message: "“\(alias)”同时对应 \(names)，请先在 \(aliasesFile) 中消除歧义。")
    case .unknown:
      return .add(ConfirmedAlias(alias: alias, department: ref, note: note))
    }
  }

  /// The seed row, in the `department_aliases` column order.
  public var row: [String] { [alias, department.id, "confirmed", "", "", note] }
}
