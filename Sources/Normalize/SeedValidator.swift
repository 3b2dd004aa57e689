import AlmanacCore
import Foundation

/// Checks the seed tables against each other and against the pipeline's forms. Pure: no I/O.
///
/// Codes: SEED-001 missing table or column · SEED-002 duplicate department id · SEED-003 unknown
/// level · SEED-004 unknown parent · SEED-005 bad date or range · SEED-006 one name for two
/// departments at the same time · SEED-007 alias of an unknown department · SEED-008 unknown
/// alias kind · SEED-009 unknown form · SEED-010 empty required value · SEED-011 label alias to
/// a label the form does not have · SEED-012 one variant mapped to two keys · SEED-013 key the
/// form does not define (or a total the register cannot fill) · SEED-014 an accepted finding's
/// row whose id or year is not one.
public enum SeedValidator {
  /// Department levels `departments.csv` may use.
  public static let levels = Set(RegionDefinition.levels)
  public static let aliasKinds: Set<String> = ["short", "historic", "confirmed"]

  static let requiredHeaders: [String: [String]] = [
    "departments": ["id", "name", "level", "parent", "valid_from", "valid_to"],
    "department_aliases": ["alias", "department_id", "kind", "valid_from", "valid_to"],
    "label_aliases": ["form", "variant", "canonical"],
    AcceptedFindings.table: AcceptedFindings.columns,
  ]

  /// Every problem, sorted by file and line.
  public static func validate(_ seeds: Seeds, pipeline: PipelineDefinition) -> [SeedProblem] {
    var out: [SeedProblem] = []
    for name in pipeline.seeds.sorted() where seeds[name] == nil {
      out.append(SeedProblem(code: "SEED-001", file: path(name), line: 0, message: Message.missingTable(name)))
    }
    var usable: [String: SeedTable] = [:]
    for (name, table) in seeds.tables {
      let needed =
        requiredHeaders[name]
        ?? (name.hasSuffix("label_aliases") ? requiredHeaders["label_aliases"] : nil)
        ?? variantHeaders(name, pipeline: pipeline)
      let missing = needed.filter { table.column($0) == nil }
      if missing.isEmpty {
        usable[name] = table
      } else {
        out.append(
          SeedProblem(
            code: "SEED-001", file: path(name), line: 1, message: Message.missingColumns(missing, have: table.header)))
      }
    }
    var registry: [String: DepartmentRecord] = [:]
    if let t = usable["departments"] { out += checkDepartments(t, registry: &registry) }
    if let t = usable["department_aliases"] {
      out += checkAliases(t, departments: usable["departments"] != nil ? registry : nil, pipeline: pipeline)
    }
    if let t = usable[AcceptedFindings.table] { out += checkAcceptances(t) }
    for (name, table) in usable.sorted(by: { $0.key < $1.key }) where name.hasSuffix("label_aliases") {
      out += checkLabelAliases(table, pipeline: pipeline)
    }
    for form in pipeline.forms {
      guard let counts = form.counts, let target = pipeline.form(counts.form) else { continue }
      let totalRows = Set((target.rows ?? []).filter { $0.checksum == true }.map(\.key))
      let rows = Set((target.rows ?? []).map(\.key)).subtracting(totalRows)
      let columns = Set((target.columns ?? []).filter { $0.checksum != true && $0.extra != true }.map(\.key))
      if let t = usable[counts.rowSeed] { out += checkVariants(t, keys: rows, form: target.id, axis: "行") }
      if let t = usable[counts.columnSeed] { out += checkVariants(t, keys: columns, form: target.id, axis: "列") }
    }
    return out.sorted()
  }

  static func path(_ name: String) -> String { SourceRef.seedFile(name) }

  /// `variant` plus the key column a variant seed of a register form uses.
  static func variantHeaders(_ name: String, pipeline: PipelineDefinition) -> [String] {
    for form in pipeline.forms {
      guard let c = form.counts else { continue }
      if c.rowSeed == name { return ["variant", "row"] }
      if c.columnSeed == name { return ["variant", "column"] }
    }
    return []
  }

