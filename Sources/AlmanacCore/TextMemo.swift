import Foundation

/// Answers computed from a text, remembered by the text's UTF-8 bytes (`UTF8Key`) and shared
/// by the threads that read files in parallel: the same spellings and labels recur in every
/// file of a province.
///
/// Answers for which `isBounded` holds are remembered only up to `limit` of them (texts that
/// rarely come back — a register column filled with applicants' names, each file's title —
/// would otherwise grow the memo with the input); past the limit such an answer is computed
/// again each time. Other answers are always remembered.
///
/// `get` is inlinable so that each module using it gets code for its own `Value`: called
/// through the generic entry point, the dictionary's lookups took a quarter of the memo's
/// time (register values are looked up for every new spelling in every file).
public final class TextMemo<Value: Sendable>: @unchecked Sendable {
  @usableFromInline let lock = NSLock()
  @usableFromInline var map: [UTF8Key: Value] = [:]
  @usableFromInline var bounded = 0
  @usableFromInline let limit: Int
  @usableFromInline let isBounded: @Sendable (Value) -> Bool

  public init(limit: Int, bounding isBounded: @escaping @Sendable (Value) -> Bool = { _ in true }) {
    self.limit = limit
    self.isBounded = isBounded
  }

  /// The answer for `text`: remembered, or `compute()` (outside the lock, so two threads may
  /// both compute a new text's answer; both get the same).
  @inlinable
  public func get(_ text: String, _ compute: () -> Value) -> Value {
    let k = UTF8Key(text)
    lock.lock()
    let known = map[k]
    lock.unlock()
    if let known { return known }
    let value = compute()
    let counts = isBounded(value)
    lock.lock()
    if !counts || bounded < limit {
      if counts { bounded += 1 }
      map[k] = value
    }
    lock.unlock()
    return value
  }
}
