import AlmanacCore

/// Turns the records of one file into a `Sheet`: tables by label path, registers as counts,
/// and the department/year claims (forms.md §2–3).
///
/// Streaming: records are consumed one at a time and only the current table is held, so a
/// register of millions of rows is aggregated without keeping its records.
///
/// Rows are classified as title, metadata (填报单位/填报日期), footer (填表人, 审核人, 联系电话,
/// 备注, 说明 …), header (labels of a form's header), caption, or data. Consecutive header rows form
/// a header block whose best anchor match names the form.
public struct SheetReader: Sendable {
  enum Mode: Sendable {
    /// Outside any table.
    case scanning
    /// Inside a header block; `grid`, if any, is the table above it, not yet finished.
    case header
    case grid
    case register
  }

  let source: SourceFile
  let index: FormIndex
  let resolver: (any RegisterKeyResolver)?
  private var claimsReader: ClaimsReader
  private var issues: [SheetIssue] = []
  private var recordCount = 0
  private var mode = Mode.scanning

  /// Single-text rows outside a table, waiting to see whether a header follows (captions).
  private var pendingText: [Record] = []
  private var headerRecords: [Record] = []
  /// Single-text rows just above the header block (text, line): its caption candidates.
  private var headerCaptions: [(text: String, line: Int)] = []
  private var grid: GridTableBuilder?
  private var register: RegisterAggregator?
  /// Rows met inside a register after a footer-like row (`注：…`, `填表人：…`) and not yet
  /// known to be inside it: skipped rows (ING-105) once an application row follows, nothing
  /// when the register ends there.
  private var registerPause: [Record]?
  private var tables: [SheetTable] = []
  private var registers: [SheetRegister] = []
  private var strayCount = 0
  private var strayLines: [Int] = []

  /// - Parameters:
  ///   - source: the file being read (its path gives the file-name claims).
  ///   - forms: the pipeline's forms.
  ///   - labelAliases: folded variant → folded canonical label.
  ///   - resolver: resolves register values while reading, for forms that ask for it.
  public init(
    source: SourceFile, forms: [FormDefinition], labelAliases: [String: String],
    resolver: (any RegisterKeyResolver)? = nil
  ) {
    self.init(source: source, index: FormIndex(forms: forms, aliases: labelAliases), resolver: resolver)
  }

  /// With the forms' index built once for many files (`SheetIngest`).
  init(source: SourceFile, index: FormIndex, resolver: (any RegisterKeyResolver)?) {
    self.source = source
    self.index = index
    self.claimsReader = ClaimsReader(path: source.path)
    self.resolver = resolver
  }

  /// While a register's rows are read: its marker column and the columns its data rows are
  /// counted on (`RegisterAggregator.neededColumns`); marker -1 otherwise. A row whose marker
  /// holds digits is a data row, so `SheetSink` need not copy its other fields.
  typealias DataRowColumns = (marker: Int, needed: UInt64)

  /// Reads the next record given as field bytes: a register's data rows are counted without
  /// building strings; any other record goes through `consume(_: Record)`. Returns how the
  /// next record's fields may be taken (`DataRowColumns`).
  mutating func consume(_ record: RecordBytes) -> DataRowColumns {
    if mode == .register, register?.addBytes(record) == true {
      recordCount += 1
      resumeRegister()
    } else {
      consume(record.record(), raw: record)
    }
    guard mode == .register, let m = register?.markerColumn, let needed = register?.neededColumns else {
      return (-1, 0)
    }
    return (m, needed)
  }

  /// Reads the next record of the file.
  public mutating func consume(_ record: Record) { consume(record, raw: nil) }

