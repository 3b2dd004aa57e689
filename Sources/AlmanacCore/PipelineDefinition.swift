import Foundation
import Yams

/// A pipeline folder (`pipelines/<name>/`): its definition (`pipeline.yaml`), report templates
/// and operators' text material. Says *what* data flows; Swift code says *how*.
public struct PipelineDefinition: Codable, Hashable, Sendable {
  /// Schema version of `pipeline.yaml`; only 1 exists.
  public var version: Int
  public var name: String
  /// Report title suffix, e.g. `政府信息公开工作年度报告`.
  public var title: String
  /// How the published tables are laid out.
  public var style: ReportStyle
  /// The compiling government (the region the report covers).
  public var region: RegionDefinition
  /// Report year when neither `--year` nor the sheets say otherwise.
  public var year: Int?
  /// Seed file stems this pipeline reads from `seeds/` (without `.csv`).
  public var seeds: [String]
  public var forms: [FormDefinition]
  public var rules: [RuleDefinition]
  /// Severity overrides per finding code (dbt-style).
  public var severities: [String: Severity]?
  public var limits: IngestLimits?
  public var report: ReportDefinition?

  public init(
    version: Int = 1, name: String, title: String, style: ReportStyle, region: RegionDefinition, year: Int? = nil,
    seeds: [String], forms: [FormDefinition], rules: [RuleDefinition], severities: [String: Severity]? = nil,
    limits: IngestLimits? = nil, report: ReportDefinition? = nil
  ) {
    self.version = version
    self.name = name
    self.title = title
    self.style = style
    self.region = region
    self.year = year
    self.seeds = seeds
    self.forms = forms
    self.rules = rules
    self.severities = severities
    self.limits = limits
    self.report = report
  }

  public func form(_ id: String) -> FormDefinition? { forms.first { $0.id == id } }

  private enum CodingKeys: String, CodingKey {
    case version, name, title, style, region, year, seeds, forms, rules, severities, limits, report
  }

  /// `forms` and `rules` may be absent here when `forms.yaml` / `rules.yaml` hold them.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    version = try c.decode(Int.self, forKey: .version)
    name = try c.decode(String.self, forKey: .name)
    title = try c.decode(String.self, forKey: .title)
    style = try c.decode(ReportStyle.self, forKey: .style)
    region = try c.decode(RegionDefinition.self, forKey: .region)
    year = try c.decodeIfPresent(Int.self, forKey: .year)
    seeds = try c.decodeIfPresent([String].self, forKey: .seeds) ?? []
    forms = try c.decodeIfPresent([FormDefinition].self, forKey: .forms) ?? []
    rules = try c.decodeIfPresent([RuleDefinition].self, forKey: .rules) ?? []
    severities = try c.decodeIfPresent([String: Severity].self, forKey: .severities)
    limits = try c.decodeIfPresent(IngestLimits.self, forKey: .limits)
    report = try c.decodeIfPresent(ReportDefinition.self, forKey: .report)
  }
}

/// `style:` in `pipeline.yaml`.
public enum ReportStyle: String, DefinitionChoice, Hashable, Sendable {
  /// The national format (国办公开办函〔2021〕30号): tables 二/三/四 in their official layout.
  case national2021 = "national-2021"
  /// The older narrative style (the 2016 example): forms print as plain grids.
  case narrative
}

public struct RegionDefinition: Codable, Hashable, Sendable {
  /// The department levels `departments.csv` and `expectedLevels` may name.
  public static let levels = ["政府", "部门", "乡镇", "街道"]

  /// e.g. `凌海市`.
  public var name: String
  /// Which department levels must submit (`部门`, `乡镇`, `街道`); all when nil.
  public var expectedLevels: [String]?
  public init(name: String, expectedLevels: [String]? = nil) {
    self.name = name
    self.expectedLevels = expectedLevels
  }

  /// How findings and pages name the region as a whole: `全市` for `凌海市`, `全县`, `全省`,
  /// `全旗`, `全州`, `全盟`, else `全区` (a 区, or a name without a level). A 市's published
  /// report said “全区汇总”.
  public var whole: String { Self.whole(of: name) }

