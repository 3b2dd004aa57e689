import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    Data(try encodeBytes(value))
  }

  /// From this many bytes on, a keyed container is put in order without copying its largest
  /// entry: a stage output is one object whose largest entry is nearly all of it, and copying
  /// it aside would double the encoder's peak memory (70 MB more for a province).
  public static let defaultLargeContainer = 1 << 20

  /// The JSON as the buffer it was written into (no copy: stage outputs are tens of megabytes).
  /// `expectedSize` reserves the buffer at once: growing a 70 MB buffer by doubling holds up to
  /// three times that while it copies.
  /// `largeContainer`: keyed containers from this size on are ordered without copying their
  /// largest entry aside (the bytes are the same; tests lower it to cover that path).
  public static func encodeBytes<T: Encodable>(
    _ value: T, expectedSize: Int = 0, largeContainer: Int = defaultLargeContainer
  ) throws -> [UInt8] {
    let writer = JSONByteWriter(reserving: expectedSize, largeContainer: largeContainer)
    try writer.encodeValue(value)
    return writer.bytes
  }

  /// Writes the JSON (and a final newline) to `sink` in pieces of about `flushEvery` bytes as
  /// it is made, so a stage output is never whole in memory. This works when the outer objects
  /// (the value and the objects directly inside it) list their keys in sorted order, as the
  /// stage outputs do; elements of large arrays are then handed on as they are written. Throws
  /// `Unsupported` when the value cannot be written this way — `sink` may then have received
  /// part of it, and the caller starts over with `encodeBytes`.
  public static func stream<T: Encodable>(
    _ value: T, flushEvery: Int = 1 << 20, to sink: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let writer = JSONByteWriter(reserving: flushEvery + (1 << 16))
    writer.sink = sink
    writer.flushEvery = flushEvery
    try writer.encodeValue(value)
    writer.bytes.append(0x0A)
    try writer.flush()
  }
}

/// The shared output buffer, the value dispatch and a stack of open containers (frames), kept
/// between values so that encoding a figure allocates almost nothing.
final class JSONByteWriter {
  /// The output. Behind a pointer: a class's stored array would be checked for exclusive
  /// access on every append (tens of millions per stage output).
  var bytes: [UInt8] {
    _read { yield storage.pointee }
    _modify { yield &storage.pointee }
  }
  private let storage: UnsafeMutablePointer<[UInt8]>
  /// Open containers, innermost last; `depth` of them are in use, the rest keep their capacity.
  var frames: [JSONFrame] = []
  var depth = 0
  /// Reused when a keyed container's entries are put in key order.
  private var scratch: [UInt8] = []
  /// Where the output goes when streamed (`CompactJSONEncoder.stream`), and how much of it
  /// has gone: positions in `frames` count from the start of the whole output, `bytes` holds
  /// what follows `flushed`.
  var sink: ((UnsafeRawBufferPointer) throws -> Void)?
  var flushEvery = Int.max
  private(set) var flushed = 0
  /// The position in the whole output where the next byte goes.
  var position: Int { flushed + bytes.count }
  /// Keyed containers this shallow write their keys as they come, as long as the keys come in
  /// order; only they can be streamed past (deeper ones are small and ordered when closed).
  static let eagerDepth = 2

  /// See `CompactJSONEncoder.defaultLargeContainer`.
  private let largeContainer: Int

  init(reserving capacity: Int = 0, largeContainer: Int = CompactJSONEncoder.defaultLargeContainer) {
    self.largeContainer = largeContainer
    storage = .allocate(capacity: 1)
    storage.initialize(to: [])
    storage.pointee.reserveCapacity(max(1 << 16, capacity))
  }