  /// `consume(_:)`, with `raw` the same record as the file's bytes when it came from them (a
  /// register compares application numbers as bytes).
  mutating func consume(_ record: Record, raw: RecordBytes?) {
    recordCount += 1
    if mode == .register, register?.isDataRow(record) == true {
      resumeRegister()
      register?.add(record, raw: raw)
      return
    }
    let cells = record.fields.map(CellParser.trim)
    guard let first = cells.firstIndex(where: { !$0.isEmpty }) else { return }
    if ClaimsReader.isFooter(cells[first]) {
      // Inside a register a note (`注：5号申请涉及多个事项`) may come before more applications:
      // the register pauses rather than ends, or every later application was lost.
      if mode == .register {
        registerPause = (registerPause ?? []) + [record]
        return
      }
      closeAll()
      return
    }
    if let (kind, _) = ClaimsReader.metadataCell(cells[first]) {
      claimsReader.noteMetadata(record.fields, line: record.line)
      // A unit note (`单位：件`) says nothing about the table around it; outside a table,
      // metadata between a caption and its header keeps the caption.
      if kind != .unit && mode != .scanning { closeAll() }
      return
    }
    let filled = cells.filter { !$0.isEmpty }.count
    // A title may share its row with metadata or a unit note (`…统计表,,,,单位：件`).
    if ClaimsReader.isTitle(cells[first]),
      cells[(first + 1)...].allSatisfy({ $0.isEmpty || ClaimsReader.metadataCell($0) != nil })
    {
      closeAll()
      claimsReader.noteTitle(cells[first], line: record.line)
      if filled > 1 { claimsReader.noteMetadata(record.fields, line: record.line) }
      return
    }
    handle(record, cells: cells, filled: filled, raw: raw)
  }

  /// Ends the file and returns everything read from it.
  public mutating func finish() -> Sheet {
    closeAll()
    if strayCount > 0 { issues.append(.rowsOutsideTables(count: strayCount, lines: strayLines.sorted())) }
    if tables.isEmpty && registers.isEmpty { issues.append(.noTable) }
    let findings = issues.map { $0.finding(in: source) }.sorted {
      let a = $0.sources.first, b = $1.sources.first
      return (a?.line ?? 0, a?.column ?? 0, $0.code) < (b?.line ?? 0, b?.column ?? 0, $1.code)
    }
    return Sheet(
      source: source, claims: claimsReader.claims, tables: tables, registers: registers,
      recordCount: recordCount, findings: findings)
  }

  // MARK: - States

  private mutating func handle(_ record: Record, cells: [String], filled: Int, raw: RecordBytes?) {
    switch mode {
    case .scanning:
      if startsHeader(cells, labelColumns: 0) {
        let captions = pendingText.compactMap { r in
          r.fields.map(CellParser.trim).first { !$0.isEmpty }.map { (text: $0, line: r.line) }
        }
        startHeader(record, captions: captions)
        pendingText = []
      } else if filled == 1 {
        pendingText.append(record)
      } else {
        flushPendingText()
        stray(record)
      }
    case .header:
      // A register's first application rows hold labels too (`1.,A1,自然人,…,予以公开`): under
      // a register's header only a row mostly of labels continues it. A grid's header rows
      // may hold local spellings no alias knows (NRM-009 names them), so any label will do —
      // but not a row holding `—` or `/`, which are values (`行政复议,—,—,…` in a 表四 laid
      // out with its groups as rows).
      if startsHeader(cells, labelColumns: 0),
        headerIsRegister() ? isMostlyHeaderLabels(cells) : !holdsPlaceholders(cells)
      {
        headerRecords.append(record)
      } else {
        endHeader()
        handle(record, cells: cells, filled: filled, raw: raw)
      }
    case .grid:
      guard var table = grid else { return }
      if startsNewHeader(cells, in: table) {
        let captions = table.takeCaptionRows()
        grid = table
        startHeader(record, captions: captions)
      } else {
        grid = nil
        table.add(record, cells: cells) { issues.append($0) }
        grid = table
      }
    case .register:
      if register?.isDataRow(record) == true {
        resumeRegister()
        register?.add(record, raw: raw)
      } else if startsHeader(cells, labelColumns: 0), isMostlyHeaderLabels(cells), headerKeyCount(cells) >= 2,
        let reg = register
      {
        // Another table's header (two labels at least: a lone `小计` is a row of the register).
        registerPause = nil
        finishRegister(reg)
        startHeader(record, captions: [])
      } else if registerPause != nil {
        registerPause?.append(record)
      } else {
        register?.skip(record)
      }
    }
  }