  public static func whole(of name: String) -> String {
    guard let last = name.last, "市县省旗州盟".contains(last) else { return "全区" }
    return "全\(last)"
  }
}

/// The shape of a form (forms.md §4–5).
public enum FormKind: String, DefinitionChoice, Hashable, Sendable {
  /// Rows × columns addressed by label paths (表二/三/四).
  case grid
  /// One row per application (依申请公开登记台账); counted into a grid form.
  case register
  /// 指标名称 | 计量单位 | 本年度 | 历年累计 (the narrative style).
  case indicator
}

public enum ValueType: String, DefinitionChoice, Hashable, Sendable {
  /// Non-negative integer.
  case count
  /// Non-negative decimal (万元).
  case amount
}

/// One row or column of a grid form, matched by label path after folding.
public struct AxisDefinition: Codable, Hashable, Sendable {
  /// Canonical key (`r3_3_1`, `np`).
  public var key: String
  /// Canonical label as printed in the official layout.
  public var label: String
  /// Labels of enclosing merged cells, outermost first (e.g. `["三、本年度办理结果", "（三）不予公开"]`).
  public var parents: [String]?
  /// Extra spellings accepted for this label (more live in `seeds/label_aliases.csv`).
  public var aliases: [String]?
  /// Overrides the form's value type for this row (e.g. 行政事业性收费 is an amount).
  public var type: ValueType?
  /// The unit the cell's figures are in (`万元`, `%`), on its row or its column: a figure
  /// written in another scale of it (`126000元`) is converted, one in another kind of unit
  /// refused (`CellUnit`).
  public var unit: String?
  /// For rows: the column keys this row has (表二 rows have different columns); all when nil.
  public var columns: [String]?
  /// True when the cell is a department's own total: recomputed and compared, never summed.
  public var checksum: Bool?
  /// True for a column that is not part of the national layout but is accepted (e.g. 小计);
  /// it is read and checked, never published.
  public var extra: Bool?
  /// True for a column that states each row's unit (the 2016 forms' 计量单位): a figure of a
  /// row that declares `unit:` is read in the unit written there (`份` beside 15000 in a
  /// 万份 row).
  public var rowUnits: Bool?

  public init(
    key: String, label: String, parents: [String]? = nil, aliases: [String]? = nil, type: ValueType? = nil,
    unit: String? = nil, columns: [String]? = nil, checksum: Bool? = nil, extra: Bool? = nil, rowUnits: Bool? = nil
  ) {
    self.key = key
    self.label = label
    self.parents = parents
    self.aliases = aliases
    self.type = type
    self.unit = unit
    self.columns = columns
    self.checksum = checksum
    self.extra = extra
    self.rowUnits = rowUnits
  }
}

/// One column of a register form.
public struct RegisterField: Codable, Hashable, Sendable {
  public var key: String
  public var label: String
  public var aliases: [String]?
  public var required: Bool?
  public init(key: String, label: String, aliases: [String]? = nil, required: Bool? = nil) {
    self.key = key
    self.label = label
    self.aliases = aliases
    self.required = required
  }
}

/// How a register becomes counted cells of a grid form.
public struct RegisterCount: Codable, Hashable, Sendable {
  /// The grid form filled (`t3`).
  public var form: String
  /// Register field whose value (through `rowSeed`) gives the row key.
  public var rowField: String
  /// Seed table mapping folded values to row keys (`variant,canonical`).
  public var rowSeed: String
  public var columnField: String
  public var columnSeed: String
  /// Column key that receives the row total (`zj`), if any.
  public var totalColumn: String?
  /// Register field that marks carried-over applications (是否上年结转), if any.
  public var carryField: String?
  /// Register field holding the date an application was received (收到日期), if any: a row
  /// dated after the report year, or before it without the carry-over mark, or on no day at
  /// all (`2025-02-30`), is a finding (NRM-029, NRM-030).
  public var receivedField: String?
  /// Register field holding each application's number (申请编号), if any: rows of one register
  /// that repeat a number are counted as written and reported (NRM-031), since an application
  /// entered twice is counted twice.
  public var uniqueField: String?
  /// Register field naming, row by row, the unit that handled the application (受理单位). When
  /// set, each row counts for the department that field resolves to, not for the file's sender,
  /// and one department's counts add up over every file that holds rows of it.
  public var departmentField: String?
  /// Where `departmentField` names are looked up; nil — the whole registry.
  public var departmentScope: DepartmentScope?
  /// Seed of the figures each department declared for the counted form
  /// (`department_id,row,column,value`): its submitted table, compared cell by cell with the
  /// counts (REC-REG-001).
  public var declaredSeed: String?
  /// True to resolve the grouping values through the seeds while ingest streams the file, so
  /// the register is kept as counts per canonical key instead of per raw spelling (for
  /// registers of millions of rows with many spellings).
  public var resolveWhileReading: Bool?

