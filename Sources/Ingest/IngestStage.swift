import AlmanacCore
import Foundation

/// Reads every inbox file into a `Sheet`: bytes → records (`RecordReader`) → tables, registers
/// and claims (`SheetReader`).
///
/// Input: `IngestInput` — the inbox folder and its files with their sha256.
/// Output: `IngestOutput` — one `Sheet` per file, sorted by path. A file that cannot be read
///   becomes a Sheet with no tables and the error's finding, so normalize can hold it back.
/// Findings: ING-001 … ING-018 (unreadable bytes, refused paths or names, `IngestError`), ING-101 … ING-107 (layout).
/// Resume: per-file cache in `files/*.pack` (`SheetCache`), keyed by content and by the digest
///   of the forms, label aliases and limits; an unchanged file is never parsed twice, and the
///   files of a killed run are not parsed again. After a complete run only the entries of the
///   files just ingested remain.
/// Fails with `InboxFileChanged` when a file read no longer has the stamp it was listed with.
public struct IngestStage: Stage {
  public typealias Input = IngestInput
  public typealias Output = IngestOutput

  public static let name = "ingest"

  /// The cached sheets' format: bump it when the reader's output changes for the same input.
  /// `cacheDigest` also takes the build, which already separates builds; this still does
  /// when the build cannot be identified (`BuildIdentity.unidentified`).
  public static let readerVersion = "sheet-4"

  /// Files read at once; nil uses the number of active processors.
  public var maxConcurrentFiles: Int?
  /// Resolves register values while reading, for forms with `resolveWhileReading`.
  public var registerKeys: (any RegisterKeyResolver)?

  public init(maxConcurrentFiles: Int? = nil, registerKeys: (any RegisterKeyResolver)? = nil) {
    self.maxConcurrentFiles = maxConcurrentFiles
    self.registerKeys = registerKeys
  }

  public func run(_ input: IngestInput, in context: StageContext) async throws -> IngestOutput {
    let forms = context.pipeline.forms
    let aliases = LabelAliases(seeds: context.seeds).merged(forms: forms)
    let limits = (context.pipeline.limits ?? .defaults).resolved
    let resolver = forms.contains { $0.counts?.resolveWhileReading == true } ? registerKeys : nil
    var digest = IngestStage.cacheDigest(forms: forms, labelAliases: aliases, limits: limits)
    if let resolver { digest = String(Digest.sha256Hex(digest + resolver.digest).prefix(16)) }
    let job = FileJob(
      inbox: input.inbox, cacheFolder: context.workDirectory.appendingPathComponent("files"), digest: digest,
      forms: forms, aliases: aliases, reader: RecordReader(limits: limits), resolver: resolver, stamps: input.stamps)
    let files = input.files
    context.progress.begin(stage: Self.name, totalFiles: files.count, totalBytes: files.reduce(0) { $0 + $1.size })
    defer { context.progress.end() }

    var sheets: [Sheet] = []
    sheets.reserveCapacity(files.count)
    var changed: [InboxFileChanged.File] = []
    var uncached: [String] = []
    let width = max(1, maxConcurrentFiles ?? ProcessInfo.processInfo.activeProcessorCount)
    // Largest files first: the last file to finish is a small one, so no core waits long on
    // another at the end, and a large file's working memory (a register's application
    // numbers) comes and goes while few sheets are held, not on top of all of them.
    let byDecreasingSize = files.sorted { $0.size != $1.size ? $0.size > $1.size : $0.path < $1.path }
    try await withThrowingTaskGroup(of: FileResult.self) { group in
      var next = 0
      while next < min(width, files.count) {
        let file = byDecreasingSize[next]
        group.addTask { job.ingest(file) }
        next += 1
      }
      while let result = try await group.next() {
        record(result, in: context)
        sheets.append(result.sheet)
        if let change = result.changed { changed.append(change) }
        if let warning = result.cacheWarning { uncached.append(warning) }
        if next < files.count {
          let file = byDecreasingSize[next]
          group.addTask { job.ingest(file) }
          next += 1
        }
      }
    }
    if let first = uncached.first {
      // A full disk fails every file's entry alike: one line says so, not one per file.
      context.counters.add("cache_entries_unwritten", Int64(uncached.count))
      let more = uncached.count > 1 ? "（另有 \(uncached.count - 1) 个文件同样未能缓存）" : ""
      context.logger.warning(
        "\(first)\(more)；运行照常进行，下次运行将重新读取这些文件", metadata: ["event": "ingest.cache"])
    }
    // Only after every file is done, so that the others' caches are written and the rerun
    // reads just the changed ones.
    if !changed.isEmpty { throw InboxFileChanged(files: changed.sorted { $0.path < $1.path }) }
    let pruned = job.pruneCache(keeping: files)
    if pruned > 0 {
      context.counters.add("cache_entries_pruned", Int64(pruned))
      context.logger.debug("removed \(pruned) cached sheets no inbox file uses")
    }
    sheets.sort { $0.source.path < $1.source.path }
    for sheet in sheets { context.findings.emit(contentsOf: sheet.findings) }
    return IngestOutput(sheets: sheets)
  }

  private func record(_ result: FileResult, in context: StageContext) {
    let size = result.sheet.source.size
    if result.reused {
      context.counters.add("files_reused")
      context.logger.debug("reused \(result.sheet.source.path)")
    } else {
      context.counters.add("files_parsed")
      context.counters.add("bytes_parsed", size)
      context.counters.add("records", Int64(result.sheet.recordCount))
      context.logger.debug("parsed \(result.sheet.source.path): \(result.sheet.recordCount) records")
    }
    context.progress.advance(files: 1, bytes: size)
  }

