import AlmanacCore

/// The application numbers (申请编号) of one register seen so far, for telling a repeated
/// number (NRM-031) while the register streams past.
///
/// A number is kept as its 64-bit fingerprint (`ByteInterner.hash` of its trimmed bytes) and
/// the line of its first row: 12 bytes a slot, 16–32 a number, where keeping the bytes took
/// about 100 (200 MB for a register of two million rows). Two different numbers are taken for
/// one only if their fingerprints collide; for numbers that differ in one 8-byte word (the
/// serial part of `环依申〔2025〕123号`) the hash is a bijection and they cannot; otherwise the
/// chance is about n² / 2⁶⁵ for n numbers (10⁻¹⁰ for 70,000, the largest reference register),
/// and the finding shows both rows' lines to check.
struct ApplicationNumbers: Sendable {
  /// Fingerprint per slot; 0 is empty (a fingerprint of 0 is stored as 1).
  private var prints: [UInt64] = Array(repeating: 0, count: 1_024)
  /// Per slot, the line of the number's first row; negative once a later row repeated it.
  private var lines: [Int32] = Array(repeating: 0, count: 1_024)
  private var count = 0

  /// What a row's number was.
  enum Seen: Equatable {
    /// Not seen before: now recorded with this row's line.
    case first
    /// Seen on `line` before; `again` when an earlier repeat was already noted.
    case repeated(firstLine: Int, again: Bool)
  }

  /// Notes the number whose trimmed bytes are `bytes` on `line`.
  mutating func note(_ bytes: UnsafeRawBufferPointer, line: Int) -> Seen {
    let h = ByteInterner.hash(bytes)
    let print = h == 0 ? 1 : h
    var mask = prints.count - 1
    var i = Int(truncatingIfNeeded: print) & mask
    while prints[i] != 0 {
      if prints[i] == print {
        let first = lines[i]
        lines[i] = -abs(first)
        return .repeated(firstLine: Int(abs(first)), again: first < 0)
      }
      i = (i + 1) & mask
    }
    if (count + 1) * 4 > prints.count * 3 {
      grow()
      mask = prints.count - 1
      i = Int(truncatingIfNeeded: print) & mask
      while prints[i] != 0 { i = (i + 1) & mask }
    }
    prints[i] = print
    lines[i] = Int32(clamping: line)
    count += 1
    return .first
  }

  private mutating func grow() {
    let (oldPrints, oldLines) = (prints, lines)
    prints = Array(repeating: 0, count: oldPrints.count * 2)
    lines = Array(repeating: 0, count: oldPrints.count * 2)
    let mask = prints.count - 1
    for (p, line) in zip(oldPrints, oldLines) where p != 0 {
      var i = Int(truncatingIfNeeded: p) & mask
      while prints[i] != 0 { i = (i + 1) & mask }
      prints[i] = p
      lines[i] = line
    }
  }
}