  static func checkDates(_ table: SeedTable, _ i: Int, into out: inout [SeedProblem]) -> (String?, String?) {
    let file = path(table.name)
    var dates: [String?] = []
    for col in ["valid_from", "valid_to"] {
      let v = table.value(i, col)
      if v.isEmpty {
        dates.append(nil)
      } else if let date = SeedDate.canonical(v) {
        dates.append(date)
      } else {
        out.append(SeedProblem(code: "SEED-005", file: file, line: table.line(i), message: Message.badDate(col, v)))
        dates.append(nil)
      }
    }
    if let f = dates[0], let t = dates[1], f > t {
      out.append(SeedProblem(code: "SEED-005", file: file, line: table.line(i), message: Message.reversedDates(f, t)))
    }
    return (dates[0], dates[1])
  }

  /// `accepted_findings.csv` (written by `almanac accept`): a finding id, a year, who, why and
  /// when on every row. SEED-014 for what is not an id or a year. A row repeating a decision is
  /// harmless (the first counts), not a reason to refuse a run.
  static func checkAcceptances(_ t: SeedTable) -> [SeedProblem] {
    var out: [SeedProblem] = []
    let file = path(t.name)
    for i in t.rows.indices {
      let ln = t.line(i)
      for col in ["id", "year", "reason", "accepted_by", "accepted_on"] where t.value(i, col).isEmpty {
        out.append(SeedProblem(code: "SEED-010", file: file, line: ln, message: Message.empty(col)))
      }
      let id = t.value(i, "id")
      let year = t.value(i, "year")
      if !id.isEmpty, !AcceptedFindings.isFindingID(id.lowercased()) {
        out.append(SeedProblem(code: "SEED-014", file: file, line: ln, message: Message.notAFindingID(id)))
      }
      if !year.isEmpty, Int(year).map({ (1000...9999).contains($0) }) != true {
        out.append(SeedProblem(code: "SEED-014", file: file, line: ln, message: Message.notAYear(year)))
      }
      let on = t.value(i, "accepted_on")
      if !on.isEmpty, SeedDate.canonical(on) == nil {
        out.append(SeedProblem(code: "SEED-005", file: file, line: ln, message: Message.badDate("accepted_on", on)))
      }
    }
    return out
  }

  static func checkDepartments(_ t: SeedTable, registry: inout [String: DepartmentRecord]) -> [SeedProblem] {
    var out: [SeedProblem] = []
    let file = path(t.name)
    var firstLine: [String: Int] = [:]
    for i in t.rows.indices {
      let id = t.value(i, "id")
      let name = t.value(i, "name")
      let level = t.value(i, "level")
      let ln = t.line(i)
      for (col, v) in [("id", id), ("name", name), ("level", level)] where v.isEmpty {
        out.append(SeedProblem(code: "SEED-010", file: file, line: ln, message: Message.empty(col)))
      }
      if !level.isEmpty, !levels.contains(level) {
        out.append(SeedProblem(code: "SEED-003", file: file, line: ln, message: Message.unknownLevel(level)))
      }
      let (from, to) = checkDates(t, i, into: &out)
      guard !id.isEmpty else { continue }
      if let first = firstLine[id] {
        out.append(SeedProblem(code: "SEED-002", file: file, line: ln, message: Message.duplicateID(id, first: first)))
        continue
      }
      firstLine[id] = ln
      let parent = t.value(i, "parent")
      registry[id] = DepartmentRecord(
        id: id, name: name, level: level, parent: parent.isEmpty ? nil : parent, validFrom: from, validTo: to)
    }
    for i in t.rows.indices {
      let id = t.value(i, "id")
      let parent = t.value(i, "parent")
      guard !parent.isEmpty else { continue }
      if parent == id || registry[parent] == nil {
        out.append(
          SeedProblem(code: "SEED-004", file: file, line: t.line(i), message: Message.unknownParent(parent, id: id)))
      }
    }
    return out
  }

