import AlmanacCore

/// Counts a register (one row per application) while it streams past.
///
/// Rows whose `dataRowField` is all digits are data rows; each is reduced to its `groupBy`
/// values (trimmed) and counted, so no record is kept. Each grouping column maps its distinct
/// values to small class numbers — by raw bytes on the hot path (`addBytes`), so a spelling is
/// decoded once per file, not once per row. A class is one trimmed value; for a form that
/// resolves while reading (`RegisterCount.resolveWhileReading`), it is one canonical key of the
/// `RegisterKeyResolver`, so ten million rows with thousands of spellings become a few hundred
/// groups.
struct RegisterAggregator: Sendable {
  let form: FormDefinition
  let headerLine: Int
  let groupBy: [String]
  /// 0-based field index of each grouping column; nil when the file lacks it.
  let groupColumns: [Int?]
  /// 0-based field index of the data-row marker column (序号).
  let markerColumn: Int?
  let markerLabel: String
  /// Required fields the header lacks (their labels as the form writes them).
  let missingRequired: [String]
  /// The file being read (the resolver's scope may depend on its name).
  let path: String
  /// Per grouping column: value → key while reading, nil for a column grouped by its values.
  let resolvers: [(@Sendable (String) -> String?)?]
  /// Per grouping column: resolved to keys while reading.
  let resolvedColumns: [Bool]

  /// Distinct values of one grouping column.
  private struct Classes: Sendable {
    var bytes = ByteInterner()
    var byText: [String: Int32] = [:]
    var byKey: [String: Int32] = [:]
    /// First trimmed spelling seen of each class.
    var values: [String] = []
    var keys: [String?] = []
    /// Classes of a resolved column whose value resolved to no key.
    var unresolved = 0
    /// Values past `keptUnresolved` (as trimmed text), tallied in `unlisted`, not classes.
    var unlistedTexts: Set<String> = []
    var unlisted: RegisterUnlisted?
  }

  /// The class of a value tallied in `Classes.unlisted`: its row joins no group.
  private static let unlistedClass: Int32 = -1

  /// Values of a resolved column that resolve to no key kept as groups per file (each is
  /// reported on its own only up to normalize's `listedUnrecognized`, the most frequent).
  static let keptUnresolved = 100

  /// Up to four class numbers, packed.
  private struct GroupKey: Sendable {
    var lo: UInt64 = 0
    var hi: UInt64 = 0
    mutating func set(_ i: Int, _ id: Int32) {
      let v = UInt64(UInt32(bitPattern: id))
      switch i {
      case 0: lo |= v
      case 1: lo |= v << 32
      case 2: hi |= v
      default: hi |= v << 32
      }
    }
  }

  /// Group key → group number: open addressing on the packed key with a multiplicative hash,
  /// probed once per data row (the standard dictionary's SipHash was a few percent of ingest).
  private struct GroupTable: Sendable {
    private var los: [UInt64] = Array(repeating: 0, count: 64)
    private var his: [UInt64] = Array(repeating: 0, count: 64)
    /// Group number per slot; -1: empty.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var count = 0

    @inline(__always)
    private static func hash(_ k: GroupKey, mask: Int) -> Int {
      let h = (k.lo &* 0x9E37_79B9_7F4A_7C15) ^ (k.hi &* 0xC2B2_AE3D_27D4_EB4F)
      return Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    }

    func find(_ k: GroupKey) -> Int? {
      let mask = slots.count - 1
      var i = Self.hash(k, mask: mask)
      while true {
        let s = slots[i]
        if s < 0 { return nil }
        if los[i] == k.lo && his[i] == k.hi { return Int(s) }
        i = (i + 1) & mask
      }
    }

    /// Adds a key `find` did not find.
    mutating func insert(_ k: GroupKey, _ group: Int) {
      if (count + 1) * 2 > slots.count { grow() }
      let mask = slots.count - 1
      var i = Self.hash(k, mask: mask)
      while slots[i] >= 0 { i = (i + 1) & mask }
      los[i] = k.lo
      his[i] = k.hi
      slots[i] = Int32(group)
      count += 1
    }

    private mutating func grow() {
      let old = (los, his, slots)
      let size = slots.count * 2
      los = Array(repeating: 0, count: size)
      his = Array(repeating: 0, count: size)
      slots = Array(repeating: -1, count: size)
      count = 0
      for i in old.2.indices where old.2[i] >= 0 {
        insert(GroupKey(lo: old.0[i], hi: old.1[i]), Int(old.2[i]))
      }
    }
  }

