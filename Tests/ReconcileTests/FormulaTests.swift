import AlmanacCore
import Foundation
import Testing

@testable import Reconcile

@Suite struct FormulaTests {
  static func catalog() throws -> FormCatalog {
    FormCatalog(forms: try ReconcileFixtures.pipeline().forms)
  }

  static func key(_ s: String) -> CellKey {
    CellKey(s) ?? CellKey(form: "?", row: "?", column: "?")
  }

  static func compile(_ formula: String, forEach: [String: [String]]? = nil) throws -> [RuleInstance] {
    let rule = RuleDefinition(
      code: "T-1", severity: .error, scope: "both", title: "测试", forEach: forEach, formula: formula)
    return try RuleCompiler.compile([rule], forms: try ReconcileFixtures.pipeline().forms).first?.instances ?? []
  }

  static func evaluator(_ values: [String: CellLookup]) -> FormulaEvaluator {
    FormulaEvaluator(current: { values[$0.description] ?? .missing })
  }

  @Test func testParse_multiplicationBindsTighterThanAddition() throws {
    let f = try #require(try Self.compile("t3.r1.np + t3.r1.sy * 2 = t3.r1.zj").first).formula
    let e = Self.evaluator(["t3.r1.np": .value(1), "t3.r1.sy": .value(3), "t3.r1.zj": .value(7)])
    #expect(e.evaluate(f) == .holds(lhs: 7, rhs: 7))
    let g = try #require(try Self.compile("(t3.r1.np + t3.r1.sy) * 2 = t3.r1.zj").first).formula
    #expect(e.evaluate(g) == .violated(lhs: 8, rhs: 7))
  }

  /// Messages print a formula's grouping: `rate*(hy+sq)` was printed “rate × hy + sq”, which
  /// reads as another formula.
  @Test func testDescribe_keepsTheFormulasGrouping() throws {
    let catalog = try Self.catalog()
    let runner = RuleRunner(rules: [], catalog: catalog)
    func text(_ formula: String) throws -> String {
      let f = try #require(try Self.compile(formula + " = 0").first).formula
      return runner.describe(f.lhs)
    }
    let (np, sy, ky) = (
      catalog.label(Self.key("t3.r1.np")), catalog.label(Self.key("t3.r1.sy")), catalog.label(Self.key("t3.r1.ky"))
    )
    #expect(try text("t3.r1.np * (t3.r1.sy + t3.r1.ky)") == "\(np) × (\(sy) + \(ky))")
    #expect(try text("t3.r1.np * t3.r1.sy + t3.r1.ky") == "\(np) × \(sy) + \(ky)")
    #expect(try text("t3.r1.np - (t3.r1.sy - t3.r1.ky)") == "\(np) - (\(sy) - \(ky))")
    #expect(try text("(t3.r1.np - t3.r1.sy) - t3.r1.ky") == "\(np) - \(sy) - \(ky)")
    #expect(try text("(t3.r1.np + t3.r1.sy) / 2") == "(\(np) + \(sy)) ÷ 2")
  }

  @Test func testParse_subtractionIsLeftAssociative() throws {
    let f = try #require(try Self.compile("t3.r1.np - t3.r1.sy - t3.r1.ky = 4").first).formula
    let e = Self.evaluator(["t3.r1.np": .value(10), "t3.r1.sy": .value(3), "t3.r1.ky": .value(3)])
    #expect(e.evaluate(f) == .holds(lhs: 4, rhs: 4))
  }