  static func checkAliases(_ t: SeedTable, departments: [String: DepartmentRecord]?, pipeline: PipelineDefinition)
    -> [SeedProblem]
  {
    var out: [SeedProblem] = []
    let file = path(t.name)
    let all = departments ?? [:]
    let registry = DepartmentRegistry(
      records: Array(all.values), aliases: [], region: pipeline.region.name)
    struct Claim {
      var department: String
      var from: String?
      var to: String?
      var line: Int
      var written: String
    }
    // Registers that look names up within a parent (`departmentScope`) let units of different
    // parents share a name (`市环保局` in every 市).
    let scoped = pipeline.forms.contains { $0.counts?.departmentScope != nil }
    // Claims on a name, and when scoped on a name within one parent: a short name such as
    // `卫生健康局` is claimed in every county, and comparing each alias with every county's
    // claim (its parent looked up per claim) was most of this check's time for a province.
    func claimKey(_ name: String, parent: String?) -> String {
      guard scoped else { return name }
      return (parent.map { "p" + $0 } ?? "-") + "\u{1F}" + name
    }
    var claims: [String: [Claim]] = [:]
    for d in all.values.sorted(by: { $0.id < $1.id }) {
      claims[claimKey(registry.key(d.name), parent: d.parent), default: []].append(
        Claim(department: d.id, from: d.validFrom, to: d.validTo, line: 0, written: d.name))
    }
    for i in t.rows.indices {
      let ln = t.line(i)
      let alias = t.value(i, "alias")
      let id = t.value(i, "department_id")
      let kind = t.value(i, "kind")
      for (col, v) in [("alias", alias), ("department_id", id)] where v.isEmpty {
        out.append(SeedProblem(code: "SEED-010", file: file, line: ln, message: Message.empty(col)))
      }
      if !aliasKinds.contains(kind) {
        out.append(SeedProblem(code: "SEED-008", file: file, line: ln, message: Message.unknownKind(kind)))
      }
      let (from, to) = checkDates(t, i, into: &out)
      guard !alias.isEmpty, !id.isEmpty else { continue }
      guard departments == nil || all[id] != nil else {
        out.append(SeedProblem(code: "SEED-007", file: file, line: ln, message: Message.unknownDepartment(id)))
        continue
      }
      // An alias counts only while both it and its department exist.
      let dept = all[id]
      let effFrom = [from, dept?.validFrom].compactMap { $0 }.max()
      let effTo = [to, dept?.validTo].compactMap { $0 }.min()
      let key = claimKey(registry.key(alias), parent: dept?.parent)
      var reported = Set<String>()
      for other in claims[key] ?? []
      where other.department != id && Validity.overlaps((effFrom, effTo), (other.from, other.to)) {
        guard reported.insert(other.department).inserted else { continue }
        out.append(
          SeedProblem(
            code: "SEED-006", file: file, line: ln,
            message: Message.sharedName(
              alias, id: id, other: other.department, otherWritten: other.written, otherLine: other.line)))
      }
      claims[key, default: []].append(Claim(department: id, from: effFrom, to: effTo, line: ln, written: alias))
    }
    return out
  }

  /// Folded labels a form knows: axis labels, their aliases and parents, register field labels.
  static func knownLabels(_ form: FormDefinition) -> Set<String> { form.knownLabels }

  static func checkLabelAliases(_ t: SeedTable, pipeline: PipelineDefinition) -> [SeedProblem] {
    var out: [SeedProblem] = []
    let file = path(t.name)
    var seen: [String: (canonical: String, line: Int)] = [:]
    for i in t.rows.indices {
      let ln = t.line(i)
      let formID = t.value(i, "form")
      let variant = t.value(i, "variant")
      let canonical = t.value(i, "canonical")
      for (col, v) in [("form", formID), ("variant", variant), ("canonical", canonical)] where v.isEmpty {
        out.append(SeedProblem(code: "SEED-010", file: file, line: ln, message: Message.empty(col)))
      }
      guard !formID.isEmpty else { continue }
      guard let form = pipeline.form(formID) else {
        out.append(
          SeedProblem(
            code: "SEED-009", file: file, line: ln,
            message: Message.unknownForm(formID, known: pipeline.forms.map(\.id))))
        continue
      }
      guard !variant.isEmpty, !canonical.isEmpty else { continue }
      let known = knownLabels(form)
      let c = LabelFold.key(canonical)
      if !known.contains(c) {
        let nearest = TextSimilarity.nearest(c, among: known.sorted(), limit: 3)
        out.append(
          SeedProblem(
            code: "SEED-011", file: file, line: ln,
            message: Message.unknownLabel(canonical, form: formID, nearest: nearest)))
      }
      let v = "\(formID)\u{1F}\(LabelFold.key(variant))"
      if let prev = seen[v], prev.canonical != c {
        out.append(
          SeedProblem(
            code: "SEED-012", file: file, line: ln, message: Message.conflictingVariant(variant, firstLine: prev.line)))
      } else if seen[v] == nil {
        seen[v] = (c, ln)
      }
    }
    return out
  }

