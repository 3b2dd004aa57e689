import Foundation

/// A bad flag, environment variable, pipeline or seed table: exit code 2, nothing was run.
public struct UsageError: Error, CustomStringConvertible, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
