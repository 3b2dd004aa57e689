import AlmanacCore
import Foundation

/// Where a rule is evaluated.
public enum RuleScope: String, Sendable, Hashable, CaseIterable {
  case department, region, both

  public var appliesToDepartments: Bool { self != .region }
  public var appliesToRegion: Bool { self != .department }
}

/// One `forEach` expansion of a rule: concrete cells, ready to evaluate.
public struct RuleInstance: Sendable, Hashable {
  /// Placeholder values of this expansion (`col` → `np`).
  public var bindings: [String: String]
  public var formula: Formula
  /// The cell a finding names: the left side when it is one cell, else the right side when it
  /// is one cell, else the first cell named.
  public var subject: CellKey
}

/// A rule of the pipeline definition, parsed, expanded and checked against the forms.
public struct CompiledRule: Sendable, Hashable {
  public var definition: RuleDefinition
  public var scope: RuleScope
  public var instances: [RuleInstance]

  public var code: String { definition.code }
}

/// One problem in a rule definition.
public struct RuleIssue: Sendable, Hashable, CustomStringConvertible {
  /// The rule's code (or `rules[i]` when it has none).
  public var code: String
  /// 1-based character position in the formula, 0 when not about a position.
  public var position: Int
  public var message: String

  public var description: String {
    position > 0 ? "\(code): formula position \(position): \(message)" : "\(code): \(message)"
  }
}

/// Every problem found in the rules: `validate` prints them, the stage refuses to run.
public struct RuleCompileError: Error, Sendable, CustomStringConvertible {
  public var issues: [RuleIssue]
  public var description: String {
    "invalid rules:\n" + issues.map { "  " + $0.description }.joined(separator: "\n")
  }
}

/// Turns the pipeline's rule definitions into evaluable instances.
public enum RuleCompiler {
  /// Codes of the checks built into the stage (rules.yaml must not reuse them).
  public static let builtinCodes: Set<String> = [
    ReconcileCodes.missingDepartment, ReconcileCodes.superseded, ReconcileCodes.missingForm,
    ReconcileCodes.registerMismatch, ReconcileCodes.valueS5, ReconcileCodes.decimalsC9,
    ReconcileCodes.blankC10, ReconcileCodes.wrongYear,
  ]

  /// Compiles every rule; throws one error listing every problem (rule code + what is wrong).
  public static func compile(_ rules: [RuleDefinition], forms: [FormDefinition]) throws(RuleCompileError)
    -> [CompiledRule]
  {
    let catalog = FormCatalog(forms: forms)
    var issues: [RuleIssue] = []
    var compiled: [CompiledRule] = []
    var seen = Set<String>()
    for (i, rule) in rules.enumerated() {
      let code = rule.code.isEmpty ? "rules[\(i)]" : rule.code
      func issue(_ message: String, _ position: Int = 0) {
        issues.append(RuleIssue(code: code, position: position, message: message))
      }
      if rule.code.isEmpty { issue("a rule needs a code") }
      if !seen.insert(rule.code).inserted { issue("duplicate rule code") }
      if builtinCodes.contains(rule.code) { issue("code is reserved for a built-in check") }
      if rule.title.isEmpty { issue("a rule needs a zh-CN title") }
      guard let scope = RuleScope(rawValue: rule.scope) else {
        issue("scope '\(rule.scope)' is not one of department, region, both")
        continue
      }
      let template: FormulaTemplate
      do {
        template = try FormulaParser.parse(rule.formula)
      } catch {
        issue(error.message, error.position)
        continue
      }
      let forEach = rule.forEach ?? [:]
      let used = Set(template.variables)
      for v in used.subtracting(forEach.keys).sorted() { issue("placeholder {\(v)} has no forEach values") }
      for v in Set(forEach.keys).subtracting(used).sorted() {
        issue("forEach variable '\(v)' is not used in the formula")
      }
      var badValues = false
      for (v, values) in forEach.sorted(by: { $0.key < $1.key }) {
        if values.isEmpty {
          issue("forEach variable '\(v)' has no values")
          badValues = true
        }
        for value in values
        where value.isEmpty || !value.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) {
          issue("forEach value '\(value)' of '\(v)' is not a key (letters, digits, _)")
          badValues = true
        }
        if Set(values).count != values.count {
          issue("forEach variable '\(v)' repeats a value")
          badValues = true
        }
      }
      guard !badValues, used.isSubset(of: forEach.keys) else { continue }
      var instances: [RuleInstance] = []
      var failed = false
      for bindings in expand(forEach) {
        do {
          let formula = try template.instantiate(bindings, catalog: catalog)
          if formula.cells.isEmpty && formula.previousCells.isEmpty {
            issue("the formula names no cell")
            failed = true
            break
          }
          if formula.lhs.dividesByConstantZero || formula.rhs.dividesByConstantZero {
            // Every department's check would fail to evaluate (or pass unseen): a definition error.
            issue("the formula divides by a number that is 0")
            failed = true
            break
          }
          instances.append(RuleInstance(bindings: bindings, formula: formula, subject: subject(of: formula)))
        } catch {
          let where_ =
            bindings.isEmpty
            ? ""
            : " (" + bindings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
          issue(error.message + where_, error.position)
          failed = true
        }
      }
      if !failed { compiled.append(CompiledRule(definition: rule, scope: scope, instances: instances)) }
    }
    if !issues.isEmpty { throw RuleCompileError(issues: issues) }
    return compiled
  }

  /// Cross product of the forEach variables: names sorted, values in the order written.
  static func expand(_ forEach: [String: [String]]) -> [[String: String]] {
    var result: [[String: String]] = [[:]]
    for name in forEach.keys.sorted() {
      let values = forEach[name] ?? []
      result = result.flatMap { partial in
        values.map { v in
          var b = partial
          b[name] = v
          return b
        }
      }
    }
    return result
  }

  static func subject(of f: Formula) -> CellKey {
    if case .cell(let k) = f.lhs { return k }
    if case .cell(let k) = f.rhs { return k }
    if let k = f.cells.first { return k }
    if let k = f.previousCells.first { return k }
    return CellKey(form: "-", row: "-", column: "-")
  }
}