  @Test func testLinear_sumsAndConstantFactors_butNotProductsOrRatesOfCells() throws {
    func linear(_ text: String) throws -> Bool { try #require(try Self.compile(text).first).formula.isLinear }
    #expect(try linear("t3.r1.np + t3.r2.np = t3.r3_7.np + t3.r4.np"))
    #expect(try linear("sum(t3.r3_1.*) - 2 * t3.r4.np = t3.r1.zj / 4"))
    #expect(try linear("(t3.r1.np + 1) * 3 <= t3.r1.zj"))
    #expect(try !linear("t3.r1.np * t3.r1.sy = t3.r1.zj"))
    #expect(try !linear("t3.r1.np / t3.r1.sy = 1"))
    #expect(try !linear("t3.r1.zj = 100 / (t3.r1.np + 0 * t3.r1.sy)"))
    // Shared by departments: no number standing alone as a term (0 is none); last year's
    // cells are shared too (each department's own, from last year's dataset).
    func shared(_ text: String) throws -> Bool {
      try #require(try Self.compile(text).first).formula.isSharedByDepartments
    }
    #expect(try shared("2 * t3.r1.np - t3.r2.np / 4 = 0"))
    #expect(try !shared("t3.r1.np + 1 = t3.r2.np"))
    #expect(try !shared("(t3.r1.np + 1) * 3 <= t3.r1.zj"))
    #expect(try shared("t3.r1.np = prev(t3.r4.np)"))
    #expect(try !shared("t3.r1.np = prev(t3.r4.np) + 1"))
  }

  @Test func testEvaluate_decimalArithmetic_isExact() throws {
    let f = try #require(try Self.compile("t2.xzsyxsf.wanyuan + 0.2 = 0.3").first).formula
    let e = Self.evaluator(["t2.xzsyxsf.wanyuan": .value(Decimal(string: "0.1") ?? 0)])
    // 0.1 + 0.2 == 0.3 fails in binary floating point; Decimal gets it right.
    #expect(e.evaluate(f) == .holds(lhs: Decimal(string: "0.3") ?? 0, rhs: Decimal(string: "0.3") ?? 0))
  }

  @Test func testEvaluate_divisionByZero_isNotEvaluable() throws {
    let f = try #require(try Self.compile("t3.r1.np / t3.r1.sy = 1").first).formula
    let e = Self.evaluator(["t3.r1.np": .value(1), "t3.r1.sy": .value(0)])
    #expect(e.evaluate(f) == .notEvaluable("division by zero"))
  }

  @Test func testEvaluate_blankCountsAsZero_missingAsZeroUnlessRequireAll_textSkips() throws {
    let f = try #require(try Self.compile("t3.r1.zj = t3.r1.np + t3.r1.sy").first).formula
    #expect(
      Self.evaluator(["t3.r1.zj": .value(2), "t3.r1.np": .value(2), "t3.r1.sy": .blank(token: "/")]).evaluate(f)
        == .holds(lhs: 2, rhs: 2))
    let missing = Self.evaluator(["t3.r1.zj": .value(2), "t3.r1.np": .value(2)])
    #expect(missing.evaluate(f) == .holds(lhs: 2, rhs: 2))
    #expect(missing.evaluate(f, requireAll: true) == .notEvaluable("t3.r1.sy not submitted"))
    #expect(
      Self.evaluator(["t3.r1.zj": .value(2), "t3.r1.np": .text("二")]).evaluate(f)
        == .notEvaluable("t3.r1.np is text '二'"))
  }

  @Test func testEvaluate_previous_withoutDataset_isNotEvaluable() throws {
    let f = try #require(try Self.compile("t3.r2.np = prev(t3.r4.np)").first).formula
    #expect(f.previousCells == [Self.key("t3.r4.np")])
    #expect(Self.evaluator(["t3.r2.np": .value(1)]).evaluate(f) == .notEvaluable("no previous dataset"))
    let e = FormulaEvaluator(current: { _ in .value(1) }, previous: { _ in .value(2) })
    #expect(e.evaluate(f) == .violated(lhs: 1, rhs: 2))
  }

  @Test func testWildcard_rowPattern_expandsToTheFormsRowsInOrder() throws {
    let f = try #require(try Self.compile("sum(t3.r3_3_*.np) = 0").first).formula
    #expect(f.lhs == .sum((1...8).map { Self.key("t3.r3_3_\($0).np") }))
  }

  @Test func testWildcard_columnPattern_skipsExtraColumns() throws {
    let f = try #require(try Self.compile("sum(t3.r1.*) = 0").first).formula
    #expect(f.lhs == .sum(["np", "sy", "ky", "gy", "fl", "qt", "zj"].map { Self.key("t3.r1.\($0)") }))
  }

  @Test func testWildcard_onT2_matchesOnlyCellsTheRowDefines() throws {
    let f = try #require(try Self.compile("sum(t2.*.jueding) = 0").first).formula
    #expect(f.lhs == .sum(["xzxk", "xzcf", "xzqz"].map { Self.key("t2.\($0).jueding") }))
  }

  @Test func testForEach_crossProduct_sortedVariablesValuesInOrder() throws {
    let instances = try Self.compile("t3.{row}.{col} >= 0", forEach: ["row": ["r1", "r2"], "col": ["np", "zj"]])
    #expect(instances.map(\.subject.description) == ["t3.r1.np", "t3.r2.np", "t3.r1.zj", "t3.r2.zj"])
    #expect(instances[1].bindings == ["col": "np", "row": "r2"])
  }

  @Test func testForEach_placeholderInsidePattern() throws {
    let instances = try Self.compile("t3.r3_7.{col} = sum(t3.r3_4_*.{col})", forEach: ["col": ["sy"]])
    #expect(instances.first?.formula.rhs == .sum(["t3.r3_4_1.sy", "t3.r3_4_2.sy", "t3.r3_4_3.sy"].map(Self.key)))
  }

  @Test func testSubject_isLeftCell_elseRightCell_elseFirstCell() throws {
    #expect(try Self.compile("t3.r1.zj = t3.r1.np").first?.subject == Self.key("t3.r1.zj"))
    #expect(try Self.compile("0 = t3.r1.np").first?.subject == Self.key("t3.r1.np"))
    #expect(try Self.compile("t3.r1.np + t3.r2.np = t3.r3_7.np + t3.r4.np").first?.subject == Self.key("t3.r1.np"))
  }

  /// 5,000 nested parentheses or a sum of 10,000 terms crashed `validate` and `run` (a stack
  /// overflow in the recursive walks, exit 139): refused with a message, as PIPE-001.
  @Test func testParse_hugeFormulasAreRefusedNotCrashed() throws {
    func refused(_ text: String) -> String? {
      do {
        _ = try FormulaParser.parse(text)
        return nil
      } catch {
        return error.message
      }
    }
    let deep = "t3.r1.zj = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
    #expect(refused(deep)?.contains("nested more than 40 deep") == true)
    let long = "t3.r1.zj = " + Array(repeating: "t3.r1.np", count: 10_000).joined(separator: " + ")
    #expect(refused(long)?.contains("more than 300 operators") == true)
    #expect(refused("t3.r1.zj = " + String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40)) == nil)
    #expect(refused("t3.r1.zj = " + Array(repeating: "t3.r1.np", count: 300).joined(separator: " + ")) == nil)
  }

  @Test func testParse_errorsCarryTheirPosition() {
    func error(_ text: String) -> FormulaError? {
      do {
        _ = try FormulaParser.parse(text)
        return nil
      } catch {
        return error
      }
    }
    #expect(error("t3.r1.np == 1")?.position == 10)
    #expect(error("t3.r1.np + = 1")?.position == 12)
    #expect(error("t3.r1. = 1")?.position == 7)
    #expect(error("sum(t3.r3_3_*.np = 0")?.position == 18)
    #expect(error("t3.r1.np = 1 2")?.position == 14)
    #expect(error("t3.r1.* = 0")?.message == "'*' is allowed only inside sum(...)")
    #expect(error("t3.r3_*.np = 0")?.position == 7)
    #expect(error("t3.r3_*.np = 0")?.message == "'*' is allowed only inside sum(...)")
    #expect(error("t3.r1.np*2 = 0") == nil)
    #expect(error("t3.r1.np + t3.r1.sy")?.message == "expected a comparison (=, <=, >=, <, >) but the formula ended")
    #expect(error("t3.{row.np = 0")?.position == 4)
    #expect(error("t3.r1 = 0")?.message == "'t3.r1' is not a cell reference (expected FORM.ROW.COL)")
  }

  @Test func testCompile_listsEveryProblemWithRuleCodeAndWhat() throws {
    let forms = try ReconcileFixtures.pipeline().forms
    let rules = [
      RuleDefinition(code: "X-1", severity: .error, scope: "both", title: "未知行", formula: "t3.r9.np = 0"),
      RuleDefinition(code: "X-2", severity: .error, scope: "both", title: "表二无此格", formula: "t2.guizhang.jueding = 0"),
      RuleDefinition(code: "X-3", severity: .error, scope: "everywhere", title: "范围", formula: "t3.r1.np = 0"),
      RuleDefinition(code: "X-4", severity: .error, scope: "both", title: "占位", formula: "t3.{row}.np = 0"),
      RuleDefinition(code: "X-5", severity: .error, scope: "both", title: "语法", formula: "t3.r1.np = (1"),
      RuleDefinition(code: "X-6", severity: .error, scope: "both", title: "表", formula: "t9.r1.np = 0"),
      RuleDefinition(code: "X-7", severity: .error, scope: "both", title: "模式", formula: "sum(t3.r8_*.np) = 0"),
      RuleDefinition(code: "REC-C10", severity: .error, scope: "both", title: "保留", formula: "t3.r1.np = 0"),
      RuleDefinition(
        code: "X-8", severity: .error, scope: "both", title: "展开", forEach: ["row": ["r1", "r99"]],
        formula: "t3.{row}.np = 0"),
      RuleDefinition(code: "X-9", severity: .error, scope: "both", title: "除零", formula: "t3.r1.np / 0 <= 1"),
      RuleDefinition(
        code: "X-10", severity: .error, scope: "both", title: "除零", formula: "t3.r1.np = t3.r2.np * (1 / (2 - 2 * 1))"),
      // Dividing by a cell is evaluated per department (a 0 there is a finding, not a definition error).
      RuleDefinition(code: "X-11", severity: .error, scope: "both", title: "除以格", formula: "t3.r1.np / t3.r2.np <= 1"),
      RuleDefinition(code: "X-12", severity: .error, scope: "both", title: "除以常数", formula: "t3.r1.np / (2 - 1) <= 1"),
    ]
    #expect {
      _ = try RuleCompiler.compile(rules, forms: forms)
    } throws: { error in
      guard let e = error as? RuleCompileError else { return false }
      return e.issues.map(\.description) == [
        "X-1: formula position 4: form t3 defines no row 'r9' (in t3.r9.np)",
        "X-2: formula position 13: form t2 defines no cell t2.guizhang.jueding (no column 'jueding' in row guizhang)",
        "X-3: scope 'everywhere' is not one of department, region, both",
        "X-4: placeholder {row} has no forEach values",
        "X-5: formula position 14: expected ')'",
        "X-6: formula position 1: form 't9' is not a grid form of this pipeline",
        "X-7: formula position 8: row pattern 'r8_*' matches no row of form t3",
        "REC-C10: code is reserved for a built-in check",
        "X-8: formula position 4: form t3 defines no row 'r99' (in t3.r99.np) (row=r99)",
        "X-9: the formula divides by a number that is 0",
        "X-10: the formula divides by a number that is 0",
      ]
    }
  }

  @Test func testCompile_realRules_expandAsDocumented() throws {
    let p = try ReconcileFixtures.pipeline()
    let rules = try RuleCompiler.compile(p.rules, forms: p.forms)
    let counts = Dictionary(uniqueKeysWithValues: rules.map { ($0.code, $0.instances.count) })
    #expect(counts["REC-T3-S1"] == 25)
    #expect(counts["REC-T3-S2"] == 7)
    #expect(counts["REC-T3-S3"] == 7)
    #expect(counts["REC-T4-S4"] == 3)
    #expect(counts["REC-T3-C1"] == 7)
    let s2 = try #require(rules.first { $0.code == "REC-T3-S2" }?.instances.first)
    #expect(s2.subject.description == "t3.r3_7.np")
    #expect(s2.formula.rhs.cells.count == 21)
  }
}