  deinit {
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// Writes one value; the container its `encode(to:)` opens is closed when it returns.
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
    } else if writeKnown(value) {
      return
    } else if T.self is any FixedWidthInteger.Type, let i = value as? any FixedWidthInteger {
      // The other integer widths: their `encode(to:)` would hand them back to this writer.
      bytes.append(contentsOf: String(describing: i).utf8)
    } else if T.self == Double.self || T.self == Float.self || T.self == Decimal.self || T.self == Date.self
      || T.self == Data.self || T.self == URL.self
    {
      throw CompactJSONEncoder.Unsupported(what: "\(T.self)")
    } else {
      let frame = try push()
      try value.encode(to: JSONByteEncoder(writer: self, frame: frame))
      try close(frame)
    }
  }

  // MARK: - The hottest types, written without the Codable machinery
  //
  // Stage checkpoints hold hundreds of thousands of figures. These writers produce what the
  // synthesized (or, for `CellValue`, hand-written) `Codable` conformances produce; the tests
  // compare whole sheets and submissions with `JSONEncoder`, so a property added to one of
  // these types without updating its writer fails them.

  /// Writes `value` directly when it is one of the hot types; false otherwise.
  private func writeKnown<T: Encodable>(_ value: T) -> Bool {
    if T.self == FigureTable.self, let t = value as? FigureTable {
      writeFigures(t)
    } else if T.self == Figure.self, let f = value as? Figure {
      writeFigure(f)
    } else if T.self == [SourceRef].self, let refs = value as? [SourceRef] {
      writeSources(refs)
    } else if T.self == RegisterGroups.self, let groups = value as? RegisterGroups {
      writeGroups(groups)
    } else {
      return false
    }
    return true
  }

  /// A table in its JSON form (`PackedFigureTable`, which `FigureTable.packed` builds): the
  /// same bytes, written from the table's own storage (no figure or source list is rebuilt).
  private func writeFigures(_ table: FigureTable) {
    write("{\"counts\":[")
    // Files numbered in the order the figures first cite them, as `packed` numbers them.
    var numbers = [Int](repeating: -1, count: table.fileCount)
    var cited: [Int] = []
    var whole: [Int] = []
    for at in table.keys.indices {
      if at > 0 { bytes.append(0x2C) }
      bytes.append(0x5B)
      if let number = table.plainNumber(at: at) {
        writeInteger(number)
        table.forEachSource(at: at) { file, line, column in
          if numbers[file] < 0 {
            numbers[file] = cited.count
            cited.append(file)
          }
          bytes.append(0x2C)
          writeInteger(numbers[file])
          bytes.append(0x2C)
          writeInteger(line)
          bytes.append(0x2C)
          writeInteger(column)
        }
      } else {
        whole.append(at)
      }
      bytes.append(0x5D)
    }
    write("],\"files\":[")
    for (i, file) in cited.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      let (path, sha256) = table.file(file)
      bytes.append(0x5B)
      writeString(path)
      bytes.append(0x2C)
      writeString(sha256)
      bytes.append(0x5D)
    }
    write("],\"keys\":[")
    for (i, key) in table.keys.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      writeString(key)
    }
    write("],\"others\":[")
    for (i, at) in whole.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      writeFigure(table.figure(at: at))
    }
    write("]}")
  }

  private func writeFigure(_ f: Figure) {
    write("{\"raw\":")
    writeString(f.raw)
    write(",\"sources\":")
    writeSources(f.sources)
    if let unit = f.unit {
      write(",\"unit\":")
      writeString(unit)
    }
    write(",\"value\":")
    switch f.value {
    case .integer(let v):
      write("{\"i\":")
      writeString(String(v))
    case .decimal(let v):
      write("{\"d\":")
      writeString(DecimalFormat.plain(v))
    case .blank(let t):
      write("{\"b\":")
      writeString(t)
    case .text(let t):
      write("{\"t\":")
      writeString(t)
    }
    write("}}")
  }

  private func writeSources(_ refs: [SourceRef]) {
    bytes.append(0x5B)
    for (i, r) in refs.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      write("{\"column\":")
      writeInteger(r.column)
      write(",\"file\":")
      writeString(r.file)
      write(",\"line\":")
      writeInteger(r.line)
      write(",\"sha256\":")
      writeString(r.sha256)
      bytes.append(0x7D)
    }
    bytes.append(0x5D)
  }

  /// A register's groups in their JSON form (`PackedRegisterGroups`, which
  /// `RegisterGroups.packed` builds): the same bytes, without an array per group.
  private func writeGroups(_ groups: RegisterGroups) {
    write("{\"groups\":[")
    var numbering = RegisterGroups.StringNumbering(strings: groups.stringCount)
    var entry: [Int64] = []
    for g in groups.indices {
      if g > 0 { bytes.append(0x2C) }
      entry.removeAll(keepingCapacity: true)
      groups.appendPacked(g, numbering: &numbering, to: &entry)
      bytes.append(0x5B)
      for (i, n) in entry.enumerated() {
        if i > 0 { bytes.append(0x2C) }
        writeInteger(n)
      }
      bytes.append(0x5D)
    }
    write("],\"strings\":[")
    for (i, index) in numbering.cited.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      writeString(groups.string(index))
    }
    write("]}")
  }

  private func push() throws -> Int {
    // As deep as `JSONEncoder` goes; deeper means a value that keeps handing itself back.
    guard depth < 512 else { throw CompactJSONEncoder.Unsupported(what: "nesting deeper than 512") }
    if depth == frames.count { frames.append(JSONFrame()) }
    frames[depth].kind = .none
    frames[depth].start = position
    frames[depth].inOrder = true
    frames[depth].lastKey = nil
    frames[depth].count = 0
    frames[depth].entries.removeAll(keepingCapacity: true)
    depth += 1
    return depth - 1
  }

  /// Ends what `encode(to:)` wrote: sorts a keyed container's entries, closes an array.
  private func close(_ frame: Int) throws {
    defer { depth = frame }
    switch frames[frame].kind {
    case .none: throw CompactJSONEncoder.Unsupported(what: "a value that encodes nothing")
    case .single: break
    case .unkeyed: bytes.append(0x5D)
    case .keyed:
      if frame < Self.eagerDepth, frames[frame].inOrder {
        bytes.append(0x7D)  // its keys are written already, in order
      } else {
        guard frames[frame].start >= flushed else {
          throw CompactJSONEncoder.Unsupported(what: "keys out of order in an object already streamed")
        }
        closeKeyed(frame)
      }
    }
  }

  /// Hands what is written to the sink when streaming, enough has piled up and every open
  /// container allows it (arrays, and shallow objects whose keys came in order so far).
  func flushIfDue() throws {
    guard sink != nil, bytes.count >= flushEvery else { return }
    for f in 0..<depth where frames[f].kind == .keyed && !(f < Self.eagerDepth && frames[f].inOrder) { return }
    try flush()
  }

  func flush() throws {
    guard let sink else { return }
    try bytes.withUnsafeBytes { try sink($0) }
    flushed += bytes.count
    bytes.removeAll(keepingCapacity: true)
  }

  /// Writes `key` now if its container is shallow and its keys so far are in order; otherwise
  /// (from now on) the container is put in order when it closes.
  func writeKeyInOrder(_ key: String, frame: Int) {
    guard frame < Self.eagerDepth, frames[frame].inOrder else { return }
    if let last = frames[frame].lastKey, String.compareUTF8(last, key) >= 0 {
      frames[frame].inOrder = false
      return
    }
    writeKey(key, first: frames[frame].lastKey == nil)
    frames[frame].lastKey = key
  }

  /// `"key":`, after a comma unless it is its object's first entry.
  private func writeKey(_ key: String, first: Bool) {
    if !first { bytes.append(0x2C) }
    writeString(key)
    bytes.append(0x3A)
  }

  private func closeKeyed(_ frame: Int) {
    let start = frames[frame].start - flushed
    // Positions in `bytes` from here on.
    if flushed > 0 {
      for n in frames[frame].entries.indices {
        frames[frame].entries[n].start -= flushed
        frames[frame].entries[n].end -= flushed
      }
    }
    // Stable: equal keys keep call order, and the last of them wins (as in a dictionary).
    frames[frame].entries.sort { a, b in
      let order = String.compareUTF8(a.key, b.key)
      return order == 0 ? a.start < b.start : order < 0
    }
    let entries = frames[frame].entries
    var kept: [Int] = []
    kept.reserveCapacity(entries.count)
    for n in entries.indices where !(n + 1 < entries.count && entries[n + 1].key == entries[n].key) {
      kept.append(n)
    }
    if !kept.isEmpty, bytes.count - start >= largeContainer {
      closeKeyedInPlace(frame, kept: kept)
      return
    }
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: bytes[start...])
    bytes.removeSubrange(start...)
    bytes.append(0x7B)
    for (i, n) in kept.enumerated() {
      let e = entries[n]
      writeKey(e.key, first: i == 0)
      bytes.append(contentsOf: scratch[(e.start - start)..<(e.end - start)])
    }
    bytes.append(0x7D)
  }

  /// What `closeKeyed` does, for a large container: everything but the largest entry is
  /// written, in order and with its keys, into `scratch`; the largest entry is moved once to
  /// its final place inside the buffer; the rest is copied around it.
  private func closeKeyedInPlace(_ frame: Int, kept: [Int]) {
    let start = frames[frame].start - flushed
    let entries = frames[frame].entries
    // The caller checked `kept` is not empty.
    let largest =
      kept.indices.max { a, b in
        let ea = entries[kept[a]]
        let eb = entries[kept[b]]
        return ea.end - ea.start < eb.end - eb.start
      } ?? 0
    // Head (before the largest value) and tail (after it) are written into what is now
    // `scratch`, by the same writers, reading values from the buffer swapped out of the way.
    swap(&storage.pointee, &scratch)
    bytes.removeAll(keepingCapacity: true)
    bytes.append(0x7B)
    var headCount = 0
    for (i, n) in kept.enumerated() {
      let e = entries[n]
      writeKey(e.key, first: i == 0)
      if i == largest {
        headCount = bytes.count  // its value goes here, moved into place below
      } else {
        bytes.append(contentsOf: scratch[e.start..<e.end])
      }
    }
    bytes.append(0x7D)
    swap(&storage.pointee, &scratch)

    let big = entries[kept[largest]]
    let bigCount = big.end - big.start
    let finalEnd = start + scratch.count + bigCount
    if finalEnd > bytes.count { bytes.append(contentsOf: repeatElement(0, count: finalEnd - bytes.count)) }
    bytes.withUnsafeMutableBytes { out in
      guard let base = out.baseAddress else { return }
      memmove(base + start + headCount, base + big.start, bigCount)
      scratch.withUnsafeBytes { parts in
        guard let from = parts.baseAddress else { return }
        memcpy(base + start, from, headCount)
        memcpy(base + start + headCount + bigCount, from + headCount, parts.count - headCount)
      }
    }
    if finalEnd < bytes.count { bytes.removeSubrange(finalEnd...) }
  }

  @inline(__always)
  func write(_ s: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  func writeInteger<I: BinaryInteger>(_ i: I) {
    guard let v = Int64(exactly: i) else {
      bytes.append(contentsOf: String(i).utf8)
      return
    }
    Self.withDigits(of: v) { bytes.append(contentsOf: $0) }
  }

  /// The decimal digits of `v` (with a leading `-` if negative), made in a stack buffer: no
  /// `String` per number (line and column numbers are most of a checkpoint's numbers).
  private static func withDigits(of v: Int64, _ body: (UnsafeRawBufferPointer) -> Void) {
    var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &buffer) { digits in
      var n = v.magnitude
      var at = digits.count
      repeat {
        at -= 1
        digits[at] = UInt8(truncatingIfNeeded: 0x30 &+ n % 10)
        n /= 10
      } while n > 0
      if v < 0 {
        at -= 1
        digits[at] = 0x2D
      }
      body(UnsafeRawBufferPointer(rebasing: digits[at...]))
    }
  }

  func writeString(_ s: String) {
    bytes.append(0x22)
    // Native strings hand out their UTF-8 in place; others (bridged) are copied once.
    if s.utf8.withContiguousStorageIfAvailable({ writeEscaped($0) }) == nil {
      writeEscaped(Array(s.utf8)[...])
    }
    bytes.append(0x22)
  }

  private func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
    // Most strings need no escape: one scan, one copy.
    if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      bytes.append(contentsOf: utf8)
      return
    }
    writeEscapedSlow(utf8)
  }

  private func writeEscaped(_ utf8: ArraySlice<UInt8>) {
    utf8.withUnsafeBufferPointer { writeEscaped($0) }
  }

  private func writeEscapedSlow(_ utf8: UnsafeBufferPointer<UInt8>) {
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
}

