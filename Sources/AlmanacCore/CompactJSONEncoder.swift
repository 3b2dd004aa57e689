import Foundation

/// Writes `Encodable` values as compact JSON straight into one byte buffer: the bytes
/// Foundation's `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` on Linux
/// (keys in UTF-8 order, the same escapes), several times faster, because stage checkpoints of
/// hundreds of thousands of figures are encoded on every run.
///
/// Values it does not write itself — floating point, `Decimal`, `Date`, `Data`, `URL`, nested
/// or super containers — make it throw `Unsupported`; `AtomicFile.json` then falls back to
/// `JSONEncoder`, so the output never depends on which encoder ran.
public enum CompactJSONEncoder {
  /// A value this encoder leaves to `JSONEncoder`.
  public struct Unsupported: Error, Sendable {
    public var what: String
  }

  public static func encode<T: Encodable>(_ value: T) throws -> Data {
    let writer = JSONByteWriter()
    try writer.encodeValue(value)
    return Data(writer.bytes)
  }
}

/// The shared output buffer and the value dispatch.
final class JSONByteWriter {
  var bytes: [UInt8] = []

  init() {
    bytes.reserveCapacity(1 << 16)
  }

  /// Writes one value; containers a custom `encode(to:)` opens are closed when it returns.
  func encodeValue<T: Encodable>(_ value: T) throws {
    // Metatype comparisons first: cheaper than a chain of dynamic casts on every value.
    if T.self == String.self, let s = value as? String {
      writeString(s)
    } else if T.self == Int.self, let i = value as? Int {
      writeInteger(i)
    } else if T.self == Int64.self, let i = value as? Int64 {
      writeInteger(i)
    } else if T.self == Bool.self, let b = value as? Bool {
      write(b ? "true" : "false")
    } else if T.self == Double.self || T.self == Float.self || T.self == Decimal.self || T.self == Date.self
      || T.self == Data.self || T.self == URL.self
    {
      throw CompactJSONEncoder.Unsupported(what: "\(T.self)")
    } else {
      let encoder = JSONByteEncoder(writer: self)
      try value.encode(to: encoder)
      try encoder.close()
    }
  }

  @inline(__always)
  func write(_ s: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  func writeInteger<I: BinaryInteger>(_ i: I) {
    bytes.append(contentsOf: String(i).utf8)
  }

  func writeString(_ s: String) {
    bytes.append(0x22)
    var copy = s
    copy.withUTF8 { utf8 in
      var mark = 0
      for (i, b) in utf8.enumerated() {
        let escape: [UInt8]
        switch b {
        case 0x22: escape = [0x5C, 0x22]
        case 0x5C: escape = [0x5C, 0x5C]
        case 0x08: escape = [0x5C, UInt8(ascii: "b")]
        case 0x0C: escape = [0x5C, UInt8(ascii: "f")]
        case 0x0A: escape = [0x5C, UInt8(ascii: "n")]
        case 0x0D: escape = [0x5C, UInt8(ascii: "r")]
        case 0x09: escape = [0x5C, UInt8(ascii: "t")]
        case 0x00...0x1F:
          let hex = Array("0123456789abcdef".utf8)
          escape = [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
        default:
          continue
        }
        if i > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<i])) }
        bytes.append(contentsOf: escape)
        mark = i + 1
      }
      if utf8.count > mark { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...])) }
    }
    bytes.append(0x22)
  }
}

/// The `Encoder` handed to a value's `encode(to:)`: at most one container, written in place.
final class JSONByteEncoder: Encoder {
  let writer: JSONByteWriter
  // Only error messages use coding paths, and this encoder reports none: kept empty.
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  private var keyed: JSONKeyedStorage?
  private var unkeyed: JSONUnkeyedStorage?
  private var wroteSingle = false

  init(writer: JSONByteWriter) {
    self.writer = writer
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if keyed == nil { keyed = JSONKeyedStorage(writer: writer, start: writer.bytes.count) }
    return KeyedEncodingContainer(
      JSONKeyedContainer<Key>(storage: keyed ?? JSONKeyedStorage(writer: writer, start: 0), encoder: self))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if unkeyed == nil {
      writer.bytes.append(0x5B)
      unkeyed = JSONUnkeyedStorage()
    }
    return JSONUnkeyedContainer(storage: unkeyed ?? JSONUnkeyedStorage(), encoder: self)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    JSONSingleValueContainer(encoder: self)
  }

  /// Ends what `encode(to:)` wrote: sorts a keyed container's entries, closes an array.
  func close() throws {
    if let keyed {
      guard unkeyed == nil, !wroteSingle else { throw CompactJSONEncoder.Unsupported(what: "mixed containers") }
      try keyed.close()
    } else if unkeyed != nil {
      guard !wroteSingle else { throw CompactJSONEncoder.Unsupported(what: "mixed containers") }
      writer.bytes.append(0x5D)
    } else if !wroteSingle {
      throw CompactJSONEncoder.Unsupported(what: "a value that encodes nothing")
    }
  }

