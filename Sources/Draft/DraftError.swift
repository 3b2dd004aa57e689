import Foundation

/// Why the report could not be drafted: a configuration problem in the pipeline folder.
public struct DraftError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The template file (relative to the pipeline folder) or `pipeline.yaml`.
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  public var description: String { "\(file): \(message)" }
}
