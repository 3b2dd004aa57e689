import AlmanacCore
import Foundation
import Ingest

/// Compiler-style lines for findings: `inbox/a.csv:42:3: error: message [CODE]`.
public enum Diagnostic {
  /// The finding's first source, prefixed with the inbox folder as the operator wrote it; a
  /// seed row with the seeds folder instead. A seed row is a source `SourceRef.seedFile`
  /// without a digest in a finding after ingest: from normalize on, every inbox file a finding
  /// names was read, hence has its digest (an inbox subfolder `seeds/` stays an inbox path).
  public static func line(_ finding: Finding, inbox: String, seeds: String = "seeds") -> String {
    let accepted = finding.acceptance.map { " " + printable($0.text) } ?? ""
    return
      "\(printable(place(finding, inbox: inbox, seeds: seeds))): \(finding.severity.rawValue): \(printable(finding.message)) [\(finding.code)]\(accepted)"
  }

  /// Where `line` shows a finding: its first source's `file:line:column` under the folder the
  /// operator named, else its department, else 全区.
  static func place(_ finding: Finding, inbox: String, seeds: String) -> String {
    func folder(_ path: String) -> String {
      path.isEmpty || path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
    }
    guard let s = finding.sources.first else { return finding.department ?? "全区" }
    if finding.stage != IngestStage.name, s.sha256.isEmpty, s.file.hasPrefix(SourceRef.seedFolder) {
      return folder(seeds) + s.location.dropFirst(SourceRef.seedFolder.count)
    }
    return folder(inbox) + s.location
  }

  /// What the console shows of a run's findings: each one, except that a kind of finding
  /// repeated many times in one file (a sheet sent back blank gives a REC-C10 per cell, 170 of
  /// them) shows its first `keep` and then one line counting the rest, and a kind of finding
  /// about many departments without a file (early in the season most departments have sent
  /// nothing: a REC-SUB-001 each, thousands in a province) shows its first `keep` and then one
  /// line naming the others. The reconciliation log keeps every finding; the console and a
  /// cron mail should show what to look at.
  public enum Entry: Equatable, Sendable {
    case finding(Finding)
    /// `count` more findings like `like` (same file, code and severity) not shown one by one.
    case more(like: Finding, count: Int)
    /// Findings like `like` (same code and severity, no file) about these other departments.
    case moreDepartments(like: Finding, departments: [String])
    /// `count` more findings like `like` (same code and severity) in `places` more files, or
    /// about more departments of one file (a province's declared seed).
    case moreFiles(like: Finding, count: Int, places: Int)
  }

  /// Condenses groups of more than `threshold` findings with the same file, code, severity
  /// and department, or with no file and the same code and severity, to their first `keep`
  /// and an `Entry.more` or `Entry.moreDepartments` right after them; order is kept. The
  /// region's findings (shown at a department's sheet, they are not that file's) are never
  /// grouped.
  ///
  /// Then a kind of finding in more than `fileThreshold` places — files, or departments of one
  /// file — (one wrong value in every county's register of a province: 2,000 lines of the same
  /// NRM-012, and as many REC-REG-001 at the declared seed's departments) keeps the lines of
  /// its first `keep` places and one `Entry.moreFiles` line; more than a county's units, so
  /// that a county's console lists every unit's findings as before.
  public static func condensed(_ findings: [Finding], keep: Int = 3, threshold: Int = 5, fileThreshold: Int = 50)
    -> [Entry]
  {
    acrossFiles(withinFiles(findings, keep: keep, threshold: threshold), keep: keep, threshold: fileThreshold)
  }

  private static func withinFiles(_ findings: [Finding], keep: Int, threshold: Int) -> [Entry] {
    struct Group: Hashable {
      /// Empty for a group of departments' findings without a file.
      var file: String
      var code: String
      var severity: Severity
      var open: Bool
      var department: String?
    }
    func group(_ f: Finding) -> Group? {
      if isShownElsewhere(f) { return nil }
      guard let source = f.sources.first else {
        return f.department == nil ? nil : Group(file: "", code: f.code, severity: f.severity, open: f.isOpen)
      }
      return Group(file: source.file, code: f.code, severity: f.severity, open: f.isOpen, department: f.department)
    }
    var members: [Group: [Finding]] = [:]
    for f in findings { if let g = group(f) { members[g, default: []].append(f) } }
    var shown: [Group: Int] = [:]
    var out: [Entry] = []
    for f in findings {
      guard let g = group(f), let all = members[g], all.count > threshold else {
        out.append(.finding(f))
        continue
      }
      let n = shown[g, default: 0] + 1
      shown[g] = n
      if n <= keep { out.append(.finding(f)) }
      if n == keep {
        out.append(
          g.file.isEmpty
            ? .moreDepartments(like: f, departments: all.dropFirst(keep).compactMap(\.department))
            : .more(like: f, count: all.count - keep))
      }
    }
    return out
  }