  func noteSingleValue() throws {
    guard !wroteSingle, keyed == nil, unkeyed == nil else {
      throw CompactJSONEncoder.Unsupported(what: "several values in one single-value container")
    }
    wroteSingle = true
  }
}

/// A keyed container's entries: values written in call order, keys sorted on close.
final class JSONKeyedStorage {
  let writer: JSONByteWriter
  let start: Int
  var entries: [(key: String, start: Int, end: Int)] = []

  init(writer: JSONByteWriter, start: Int) {
    self.writer = writer
    self.start = start
  }

  func close() throws {
    let body = Array(writer.bytes[start...])
    writer.bytes.removeSubrange(start...)
    writer.bytes.append(0x7B)
    // Stable sort, then the last of equal keys wins (as in a dictionary).
    let order = entries.indices.sorted { a, b in
      let ka = entries[a].key.utf8, kb = entries[b].key.utf8
      if ka.elementsEqual(kb) { return a < b }
      return ka.lexicographicallyPrecedes(kb)
    }
    var first = true
    for (n, i) in order.enumerated() {
      if n + 1 < order.count, entries[order[n + 1]].key == entries[i].key { continue }
      if !first { writer.bytes.append(0x2C) }
      first = false
      writer.writeString(entries[i].key)
      writer.bytes.append(0x3A)
      writer.bytes.append(contentsOf: body[(entries[i].start - start)..<(entries[i].end - start)])
    }
    writer.bytes.append(0x7D)
  }
}

final class JSONUnkeyedStorage {
  var count = 0
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let storage: JSONKeyedStorage
  let encoder: JSONByteEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func entry(_ key: Key, _ body: () throws -> Void) rethrows {
    let start = storage.writer.bytes.count
    try body()
    storage.entries.append((key.stringValue, start, storage.writer.bytes.count))
  }

  mutating func encodeNil(forKey key: Key) throws { entry(key) { storage.writer.write("null") } }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try entry(key) { try storage.writer.encodeValue(value) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: codingPath))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    JSONFailingUnkeyedContainer(codingPath: codingPath)
  }

  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
  let storage: JSONUnkeyedStorage
  let encoder: JSONByteEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }
  var count: Int { storage.count }

  private func separate() {
    if storage.count > 0 { encoder.writer.bytes.append(0x2C) }
    storage.count += 1
  }

  mutating func encodeNil() throws {
    separate()
    encoder.writer.write("null")
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    separate()
    try encoder.writer.encodeValue(value)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: codingPath))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    JSONFailingUnkeyedContainer(codingPath: codingPath)
  }

  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
  let encoder: JSONByteEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  mutating func encodeNil() throws {
    try encoder.noteSingleValue()
    encoder.writer.write("null")
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try encoder.noteSingleValue()
    try encoder.writer.encodeValue(value)
  }
}

/// Stands in for the nested and super containers this encoder does not write: any use throws.
struct JSONFailingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  var codingPath: [any CodingKey]
  private func fail() -> CompactJSONEncoder.Unsupported { .init(what: "nested container") }
  mutating func encodeNil(forKey key: Key) throws { throw fail() }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw fail() }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: codingPath))
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    JSONFailingUnkeyedContainer(codingPath: codingPath)
  }
  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
}

struct JSONFailingUnkeyedContainer: UnkeyedEncodingContainer {
  var codingPath: [any CodingKey]
  var count: Int { 0 }
  private func fail() -> CompactJSONEncoder.Unsupported { .init(what: "nested container") }
  mutating func encodeNil() throws { throw fail() }
  mutating func encode<T: Encodable>(_ value: T) throws { throw fail() }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: codingPath))
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    JSONFailingUnkeyedContainer(codingPath: codingPath)
  }
  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: codingPath) }
}

struct JSONFailingEncoder: Encoder {
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(JSONFailingKeyedContainer<Key>(codingPath: codingPath))
  }
  func unkeyedContainer() -> any UnkeyedEncodingContainer { JSONFailingUnkeyedContainer(codingPath: codingPath) }
  func singleValueContainer() -> any SingleValueEncodingContainer { JSONFailingSingleValue(codingPath: codingPath) }
}

struct JSONFailingSingleValue: SingleValueEncodingContainer {
  var codingPath: [any CodingKey]
  mutating func encodeNil() throws { throw CompactJSONEncoder.Unsupported(what: "super encoder") }
  mutating func encode<T: Encodable>(_ value: T) throws { throw CompactJSONEncoder.Unsupported(what: "super encoder") }
}
