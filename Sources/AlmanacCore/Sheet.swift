import Foundation

/// A cell's value as typed by ingest, keeping "nothing" distinguishable from 0 (forms.md §1).
public enum CellValue: Hashable, Sendable {
  /// A count or whole amount.
  case integer(Int64)
  /// An amount with a fraction (万元 money). Never Double.
  case decimal(Decimal)
  /// "", "/", "-", "—", "无" …: the department wrote nothing; `token` is what it wrote.
  case blank(token: String)
  /// Text where a figure was expected, or label text.
  case text(String)

  /// The exact numeric value, if any.
  public var number: Decimal? {
    switch self {
    case .integer(let i): Decimal(i)
    case .decimal(let d): d
    default: nil
    }
  }

  public var isNumber: Bool { number != nil }

  /// What the figure adds to a sum of cells of `type`: a count that is a whole number ≥ 0, an
  /// amount ≥ 0. A negative figure, a fraction of a count (or one past Int64), is an S-5 error
  /// and adds nothing, as text adds nothing: `0.5` in a count put 办结80.5件 in the report.
  public func summand(_ type: ValueType) -> Decimal? {
    switch self {
    case .integer(let i): return i >= 0 ? Decimal(i) : nil
    case .decimal(let d):
      guard d >= 0 else { return nil }
      return type == .amount || DecimalFormat.int64(d) != nil ? d : nil
    default: return nil
    }
  }
}

extension CellValue: Codable {
  // Encoded as {"i": "12"} / {"d": "3.50"} / {"b": "/"} / {"t": "abc"}: decimals as strings so
  // no JSON library ever rounds them through a Double.
  private enum Key: String, CodingKey { case i, d, b, t }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    if let s = try c.decodeIfPresent(String.self, forKey: .i), let v = Int64(s) {
      self = .integer(v)
    } else if let s = try c.decodeIfPresent(String.self, forKey: .d),
      let v = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    {
      self = .decimal(v)
    } else if let s = try c.decodeIfPresent(String.self, forKey: .b) {
      self = .blank(token: s)
    } else if let s = try c.decodeIfPresent(String.self, forKey: .t) {
      self = .text(s)
    } else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a CellValue"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    switch self {
    case .integer(let v): try c.encode(String(v), forKey: .i)
    case .decimal(let v): try c.encode(DecimalFormat.plain(v), forKey: .d)
    case .blank(let t): try c.encode(t, forKey: .b)
    case .text(let t): try c.encode(t, forKey: .t)
    }
  }
}

/// One data cell of a sheet, addressed by labels, never by position.
public struct SheetCell: Codable, Hashable, Sendable {
  /// Column header path, top to bottom, as written (merged headers forward-filled).
  public var columnPath: [String]
  public var value: CellValue
  /// Unit glued to the number (`条`, `件`, `万元`), if any.
  public var unit: String?
  /// The text as it stood in the file.
  public var raw: String
  public var line: Int
  public var column: Int

  public init(columnPath: [String], value: CellValue, unit: String? = nil, raw: String, line: Int, column: Int) {
    self.columnPath = columnPath
    self.value = value
    self.unit = unit
    self.raw = raw
    self.line = line
    self.column = column
  }
}

/// One data row of a table: its label path (merged row labels forward-filled) and its cells.
public struct SheetRow: Codable, Hashable, Sendable {
  public var labelPath: [String]
  public var line: Int
  public var cells: [SheetCell]
  /// The 1-based column of the last label this record wrote itself (a finding about the row
  /// label is shown there); nil when every label came from the rows above (merged cells).
  public var labelColumn: Int?

  public init(labelPath: [String], line: Int, cells: [SheetCell], labelColumn: Int? = nil) {
    self.labelPath = labelPath
    self.line = line
    self.cells = cells
    self.labelColumn = labelColumn
  }
}

/// One table found in a sheet (several may be stacked in one file).
public struct SheetTable: Codable, Hashable, Sendable {
  /// The pipeline form this table was recognized as (`t2`, `t3`, `t4`, …), nil if unknown.
  public var form: String?
  /// A caption row just above the header, if any (e.g. `三、收到和处理政府信息公开申请情况`).
  public var caption: String?
  /// Physical lines of the header rows.
  public var headerLines: [Int]
  public var rows: [SheetRow]

