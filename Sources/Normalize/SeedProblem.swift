import AlmanacCore

/// A defect in a seed file, found by `SeedValidator` (the `validate` command prints these).
public struct SeedProblem: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// `SEED-001` … (see `SeedValidator`).
  public var code: String
  /// `seeds/<name>.csv`.
  public var file: String
  /// 1-based physical line in the seed file; 1 for the header, 0 when the file is missing.
  public var line: Int
  /// zh-CN: what is wrong and what to change.
  public var message: String

  public init(code: String, file: String, line: Int, message: String) {
    self.code = code
    self.file = file
    self.line = line
    self.message = message
  }

  public static func < (a: SeedProblem, b: SeedProblem) -> Bool {
    (a.file, a.line, a.code, a.message) < (b.file, b.line, b.code, b.message)
  }

  /// `seeds/departments.csv:12: error: … [SEED-004]`
  public var description: String {
    "\(file)\(line > 0 ? ":\(line)" : ""): error: \(message) [\(code)]"
  }

  /// The problem as an error finding of stage `validate`.
  public var finding: Finding {
    Finding(
      code: code, severity: .error, stage: "validate", message: message,
      sources: [SourceRef(file: file, sha256: "", line: line)], idSalt: message)
  }
}