  public init(
    form: String, rowField: String, rowSeed: String, columnField: String, columnSeed: String,
    totalColumn: String? = nil, carryField: String? = nil, departmentField: String? = nil,
    departmentScope: DepartmentScope? = nil, declaredSeed: String? = nil, resolveWhileReading: Bool? = nil,
    receivedField: String? = nil, uniqueField: String? = nil
  ) {
    self.form = form
    self.rowField = rowField
    self.rowSeed = rowSeed
    self.columnField = columnField
    self.columnSeed = columnSeed
    self.totalColumn = totalColumn
    self.carryField = carryField
    self.departmentField = departmentField
    self.departmentScope = departmentScope
    self.declaredSeed = declaredSeed
    self.resolveWhileReading = resolveWhileReading
    self.receivedField = receivedField
    self.uniqueField = uniqueField
  }
}

/// `departmentScope:` of a register's counts.
public enum DepartmentScope: String, DefinitionChoice, Hashable, Sendable {
  /// Among the departments whose `parent` is the unit named by the file name's first
  /// `-`-separated part (a county's register, where `市环保局` means that county's bureau).
  case fileNamePrefix
}

public struct FormDefinition: Codable, Hashable, Sendable {
  /// `t2`, `t3`, `t4`, `register`, `indicators` …
  public var id: String
  /// e.g. `表三 收到和处理政府信息公开申请情况`.
  public var name: String
  /// The name's first word (`表三`), as messages and lists name the form.
  public var shortName: String { name.split(separator: " ").first.map(String.init) ?? name }

  /// The value type of a row's cells: the row's own `type:`, else the form's, else a count.
  public func valueType(of row: AxisDefinition?) -> ValueType { row?.type ?? type ?? .count }

  /// The unit a cell's figures are in: its row's `unit:`, else its column's; nil when neither
  /// declares one.
  public static func unit(row: AxisDefinition?, column: AxisDefinition?) -> String? { row?.unit ?? column?.unit }

  /// A rate (unit `%`: the 2016 forms' 办结率, 满意率 …) is not additive — two units' 100 % are
  /// not 200 % —, so the region's is the one unit's figure, never a sum.
  public static func isRate(row: AxisDefinition?, column: AxisDefinition?) -> Bool {
    unit(row: row, column: column) == "%"
  }
  public var kind: FormKind
  /// Header labels that identify this form's table (folded before matching).
  public var anchors: [String]
  /// Value type of cells unless a row says otherwise.
  public var type: ValueType?
  public var rows: [AxisDefinition]?
  public var columns: [AxisDefinition]?
  /// Register forms: the fields, which field marks a data row (all digits), grouping.
  public var fields: [RegisterField]?
  public var dataRowField: String?
  public var groupBy: [String]?
  public var counts: RegisterCount?
  /// True when a department need not send this form.
  public var optional: Bool?
  /// True when the row axis is read from the column header path (表四: 行政复议 / 行政诉讼 >
  /// 未经复议直接起诉 head column groups over one unlabeled data row).
  public var rowsInHeader: Bool?

  public init(
    id: String, name: String, kind: FormKind, anchors: [String], type: ValueType? = nil,
    rows: [AxisDefinition]? = nil, columns: [AxisDefinition]? = nil, fields: [RegisterField]? = nil,
    dataRowField: String? = nil, groupBy: [String]? = nil, counts: RegisterCount? = nil, optional: Bool? = nil,
    rowsInHeader: Bool? = nil
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.anchors = anchors
    self.type = type
    self.rows = rows
    self.columns = columns
    self.fields = fields
    self.dataRowField = dataRowField
    self.groupBy = groupBy
    self.counts = counts
    self.optional = optional
    self.rowsInHeader = rowsInHeader
  }

