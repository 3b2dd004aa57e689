import Foundation

/// Walking objects and arrays member by member, for the decoders of bulk types
/// (`RegisterGroups`, `FigureTable`) that read their JSON without `Codable` containers.
extension JSONScanner {
  /// Walks the members of the object starting at `i`: `body` gets where each member's name
  /// starts and ends (quotes included) and where its value starts, and returns where the value
  /// ends. Returns the offset just past the object.
  func forEachMember(of i: Int, _ body: (_ nameStart: Int, _ nameEnd: Int, _ value: Int) throws -> Int) throws
    -> Int
  {
    guard try byte(i) == UInt8(ascii: "{") else { throw error(i, "expected an object") }
    var j = try skipWhitespace(i + 1)
    if base[j] == UInt8(ascii: "}") { return j + 1 }
    while true {
      guard try byte(j) == UInt8(ascii: "\"") else { throw error(j, "expected a member name") }
      let nameEnd = try stringEnd(j)
      var k = try skipWhitespace(nameEnd)
      guard base[k] == UInt8(ascii: ":") else { throw error(k, "expected ':'") }
      k = try skipWhitespace(k + 1)
      j = try skipWhitespace(try body(j, nameEnd, k))
      if base[j] == UInt8(ascii: ",") {
        j = try skipWhitespace(j + 1)
      } else if base[j] == UInt8(ascii: "}") {
        return j + 1
      } else {
        throw error(j, "expected ',' or '}'")
      }
    }
  }

  /// Walks the elements of the array starting at `i`, handing where each starts to `body`,
  /// which returns where it ends; returns the offset just past the array.
  func elements(of i: Int, _ body: (Int) throws -> Int) throws -> Int {
    guard try byte(i) == UInt8(ascii: "[") else { throw error(i, "expected an array") }
    var j = try skipWhitespace(i + 1)
    if base[j] == UInt8(ascii: "]") { return j + 1 }
    while true {
      j = try skipWhitespace(try body(j))
      if base[j] == UInt8(ascii: ",") {
        j = try skipWhitespace(j + 1)
      } else if base[j] == UInt8(ascii: "]") {
        return j + 1
      } else {
        throw error(j, "expected ',' or ']'")
      }
    }
  }

  /// Appends the integers of the array starting at `i` to `out`; returns the offset just past
  /// the array (a packed checkpoint's figure or group).
  func integers(of i: Int, into out: inout [Int64]) throws -> Int {
    try elements(of: i) { n in
      let end = try skipValue(n)
      out.append(try integer(n, end: end, as: Int64.self))
      return end
    }
  }

  /// True when the string at `start..<end` (quotes included) is `name`, byte for byte (a name
  /// written with escapes is not).
  func name(_ start: Int, _ end: Int, is name: StaticString) -> Bool {
    let length = end - start - 2
    return name.utf8CodeUnitCount == length && memcmp(name.utf8Start, base + start + 1, length) == 0
  }

  /// The bytes between the quotes of the string at `start` (ending at `end`), when it holds no
  /// escape: then they are its UTF-8 (once validated).
  func plainStringBytes(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer? {
    let bytes = UnsafeRawBufferPointer(start: base + start + 1, count: end - start - 2)
    return bytes.contains(UInt8(ascii: "\\")) ? nil : bytes
  }
}

/// Why a packed JSON form (`PackedFigureTable`, `PackedRegisterGroups`) cannot be read: its
/// parts do not fit together. Decoders report it as the error of their kind.
struct PackedFormProblem: Error {
  var what: String
  init(_ what: String) { self.what = what }
}