  public init(form: String?, caption: String? = nil, headerLines: [Int], rows: [SheetRow]) {
    self.form = form
    self.caption = caption
    self.headerLines = headerLines
    self.rows = rows
  }
}

/// A register (one row per application) aggregated while streaming: identical raw value tuples
/// are counted once, so 10M rows become a few thousand groups (architecture.md "State and speed").
public struct RegisterGroup: Codable, Hashable, Sendable {
  /// Raw values of the register's grouping columns, in the form's `groupBy` order.
  public var values: [String]
  public var count: Int64
  /// Up to a few physical lines of rows in this group, for lineage (`explain` shows them as
  /// examples; the group's count says how many rows there are).
  public var sampleLines: [Int]
  /// When the register was resolved while reading (`RegisterCount.resolveWhileReading`): per
  /// value, the canonical key it resolved to (department id, row or column key), nil where it
  /// did not resolve. Rows are then grouped by these keys, and `values` holds the first
  /// spelling seen of each (the raw spelling where the key is nil).
  public var keys: [String?]?

  public init(values: [String], count: Int64, sampleLines: [Int], keys: [String?]? = nil) {
    self.values = values
    self.count = count
    self.sampleLines = sampleLines
    self.keys = keys
  }

  /// The resolved key of value `i`, if the register was resolved while reading and it resolved.
  public func key(_ i: Int) -> String? {
    guard let keys, i < keys.count else { return nil }
    return keys[i]
  }
}

public struct SheetRegister: Codable, Hashable, Sendable {
  public var form: String
  public var headerLine: Int
  /// The grouping columns' canonical keys, in order (matches `RegisterGroup.values`).
  public var groupBy: [String]
  /// Field number (1-based) of each grouping column in this file.
  public var columns: [Int]
  public var groups: RegisterGroups
  public var dataRows: Int64
  /// Per grouping column that resolves while reading, the values that resolved to nothing
  /// beyond those kept as groups (`RegisterUnlisted`); nil when there are none.
  public var unlisted: [RegisterUnlisted]?
  /// Rows with a 序号 and nothing else, not counted; nil when there are none.
  public var numberedBlank: RegisterNumberedBlank?
  /// Rows by the year of their 收到日期 (`RegisterCount.receivedField`) and carry-over mark,
  /// sorted; nil when the form has no such field or no row a date.
  public var received: [RegisterReceivedTally]?
  /// Rows whose application number (`RegisterCount.uniqueField`) an earlier row of this
  /// register already had; nil when the form has no such field or no number repeats.
  public var repeatedNumbers: RegisterRepeatedNumbers?

  public init(
    form: String, headerLine: Int, groupBy: [String], columns: [Int], groups: RegisterGroups, dataRows: Int64,
    unlisted: [RegisterUnlisted]? = nil, numberedBlank: RegisterNumberedBlank? = nil,
    received: [RegisterReceivedTally]? = nil, repeatedNumbers: RegisterRepeatedNumbers? = nil
  ) {
    self.form = form
    self.headerLine = headerLine
    self.groupBy = groupBy
    self.columns = columns
    self.groups = groups
    self.dataRows = dataRows
    self.unlisted = unlisted
    self.numberedBlank = numberedBlank
    self.received = received
    self.repeatedNumbers = repeatedNumbers
  }
}

/// A register's application rows whose 申请编号 an earlier row of the same register already
/// had: an application entered twice is counted twice in the table the register fills, and a
/// copied block of rows is the commonest way a register's counts come out too high.
public struct RegisterRepeatedNumbers: Codable, Hashable, Sendable {
  /// Field number (1-based) of the number's column in this file.
  public var column: Int
  /// Distinct numbers written on more than one row.
  public var numbers: Int
  /// Rows after the first of each such number.
  public var rows: Int64
  /// The first repeats in file order, at most `exampleLimit`.
  public var examples: [Example]

  public struct Example: Codable, Hashable, Sendable {
    /// The number as written (trimmed).
    public var number: String
    /// The line of the number's first row, and of this repeat.
    public var firstLine: Int
    public var line: Int

    public init(number: String, firstLine: Int, line: Int) {
      self.number = number
      self.firstLine = firstLine
      self.line = line
    }
  }