  /// A region finding shown at a department's sheet is not that file's, so it is never
  /// folded into the file's; the draft's findings about a text file (DRF-004 for each
  /// sentence of a 六.md that contradicts the tables) are that file's.
  private static func isShownElsewhere(_ f: Finding) -> Bool { f.isRegions && f.stage != "draft" }

  /// Entries of one kind (code, severity, open) in more than `threshold` files: those of the
  /// first `keep` files, then one `moreFiles` counting the rest. Region findings and findings
  /// without a file stay as they are.
  private static func acrossFiles(_ entries: [Entry], keep: Int, threshold: Int) -> [Entry] {
    struct Kind: Hashable {
      var code: String
      var severity: Severity
      var open: Bool
    }
    func place(_ e: Entry) -> (kind: Kind, file: String, findings: Int, like: Finding)? {
      switch e {
      case .finding(let f):
        guard !isShownElsewhere(f), let file = f.sources.first?.file else { return nil }
        return (Kind(code: f.code, severity: f.severity, open: f.isOpen), file + "\u{0}" + (f.department ?? ""), 1, f)
      case .more(let f, let count):
        guard let file = f.sources.first?.file else { return nil }
        return (
          Kind(code: f.code, severity: f.severity, open: f.isOpen), file + "\u{0}" + (f.department ?? ""), count, f
        )
      case .moreDepartments, .moreFiles: return nil
      }
    }
    var files: [Kind: Set<String>] = [:]
    for e in entries { if let p = place(e) { files[p.kind, default: []].insert(p.file) } }
    guard files.values.contains(where: { $0.count > threshold }) else { return entries }
    var kept: [Kind: [String]] = [:]
    var rest: [Kind: (like: Finding, count: Int, files: Set<String>)] = [:]
    var order: [Kind] = []
    var out: [Entry] = []
    for e in entries {
      guard let p = place(e), let all = files[p.kind], all.count > threshold else {
        out.append(e)
        continue
      }
      var shown = kept[p.kind, default: []]
      if shown.contains(p.file) || shown.count < keep {
        if !shown.contains(p.file) { shown.append(p.file) }
        kept[p.kind] = shown
        out.append(e)
        continue
      }
      if rest[p.kind] == nil { order.append(p.kind) }
      var r = rest[p.kind] ?? (p.like, 0, [])
      r.count += p.findings
      r.files.insert(p.file)
      rest[p.kind] = r
    }
    for kind in order {
      guard let r = rest[kind] else { continue }
      out.append(.moreFiles(like: r.like, count: r.count, places: r.files.count))
    }
    return out
  }

  /// `almanac: error: 另有 2001 条同类核对结果（涉及 1997 个文件或单位）未逐条列出（…） [NRM-012]`
  public static func moreFilesLine(like f: Finding, count: Int, places: Int, log: String) -> String {
    "almanac: \(f.severity.rawValue): 另有 \(count) 条同类核对结果（涉及 \(places) 个文件或单位）未逐条列出"
      + "（完整列表见 \(printable(log))，或加 --verbose 显示） [\(f.code)]"
  }

  /// `inbox/a.csv: warning: 该文件另有 163 条同类核对结果未逐条列出（完整列表见 …） [REC-C10]`
  public static func moreLine(like f: Finding, count: Int, inbox: String, seeds: String, log: String) -> String {
    // The file alone: `location` without a line is the file's name.
    var whole = f
    whole.sources = f.sources.prefix(1).map { SourceRef(file: $0.file, sha256: $0.sha256) }
    let place = printable(place(whole, inbox: inbox, seeds: seeds))
    return
      "\(place): \(f.severity.rawValue): 该文件另有 \(count) 条同类核对结果未逐条列出（完整列表见 \(printable(log))，或加 --verbose 显示） [\(f.code)]"
  }

  /// How many departments `moreDepartmentsLine` names before “等”.
  public static let departmentsNamed = 20

  /// `全区: warning: 另有 32 个单位有同类核对结果：板石沟乡（bsg）、白台子镇（btz）…（完整列表见 …） [REC-SUB-001]`;
  /// `names` gives a department's name by id (the registry's), shown before its id.
  public static func moreDepartmentsLine(
    like f: Finding, departments: [String], names: [String: String], log: String
  ) -> String {
    let named = departments.prefix(departmentsNamed).map { DepartmentRef(id: $0, name: names[$0] ?? "").displayName }
    let etc = departments.count > departmentsNamed ? " 等" : ""
    return
      "全区: \(f.severity.rawValue): 另有 \(departments.count) 个单位有同类核对结果：\(printable(named.joined(separator: "、")))\(etc)"
      + "（完整列表见 \(printable(log))，或加 --verbose 显示） [\(f.code)]"
  }

  /// `text` with control characters shown as escapes (`PrintableText.escapingControls`).
  public static func printable(_ text: String) -> String {
    PrintableText.escapingControls(text)
  }
}
