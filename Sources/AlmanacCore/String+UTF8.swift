import Foundation

extension String {
  /// The UTF-8 bytes, in place for a native string (no copy, no retain of a mutable copy), or
  /// copied once for a bridged one.
  func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let r = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
    return Array(utf8).withUnsafeBytes(body)
  }

  /// True when `a` and `b` have the same UTF-8 bytes (`String`'s `==` also calls canonically
  /// equivalent spellings equal): lengths first, then one `memcmp`.
  public static func sameUTF8(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && compareUTF8(a, b) == 0
  }

  /// Byte-wise comparison of the UTF-8 of `a` and `b` (not `String`'s Unicode order, which
  /// calls canonically equivalent spellings equal): < 0, 0, > 0.
  static func compareUTF8(_ a: String, _ b: String) -> Int {
    a.withUTF8Bytes { x in
      b.withUTF8Bytes { y in
        let n = Swift.min(x.count, y.count)
        if n > 0, let px = x.baseAddress, let py = y.baseAddress, px != py {
          let c = memcmp(px, py, n)
          if c != 0 { return Int(c) }
        }
        return x.count - y.count
      }
    }
  }

  /// The first occurrence of `needle`'s UTF-8 bytes in this string's (a literal search, as
  /// for NFC or NFKC-folded text), as a range of this string's indices; nil when absent or
  /// when `needle` is empty. `memchr` and `memcmp`, not the generic `firstRange(of:)`, which
  /// builds its tables through generic metadata on every call.
  public func utf8Range(of needle: String) -> Range<String.Index>? {
    let offset: Int? = withUTF8Bytes { hay in
      needle.withUTF8Bytes { pin in
        guard let h = hay.baseAddress, let p = pin.baseAddress, !pin.isEmpty else { return nil }
        let first = Int32(pin[0])
        var at = 0
        while hay.count - at >= pin.count {
          guard let hit = memchr(h + at, first, hay.count - pin.count - at + 1) else { return nil }
          let i = h.distance(to: UnsafeRawPointer(hit))
          if memcmp(h + i, p, pin.count) == 0 { return i }
          at = i + 1
        }
        return nil
      }
    }
    guard let offset else { return nil }
    let lower = utf8.index(utf8.startIndex, offsetBy: offset)
    return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
  }
}

/// A string compared and hashed by its UTF-8 bytes, not by canonical equivalence: `String`
/// hashing first checks, character by character, that non-ASCII text is in NFC, which for Han
/// text costs more than the lookup. For text already normalized (folded labels) or for memos
/// where a spelling in another normalization form may simply be remembered separately.
public struct UTF8Key: Hashable, Sendable {
  public let text: String
  public init(_ text: String) { self.text = text }

  public static func == (a: UTF8Key, b: UTF8Key) -> Bool { String.sameUTF8(a.text, b.text) }

  public func hash(into hasher: inout Hasher) {
    // Same bytes, same hash, whichever way they are reached.
    text.withUTF8Bytes { hasher.combine(bytes: $0) }
  }
}