  /// Every (row, column) cell key of a grid form in official order.
  public var cellKeys: [CellKey] {
    guard let rows, let columns else { return [] }
    var keys: [CellKey] = []
    keys.reserveCapacity(rows.count * columns.count)
    for r in rows {
      let own = r.columns.map(Set.init)
      for c in columns where c.extra != true && own?.contains(c.key) != false {
        keys.append(CellKey(form: id, row: r.key, column: c.key))
      }
    }
    return keys
  }
}

/// A reconciliation rule, written in the pipeline file (report-2021.md §3).
public struct RuleDefinition: Codable, Hashable, Sendable {
  /// e.g. `REC-T3-S1`.
  public var code: String
  public var severity: Severity
  /// `department`, `region` or `both`.
  public var scope: String
  /// Short zh-CN name of the identity, shown to auditors.
  public var title: String
  /// Iteration variables: `{row}` over these values, etc.
  public var forEach: [String: [String]]?
  /// e.g. `t3.{row}.zj = t3.{row}.np + t3.{row}.sy + sum(t3.{row}.*)`; see Reconcile/Formula.swift.
  public var formula: String
  /// zh-CN advice for the operator: what to do when it fires.
  public var advice: String?
  /// Rule applies only when every cell it names was submitted (else skipped silently).
  public var requireAll: Bool?

  public init(
    code: String, severity: Severity, scope: String, title: String, forEach: [String: [String]]? = nil,
    formula: String, advice: String? = nil, requireAll: Bool? = nil
  ) {
    self.code = code
    self.severity = severity
    self.scope = scope
    self.title = title
    self.forEach = forEach
    self.formula = formula
    self.advice = advice
    self.requireAll = requireAll
  }
}

/// Ingest's resource limits (issue 8): each exceeded limit is a finding, never exhaustion.
public struct IngestLimits: Codable, Hashable, Sendable {
  public var maxDecompressedBytes: Int64?
  public var maxFieldBytes: Int?
  public var maxColumns: Int?
  public var maxRecords: Int?

  public static let defaults = IngestLimits(
    maxDecompressedBytes: 4 << 30, maxFieldBytes: 1 << 20, maxColumns: 4096, maxRecords: 50_000_000)

  public init(
    maxDecompressedBytes: Int64? = nil, maxFieldBytes: Int? = nil, maxColumns: Int? = nil, maxRecords: Int? = nil
  ) {
    self.maxDecompressedBytes = maxDecompressedBytes
    self.maxFieldBytes = maxFieldBytes
    self.maxColumns = maxColumns
    self.maxRecords = maxRecords
  }

  /// These limits with defaults filled in.
  public var resolved: IngestLimits {
    IngestLimits(
      maxDecompressedBytes: maxDecompressedBytes ?? Self.defaults.maxDecompressedBytes,
      maxFieldBytes: maxFieldBytes ?? Self.defaults.maxFieldBytes,
      maxColumns: maxColumns ?? Self.defaults.maxColumns,
      maxRecords: maxRecords ?? Self.defaults.maxRecords)
  }
}

public struct ReportDefinition: Codable, Hashable, Sendable {
  /// Template files in the pipeline folder.
  public var markdownTemplate: String
  public var htmlTemplate: String?
  public init(markdownTemplate: String, htmlTemplate: String? = nil) {
    self.markdownTemplate = markdownTemplate
    self.htmlTemplate = htmlTemplate
  }
}

/// Why a pipeline folder could not be loaded (exit code 2).
public struct PipelineError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var message: String
  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }
  public var description: String { "\(file): \(message)" }
}