  private mutating func startHeader(_ record: Record, captions: [(text: String, line: Int)]) {
    mode = .header
    headerRecords = [record]
    headerCaptions = captions
  }

  /// Recognizes the form of the header block just ended and opens its table or register.
  private mutating func endHeader() {
    let block = HeaderBlock(records: headerRecords)
    headerRecords = []
    let keys = headerKeys(of: block.records)
    var labels: [String] = []
    for r in block.records {
      for f in r.fields.map(CellParser.trim) where !f.isEmpty && !labels.contains(f) { labels.append(f) }
    }
    // A further block of the table above needs no anchors of its own (`,本年处理决定数量,,`).
    let continued = grid.flatMap { table in
      index.entries.firstIndex { $0.form.id == table.form.id && !keys.isEmpty && keys.isSubset(of: $0.headerKeys) }
    }
    guard let formIndex = index.recognize(headerKeys: keys) ?? continued else {
      finishGrid()
      issues.append(.unknownHeader(labels: labels, line: block.lines.first ?? 0))
      for caption in headerCaptions { strayLine(caption.line) }
      headerCaptions = []
      mode = .scanning
      return
    }
    let entry = index.entries[formIndex]
    switch entry.form.kind {
    case .register:
      finishGrid()
      guard let header = RegisterAggregator.headerRecord(block.records, entry: entry, index: index) else { return }
      let reg = RegisterAggregator(
        form: entry.form, header: header, entry: entry, index: index, path: source.path, resolver: resolver)
      if !reg.missingRequired.isEmpty {
        issues.append(.registerMissingColumns(form: entry.form.id, labels: reg.missingRequired, line: header.line))
      }
      register = reg
      mode = .register
    case .grid, .indicator:
      if var table = grid, table.form.id == entry.form.id {
        table.extend(header: block, entry: entry)
        grid = table
      } else {
        finishGrid()
        grid = GridTableBuilder(
          form: entry.form, caption: SheetReader.caption(headerCaptions.map(\.text)), header: block, entry: entry,
          index: index)
      }
      mode = .grid
    }
    headerCaptions = []
  }

  /// Closes whatever is open (on a title, metadata or footer row, and at the end of the file).
  private mutating func closeAll() {
    if mode == .header { endHeader() }
    finishGrid()
    if let reg = register { finishRegister(reg) }
    flushPendingText()
    mode = .scanning
  }

  private mutating func finishGrid() {
    guard var table = grid else { return }
    grid = nil
    tables.append(table.finish())
  }

  private mutating func finishRegister(_ reg: RegisterAggregator) {
    register = nil
    registerPause = nil
    if reg.skippedCount > 0 {
      issues.append(
        .registerRowsSkipped(
          form: reg.form.id, count: reg.skippedCount, lines: reg.skippedLines, field: reg.markerLabel))
    }
    registers.append(reg.finish())
  }

  private mutating func flushPendingText() {
    for r in pendingText { stray(r) }
    pendingText = []
  }

  private mutating func stray(_ record: Record) {
    strayLine(record.line)
  }

  private mutating func strayLine(_ line: Int) {
    strayCount += 1
    if strayLines.count < 6 { strayLines.append(line) }
  }

  // MARK: - Header evidence

  /// A row can start or continue a header block: no numbers, and a form's header label at or
  /// right of `labelColumns`. Numbers first: a register's first data row (and any row after a
  /// header) starts with its 序号, which settles it without folding every cell.
  private func startsHeader(_ cells: [String], labelColumns: Int) -> Bool {
    !cells.contains(where: CellParser.isNumber) && !evidence(cells, from: labelColumns).outside.isEmpty
  }

