import AlmanacCore
import Foundation

/// The seeds' reading of register values, handed to ingest (`RegisterKeyResolver`) for register
/// forms that resolve while reading: the same row, column and department keys normalize would
/// find for the raw values, computed once per distinct value.
public final class RegisterKeys: RegisterKeyResolver, @unchecked Sendable {
  public let digest: String
  private let normalizer: SheetNormalizer
  private let lock = NSLock()
  /// File-name prefix → scope; (scope prefix, value) → department id. Shared by the files
  /// read in parallel: the same spellings recur in every file of a county.
  private var scopes: [String: (written: String, unit: DepartmentRef?)] = [:]
  private var units: [String: String?] = [:]
  /// (form, field, value) → row or column key: the same spellings recur in every file.
  private var values: [String: String?] = [:]

  public init(pipeline: PipelineDefinition, seeds: Seeds, year: Int) {
    normalizer = SheetNormalizer(pipeline: pipeline, seeds: seeds, year: year)
    var b = Digest.Builder()
    b.add("register-keys-1")
    b.add(pipeline.digest)
    b.add(seeds.digest)
    b.add(String(year))
    digest = b.finalize()
  }

  public func resolves(form: FormDefinition, field: String) -> Bool {
    guard let c = form.counts, c.resolveWhileReading == true else { return false }
    return field == c.rowField || field == c.columnField || field == c.departmentField
  }

  public func key(form: FormDefinition, field: String, value: String, path: String) -> String? {
    guard let counts = form.counts, counts.resolveWhileReading == true else { return nil }
    if field == counts.departmentField { return unit(value, counts: counts, path: path) }
    guard field == counts.rowField || field == counts.columnField else { return nil }
    let memo = "\(form.id)\u{1F}\(field)\u{1F}\(value)"
    lock.lock()
    let known = values[memo]
    lock.unlock()
    if let known { return known }
    var key: String?
    if field == counts.rowField, let target = normalizer.pipeline.form(counts.form) {
      key = normalizer.rowKey(value, counts: counts, target: target)
    } else if field == counts.columnField {
      key = normalizer.columnKey(value, counts: counts)
    }
    lock.lock()
    values[memo] = .some(key)
    lock.unlock()
    return key
  }

  private func unit(_ value: String, counts: RegisterCount, path: String) -> String? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let prefix =
      counts.departmentScope == RegisterCount.fileNamePrefixScope
      ? name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? name : ""
    let memo = "\(prefix)\u{1F}\(value)"
    lock.lock()
    let known = units[memo]
    var scope = scopes[prefix]
    lock.unlock()
    if let known { return known }
    if scope == nil, counts.departmentScope != nil {
      scope = normalizer.departmentScope(counts: counts, path: path)
      lock.lock()
      scopes[prefix] = scope
      lock.unlock()
    }
    let id = normalizer.unitDepartment(value, scope: scope)?.id
    lock.lock()
    units[memo] = .some(id)
    lock.unlock()
    return id
  }
}
