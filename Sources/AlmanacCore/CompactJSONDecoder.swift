import Foundation

/// Decodes the JSON of checkpoints (what `CompactJSONEncoder` and `JSONEncoder` write) straight
/// from its bytes.
///
/// Foundation's `JSONDecoder` first turns a whole document into a map of every value and then
/// decodes from the map: a resumed run decoding a province's 74 MB checkpoint peaked at 400 MB
/// and spent three seconds there. This decoder keeps no map: an object's members are found
/// when the object is opened (their values skipped over, not parsed), and each value is parsed
/// once, where it is decoded. What it does not handle (a number too large for the type asked
/// for, broken UTF-8, …) throws; `decode(_:from:)` then hands the document to `JSONDecoder`,
/// so callers get Foundation's answer in every case but speed.
public enum CompactJSONDecoder {
  /// `JSONDecoder().decode(type, from: data)`, faster and with far less memory.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    if let value = try? decodeBytes(type, from: data) { return value }
    return try JSONDecoder().decode(type, from: data)
  }

  /// This decoder alone (no fallback): for tests, and to tell where it differs.
  public static func decodeBytes<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try data.withUnsafeBytes { try decode(type, from: JSONScanner($0)) }
  }

  /// Decodes the file at `url` (a checkpoint) through a mapping whose pages are handed back
  /// as decoding passes them, so the file's text is never all resident beside its values.
  /// Falls back as `decode(_:from:)` does.
  public static func decode<T: Decodable>(_ type: T.Type, contentsOf url: URL) throws -> T {
    if let value = try? decodeMapped(type, contentsOf: url) { return value }
    return try JSONDecoder().decode(type, from: Data(contentsOf: url))
  }

  /// This decoder alone, from the file mapped (for tests). Pages are dropped about every
  /// `dropEvery` bytes of progress, those more than that far behind (tests make it small, so
  /// that pages are dropped and read again).
  public static func decodeMapped<T: Decodable>(_ type: T.Type, contentsOf url: URL, dropEvery: Int = 4 << 20)
    throws -> T
  {
    guard let file = MappedFile(url) else { return try decodeBytes(type, from: Data(contentsOf: url)) }
    let scanner = JSONScanner(file.bytes)
    scanner.passedStep = max(1, dropEvery)
    scanner.onPassed = { [step = scanner.passedStep] in file.dropPages(before: $0 - step) }
    return try decode(type, from: scanner)
  }

  private static func decode<T: Decodable>(_ type: T.Type, from scanner: JSONScanner) throws -> T {
    let start = try scanner.skipWhitespace(0)
    scanner.topStart = start
    let value = try decodeValue(type, scanner: scanner, at: start)
    // An object at the top was measured when it was opened; anything else is skipped again.
    let valueEnd = try scanner.topObjectEnd ?? scanner.skipValue(start)
    let end = try scanner.skipWhitespace(valueEnd, allowEnd: true)
    guard end == scanner.count else { throw scanner.error(end, "bytes after the value") }
    return value
  }
}

/// Positions in one JSON document. Every function takes the offset of a value's first byte
/// (or of whitespace before it) and returns an offset; nothing is copied until decoded.
final class JSONScanner {
  let base: UnsafePointer<UInt8>
  let count: Int

  /// Told the offsets decoding reaches, every `passedStep` bytes or so, as it moves forward
  /// (the bytes before one may be handed back: `MappedFile`).
  var onPassed: ((Int) -> Void)?
  var passedStep = Int.max
  private var lastPassed = 0
  /// Where the top-level value ends, when it is an object (found when it is opened).
  private(set) var topObjectEnd: Int?
  /// Where the top-level value starts.
  var topStart: Int?

  init(_ raw: UnsafeRawBufferPointer) {
    count = raw.count
    // An empty document still needs a pointer; it is never read past `count`.
    base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(Self.nothing)
  }

  nonisolated(unsafe) private static let nothing = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

