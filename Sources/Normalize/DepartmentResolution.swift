import AlmanacCore

/// Which kind of registered name a claimed department name matched.
public enum ResolutionPath: String, Codable, Hashable, Sendable, Comparable {
  /// The canonical name in `departments.csv`.
  case canonical
  /// An operator-confirmed mapping (`kind=confirmed` in `department_aliases.csv`).
  case confirmed
  /// A short name (`环保局`).
  case short
  /// A name valid only before a 机构改革 rename.
  case historic

  private var rank: Int {
    switch self {
    case .canonical: 0
    case .confirmed: 1
    case .short: 2
    case .historic: 3
    }
  }

  public static func < (a: ResolutionPath, b: ResolutionPath) -> Bool { a.rank < b.rank }

  /// How staff read it (zh-CN).
  public var label: String {
    switch self {
    case .canonical: "规范名称"
    case .confirmed: "已确认的名称"
    case .short: "简称"
    case .historic: "历史名称"
    }
  }
}

/// The outcome of resolving a department name written in a sheet.
public enum DepartmentResolution: Hashable, Sendable {
  case resolved(DepartmentRef, via: ResolutionPath)
  /// Several registered departments carry this name on the date.
  case ambiguous([DepartmentRef])
  /// No registered name matches. (`DepartmentRegistry.closest` suggests the nearest: it
  /// compares the name with every registered spelling, so only callers that show the
  /// suggestions pay for them.)
  case unknown

  public var ref: DepartmentRef? {
    if case .resolved(let r, _) = self { return r }
    return nil
  }
}

/// One row of `seeds/departments.csv`.
public struct DepartmentRecord: Codable, Hashable, Sendable {
  public var id: String
  public var name: String
  /// 政府, 部门, 乡镇 or 街道.
  public var level: String
  public var parent: String?
  /// `YYYY-MM-DD`, nil when open.
  public var validFrom: String?
  public var validTo: String?

  public init(
    id: String, name: String, level: String, parent: String? = nil, validFrom: String? = nil, validTo: String? = nil
  ) {
    self.id = id
    self.name = name
    self.level = level
    self.parent = parent
    self.validFrom = validFrom
    self.validTo = validTo
  }

  public var ref: DepartmentRef { DepartmentRef(id: id, name: name) }

  /// True when the department existed on `date` (`YYYY-MM-DD`); always true without a date.
  public func isValid(on date: String?) -> Bool {
    Validity.contains(from: validFrom, to: validTo, date: date)
  }
}

/// Inclusive `YYYY-MM-DD` validity ranges; ISO dates compare correctly as text.
enum Validity {
  static func contains(from: String?, to: String?, date: String?) -> Bool {
    guard let date else { return true }
    if let from, date < from { return false }
    if let to, date > to { return false }
    return true
  }

  /// True when two inclusive ranges share at least one day (open ends are unbounded).
  static func overlaps(_ a: (from: String?, to: String?), _ b: (from: String?, to: String?)) -> Bool {
    if let af = a.from, let bt = b.to, af > bt { return false }
    if let bf = b.from, let at = a.to, bf > at { return false }
    return true
  }
}
