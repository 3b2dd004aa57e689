import Foundation

extension String {
  /// The UTF-8 bytes, in place for a native string (no copy, no retain of a mutable copy), or
  /// copied once for a bridged one.
  func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let r = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
    return Array(utf8).withUnsafeBytes(body)
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
}