  func error(_ at: Int, _ what: String) -> DecodingError {
    DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "JSON byte \(at): \(what)"))
  }

  @inline(__always) func byte(_ i: Int) throws -> UInt8 {
    guard i < count else { throw error(i, "unexpected end") }
    return base[i]
  }

  func skipWhitespace(_ i: Int, allowEnd: Bool = false) throws -> Int {
    var i = i
    while i < count, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
    if i >= count && !allowEnd { throw error(i, "unexpected end") }
    return i
  }

  /// Notes that decoding reached `i`; going back starts the count again from there.
  @inline(__always) func passed(_ i: Int) {
    if i &- lastPassed >= passedStep || i < lastPassed { reportPassed(i) }
  }

  private func reportPassed(_ i: Int) {
    if i > lastPassed { onPassed?(i) }
    lastPassed = i
  }

  /// The offset just past the value starting at `i`.
  func skipValue(_ i: Int) throws -> Int {
    switch try byte(i) {
    case 0x22: return try stringEnd(i)
    case 0x7B, 0x5B:
      var depth = 0
      var j = i
      while j < count {
        switch base[j] {
        case 0x22:
          j = try stringEnd(j)
          continue
        case 0x7B, 0x5B:
          depth += 1
          passed(j)
        case 0x7D, 0x5D:
          depth -= 1
          if depth == 0 { return j + 1 }
        default: break
        }
        j += 1
      }
      throw error(j, "unclosed container")
    default:
      var j = i
      while j < count {
        let b = base[j]
        if b == 0x2C || b == 0x7D || b == 0x5D || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
        j += 1
      }
      guard j > i else { throw error(i, "expected a value") }
      return j
    }
  }

  /// The offset just past the string starting (at its quote) at `i`.
  func stringEnd(_ i: Int) throws -> Int {
    var j = i + 1
    while j < count {
      switch base[j] {
      case 0x22: return j + 1
      case 0x5C: j += 2
      default: j += 1
      }
    }
    throw error(i, "unclosed string")
  }

  /// The string starting (at its quote) at `i`.
  func string(_ i: Int) throws -> String {
    guard try byte(i) == 0x22 else { throw error(i, "expected a string") }
    var j = i + 1
    while j < count, base[j] != 0x22, base[j] != 0x5C { j += 1 }
    if j < count, base[j] == 0x22 {
      // No escapes: the bytes are the text.
      guard let s = String(validating: UnsafeBufferPointer(start: base + i + 1, count: j - i - 1), as: UTF8.self)
      else { throw error(i, "invalid UTF-8") }
      return s
    }
    var bytes = Array(UnsafeBufferPointer(start: base + i + 1, count: j - i - 1))
    while j < count {
      let b = base[j]
      if b == 0x22 {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw error(i, "invalid UTF-8") }
        return s
      }
      if b != 0x5C {
        bytes.append(b)
        j += 1
        continue
      }
      let e = try byte(j + 1)
      j += 2
      switch e {
      case 0x22, 0x5C, 0x2F: bytes.append(e)
      case 0x62: bytes.append(0x08)
      case 0x66: bytes.append(0x0C)
      case 0x6E: bytes.append(0x0A)
      case 0x72: bytes.append(0x0D)
      case 0x74: bytes.append(0x09)
      case 0x75:
        var scalar = try hex4(j)
        j += 4
        if (0xD800..<0xDC00).contains(scalar) {
          // A high surrogate: its low half must follow as \uDC00-\uDFFF.
          guard try byte(j) == 0x5C, try byte(j + 1) == 0x75 else { throw error(j, "lone surrogate") }
          let low = try hex4(j + 2)
          guard (0xDC00..<0xE000).contains(low) else { throw error(j, "lone surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          j += 6
        }
        guard let u = Unicode.Scalar(scalar) else { throw error(j, "invalid escape") }
        bytes.append(contentsOf: String(Character(u)).utf8)
      default: throw error(j, "invalid escape")
      }
    }
    throw error(i, "unclosed string")
  }

  private func hex4(_ i: Int) throws -> UInt32 {
    var v: UInt32 = 0
    for k in 0..<4 {
      let b = try byte(i + k)
      let d: UInt8
      switch b {
      case 0x30...0x39: d = b - 0x30
      case 0x41...0x46: d = b - 0x41 + 10
      case 0x61...0x66: d = b - 0x61 + 10
      default: throw error(i + k, "invalid \\u escape")
      }
      v = v << 4 | UInt32(d)
    }
    return v
  }

  /// The literal or number starting at `i`, as text.
  func token(_ i: Int) throws -> Substring {
    token(i, end: try skipValue(i))
  }

  /// The literal or number at `i..<end` (its end already found), as text.
  func token(_ i: Int, end: Int) -> Substring {
    Substring(decoding: UnsafeBufferPointer(start: base + i, count: end - i), as: UTF8.self)
  }

  func isNull(_ i: Int) -> Bool {
    i + 4 <= count && base[i] == 0x6E && base[i + 1] == 0x75 && base[i + 2] == 0x6C && base[i + 3] == 0x6C
  }

  func integer<I: FixedWidthInteger>(_ i: Int, as type: I.Type) throws -> I {
    try integer(i, end: try skipValue(i), as: type)
  }

  /// `integer(_:as:)` for a number whose end is already found.
  func integer<I: FixedWidthInteger>(_ i: Int, end: Int, as: I.Type) throws -> I {
    // A sign and digits, 18 bytes at most (no Int64 overflow; all a checkpoint's counts and
    // lines need), are read in place: packed checkpoints hold millions of numbers. Anything
    // else is parsed as text.
    if end - i <= 18, end > i {
      var j = i
      let negative = base[j] == UInt8(ascii: "-")
      if negative { j += 1 }
      var v: Int64 = 0
      var digits = 0
      while j < end, base[j] &- 0x30 <= 9 {
        v = v &* 10 &+ Int64(base[j] &- 0x30)
        j += 1
        digits += 1
      }
      if j == end, digits > 0, let r = I(exactly: negative ? -v : v) { return r }
    }
    guard let v = I(token(i, end: end)) else { throw error(i, "expected an integer of type \(I.self)") }
    return v
  }

  /// The members of the object starting at `i`: keys and where their values start.
  func members(_ i: Int) throws -> [(key: String, at: Int)] {
    var out: [(key: String, at: Int)] = []
    let end = try forEachMember(of: i) { nameStart, _, value in
      out.append((try string(nameStart), value))
      return try skipValue(value)
    }
    if i == topStart { topObjectEnd = end }
    return out
  }
}