/// One open container.
struct JSONFrame {
  enum Kind { case none, single, keyed, unkeyed }
  var kind = Kind.none
  var start = 0
  /// Elements written so far (arrays).
  var count = 0
  var entries: [(key: String, start: Int, end: Int)] = []
  /// Shallow keyed containers: every key so far came after the one before it (and was written).
  var inOrder = true
  var lastKey: String?
}

/// The `Encoder` handed to a value's `encode(to:)`: one container, written in place.
struct JSONByteEncoder: Encoder {
  let writer: JSONByteWriter
  let frame: Int
  // Only error messages use coding paths, and this encoder reports none: kept empty.
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    switch writer.frames[frame].kind {
    case .none:
      writer.frames[frame].kind = .keyed
      // Shallow containers write their keys as they come (see `writeKeyInOrder`).
      if frame < JSONByteWriter.eagerDepth { writer.bytes.append(0x7B) }
      return KeyedEncodingContainer(JSONKeyedContainer<Key>(writer: writer, frame: frame))
    case .keyed:
      return KeyedEncodingContainer(JSONKeyedContainer<Key>(writer: writer, frame: frame))
    default:
      return KeyedEncodingContainer(JSONFailingKeyedContainer<Key>(codingPath: []))
    }
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    switch writer.frames[frame].kind {
    case .none:
      writer.frames[frame].kind = .unkeyed
      writer.bytes.append(0x5B)
      return JSONUnkeyedContainer(writer: writer, frame: frame)
    case .unkeyed:
      return JSONUnkeyedContainer(writer: writer, frame: frame)
    default:
      return JSONFailingUnkeyedContainer(codingPath: [])
    }
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    JSONSingleValueContainer(writer: writer, frame: frame)
  }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let writer: JSONByteWriter
  let frame: Int
  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil(forKey key: Key) throws {
    let name = key.stringValue
    writer.writeKeyInOrder(name, frame: frame)
    let start = writer.position
    writer.write("null")
    writer.frames[frame].entries.append((name, start, writer.position))
  }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    guard writer.depth == frame + 1 else { throw CompactJSONEncoder.Unsupported(what: "interleaved containers") }
    let name = key.stringValue
    writer.writeKeyInOrder(name, frame: frame)
    let start = writer.position
    try writer.encodeValue(value)
    writer.frames[frame].entries.append((name, start, writer.position))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: []))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    JSONFailingUnkeyedContainer(codingPath: [])
  }

  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: []) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { JSONFailingEncoder(codingPath: []) }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
  let writer: JSONByteWriter
  let frame: Int
  var codingPath: [any CodingKey] { [] }
  var count: Int { writer.frames[frame].count }

  private func separate() throws {
    guard writer.depth == frame + 1 else { throw CompactJSONEncoder.Unsupported(what: "interleaved containers") }
    if writer.frames[frame].count > 0 { writer.bytes.append(0x2C) }
    writer.frames[frame].count += 1
  }

  mutating func encodeNil() throws {
    try separate()
    writer.write("null")
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try separate()
    try writer.encodeValue(value)
    try writer.flushIfDue()
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(JSONFailingKeyedContainer<NestedKey>(codingPath: []))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { JSONFailingUnkeyedContainer(codingPath: []) }

  mutating func superEncoder() -> any Encoder { JSONFailingEncoder(codingPath: []) }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
  let writer: JSONByteWriter
  let frame: Int
  var codingPath: [any CodingKey] { [] }

  private func claim() throws {
    guard writer.frames[frame].kind == .none, writer.depth == frame + 1 else {
      throw CompactJSONEncoder.Unsupported(what: "several values in one single-value container")
    }
    writer.frames[frame].kind = .single
  }

  mutating func encodeNil() throws {
    try claim()
    writer.write("null")
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try claim()
    try writer.encodeValue(value)
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