  /// True when a cell holds a blank token a department writes for "none" (`—`, `/`, `无`).
  private func holdsPlaceholders(_ cells: [String]) -> Bool {
    cells.contains { cell in
      guard !cell.isEmpty, case .blank = CellParser.parse(cell).value else { return false }
      return true
    }
  }

  /// True when the header block read so far is a register's (`序号,申请编号,…`).
  private func headerIsRegister() -> Bool {
    guard let i = index.recognize(headerKeys: headerKeys(of: headerRecords)) else { return false }
    return index.entries[i].form.kind == .register
  }

  /// The header labels (as keys) the cells of `records` hold.
  private func headerKeys(of records: [Record]) -> Set<String> {
    var keys = Set<String>()
    for r in records {
      for f in r.fields.map(CellParser.trim) where !f.isEmpty {
        let k = index.key(f)
        if index.isHeaderKey(k) { keys.insert(k) }
      }
    }
    return keys
  }

  /// An application row after a pause: the rows of the pause were inside the register, rows
  /// that are not applications (ING-105).
  private mutating func resumeRegister() {
    guard let paused = registerPause else { return }
    for r in paused { register?.skip(r) }
    registerPause = nil
  }

  /// How many of a row's cells are header labels.
  private func headerKeyCount(_ cells: [String]) -> Int {
    cells.filter { !$0.isEmpty && index.isHeaderKey(index.key($0)) }.count
  }

  /// True when most of a row's filled cells are header labels. Inside a register an
  /// application row whose 序号 is blank or `五` holds labels too (`自然人`, `予以公开`): taken
  /// for the header of another table, it ended the register and every later row was lost.
  private func isMostlyHeaderLabels(_ cells: [String]) -> Bool {
    headerKeyCount(cells) * 2 > cells.filter { !$0.isEmpty }.count
  }

  /// Inside a table, a new header needs more: two header labels, or an anchor of another form.
  private func startsNewHeader(_ cells: [String], in table: GridTableBuilder) -> Bool {
    guard !cells.contains(where: CellParser.isNumber) else { return false }
    let ev = evidence(cells, from: table.labelColumns)
    guard !ev.outside.isEmpty else { return false }
    if ev.all.count >= 2 { return true }
    if ev.anchorForms.contains(where: { index.entries[$0].form.id != table.form.id }) { return true }
    // A row holding nothing but header labels (`,本年处理决定数量,,`) is a header too.
    return cells.allSatisfy { $0.isEmpty || index.isHeaderKey(index.key($0)) }
  }

  /// The header keys of a row: the distinct keys, and those at or right of the label columns.
  /// A row has a few cells: arrays compared by bytes, not sets hashed through NFC.
  private struct Evidence {
    var outside: [String] = []
    var all: [String] = []
    var anchorForms = Set<Int>()

    static func insert(_ key: String, into keys: inout [String]) {
      if !keys.contains(where: { String.sameUTF8($0, key) }) { keys.append(key) }
    }
  }

  private func evidence(_ cells: [String], from start: Int) -> Evidence {
    var ev = Evidence()
    for (c, cell) in cells.enumerated() where !cell.isEmpty {
      let k = index.key(cell)
      guard index.isHeaderKey(k) else { continue }
      Evidence.insert(k, into: &ev.all)
      if c >= start {
        Evidence.insert(k, into: &ev.outside)
        if let forms = index.anchorForms[k] { ev.anchorForms.formUnion(forms) }
      }
    }
    return ev
  }

  /// The caption of a table among the single-text rows above its header: the nearest section
  /// heading (`三、…`, `表三…`), else the nearest row.
  static func caption(_ candidates: [String]) -> String? {
    let heading = candidates.last { text in
      let basic = LabelFold.basic(text)
      if basic.hasPrefix("表") { return true }
      guard let dun = basic.firstIndex(of: "、") else { return false }
      let prefix = basic[..<dun]
      return !prefix.isEmpty && prefix.allSatisfy { LabelFold.chineseNumeralSet.contains($0) }
    }
    return heading ?? candidates.last
  }
}