/// A decoder positioned at one value.
struct JSONValueDecoder: Decoder {
  let scanner: JSONScanner
  let at: Int
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    KeyedDecodingContainer(JSONKeyedDecoding<Key>(scanner: scanner, members: try scanner.members(at)))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard try scanner.byte(at) == 0x5B else { throw scanner.error(at, "expected an array") }
    return try JSONUnkeyedDecoding(scanner: scanner, at: at)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    JSONSingleValueDecoding(scanner: scanner, at: at)
  }
}

/// Decodes the value at `at` as `T`: the common leaves directly, anything else through its
/// `init(from:)`. Types `JSONDecoder` treats specially (exact decimals, base64 data) are
/// left to it: decoding them here would give other values.
///
/// Coding paths are not tracked (building one per value would cost an allocation each):
/// when decoding fails, `JSONDecoder` decodes again and its error names the path.
@inline(__always)
private func decodeValue<T: Decodable>(_ type: T.Type, scanner: JSONScanner, at: Int) throws -> T {
  if T.self == String.self, let v = try scanner.string(at) as? T { return v }
  if T.self == Int.self, let v = try scanner.integer(at, as: Int.self) as? T { return v }
  if T.self == Int64.self, let v = try scanner.integer(at, as: Int64.self) as? T { return v }
  if T.self == Bool.self, let v = try JSONSingleValueDecoding(scanner: scanner, at: at).decode(Bool.self) as? T {
    return v
  }
  if T.self == RegisterGroups.self, let v = try RegisterGroups.decodeJSON(scanner, at: at) as? T { return v }
  if T.self == FigureTable.self, let v = try FigureTable.decodeJSON(scanner, at: at) as? T { return v }
  if T.self == Decimal.self || T.self == Data.self || T.self == Date.self {
    throw scanner.error(at, "\(T.self) is left to JSONDecoder")
  }
  return try T(from: JSONValueDecoder(scanner: scanner, at: at))
}

struct JSONKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let scanner: JSONScanner
  let members: [(key: String, at: Int)]
  /// For objects with many members (dictionaries): key → value start, so that decoding every
  /// member is not quadratic. Small objects (structs) are searched in place.
  private let index: [String: Int]?
  var codingPath: [any CodingKey] { [] }

  init(scanner: JSONScanner, members: [(key: String, at: Int)]) {
    self.scanner = scanner
    self.members = members
    if members.count > 8 {
      var index: [String: Int] = [:]
      index.reserveCapacity(members.count)
      for m in members { index[m.key] = m.at }  // the last of equal keys, as JSONDecoder takes it
      self.index = index
    } else {
      index = nil
    }
  }

  var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

  private func position(_ key: Key) -> Int? {
    let name = key.stringValue
    if let index { return index[name] }
    return members.last { $0.key == name }?.at
  }

  private func require(_ key: Key) throws -> Int {
    guard let at = position(key) else {
      throw DecodingError.keyNotFound(
        key, .init(codingPath: [], debugDescription: "No value for key \(key.stringValue)"))
    }
    return at
  }

  func contains(_ key: Key) -> Bool { position(key) != nil }

  func decodeNil(forKey key: Key) throws -> Bool { scanner.isNull(try require(key)) }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let at = try require(key)
    if scanner.isNull(at) {
      throw DecodingError.valueNotFound(
        T.self, .init(codingPath: [], debugDescription: "null for key \(key.stringValue)"))
    }
    return try decodeValue(T.self, scanner: scanner, at: at)
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard let at = position(key), !scanner.isNull(at) else { return nil }
    return try decodeValue(T.self, scanner: scanner, at: at)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try JSONValueDecoder(scanner: scanner, at: try require(key)).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try JSONValueDecoder(scanner: scanner, at: try require(key)).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "super decoders are not used"))
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    JSONValueDecoder(scanner: scanner, at: try require(key))
  }
}

