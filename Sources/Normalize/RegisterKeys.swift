import AlmanacCore
import Foundation

/// The seeds' reading of register values, handed to ingest (`RegisterKeyResolver`) for register
/// forms that resolve while reading: the same row, column and department keys normalize would
/// find for the raw values, computed once per distinct value.
public final class RegisterKeys: RegisterKeyResolver, @unchecked Sendable {
  public let digest: String
  private let normalizer: SheetNormalizer
  private let lock = NSLock()
  /// File-name prefix → scope unit; per table (form and field, or form and scope), value →
  /// key. Shared by the files read in parallel: the same spellings recur in every file.
  private var scopes: [String: (written: String, unit: DepartmentRef?)?] = [:]
  private var tables: [String: Memo] = [:]

  /// Value → key answers of one field (and scope), keyed by the value's UTF-8 bytes: the
  /// answers are the same, since every resolution normalizes the text it is given; a
  /// spelling in another normalization form is only memoized separately.
  private typealias Memo = TextMemo<String?>

  /// Values that resolve to nothing are remembered only up to this many per table: spellings
  /// recur across a county's files, but a column filled with something else (applicants'
  /// names) brings a new value on every row, and keeping each of those answers held hundreds
  /// of megabytes for ten million rows. Past the limit such a value is resolved again if it
  /// comes back.
  static let unresolvedLimit = 1_000

  /// `seedsDigest`, when given, is `seeds.digest` (the runner has it already).
  public init(pipeline: PipelineDefinition, seeds: Seeds, year: Int, seedsDigest: String? = nil) {
    normalizer = SheetNormalizer(pipeline: pipeline, seeds: seeds, year: year)
    var b = Digest.Builder()
    b.add("register-keys-1")
    b.add(pipeline.digest)
    b.add(seedsDigest ?? seeds.digest)
    b.add(String(year))
    digest = b.finalize()
  }

  public func fields(of form: FormDefinition, path: String) -> [(@Sendable (String) -> String?)?] {
    guard let counts = form.counts, counts.resolveWhileReading == true else {
      return (form.groupBy ?? []).map { _ in nil }
    }
    let target = normalizer.pipeline.form(counts.form)
    // The closures capture this object, not its `SheetNormalizer`: a struct of some twenty
    // references, captured by value, was copied (each reference retained and released) on
    // every call, memo hits included.
    return (form.groupBy ?? []).map { field -> (@Sendable (String) -> String?)? in
      if field == counts.departmentField {
        let scope = self.scope(counts: counts, path: path)
        let memo = table("\(form.id)\u{1F}unit\u{1F}\(scope.prefix)")
        return { [self] value in memo.get(value) { normalizer.unitDepartment(value, scope: scope.scope)?.id } }
      }
      if field == counts.rowField, let target {
        let memo = table("\(form.id)\u{1F}row")
        return { [self] value in memo.get(value) { normalizer.rowKey(value, counts: counts, target: target) } }
      }
      if field == counts.columnField {
        let memo = table("\(form.id)\u{1F}column")
        return { [self] value in memo.get(value) { normalizer.columnKey(value, counts: counts) } }
      }
      return nil
    }
  }

  /// The memo table named `name`, created on first use.
  private func table(_ name: String) -> Memo {
    lock.lock()
    defer { lock.unlock() }
    if let t = tables[name] { return t }
    let t = Memo(limit: Self.unresolvedLimit, bounding: { $0 == nil })
    tables[name] = t
    return t
  }

  /// The file name's scope prefix and the unit it names (resolved once per prefix).
  private func scope(counts: RegisterCount, path: String) -> (
    prefix: String, scope: (written: String, unit: DepartmentRef?)?
  ) {
    guard counts.departmentScope != nil else { return ("", nil) }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let prefix = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? name
    lock.lock()
    let known = scopes[prefix]
    lock.unlock()
    if let known { return (prefix, known) }
    let scope = normalizer.departmentScope(counts: counts, path: path)
    lock.lock()
    scopes[prefix] = .some(scope)
    lock.unlock()
    return (prefix, scope)
  }
}