extension PipelineDefinition {
  /// Loads `pipeline.yaml` from a pipeline folder. Unknown keys are rejected, so a typo in a
  /// rule never silently disables it.
  ///
  /// A folder may split its definition: `forms.yaml` and `rules.yaml`, when present, each hold
  /// a top-level `forms:` or `rules:` list appended to those of `pipeline.yaml`.
  public static func load(folder: URL) throws -> PipelineDefinition {
    try checkIsPipelineFolder(folder)
    let url = folder.appendingPathComponent("pipeline.yaml")
    var def = try parse(yaml: try readText(url), file: url.path)
    for part in ["forms", "rules"] {
      let partURL = folder.appendingPathComponent("\(part).yaml")
      guard FileManager.default.fileExists(atPath: partURL.path) else { continue }
      let text = try readText(partURL)
      var root: Node?
      do {
        root = try Yams.compose(yaml: text)
        if let root { try UnknownKeys.checkPart(root, part: part, file: partURL.path) }
        let decoded = try YAMLDecoder().decode(PipelinePart.self, from: text)
        try checkUnits(decoded.forms ?? [], root: root, file: partURL.path)
        try checkRegisterFields(decoded.forms ?? [], root: root, file: partURL.path)
        def.forms += decoded.forms ?? []
        def.rules += decoded.rules ?? []
      } catch let e as PipelineError {
        throw e
      } catch {
        throw DefinitionFileProblem.error(error, root: root, file: partURL.path)
      }
    }
    return def
  }

  private struct PipelinePart: Decodable {
    var forms: [FormDefinition]?
    var rules: [RuleDefinition]?
  }

  /// A mistyped `--pipeline` is the commonest configuration error: say what the path is
  /// instead, and name the pipeline folders beside it, rather than "file doesn't exist".
  private static func checkIsPipelineFolder(_ folder: URL) throws {
    let fm = FileManager.default
    var isFolder: ObjCBool = false
    let exists = fm.fileExists(atPath: folder.path, isDirectory: &isFolder)
    if exists && isFolder.boolValue {
      if fm.fileExists(atPath: folder.appendingPathComponent("pipeline.yaml").path) { return }
      throw PipelineError(
        file: folder.path,
        message: "this folder has no pipeline.yaml, so it is not a pipeline folder\(nearbyPipelines(folder))")
    }
    if exists {
      let hint =
        folder.lastPathComponent == "pipeline.yaml"
        ? "; give the folder that holds it: --pipeline \(folder.deletingLastPathComponent().path)"
        : nearbyPipelines(folder)
      throw PipelineError(file: folder.path, message: "is a file, not a pipeline folder\(hint)")
    }
    throw PipelineError(file: folder.path, message: "no such pipeline folder\(nearbyPipelines(folder))")
  }

