/// A formula that cannot be parsed or expanded: where (1-based character position) and why.
public struct FormulaError: Error, Sendable, Hashable, CustomStringConvertible {
  /// 1-based character position in the formula text; 0 when the whole formula is meant.
  public var position: Int
  public var message: String

  public init(position: Int, message: String) {
    self.position = position
    self.message = message
  }

  public var description: String {
    position > 0 ? "position \(position): \(message)" : message
  }
}
