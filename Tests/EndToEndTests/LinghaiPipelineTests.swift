import AlmanacCore
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The `linghai-2016` pipeline definition, templates, seeds and example inbox, checked without
/// running the engine.
@Suite struct LinghaiPipelineTests {
  func load() throws -> PipelineDefinition {
    try PipelineDefinition.load(folder: LinghaiExample.pipeline)
  }

  func template(_ name: String) throws -> String {
    try String(contentsOf: LinghaiExample.pipeline.appendingPathComponent("templates/\(name)"), encoding: .utf8)
  }

  /// Every non-extra cell key of the pipeline, as `form.row.column`.
  func cellKeys(_ def: PipelineDefinition) -> Set<String> {
    Set(def.forms.flatMap(\.cellKeys).map(\.description))
  }

  @Test func testLinghaiPipeline_loadsWithItsFormsAndRules() throws {
    let def = try load()
    #expect(def.name == "linghai-2016")
    #expect(def.style == .narrative)
    #expect(def.year == 2016)
    #expect(def.region.name == "凌海市")
    #expect(def.seeds == ["departments", "department_aliases", "linghai_label_aliases"])
    // A unit that sent nothing keeps the narrative a draft (its sentences would say 0 or —).
    #expect(def.severities == ["REC-SUB-001": .error])
    #expect(def.report?.markdownTemplate == "templates/report.md.mustache")
    #expect(def.report?.htmlTemplate == "templates/report.html.mustache")
    #expect(def.forms.map(\.id) == ["ind", "jyta"])

    let ind = try #require(def.form("ind"))
    #expect(ind.kind == .grid)
    #expect(ind.anchors == ["指标名称", "计量单位", "本年度", "历年累计"])
    #expect(ind.columns?.map(\.key) == ["bnd", "lj", "unit"])
    #expect(ind.columns?.last?.extra == true)
    #expect(ind.rows?.count == 52)
    // 41 indicators with 本年度 and 历年累计, 11 one-off figures and rates with 本年度 only.
    #expect(ind.cellKeys.count == 41 * 2 + 11)
    #expect(ind.rows?.first { $0.key == "zdgk_wz" }?.label == "其中：政府门户网站公开数")
    #expect(ind.rows?.first { $0.key == "jy_bjl" }?.type == .amount)

    let jyta = try #require(def.form("jyta"))
    #expect(jyta.columns?.map(\.key) == ["rd", "zx", "hj"])
    #expect(jyta.rows?.count == 19)
    #expect(jyta.rows?.first?.label == "城建")
    #expect(jyta.cellKeys.count == 57)

    #expect(def.rules.count == 31)
    #expect(Set(def.rules.map(\.code)).count == def.rules.count, "rule codes are unique")
    let breakdown = try #require(def.rules.first { $0.code == "REC-LH-JY3" })
    #expect(breakdown.formula == "sum(jyta.*.hj) = ind.jy_zs.bnd")
    #expect(breakdown.severity == .error)
    #expect(breakdown.scope == "both")
    #expect(def.rules.allSatisfy { ["department", "region", "both"].contains($0.scope) })
  }