  private struct Samples: Sendable {
    var lines: (Int, Int, Int) = (0, 0, 0)
    var count = 0
    mutating func add(_ line: Int, limit: Int) {
      guard count < limit else { return }
      switch count {
      case 0: lines.0 = line
      case 1: lines.1 = line
      case 2: lines.2 = line
      default: return
      }
      count += 1
    }
    var array: [Int] { Array([lines.0, lines.1, lines.2].prefix(count)) }
  }

  private var classes: [Classes]
  private var index = GroupTable()
  private var wideIndex: [[Int32]: Int] = [:]
  private var groupIDs: [[Int32]] = []
  private var counts: [Int64] = []
  private var samples: [Samples] = []
  private(set) var dataRows: Int64 = 0
  /// Rows with a 序号 and nothing else (a template numbered in advance): not applications.
  private(set) var numberedBlankRows: Int64 = 0
  private(set) var numberedBlankLines: [Int] = []
  /// The 收到日期 column (`RegisterCount.receivedField`) and the grouping column of the carry
  /// mark, when the form names them and the file has them.
  private let receivedColumn: Int?
  private let carryGroup: Int?
  /// A date as written (trimmed) → its year, nil for no day: each written once per file.
  private var yearOf: [String: Int?] = [:]
  /// A date's bytes as the file has them (untrimmed) → `yearOf` its trimmed text, or
  /// `blankDate`, `noDay`: the byte path's 收到日期 without a `String` per row, which took
  /// decoding, trimming and hashing the text for every one of ten million rows. At most
  /// `yearsByBytesLimit` spellings (a column of free text would grow it with every row).
  private var yearOfBytes = ByteInterner()
  private static let yearsByBytesLimit = 4_096
  private static let blankDate: Int32 = -1
  private static let noDay: Int32 = -2
  private struct ReceivedKey: Hashable {
    var year: Int?
    var carried: Int32
  }
  /// Counted rows by the year of their 收到日期 and their carry mark's class: `received` in
  /// order of first row, `receivedIndex` finding a key's place (after the last row's key, the
  /// usual hit).
  private var received: [(key: ReceivedKey, rows: Int64, lines: [Int], example: String)] = []
  private var receivedIndex: [ReceivedKey: Int] = [:]
  private var lastReceived = -1
  private(set) var skippedCount = 0
  private(set) var skippedLines: [Int] = []
  /// The 申请编号 column (`RegisterCount.uniqueField`), when the form names it and the file has it.
  let numberColumn: Int?
  /// Application numbers seen (trimmed bytes, as the file encodes them). Kept per register,
  /// not per run: numbers repeat across departments.
  private var numbers = ApplicationNumbers()
  private var repeatedNumbers: RegisterRepeatedNumbers?

  /// Sample lines kept per group. A register resolved while reading keeps one: its groups are
  /// already merged spellings, one line per group and file is lineage enough, and ten million
  /// rows stay a small output.
  static let sampleLimit = 3
  let sampleLimit: Int

  init(
    form: FormDefinition, header: Record, entry: FormIndex.Entry, index: FormIndex, path: String = "",
    resolver: (any RegisterKeyResolver)? = nil
  ) {
    self.form = form
    self.headerLine = header.line
    var columnOf: [String: Int] = [:]
    for (c, text) in header.fields.enumerated() {
      if let key = entry.fieldKeys[index.key(text)], columnOf[key] == nil { columnOf[key] = c }
    }
    let groupBy = form.groupBy ?? []
    self.groupBy = groupBy
    self.groupColumns = groupBy.map { columnOf[$0] }
    let marker = form.dataRowField ?? ""
    self.markerColumn = columnOf[marker]
    self.receivedColumn = form.counts?.receivedField.flatMap { columnOf[$0] }
    self.carryGroup = form.counts?.carryField.flatMap { groupBy.firstIndex(of: $0) }
    self.numberColumn = form.counts?.uniqueField.flatMap { columnOf[$0] }
    self.markerLabel = form.fields?.first { $0.key == marker }?.label ?? marker
    var missing: [String] = []
    for f in form.fields ?? [] where (f.required == true || f.key == marker) && columnOf[f.key] == nil {
      missing.append(f.label)
    }
    self.missingRequired = missing
    self.path = path
    var resolvers = resolver?.fields(of: form, path: path) ?? []
    if resolvers.count != groupBy.count { resolvers = groupBy.map { _ in nil } }
    self.resolvers = resolvers
    self.resolvedColumns = resolvers.map { $0 != nil }
    self.classes = Array(repeating: Classes(), count: groupBy.count)
    self.sampleLimit = resolvedColumns.contains(true) ? 1 : Self.sampleLimit
    var mask: UInt64 = 0
    for c in groupColumns.compactMap({ $0 }) + [markerColumn, receivedColumn, numberColumn].compactMap({ $0 }) {
      mask |= c < 64 ? 1 << UInt64(c) : 0
    }
    self.neededColumns = mask
  }