struct JSONUnkeyedDecoding: UnkeyedDecodingContainer {
  let scanner: JSONScanner
  var codingPath: [any CodingKey] { [] }
  /// Start of the next element, or of the closing bracket.
  private var next: Int
  private(set) var currentIndex = 0
  var count: Int? { nil }
  private(set) var isAtEnd: Bool

  init(scanner: JSONScanner, at: Int) throws {
    self.scanner = scanner
    next = try scanner.skipWhitespace(at + 1)
    isAtEnd = try scanner.byte(next) == 0x5D
  }

  /// Moves past the element at `next`.
  private mutating func advance() throws {
    var j = try scanner.skipWhitespace(try scanner.skipValue(next))
    switch try scanner.byte(j) {
    case 0x2C:
      j = try scanner.skipWhitespace(j + 1)
    case 0x5D:
      isAtEnd = true
    default:
      throw scanner.error(j, "expected ',' or ']'")
    }
    next = j
    currentIndex += 1
    scanner.passed(j)
  }

  private func element() throws -> Int {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(Any.self, .init(codingPath: [], debugDescription: "array ended"))
    }
    return next
  }

  mutating func decodeNil() throws -> Bool {
    guard scanner.isNull(try element()) else { return false }
    try advance()
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let at = try element()
    let value = try decodeValue(T.self, scanner: scanner, at: at)
    try advance()
    return value
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    let c = try JSONValueDecoder(scanner: scanner, at: try element()).container(keyedBy: type)
    try advance()
    return c
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let c = try JSONValueDecoder(scanner: scanner, at: try element()).unkeyedContainer()
    try advance()
    return c
  }

  mutating func superDecoder() throws -> any Decoder {
    let d = JSONValueDecoder(scanner: scanner, at: try element())
    try advance()
    return d
  }
}

struct JSONSingleValueDecoding: SingleValueDecodingContainer {
  let scanner: JSONScanner
  let at: Int
  var codingPath: [any CodingKey] { [] }

  func decodeNil() -> Bool { scanner.isNull(at) }

  func decode(_ type: Bool.Type) throws -> Bool {
    switch try scanner.token(at) {
    case "true": return true
    case "false": return false
    default: throw scanner.error(at, "expected true or false")
    }
  }

  func decode(_ type: String.Type) throws -> String { try scanner.string(at) }

  func decode(_ type: Double.Type) throws -> Double {
    guard let v = Double(try scanner.token(at)) else { throw scanner.error(at, "expected a number") }
    return v
  }

  func decode(_ type: Float.Type) throws -> Float {
    guard let v = Float(try scanner.token(at)) else { throw scanner.error(at, "expected a number") }
    return v
  }

  func decode(_ type: Int.Type) throws -> Int { try scanner.integer(at, as: Int.self) }
  func decode(_ type: Int8.Type) throws -> Int8 { try scanner.integer(at, as: Int8.self) }
  func decode(_ type: Int16.Type) throws -> Int16 { try scanner.integer(at, as: Int16.self) }
  func decode(_ type: Int32.Type) throws -> Int32 { try scanner.integer(at, as: Int32.self) }
  func decode(_ type: Int64.Type) throws -> Int64 { try scanner.integer(at, as: Int64.self) }
  func decode(_ type: UInt.Type) throws -> UInt { try scanner.integer(at, as: UInt.self) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try scanner.integer(at, as: UInt8.self) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try scanner.integer(at, as: UInt16.self) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try scanner.integer(at, as: UInt32.self) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try scanner.integer(at, as: UInt64.self) }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try decodeValue(T.self, scanner: scanner, at: at)
  }
}