  @Test func testLinghaiPipeline_labelsAreUniqueAfterFolding() throws {
    let def = try load()
    for form in def.forms {
      for axis in [form.rows ?? [], form.columns ?? []] {
        var owner: [String: String] = [:]
        for item in axis {
          for label in [item.label] + (item.aliases ?? []) {
            let key = LabelFold.key(label)
            #expect(
              owner[key] == nil || owner[key] == item.key,
              "\(form.id): '\(label)' is both \(owner[key] ?? "") and \(item.key)")
            owner[key] = item.key
          }
        }
      }
    }
  }

  @Test func testLinghaiPipeline_rulesReferenceDefinedCells() throws {
    let def = try load()
    let keys = cellKeys(def)
    let reference = try Regex(#"[A-Za-z0-9_]+\.[A-Za-z0-9_*{}]+\.[A-Za-z0-9_*{}]+"#)
    var checked = 0
    for rule in def.rules {
      // Each rule here iterates one variable at most.
      let variables = rule.forEach ?? [:]
      #expect(variables.count <= 1, "\(rule.code)")
      let expansions: [String] =
        variables.first.map { name, values in
          values.map { rule.formula.replacingOccurrences(of: "{\(name)}", with: $0) }
        }
        ?? [rule.formula]
      for formula in expansions {
        #expect(!formula.contains("{"), "\(rule.code): unexpanded placeholder in \(formula)")
        for match in formula.matches(of: reference) {
          let ref = String(formula[match.range])
          let parts = ref.split(separator: ".").map(String.init)
          let hits = keys.filter { key in
            let k = key.split(separator: ".").map(String.init)
            return zip(k, parts).allSatisfy { $0 == $1 || $1 == "*" }
          }
          #expect(!hits.isEmpty, "\(rule.code): \(ref) names no defined cell")
          checked += 1
        }
      }
    }
    #expect(checked > 100)
  }

  @Test func testLinghaiPipeline_templatesUseDefinedCellsAndTheSameFigures() throws {
    let def = try load()
    let keys = cellKeys(def)
    let variable = try Regex(#"\{\{f\.([A-Za-z0-9_]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+)\}\}"#)
    var used: [String: [String]] = [:]
    for name in ["report.md.mustache", "report.html.mustache"] {
      let text = try template(name)
      let refs = text.matches(of: variable).map { String(text[$0.range]).dropFirst(4).dropLast(2) }.map(String.init)
      for ref in refs { #expect(keys.contains(ref), "\(name): {{f.\(ref)}} is not a cell of the pipeline") }
      used[name] = refs
    }
    #expect(
      used["report.md.mustache"] == used["report.html.mustache"],
      "both templates print the same figures in the same order")
    #expect(used["report.md.mustache"]?.count == 45)
  }

  @Test func testLinghaiPipeline_templatesHoldNoPublishedFigureAsText() throws {
    // Figures of the published report that must come from the sheets, never from the template.
    let figures: Set<String> = [
      "820", "760", "18", "30", "112", "49", "231", "7757", "55", "54", "306", "496", "108", "46", "147",
      "120", "44", "35", "25", "274", "273", "331", "60", "14", "3600", "100",
    ]
    for name in ["report.md.mustache", "report.html.mustache"] {
      // The style sheet's lengths (14pt, 18pt …) are not prose.
      let prose = try template(name).replacingOccurrences(
        of: #"<style[^>]*>[\s\S]*?</style>"#, with: "", options: .regularExpression)
      let literal = Set(LinghaiExample.numbers(prose).keys)
      #expect(literal.isDisjoint(with: figures), "\(name) writes \(literal.intersection(figures).sorted()) as text")
    }
  }

  @Test func testLinghaiPipeline_htmlTemplateIsWellFormed() throws {
    var text = try template("report.html.mustache")
    text = text.replacingOccurrences(of: #"\{\{[^}]*\}\}"#, with: "1", options: .regularExpression)
    text = text.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
    #if canImport(FoundationXML) || canImport(Darwin)
      #expect(throws: Never.self) { _ = try XMLDocument(xmlString: text) }
    #endif
    #expect(text.contains("size: A4"))
    #expect(text.contains("仿宋"))
  }

  @Test func testLinghaiPipeline_labelAliasSeedPointsAtDefinedLabels() throws {
    let def = try load()
    let url = LinghaiExample.repoRoot.appendingPathComponent("seeds/linghai_label_aliases.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
    #expect(lines.first == "form,variant,canonical")
    for line in lines.dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      #expect(cells.count == 3, "\(line)")
      guard cells.count == 3, let form = def.form(cells[0]) else {
        Issue.record("unknown form in \(line)")
        continue
      }
      let labels = Set(
        ((form.rows ?? []) + (form.columns ?? [])).map { LabelFold.key($0.label) } + form.anchors.map(LabelFold.key))
      #expect(labels.contains(LabelFold.key(cells[2])), "\(line): canonical label is not in form \(form.id)")
    }
  }

  @Test func testLinghaiInbox_looksLikeWhatOfficesSend() throws {
    let fm = FileManager.default
    let names = try fm.contentsOfDirectory(atPath: LinghaiExample.inbox.path).sorted()
    #expect(names.count == 49)
    #expect(names.filter { $0.hasSuffix(".csv.gz") }.count == 1)
    var bom = 0
    var gb = 0
    for name in names where name.hasSuffix(".csv") {
      let data = try Data(contentsOf: LinghaiExample.inbox.appendingPathComponent(name))
      if data.starts(with: [0xEF, 0xBB, 0xBF]) {
        bom += 1
      } else if String(data: data, encoding: .utf8) == nil {
        gb += 1
      }
      #expect(data.contains(0x0D), "\(name) has CRLF line ends")
    }
    #expect(bom == 15)
    #expect(gb == 33)
    #expect(names.contains(LinghaiExample.supersededFile))
    #expect(names.contains(LinghaiExample.governmentOfficeFile))
  }
}
