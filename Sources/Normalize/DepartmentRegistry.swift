import AlmanacCore
import Foundation

/// The registered departments of the region (`seeds/departments.csv` and
/// `seeds/department_aliases.csv`), and how a name written in a sheet resolves to one of them.
///
/// Names are compared after folding (`LabelFold.basic`), with the region prefix removed
/// (`凌海市财政局`, `辽宁省锦州市凌海市财政局` and `财政局` are one key; `锦州市生态环境局凌海分局`
/// becomes `生态环境局`). Aliases and departments count only on dates inside their validity.
public struct DepartmentRegistry: Sendable {
  /// One registered spelling of a department.
  struct NameEntry: Hashable, Sendable {
    var key: String
    var written: String
    var department: String
    /// `department`'s record: its place in `departments` (the one `place` names).
    var record: Int
    var via: ResolutionPath
    var validFrom: String?
    var validTo: String?
  }

  /// Every registered department, sorted by id.
  public let departments: [DepartmentRecord]
  /// Each id's record, by its place in `departments` (the last of records sharing an id).
  private let place: [String: Int]
  private let entries: [String: [NameEntry]]
  private let allEntries: [NameEntry]
  /// `allEntries`' keys prepared for `closest`, built on first use (most runs never ask).
  private let similarity: LazySimilarity
  /// The region's name without its administrative suffix (`凌海`), used to strip prefixes.
  private let regionStem: String?
  private let regionSuffix: String

  /// Builds the registry from the seed tables. `region` is the compiling government's name
  /// (`凌海市`); when nil it is taken from the 政府-level department (`凌海市人民政府`).
  public init(seeds: Seeds, region: String? = nil) {
    var records: [DepartmentRecord] = []
    var seen = Set<String>()
    if let t = seeds["departments"] {
      let (idOf, nameOf, levelOf, parentOf) = (t.field("id"), t.field("name"), t.field("level"), t.field("parent"))
      let (fromOf, toOf) = (t.field("valid_from"), t.field("valid_to"))
      for r in 0..<t.rowCount {
        guard let id = Self.cell(idOf(r)), let name = Self.cell(nameOf(r)), seen.insert(id).inserted else { continue }
        records.append(
          DepartmentRecord(
            id: id, name: name, level: Self.cell(levelOf(r)) ?? "", parent: Self.cell(parentOf(r)),
            validFrom: SeedDate.cell(fromOf(r)), validTo: SeedDate.cell(toOf(r))))
      }
    }
    self.init(records: records, aliases: Self.aliasRows(seeds), region: region)
  }

  /// Plain-value initializer: departments and `(alias, department id, kind, from, to)` rows.
  public init(
    records: [DepartmentRecord],
    aliases: [(alias: String, department: String, kind: String, validFrom: String?, validTo: String?)],
    region: String? = nil
  ) {
    departments = records.sorted { $0.id < $1.id }
    var place: [String: Int] = [:]
    for (i, d) in departments.enumerated() { place[d.id] = i }
    self.place = place
    let regionName = region ?? records.first { $0.level == "政府" }.map { Self.dropSuffix($0.name, "人民政府") }
    (regionStem, regionSuffix) = Self.stem(of: regionName)

    var list: [NameEntry] = []
    for d in departments {
      list.append(NameEntry(key: "", written: d.name, department: d.id, record: place[d.id] ?? 0, via: .canonical))
    }
    for a in aliases {
      guard let record = place[a.department] else { continue }
      let via: ResolutionPath =
        switch a.kind {
        case "historic": .historic
        case "confirmed": .confirmed
        default: .short
        }
      list.append(
        NameEntry(
          key: "", written: a.alias, department: a.department, record: record, via: via, validFrom: a.validFrom,
          validTo: a.validTo))
    }
    var index: [String: [NameEntry]] = [:]
    let stem = regionStem
    let suffix = regionSuffix
    for i in list.indices {
      list[i].key = Self.core(list[i].written, stem: stem, suffix: suffix)
      index[list[i].key, default: []].append(list[i])
    }
    entries = index
    allEntries = list
    similarity = LazySimilarity(list.map(\.key))
  }

  public func department(_ id: String) -> DepartmentRecord? { place[id].map { departments[$0] } }

  /// Resolves a claimed name on `date` (`YYYY-MM-DD`, normally the last day of the report
  /// year); without a date validity is ignored.
  public func resolve(_ name: String, on date: String?) -> DepartmentResolution {
    resolve(name, on: date, where: { _ in true })
  }

  /// Resolves a name among the departments whose `parent` is `parent` only (a county's units,
  /// where `市环保局` names that county's bureau and no other).
  public func resolve(_ name: String, on date: String?, within parent: String) -> DepartmentResolution {
    resolve(name, on: date, where: { $0.parent == parent })
  }