  static func checkVariants(_ t: SeedTable, keys: Set<String>, form: String, axis: String) -> [SeedProblem] {
    var out: [SeedProblem] = []
    let file = path(t.name)
    let keyColumn = t.header.contains("row") ? "row" : "column"
    var seen: [String: (key: String, line: Int)] = [:]
    for i in t.rows.indices {
      let ln = t.line(i)
      let variant = t.value(i, "variant")
      let key = t.value(i, keyColumn)
      if key.isEmpty {
        out.append(SeedProblem(code: "SEED-010", file: file, line: ln, message: Message.empty(keyColumn)))
        continue
      }
      if !keys.contains(key) {
        out.append(
          SeedProblem(
            code: "SEED-013", file: file, line: ln,
            message: Message.unknownKey(key, form: form, axis: axis, keys: keys.sorted()))
        )
      }
      let v = LabelFold.key(variant)
      if let prev = seen[v], prev.key != key {
        out.append(
          SeedProblem(
            code: "SEED-012", file: file, line: ln, message: Message.conflictingVariant(variant, firstLine: prev.line)))
      } else if seen[v] == nil {
        seen[v] = (key, ln)
      }
    }
    return out
  }
}

private enum Message {
  static func missingTable(_ name: String) -> String {
    "流水线要求的种子文件 seeds/\(name).csv 不存在，请补充该文件"
  }
  static func missingColumns(_ cols: [String], have: [String]) -> String {
    "表头缺少列 \(cols.joined(separator: "、"))（现有列：\(have.joined(separator: ","))），请按 seeds/README.md 修正表头"
  }
  static func badDate(_ col: String, _ v: String) -> String {
    "\(col) 的值「\(v)」不是有效日期，应写作 YYYY-MM-DD（如 2019-03-29；Excel 保存成的 2019/3/29、2019年3月29日 也可）或留空"
  }
  static func reversedDates(_ from: String, _ to: String) -> String {
    "有效期起始日 \(from) 晚于终止日 \(to)，请核对"
  }
  static func empty(_ col: String) -> String {
    "\(col) 列不能为空"
  }
  static func unknownLevel(_ level: String) -> String {
    "层级「\(level)」无法识别，只能是 政府、部门、乡镇 或 街道"
  }
  static func notAFindingID(_ id: String) -> String {
    "「\(id)」不是核对结果编号；编号是 reconciliation.jsonl 或 reconciliation.html 中的 16 位十六进制数（如 5d222bce4db70e68），请用 almanac accept 写入"
  }
  static func notAYear(_ year: String) -> String {
    "year 列的值「\(year)」不是年度，应写作四位数字（如 2025）"
  }
  static func duplicateID(_ id: String, first: Int) -> String {
    "单位编号 \(id) 重复（第 \(first) 行已使用），每个单位的编号必须唯一"
  }
  static func unknownParent(_ parent: String, id: String) -> String {
    "单位 \(id) 的上级单位编号 \(parent) 不存在于 departments.csv（或指向自身），请填写已登记单位的编号"
  }
  static func unknownDepartment(_ id: String) -> String {
    "别名指向的单位编号 \(id) 不存在于 departments.csv，请先登记该单位或改正编号"
  }
  static func unknownKind(_ kind: String) -> String {
    "别名类型「\(kind)」无法识别，只能是 short（简称）、historic（历史名称）或 confirmed（已确认）"
  }
  static func sharedName(_ alias: String, id: String, other: String, otherWritten: String, otherLine: Int) -> String {
    let place = otherLine > 0 ? "第 \(otherLine) 行的别名「\(otherWritten)」" : "departments.csv 中的名称「\(otherWritten)」"
    return "名称「\(alias)」（单位 \(id)）与\(place)（单位 \(other)）在同一时期指向不同单位，请删除其一或用有效期错开"
  }
  static func unknownForm(_ form: String, known: [String]) -> String {
    "表单编号「\(form)」不在流水线定义中（已定义：\(known.joined(separator: "、"))）"
  }
  static func unknownLabel(_ label: String, form: String, nearest: [String]) -> String {
    "规范标签「\(label)」不是表单 \(form) 定义的行、列或字段标签"
      + (nearest.isEmpty ? "" : "；最接近的已知标签：\(nearest.joined(separator: "、"))")
  }
  static func conflictingVariant(_ variant: String, firstLine: Int) -> String {
    "写法「\(variant)」已在第 \(firstLine) 行映射到另一个值，同一写法只能对应一个规范值"
  }
  static func unknownKey(_ key: String, form: String, axis: String, keys: [String]) -> String {
    "键 \(key) 不是表单 \(form) 可由台账计入的\(axis)（可用：\(keys.joined(separator: "、"))）"
  }
}