  /// The first grouping column's field number, if the file has it.
  private var firstGroupField: Int? { groupColumns.first ?? nil }

  /// Bit `c` set for every column `addBytes` reads (the marker, the grouping columns, the
  /// dates and the numbers); a column past 63 is never skipped.
  let neededColumns: UInt64

  /// Picks, among header rows, the one naming most register fields.
  static func headerRecord(_ records: [Record], entry: FormIndex.Entry, index: FormIndex) -> Record? {
    records.max { a, b in
      a.fields.filter { entry.fieldKeys[index.key($0)] != nil }.count
        < b.fields.filter { entry.fieldKeys[index.key($0)] != nil }.count
    }
  }

  /// True when the marker column holds only digits (after NFKC): an application row.
  func isDataRow(_ record: Record) -> Bool {
    guard let m = markerColumn, m < record.fields.count else { return false }
    return Self.isDigits(record.fields[m])
  }

  static func isDigits(_ s: String) -> Bool {
    var text = s
    if !text.allSatisfy(\.isASCII) { text = text.nfkc }
    text = numberOfItem(text)
    var sawDigit = false
    for u in text.utf8 {
      if u >= 0x30 && u <= 0x39 {
        sawDigit = true
      } else if u != 0x20 && u != 0x09 {
        return false
      }
    }
    return sawDigit
  }

  /// The number in a 序号 written as a numbered item (`1.`, `1、`, `(1)`, `No.1`, `第1条`; NFKC
  /// already applied, so `（１）` is `(1)`), or the text unchanged. A register numbered so was
  /// read as having no data row at all: 0 applications, at exit 0.
  static func numberOfItem(_ text: String) -> String {
    var t = Substring(text.trimmingWhitespace)
    for prefix in ["No.", "NO.", "no.", "No", "NO", "第", "("] where t.hasPrefix(prefix) {
      t = t.dropFirst(prefix.count)
      break
    }
    for suffix in [".", "、", ")", "号", "条", "项"] where t.hasSuffix(suffix) {
      t = t.dropLast(suffix.count)
      break
    }
    return String(t)
  }

  /// Empty, or spaces only: ASCII spaces and tabs, the ideographic space (UTF-8 `E3 80 80`,
  /// GB18030 `A1 A1`) and the no-break space (`C2 A0`), as the record path trims them. Read
  /// byte by byte, not as characters: a field of other text has a byte outside that set at
  /// once (no other character is made of those bytes only, but for rare marks).
  @inline(__always)
  static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool { !hasText(bytes) }