  /// "; pipeline folders in <parent>: a, b" for the sibling folders that hold a pipeline.yaml.
  private static func nearbyPipelines(_ folder: URL) -> String {
    let parent = folder.deletingLastPathComponent()
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).filter {
      FileManager.default.fileExists(
        atPath: parent.appendingPathComponent($0).appendingPathComponent("pipeline.yaml").path)
    }.sorted()
    if names.isEmpty {
      return "; --pipeline (or ALMANAC_PIPELINE) names a folder holding pipeline.yaml, e.g. pipelines/disclosure-2021"
    }
    return "; pipeline folders in \(parent.path): \(names.joined(separator: ", "))"
  }

  /// A definition file's text; saved by Notepad or WPS it may be GB18030 or UTF-16.
  private static func readText(_ url: URL) throws -> String {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw PipelineError(file: url.path, message: "cannot read pipeline definition: \(error.systemReason)")
    }
    guard let text = LegacyText.text(data) else {
      throw PipelineError(
        file: url.path,
        message: "流水线定义文件不是有效的 UTF-8、GB18030 或 UTF-16 文本（可能混用了编码或文件已损坏），请用文本编辑器以 UTF-8 重新保存")
    }
    return text
  }

  public static func parse(yaml text: String, file: String) throws -> PipelineDefinition {
    let def: PipelineDefinition
    var root: Node?
    do {
      root = try Yams.compose(yaml: text)
      if let root { try UnknownKeys.check(root, against: PipelineDefinition.self, file: file) }
      def = try YAMLDecoder().decode(PipelineDefinition.self, from: text)
    } catch let e as PipelineError {
      throw e
    } catch {
      throw DefinitionFileProblem.error(error, root: root, file: file)
    }
    guard def.version == 1 else {
      throw DefinitionFileProblem.at(
        root?["version"], file: file, path: "version", "本版 Almanac 只读第 1 版的流水线定义，这里写的是 \(def.version)")
    }
    if let year = def.year, !(1990...2099).contains(year) {
      throw DefinitionFileProblem.at(
        root?["year"], file: file, path: "year", "应为四位数的报告年度（如 2025），这里写的是 \(year)")
    }
    // A mistyped level (`街到`) would leave every unit of that level out of the expected list:
    // never reported missing, without a word.
    for (i, level) in (def.region.expectedLevels ?? []).enumerated() where !RegionDefinition.levels.contains(level) {
      throw DefinitionFileProblem.at(
        root?["region"]?["expectedLevels"]?[i], file: file, path: "region.expectedLevels[\(i)]",
        DefinitionFileProblem.notOneOf(level, RegionDefinition.levels))
    }
    try checkUnits(def.forms, root: root, file: file)
    try checkRegisterFields(def.forms, root: root, file: file)
    // Both are printed in every report's title; a blank one drafts "年度报告" for no one.
    for (path, value, node) in [
      ("title", def.title, root?["title"]), ("region.name", def.region.name, root?["region"]?["name"]),
    ]
    where value.trimmingCharacters(in: .whitespaces).isEmpty {
      throw DefinitionFileProblem.at(node ?? root, file: file, path: path, "不能为空")
    }
    return def
  }

  /// What a PIPE-009 error says a `unit:` may be (`CellUnit.isDeclarable` decides).
  static let declarableUnitsWording =
    "应为金额单位（元、千元、万元、百万元、千万元、亿元）、百分比（%、‰）或计量单位（件、条、人次、万份等）"

  /// Every `unit:` of `forms` is one `CellUnit` reads (PIPE-009 at the first that is not).
  static func checkUnits(_ forms: [FormDefinition], root: Node?, file: String) throws {
    for (f, form) in forms.enumerated() {
      for (axis, items) in [("rows", form.rows ?? []), ("columns", form.columns ?? [])] {
        for (i, item) in items.enumerated() {
          guard let unit = item.unit, !CellUnit.isDeclarable(unit) else { continue }
          throw DefinitionFileProblem.at(
            root?["forms"]?[f]?[axis]?[i]?["unit"], file: file, path: "forms[\(f)].\(axis)[\(i)].unit",
            "“\(unit)”不是可写的单位，\(declarableUnitsWording)")
        }
      }
    }
  }

  /// Every field a register form names (`dataRowField`, `groupBy`, the `counts:` fields) is
  /// one of its `fields:` (PIPE-009 at the first that is not): a mistyped key left the column
  /// unread, and its check (a 申请编号 repeated, a 收到日期 of another year) silently off.
  static func checkRegisterFields(_ forms: [FormDefinition], root: Node?, file: String) throws {
    for (f, form) in forms.enumerated() where form.kind == .register {
      let keys = (form.fields ?? []).map(\.key)
      let at = root?["forms"]?[f]
      var named: [(path: String, node: Node?, value: String?)] = [
        ("dataRowField", at?["dataRowField"], form.dataRowField)
      ]
      for (i, key) in (form.groupBy ?? []).enumerated() { named.append(("groupBy[\(i)]", at?["groupBy"]?[i], key)) }
      for (name, value) in [
        ("rowField", form.counts?.rowField), ("columnField", form.counts?.columnField),
        ("carryField", form.counts?.carryField), ("receivedField", form.counts?.receivedField),
        ("departmentField", form.counts?.departmentField), ("uniqueField", form.counts?.uniqueField),
      ] {
        named.append(("counts.\(name)", at?["counts"]?[name], value))
      }
      for (path, node, value) in named {
        guard let value, !keys.contains(value) else { continue }
        throw DefinitionFileProblem.at(
          node, file: file, path: "forms[\(f)].\(path)",
          DefinitionFileProblem.notOneOf(value, keys, what: "字段名（本表 fields 中的 key）"))
      }
    }
  }

  /// Stable digest of the definition: part of every stage fingerprint.
  public var digest: String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return Digest.sha256Hex((try? enc.encode(self)) ?? Data())
  }
}