  public static let exampleLimit = 5

  public init(column: Int, numbers: Int = 0, rows: Int64 = 0, examples: [Example] = []) {
    self.column = column
    self.numbers = numbers
    self.rows = rows
    self.examples = examples
  }
}

/// Rows of a register received in one year (nil: a date that is no day) with one carry-over
/// mark as written: what normalize needs to tell rows of another year from this year's.
public struct RegisterReceivedTally: Codable, Hashable, Sendable {
  public var year: Int?
  /// The 是否上年结转 value as written (trimmed; empty when the form has no such field).
  public var carried: String
  public var rows: Int64
  /// The first lines, at most `RegisterUnlisted.sampleLimit`.
  public var sampleLines: [Int]
  /// For unreadable dates, the first as written.
  public var example: String?

  public init(year: Int?, carried: String, rows: Int64, sampleLines: [Int], example: String? = nil) {
    self.year = year
    self.carried = carried
    self.rows = rows
    self.sampleLines = sampleLines
    self.example = example
  }
}

/// A register's rows that hold a 序号 and nothing else (a template numbered in advance, sent
/// back with fewer applications than numbers): no application, counted nowhere, reported.
public struct RegisterNumberedBlank: Codable, Hashable, Sendable {
  public var rows: Int64
  /// The first lines, at most `RegisterUnlisted.sampleLimit`.
  public var sampleLines: [Int]

  public init(rows: Int64, sampleLines: [Int]) {
    self.rows = rows
    self.sampleLines = sampleLines
  }
}

/// Data rows of a register whose value in one grouping column resolved to no key after that
/// column already had its share of such values kept as groups: they are counted in no cell
/// either way, and only reported, so they are kept as a tally rather than as groups (a
/// column filled with something else has a different value on every row).
public struct RegisterUnlisted: Codable, Hashable, Sendable {
  /// Index into `SheetRegister.groupBy`.
  public var column: Int
  /// Distinct values (as trimmed text) tallied here.
  public var values: Int
  public var rows: Int64
  /// The first lines, at most `RegisterUnlisted.sampleLimit`.
  public var sampleLines: [Int]
  /// The first values, at most `RegisterUnlisted.exampleLimit`.
  public var examples: [String]

  public static let sampleLimit = 10
  public static let exampleLimit = 5

  public init(column: Int, values: Int = 0, rows: Int64 = 0, sampleLines: [Int] = [], examples: [String] = []) {
    self.column = column
    self.values = values
    self.rows = rows
    self.sampleLines = sampleLines
    self.examples = examples
  }
}

/// What a sheet says about who sent it and for which year; resolved by normalize.
public struct SheetClaims: Codable, Hashable, Sendable {
  public var titleDepartment: String?
  public var metadataDepartment: String?
  public var fileNameDepartment: String?
  /// Department names read from the folders the file sits in under the inbox
  /// (`人社局/表三.csv`), nearest first, batch folders (`第一批`) left out; nil at the top of
  /// the inbox. Weaker than anything the file says: normalize uses the nearest, when it names
  /// a registered unit, only to name the sender of a file that does not, or to warn of a file
  /// in another unit's folder.
  public var folderDepartments: [String]?
  public var titleYear: Int?
  public var fileNameYear: Int?
  public var title: String?
  public var titleLine: Int?
  public var metadataLine: Int?
  /// 填报日期 as written.
  public var filledOn: String?

  public init() {}
}

/// Everything ingest understood of one inbox file.
public struct Sheet: Codable, Hashable, Sendable {
  public var source: SourceFile
  public var claims: SheetClaims
  public var tables: [SheetTable]
  public var registers: [SheetRegister]
  /// Count of records libcsv produced (blank lines included), for row accounting.
  public var recordCount: Int
  /// Findings raised while reading this file (ING-xxx).
  public var findings: [Finding]

  public init(
    source: SourceFile, claims: SheetClaims = SheetClaims(), tables: [SheetTable] = [],
    registers: [SheetRegister] = [], recordCount: Int = 0, findings: [Finding] = []
  ) {
    self.source = source
    self.claims = claims
    self.tables = tables
    self.registers = registers
    self.recordCount = recordCount
    self.findings = findings
  }
}
