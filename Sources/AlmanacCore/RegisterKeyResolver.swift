/// Resolves a register's grouping values to canonical keys while ingest streams the file
/// (`RegisterCount.resolveWhileReading`), so that millions of rows with many spellings are
/// counted by a few hundred keys. Normalize supplies it (it owns the seeds' meaning); ingest
/// calls it once per distinct value of a file, never per row.
public protocol RegisterKeyResolver: Sendable {
  /// Digest of everything the answers depend on (seeds, pipeline, year): part of ingest's
  /// per-file cache key.
  var digest: String { get }
  /// Whether `field` of register `form` is resolved while reading.
  func resolves(form: FormDefinition, field: String) -> Bool
  /// The canonical key of `value` (trimmed) in `field` of `form`, read from the inbox file at
  /// `path`; nil when it does not resolve (normalize reports it).
  func key(form: FormDefinition, field: String, value: String, path: String) -> String?
}
