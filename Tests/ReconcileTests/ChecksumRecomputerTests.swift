import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

@Suite struct ChecksumRecomputerTests {
  static func recomputer(_ formulas: [String]) throws -> ChecksumRecomputer {
    let definitions = formulas.enumerated().map { i, f in
      RuleDefinition(code: "T-\(i)", severity: .error, scope: "both", title: "测试", formula: f)
    }
    let pipeline = try ReconcileFixtures.pipeline()
    let rules = try RuleCompiler.compile(definitions, forms: pipeline.forms)
    return ChecksumRecomputer(rules: rules, catalog: FormCatalog(forms: pipeline.forms))
  }

  /// A total whose first ready definition divides by zero waits for another definition (here
  /// one that needs another total first), and so does every total that adds it up: neither is
  /// published as a figure computed from a 0 standing in for it.
  @Test func testDivisionByZero_waitsForAnotherDefinition() throws {
    let r = try Self.recomputer([
      "t4.fy.zj = t4.ss_zj.zj + t4.fy.wc",
      "t4.fy.zj = t4.fy.wc / t4.fy.jz",
      "t4.ss_zj.zj = t4.ss_zj.wc + t4.ss_zj.jz + t4.ss_zj.qt + t4.ss_zj.wj",
      "t4.ss_fy.zj = t4.fy.zj + t4.ss_fy.wc",
    ])
    func key(_ s: String) -> CellKey { CellKey(s) ?? CellKey(form: "?", row: "?", column: "?") }
    var values: [CellKey: Decimal] = [
      key("t4.fy.wc"): 1, key("t4.fy.jz"): 0, key("t4.ss_zj.wc"): 2, key("t4.ss_fy.wc"): 5,
    ]
    r.complete(&values, forms: ["t4"])
    #expect(values[key("t4.ss_zj.zj")] == 2)
    #expect(values[key("t4.fy.zj")] == 3)
    #expect(values[key("t4.ss_fy.zj")] == 8)
    // With only the dividing definition, the total and the one adding it up stay absent.
    let alone = try Self.recomputer(["t4.fy.zj = t4.fy.wc / t4.fy.jz", "t4.ss_fy.zj = t4.fy.zj + t4.ss_fy.wc"])
    var blank: [CellKey: Decimal] = [key("t4.fy.wc"): 1, key("t4.fy.jz"): 0, key("t4.ss_fy.wc"): 5]
    alone.complete(&blank, forms: ["t4"])
    #expect(blank[key("t4.fy.zj")] == nil)
    #expect(blank[key("t4.ss_fy.zj")] == nil)
  }
}