  /// Digest of everything besides the file's bytes that shapes a Sheet, the reading code
  /// included: a sheet cached by another build is read again.
  public static func cacheDigest(forms: [FormDefinition], labelAliases: [String: String], limits: IngestLimits)
    -> String
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var b = Digest.Builder()
    b.add(readerVersion)
    b.add(AlmanacVersion.build)
    b.add((try? encoder.encode(forms)) ?? Data())
    b.add((try? encoder.encode(limits)) ?? Data())
    for key in labelAliases.keys.sorted() {
      b.add(key)
      b.add(labelAliases[key] ?? "")
    }
    return String(b.finalize().prefix(16))
  }
}

/// The outcome of one file.
struct FileResult: Sendable {
  var sheet: Sheet
  var reused: Bool
  /// Set when the cache could not be written (the run goes on; the next run parses again):
  /// why, naming the file.
  var cacheWarning: String?
  /// Set when the file changed while the run had it: the stage fails rather than use it.
  var changed: InboxFileChanged.File?
}

/// Reads one file, through the per-file cache.
struct FileJob: Sendable {
  /// The inbox's path, without a trailing `/`: files are opened by path strings, worked out
  /// once (see `SheetIngest.read(atPath:source:)`).
  let inboxPath: String
  let cache: SheetCache
  let digest: String
  /// The files' stamps when the runner listed them (`IngestInput.stamps`).
  let stamps: [String: FileStamp]
  /// One for every file: it holds the forms' index.
  let sheetIngest: SheetIngest

  init(
    inbox: URL, cacheFolder: URL, digest: String, forms: [FormDefinition], aliases: [String: String],
    reader: RecordReader, resolver: (any RegisterKeyResolver)? = nil, stamps: [String: FileStamp] = [:]
  ) {
    self.inboxPath = inbox.path.hasSuffix("/") ? String(inbox.path.dropLast()) : inbox.path
    self.cache = SheetCache(folder: cacheFolder)
    self.digest = digest
    self.stamps = stamps
    self.sheetIngest = SheetIngest(forms: forms, labelAliases: aliases, reader: reader, registerKeys: resolver)
  }

  /// The file's key in the cache: its content, its path (a sheet holds its path and folder
  /// names: two identical copies, `教育局.csv` and `教育局 (1).csv`, shared one entry, each
  /// evicting the other, and one was parsed at every run) and everything else that shapes its
  /// sheet.
  func cacheKey(_ file: InboxFile) -> String {
    "\(file.sha256)-\(digest)-\(Digest.sha256Hex(Data(file.path.utf8)).prefix(16))"
  }

  /// Drops every cache entry but those of `files` (as this run names them): entries of files
  /// replaced or taken out of the inbox, and all entries of an earlier cache digest, which each
  /// seed or pipeline change leaves behind (13 MB for a province's 2,000 registers), as well
  /// as what a killed run or an earlier version left. Returns how many were dropped.
  func pruneCache(keeping files: [InboxFile]) -> Int {
    cache.prune(keeping: Set(files.map(cacheKey)))
  }

  func ingest(_ file: InboxFile) -> FileResult {
    let key = cacheKey(file)
    if let data = cache.payload(key), let sheet = try? CompactJSONDecoder.decode(Sheet.self, from: data),
      sheet.source.path == file.path, sheet.source.sha256 == file.sha256
    {
      return FileResult(sheet: sheet, reused: true)
    }
    let (sheet, readable) = read(file)
    // The digest was taken before this read; a file replaced or rewritten since (a copy still
    // in progress) may have handed over other bytes. Such a result is neither cached nor used.
    if let listed = stamps[file.path] {
      let now = FileStamp.of(path: inboxPath + "/" + file.path)
      if now != listed {
        return FileResult(
          sheet: sheet, reused: false,
          changed: InboxFileChanged.File(path: file.path, change: .stamp(listed: listed, read: now)))
      }
    }
    guard readable else { return FileResult(sheet: sheet, reused: false) }
    do {
      // A cache needs no fsync: a lost entry only means the file is parsed again.
      try cache.store(try AtomicFile.json(sheet, pretty: false), key: key)
      return FileResult(sheet: sheet, reused: false)
    } catch {
      return FileResult(sheet: sheet, reused: false, cacheWarning: "无法缓存 \(file.path)：\(error)")
    }
  }

  /// Parses the file; an unreadable one gives a Sheet holding only the error's finding.
  /// Unreadable results are not cached: the cause may be outside the bytes (permissions).
  func read(_ file: InboxFile) -> (Sheet, readable: Bool) {
    let bare = SourceFile(path: file.path, sha256: file.sha256, size: file.size)
    do throws(IngestError) {
      // A name that is not UTF-8 first: until it is renamed, even its kind may be misread.
      if let refusal = InboxPathGuard.refusal(inboxPath: inboxPath, path: file.path) { throw refusal }
      let full = (inboxPath + "/" + file.path).utf8.count
      if full >= IngestError.maxPathBytes { throw .pathTooLong(file.path, bytes: full) }
      if file.path.hasSuffix("/"), InboxFileKind.isPublishedFolder(URL(fileURLWithPath: inboxPath + "/" + file.path)) {
        throw .publishedOutput(file.path)
      }
      if InboxFileKind(path: file.path) == .other { throw .notASheet(file.path) }
      let sheet = try sheetIngest.read(atPath: inboxPath + "/" + file.path, source: bare)
      return (sheet, true)
    } catch {
      return (Sheet(source: bare, findings: [error.finding(sha256: file.sha256)]), false)
    }
  }
}
