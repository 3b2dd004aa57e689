/// Guesses the delimiter (comma, tab or semicolon) from the first decoded lines.
///
/// Counts each candidate outside double quotes on every non-blank line. Exports pad every row
/// to the same number of columns, so the delimiter is the one found on the most lines, then
/// the one with the most lines sharing one count, then the most frequent; ties go to comma,
/// then tab. A thousands separator (`1,234`) in a tab file appears on fewer lines than the tab.
public enum DelimiterSniffer {
  /// Candidates in tie-break order.
  public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")]
  /// Lines looked at.
  public static let maxLines = 50
  /// Bytes looked at: the decision depends on these bytes only, never on how they arrived.
  public static let window = 64 << 10

  /// The delimiter for `bytes` (UTF-8, the start of the file). `complete` says the bytes are
  /// the whole file, so the last line counts even without a line end.
  public static func sniff(_ bytes: UnsafeRawBufferPointer, complete: Bool) -> UInt8 {
    var perLine: [[Int]] = []
    var current = [0, 0, 0]
    var content = false
    var inQuotes = false
    let limit = min(bytes.count, window)
    let whole = complete && limit == bytes.count
    for i in 0..<limit {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        inQuotes.toggle()
        content = true
        continue
      }
      if inQuotes { continue }
      switch b {
      case 10, 13:
        if content {
          perLine.append(current)
          if perLine.count >= maxLines { return choose(perLine) }
        }
        current = [0, 0, 0]
        content = false
      case UInt8(ascii: ","): current[0] += 1; content = true
      case UInt8(ascii: "\t"): current[1] += 1; content = true
      case UInt8(ascii: ";"): current[2] += 1; content = true
      case UInt8(ascii: " "): continue
      default: content = true
      }
    }
    if whole && content { perLine.append(current) }
    return choose(perLine)
  }

  private static func choose(_ perLine: [[Int]]) -> UInt8 {
    var best = 0
    var bestScore = (0, 0, 0)
    for c in 0..<candidates.count {
      let counts = perLine.map { $0[c] }.filter { $0 > 0 }
      var frequency: [Int: Int] = [:]
      for n in counts { frequency[n, default: 0] += 1 }
      let score = (counts.count, frequency.values.max() ?? 0, counts.reduce(0, +))
      if score > bestScore {
        best = c
        bestScore = score
      }
    }
    return candidates[best]
  }
}