  @inline(__always)
  static func hasText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for b in bytes {
      switch b {
      case 0x20, 0x09, 0x0A, 0x0D, 0xA1, 0xE3, 0x80, 0xC2, 0xA0: continue
      default: return true
      }
    }
    return false
  }

  /// `isDigits` on bytes: nil when they hold non-ASCII text (decided on the decoded text).
  static func isDigits(_ bytes: UnsafeRawBufferPointer) -> Bool? {
    var sawDigit = false
    for u in bytes {
      if u >= 0x30 && u <= 0x39 {
        sawDigit = true
      } else if u >= 0x80 {
        return nil
      } else if u != 0x20 && u != 0x09 {
        // `1.`, `(1)`, `No.1`: decided on the text (`numberOfItem`).
        return sawDigit || u == 0x28 || u == 0x4E || u == 0x6E ? nil : false
      }
    }
    return sawDigit
  }

  /// Counts one data row into its group. `raw` is the same record as the file's bytes, when it
  /// came from them: its application number is then compared as the byte path compares them
  /// (the first data row of a register comes this way, the rest mostly by `addBytes`).
  mutating func add(_ record: Record, raw: RecordBytes? = nil) {
    // A 序号 with every other cell empty: pre-numbered rows of a template, counted as the
    // applications they are not (with a blank 申请人类型 and 办理结果), or, with those blanks
    // registered as the NRM-011 advice said, as phantom applications.
    // (Such a record reaches here whole: the byte path, which leaves fields uncopied, decides
    // its own rows.)
    if record.fields.indices.allSatisfy({ $0 == markerColumn || CellParser.trim(record.fields[$0]).isEmpty }) {
      numberedBlank(line: record.line)
      return
    }
    dataRows += 1
    if let c = numberColumn {
      if let raw, c < raw.count {
        noteNumber(Self.trimmedBytes(raw.field(c), gb18030: raw.gb18030 != nil), line: record.line) { raw.text($0) }
      } else if c < record.fields.count {
        var text = CellParser.trim(record.fields[c])
        text.withUTF8 {
          noteNumber(UnsafeRawBufferPointer($0), line: record.line) { String(decoding: $0, as: UTF8.self) }
        }
      }
    }
    var ids: [Int32] = []
    ids.reserveCapacity(groupColumns.count)
    for (i, c) in groupColumns.enumerated() {
      let raw = c.flatMap { $0 < record.fields.count ? record.fields[$0] : nil } ?? ""
      ids.append(classOf(CellParser.trim(raw), column: i))
    }
    if tallyUnlisted(ids, line: record.line) { return }
    count(ids: ids, line: record.line)
    if let c = receivedColumn {
      tallyReceived(
        c < record.fields.count ? record.fields[c] : "", carried: carryGroup.map { ids[$0] }, line: record.line)
    }
  }

  /// Counts a counted row under the year of its 收到日期 (a blank date is no finding: many
  /// registers leave it out).
  private mutating func tallyReceived(_ written: String, carried: Int32?, line: Int) {
    let text = CellParser.trim(written)
    guard !text.isEmpty else { return }
    tallyReceived(year: year(ofTrimmed: text), carried: carried, line: line) { text }
  }

  /// The byte path's `tallyReceived`: `bytes` are the field as the file has them.
  private mutating func tallyReceived(_ bytes: UnsafeRawBufferPointer, in record: RecordBytes, carried: Int32?) {
    let h = ByteInterner.hash(bytes)
    let code: Int32
    if let known = yearOfBytes.find(bytes, hash: h) {
      code = known
    } else {
      let text = CellParser.trim(record.text(bytes))
      code = text.isEmpty ? Self.blankDate : year(ofTrimmed: text).map { Int32(clamping: $0) } ?? Self.noDay
      if yearOfBytes.count < Self.yearsByBytesLimit { yearOfBytes.insert(bytes, hash: h, value: code) }
    }
    guard code != Self.blankDate else { return }
    tallyReceived(year: code == Self.noDay ? nil : Int(code), carried: carried, line: record.line) {
      CellParser.trim(record.text(bytes))
    }
  }

  /// The year of a trimmed, non-blank 收到日期, nil for no day (each text worked out once).
  private mutating func year(ofTrimmed text: String) -> Int? {
    if let known = yearOf[text] { return known }
    let year = WrittenDate.yyyymmdd(text).map { $0 / 10_000 }
    yearOf[text] = year
    return year
  }

  /// Adds a row to its (year, carry mark) tally; `text` (the trimmed date) is asked for only
  /// by the tally's first row, as its example.
  private mutating func tallyReceived(year: Int?, carried: Int32?, line: Int, text: () -> String) {
    let key = ReceivedKey(year: year, carried: carried ?? 0)
    var j = lastReceived
    if j < 0 || received[j].key != key {
      if let known = receivedIndex[key] {
        j = known
      } else {
        j = received.count
        received.append((key, 0, [], text()))
        receivedIndex[key] = j
      }
      lastReceived = j
    }
    received[j].rows += 1
    if received[j].lines.count < RegisterUnlisted.sampleLimit { received[j].lines.append(line) }
  }

  /// Notes a data row's application number (trimmed bytes; `text` decodes them): a number an
  /// earlier row of the register had is a repeat. A blank number is none, and so is one
  /// without a digit (`无`, `—`): a column of placeholders is not one application repeated.
  private mutating func noteNumber(
    _ bytes: UnsafeRawBufferPointer, line: Int, text: (UnsafeRawBufferPointer) -> String
  ) {
    guard !bytes.isEmpty, let column = numberColumn else { return }
    if !bytes.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
      // Full-width or Chinese digits (`１`, `二〇二五`) are rare: decided on the text.
      guard text(bytes).unicodeScalars.contains(where: { $0.properties.numericType != nil }) else { return }
    }
    guard case .repeated(let first, let again) = numbers.note(bytes, line: line) else { return }
    var repeats = repeatedNumbers ?? RegisterRepeatedNumbers(column: column + 1)
    repeats.rows += 1
    if !again { repeats.numbers += 1 }
    if repeats.examples.count < RegisterRepeatedNumbers.exampleLimit {
      repeats.examples.append(.init(number: CellParser.trim(text(bytes)), firstLine: first, line: line))
    }
    repeatedNumbers = repeats
  }

  private mutating func numberedBlank(line: Int) {
    numberedBlankRows += 1
    if numberedBlankLines.count < RegisterUnlisted.sampleLimit { numberedBlankLines.append(line) }
  }

  /// Tallies a row any of whose values is unlisted (in each such column); true when it was.
  private mutating func tallyUnlisted(_ ids: [Int32], line: Int) -> Bool {
    guard ids.contains(Self.unlistedClass) else { return false }
    for (i, id) in ids.enumerated() where id == Self.unlistedClass {
      classes[i].unlisted?.rows += 1
      if let n = classes[i].unlisted?.sampleLines.count, n < RegisterUnlisted.sampleLimit {
        classes[i].unlisted?.sampleLines.append(line)
      }
    }
    return true
  }

  /// Counts the row if it is a data row, reading its fields as bytes; false (nothing done) when
  /// it is not, or cannot be decided without decoding: the caller then uses the record path.
  mutating func addBytes(_ record: RecordBytes) -> Bool {
    guard let m = markerColumn, m < record.count, RegisterAggregator.isDigits(record.field(m)) == true else {
      return false
    }
    // Every field but the 序号 empty: a row numbered in advance (`add(_: Record)`). Decided
    // on the first grouping field alone for the ten million rows that have one.
    if firstGroupField.map({ $0 >= record.count || Self.isBlank(record.field($0)) }) ?? true, !record.skippedText,
      (0..<record.count).allSatisfy({ $0 == m || Self.isBlank(record.field($0)) })
    {
      numberedBlank(line: record.line)
      return true
    }
    dataRows += 1
    if let c = numberColumn, c < record.count {
      noteNumber(Self.trimmedBytes(record.field(c), gb18030: record.gb18030 != nil), line: record.line) {
        record.text($0)
      }
    }
    let n = groupColumns.count
    var counted = true
    var carried: Int32?
    if n <= 4 {
      var key = GroupKey()
      var unlisted = false
      for i in 0..<n {
        let id = classOf(record, column: i)
        if id == Self.unlistedClass { unlisted = true }
        if i == carryGroup { carried = id }
        key.set(i, id)
      }
      if unlisted {
        _ = tallyUnlisted((0..<n).map { classOf(record, column: $0) }, line: record.line)
        counted = false
      } else if let g = index.find(key) {
        counts[g] += 1
        samples[g].add(record.line, limit: sampleLimit)
      } else {
        var ids: [Int32] = []
        for i in 0..<n { ids.append(classOf(record, column: i)) }
        index.insert(key, counts.count)
        append(ids, line: record.line)
      }
    } else {
      let ids = (0..<n).map { classOf(record, column: $0) }
      carried = carryGroup.map { ids[$0] }
      counted = !tallyUnlisted(ids, line: record.line)
      if counted { count(ids: ids, line: record.line) }
    }
    if counted, let c = receivedColumn {
      tallyReceived(
        c < record.count ? record.field(c) : UnsafeRawBufferPointer(start: nil, count: 0), in: record, carried: carried)
    }
    return true
  }

  private mutating func classOf(_ record: RecordBytes, column i: Int) -> Int32 {
    var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    if let c = groupColumns[i], c < record.count { bytes = record.field(c) }
    let h = ByteInterner.hash(bytes)
    if let id = classes[i].bytes.find(bytes, hash: h) { return id }
    return intern(bytes, hash: h, in: record, column: i)
  }

  /// The class of bytes of column `i` seen for the first time in this file, remembered for
  /// them. A third of such values (in the reference inbox) are a spelling with spaces or
  /// ideographic spaces around it: they take the class of their bare bytes, interned the same
  /// way, so a spelling is decoded and resolved once however it is padded.
  private mutating func intern(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, in record: RecordBytes, column i: Int)
    -> Int32
  {
    let trimmed = Self.trimmedBytes(bytes, gb18030: record.gb18030 != nil)
    let id: Int32
    if trimmed.count == bytes.count {
      id = classOf(CellParser.trim(record.text(trimmed)), column: i)
    } else {
      let th = ByteInterner.hash(trimmed)
      id = classes[i].bytes.find(trimmed, hash: th) ?? intern(trimmed, hash: th, in: record, column: i)
    }
    classes[i].bytes.insert(bytes, hash: h, value: id)
    return id
  }

  /// `bytes` without leading and trailing ASCII whitespace and U+3000 (the common cases of
  /// `CellParser.trim`, which still runs on the decoded rest for the rarer spaces): in UTF-8
  /// E3 80 80, in raw GB18030 (`gb18030`) A1 A1. Both are exact on validated input. UTF-8:
  /// E3 always starts a character. GB18030: E3 80 80 cannot occur (0x80 starts no character),
  /// and a field's last character ends at its end, so final bytes A1 A1 are one whole
  /// character (A1 is neither ASCII nor the 0x30–0x39 that ends a four-byte one), as first
  /// bytes A1 A1 are (a lead byte and a trail byte).
  static func trimmedBytes(_ bytes: UnsafeRawBufferPointer, gb18030: Bool = false) -> UnsafeRawBufferPointer {
    var start = 0
    var end = bytes.count
    func space(at i: Int) -> Int {
      let b = bytes[i]
      if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return 1 }
      return 0
    }
    let wide = gb18030 ? 2 : 3
    /// True when an ideographic space takes `i..<(i + wide)`, inside what is left.
    func ideographicSpace(at i: Int) -> Bool {
      guard i >= start, i + wide <= end else { return false }
      if gb18030 { return bytes[i] == 0xA1 && bytes[i + 1] == 0xA1 }
      return bytes[i] == 0xE3 && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80
    }
    while start < end {
      if space(at: start) == 1 {
        start += 1
      } else if ideographicSpace(at: start) {
        start += wide
      } else {
        break
      }
    }
    while end > start {
      if space(at: end - 1) == 1 {
        end -= 1
      } else if ideographicSpace(at: end - wide) {
        end -= wide
      } else {
        break
      }
    }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
  }

  private mutating func classOf(_ text: String, column i: Int) -> Int32 {
    // A resolved column's classes are its keys: the resolver (memoized) answers first, and a
    // value that resolves needs no text table (whose hashing normalizes every Han character).
    if let resolve = resolvers[i], let key = resolve(text) {
      if let existing = classes[i].byKey[key] { return existing }
      let id = newClass(text, key: key, column: i)
      classes[i].byKey[key] = id
      return id
    }
    if let id = classes[i].byText[text] { return id }
    if resolvers[i] != nil {
      // Resolved to nothing: a class while the column has fewer than `keptUnresolved`.
      if classes[i].unresolved >= Self.keptUnresolved { return tallied(text, column: i) }
      classes[i].unresolved += 1
    }
    let id = newClass(text, key: nil, column: i)
    classes[i].byText[text] = id
    return id
  }

  /// Adds a class of column `i` (first spelling `text`, `key` when it resolved).
  private mutating func newClass(_ text: String, key: String?, column i: Int) -> Int32 {
    let id = Int32(classes[i].values.count)
    classes[i].values.append(text)
    classes[i].keys.append(key)
    return id
  }

  /// Notes `text` among column `i`'s unlisted values; its rows join no group.
  private mutating func tallied(_ text: String, column i: Int) -> Int32 {
    var u = classes[i].unlisted ?? RegisterUnlisted(column: i)
    if classes[i].unlistedTexts.insert(text).inserted {
      u.values += 1
      if u.examples.count < RegisterUnlisted.exampleLimit { u.examples.append(text) }
    }
    classes[i].unlisted = u
    return Self.unlistedClass
  }

  private mutating func count(ids: [Int32], line: Int) {
    if ids.count <= 4 {
      var key = GroupKey()
      for (i, id) in ids.enumerated() { key.set(i, id) }
      if let g = index.find(key) {
        counts[g] += 1
        samples[g].add(line, limit: sampleLimit)
      } else {
        index.insert(key, counts.count)
        append(ids, line: line)
      }
    } else if let g = wideIndex[ids] {
      counts[g] += 1
      samples[g].add(line, limit: sampleLimit)
    } else {
      wideIndex[ids] = counts.count
      append(ids, line: line)
    }
  }

  private mutating func append(_ ids: [Int32], line: Int) {
    groupIDs.append(ids)
    counts.append(1)
    var s = Samples()
    s.add(line, limit: sampleLimit)
    samples.append(s)
  }

  /// Notes a non-empty row that is not an application row.
  mutating func skip(_ record: Record) {
    skippedCount += 1
    if skippedLines.count < 6 { skippedLines.append(record.line) }
  }

  /// The aggregated register; groups sorted by their values.
  func finish() -> SheetRegister {
    let keyed = resolvedColumns.contains(true)
    // Sorted by values: each column's distinct values are ranked once (they are distinct as
    // strings, so ranks order exactly as the values do), then groups compare by ranks.
    let ranks = classes.map { c -> [Int32] in
      var rank = [Int32](repeating: 0, count: c.values.count)
      for (r, id) in c.values.indices.sorted(by: { c.values[$0] < c.values[$1] }).enumerated() {
        rank[id] = Int32(r)
      }
      return rank
    }
    let order = groupIDs.indices.sorted { a, b in
      let x = groupIDs[a]
      let y = groupIDs[b]
      for i in 0..<min(x.count, y.count) {
        let rx = ranks[i][Int(x[i])]
        let ry = ranks[i][Int(y[i])]
        if rx != ry { return rx < ry }
      }
      return x.count < y.count
    }
    // Each column's distinct values and keys go into the string table once; groups then
    // point at them.
    var groups = RegisterGroups()
    groups.reserveCapacity(
      groups: order.count, width: classes.count, keyed: keyed, lines: samples.reduce(0) { $0 + $1.count })
    let valueIndex = classes.map { c in c.values.map { groups.addString($0) } }
    let keyIndex = keyed ? classes.map { c in c.keys.map { $0.map { groups.addString($0) } ?? -1 } } : []
    for g in order {
      let ids = groupIDs[g]
      groups.append(
        count: counts[g], sampleLines: samples[g].array, valueCount: ids.count,
        value: { valueIndex[$0][Int(ids[$0])] }, keyCount: keyed ? ids.count : nil, key: { keyIndex[$0][Int(ids[$0])] })
    }
    let unlisted = classes.compactMap(\.unlisted)
    return SheetRegister(
      form: form.id, headerLine: headerLine, groupBy: groupBy, columns: groupColumns.map { ($0 ?? -1) + 1 },
      groups: groups, dataRows: dataRows, unlisted: unlisted.isEmpty ? nil : unlisted,
      numberedBlank: numberedBlankRows == 0
        ? nil : RegisterNumberedBlank(rows: numberedBlankRows, sampleLines: numberedBlankLines),
      received: receivedTallies(), repeatedNumbers: repeatedNumbers)
  }

  /// `received` with each carry mark as written, merged and sorted; nil when empty.
  private func receivedTallies() -> [RegisterReceivedTally]? {
    guard !received.isEmpty else { return nil }
    var merged: [String: RegisterReceivedTally] = [:]
    for t in received {
      let key = t.key
      let carried = carryGroup.flatMap { g in key.carried >= 0 ? classes[g].values[Int(key.carried)] : nil } ?? ""
      let id = "\(key.year ?? 0)\u{0}\(carried)"
      var tally =
        merged[id]
        ?? RegisterReceivedTally(
          year: key.year, carried: carried, rows: 0, sampleLines: [], example: key.year == nil ? t.example : nil)
      tally.rows += t.rows
      tally.sampleLines = Array((tally.sampleLines + t.lines).sorted().prefix(RegisterUnlisted.sampleLimit))
      merged[id] = tally
    }
    return merged.values.sorted {
      ($0.year ?? 0, $0.carried, $0.sampleLines.first ?? 0) < ($1.year ?? 0, $1.carried, $1.sampleLines.first ?? 0)
    }
  }
}