  private func resolve(_ name: String, on date: String?, where admits: (DepartmentRecord) -> Bool)
    -> DepartmentResolution
  {
    for key in candidateKeys(name) {
      let hits = (entries[key] ?? []).filter {
        // The record by its place: looking it up by id, once per entry of a short name that
        // every county has, was most of the time spent resolving a register's units.
        let d = departments[$0.record]
        guard admits(d) else { return false }
        return Validity.contains(from: $0.validFrom, to: $0.validTo, date: date) && d.isValid(on: date)
      }
      let ids = Set(hits.map(\.department))
      if ids.count == 1, let id = ids.first, let d = department(id), let via = hits.map(\.via).min() {
        return .resolved(d.ref, via: via)
      }
      if ids.count > 1 {
        return .ambiguous(ids.sorted().compactMap { department($0)?.ref })
      }
    }
    return .unknown
  }

  /// The `limit` registered departments whose names (canonical, short or historic, any date)
  /// are most similar to `name`, best first.
  public func closest(_ name: String, limit: Int) -> [DepartmentRef] {
    let scores = similarity.prepared.scores(key(name))
    var best: [String: Double] = [:]
    for (e, s) in zip(allEntries, scores) where s > best[e.department] ?? 0 {
      best[e.department] = s
    }
    return best.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
      .prefix(max(0, limit))
      .compactMap { department($0.key)?.ref }
  }

  /// Departments that must submit for `year`: those existing on its last day, of the given
  /// levels (all levels when nil), sorted by id.
  public func expected(levels: [String]?, year: Int) -> [DepartmentRef] {
    let date = Self.yearEnd(year)
    return departments.filter { d in
      d.isValid(on: date) && (levels.map { $0.contains(d.level) } ?? true)
    }.map(\.ref)
  }

  /// Registered names that match `name` but only outside `date`: for messages such as
  /// "历史名称，有效期至 2019-03-28".
  public func expiredNames(_ name: String, on date: String?) -> [(
    written: String, department: DepartmentRef, validFrom: String?, validTo: String?
  )] {
    guard date != nil else { return [] }
    var out: [(String, DepartmentRef, String?, String?)] = []
    for key in candidateKeys(name) {
      for e in entries[key] ?? []
      where !Validity.contains(from: e.validFrom, to: e.validTo, date: date)
        || !departments[e.record].isValid(on: date)
      {
        let d = departments[e.record]
        out.append((e.written, d.ref, e.validFrom ?? d.validFrom, e.validTo ?? d.validTo))
      }
      if !out.isEmpty { break }
    }
    return out
  }

  /// `YYYY-12-31`: the date names are resolved on for a report year.
  public static func yearEnd(_ year: Int) -> String { "\(year)-12-31" }

  /// The comparison key of a name: folded, labels and region prefix removed.
  public func key(_ name: String) -> String { Self.core(name, stem: regionStem, suffix: regionSuffix) }

  /// Keys tried in order: the name itself, then without a leading `市` (`市财政局`), then without
  /// a trailing `人民政府` / `办事处` (`石山镇人民政府`, `金城街道办事处`).
  func candidateKeys(_ name: String) -> [String] {
    let k = key(name)
    var keys = [k]
    func add(_ s: String) { if !s.isEmpty, !keys.contains(s) { keys.append(s) } }
    if k.hasPrefix("市"), k.count > 2 { add(String(k.dropFirst())) }
    for tail in ["人民政府", "办事处"] {
      for base in keys where base.hasSuffix(tail) && base.count > tail.count + 1 {
        add(String(base.dropLast(tail.count)))
      }
    }
    return keys
  }

  // MARK: - Folding

  static func core(_ name: String, stem: String?, suffix: String) -> String {
    var s = LabelFold.basic(name)
    // Each step first asks the bytes whether it can apply (a register's unit column brings
    // every spelling of every county's units through here while ingest reads).
    if s.utf8.contains(UInt8(ascii: ":")) {
      for label in ["填报单位(盖章):", "填报单位(章):", "填报单位:", "单位名称:", "报送单位:", "单位:"] where s.hasPrefix(label) {
        s = String(s.dropFirst(label.count))
        break
      }
    }
    // `(本级)`: the unit itself as opposed to its subordinate bodies, as registers write it.
    for tail in ["(盖章)", "(章)", "(本级)"] where s.utf8.last == UInt8(ascii: ")") && s.hasSuffix(tail) {
      s = String(s.dropLast(tail.count))
    }
    s = dropReportTail(s)
    s = dropFileNumbering(s)
    guard let stem, !stem.isEmpty else { return s }
    return stripRegion(s, stem: stem, suffix: suffix)
  }

  /// `凌海市财政局2025年度政府信息公开…` → `凌海市财政局`: a title pasted as the name.
  static func dropReportTail(_ s: String) -> String {
    guard s.utf8Range(of: "年") != nil else { return s }
    let chars = Array(s)
    guard chars.count > 5 else { return s }
    for i in 1..<(chars.count - 4)
    where chars[i..<(i + 4)].allSatisfy({ $0.isASCII && $0.isNumber }) && chars[i + 4] == "年" {
      if chars[i - 1].isASCII && chars[i - 1].isNumber { continue }
      let head = String(chars[..<i]).trimmingSeparators()
      return head.isEmpty ? s : head
    }
    return s
  }

  /// `03_凌海市财政局` → `凌海市财政局`: a file name's sort prefix.
  static func dropFileNumbering(_ s: String) -> String {
    guard let first = s.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return s }
    let rest = s.drop(while: { $0.isASCII && $0.isNumber })
    guard rest.count < s.count, let first = rest.first, "_-. ".contains(first) else { return s }
    let t = String(rest.dropFirst())
    return t.isEmpty ? s : t
  }

  static func stripRegion(_ s: String, stem: String, suffix: String) -> String {
    // The first occurrence by UTF-8 bytes (both are NFKC-folded): Foundation's `range(of:)`
    // went through NSString for every name.
    guard let r = s.utf8Range(of: stem) else { return s }
    let before = String(s[..<r.lowerBound])
    var after = Substring(s[r.upperBound...])
    if before.isEmpty || isEnclosing(before) {
      if !suffix.isEmpty, after.hasPrefix(suffix) { after = after.dropFirst(suffix.count) }
      return after.isEmpty ? s : String(after)
    }
    // 锦州市生态环境局凌海分局: a city bureau's branch in the region.
    if after == "分局" {
      var body = Substring(before)
      if let cut = enclosingPrefixLength(before) { body = body.dropFirst(cut) }
      if body.isEmpty { return s }
      return body.hasSuffix("局") ? String(body) : String(body) + "局"
    }
    return s
  }

  /// True for `辽宁省`, `锦州市`, `辽宁省锦州市`: enclosing regions written before the region.
  static func isEnclosing(_ s: String) -> Bool {
    enclosingPrefixLength(s) == s.count
  }

  /// Length of a leading `…省` and/or `…市` run (each 2–5 characters), if any.
  static func enclosingPrefixLength(_ s: String) -> Int? {
    let chars = Array(s)
    var i = 0
    for mark: Character in ["省", "市"] {
      if let j = chars[i...].prefix(5).firstIndex(of: mark), j - i >= 1 {
        i = j + 1
      }
    }
    return i > 0 ? i : nil
  }

  static func stem(of region: String?) -> (String?, String) {
    guard let region = region.map(LabelFold.basic), !region.isEmpty else { return (nil, "") }
    for suffix in ["市", "县", "区", "旗"] where region.hasSuffix(suffix) && region.count > 2 {
      return (String(region.dropLast()), suffix)
    }
    return (region, "")
  }

  static func dropSuffix(_ s: String, _ suffix: String) -> String {
    s.hasSuffix(suffix) && s.count > suffix.count ? String(s.dropLast(suffix.count)) : s
  }

  static func cell(_ s: String?) -> String? {
    guard let t = s?.trimmingWhitespace, !t.isEmpty else { return nil }
    return t
  }

  static func aliasRows(_ seeds: Seeds) -> [(
    alias: String, department: String, kind: String, validFrom: String?, validTo: String?
  )] {
    guard let t = seeds["department_aliases"] else { return [] }
    let (aliasOf, idOf, kindOf) = (t.field("alias"), t.field("department_id"), t.field("kind"))
    let (fromOf, toOf) = (t.field("valid_from"), t.field("valid_to"))
    return (0..<t.rowCount).compactMap { r in
      guard let alias = cell(aliasOf(r)), let id = cell(idOf(r)) else { return nil }
      return (alias, id, cell(kindOf(r)) ?? "short", SeedDate.cell(fromOf(r)), SeedDate.cell(toOf(r)))
    }
  }
}

extension String {
  fileprivate func trimmingSeparators() -> String {
    var s = Substring(self)
    while let last = s.last, "_-. :".contains(last) { s = s.dropLast() }
    return String(s)
  }
}

/// A `TextSimilarity.Prepared` made when first asked for, once, by whichever thread asks.
private final class LazySimilarity: @unchecked Sendable {
  private let keys: [String]
  private let lock = NSLock()
  private var made: TextSimilarity.Prepared?

  init(_ keys: [String]) { self.keys = keys }

  var prepared: TextSimilarity.Prepared {
    lock.lock()
    defer { lock.unlock() }
    if let made { return made }
    let p = TextSimilarity.Prepared(keys)
    made = p
    return p
  }
}
