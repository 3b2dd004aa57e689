import Foundation

extension RegisterGroups {
  /// Reads the groups' JSON form (`PackedRegisterGroups`) at `at` straight into flat storage:
  /// what `CompactJSONDecoder` does for a `RegisterGroups`. Members may come in any order and
  /// unknown ones are skipped, as `Codable` does.
  static func decodePackedJSON(_ scanner: JSONScanner, at: Int) throws -> RegisterGroups {
    var groupsAt: Int?
    var stringsAt: Int?
    let end = try scanner.forEachMember(of: at) { nameStart, nameEnd, value in
      if scanner.name(nameStart, nameEnd, is: "groups") {
        groupsAt = value
      } else if scanner.name(nameStart, nameEnd, is: "strings") {
        stringsAt = value
      }
      return try scanner.skipValue(value)
    }
    guard let groupsAt, let stringsAt else { throw scanner.error(at, "register groups without groups or strings") }
    var groups = RegisterGroups()
    _ = try scanner.elements(of: stringsAt) { s in
      _ = groups.addString(try scanner.string(s))
      return try scanner.stringEnd(s)
    }
    var entry: [Int64] = []
    _ = try scanner.elements(of: groupsAt) { g in
      entry.removeAll(keepingCapacity: true)
      let groupEnd = try scanner.integers(of: g, into: &entry)
      do {
        try groups.appendPacked(entry)
      } catch let problem as PackedFormProblem {
        throw scanner.error(g, problem.what)
      }
      scanner.passed(groupEnd)
      return groupEnd
    }
    scanner.passed(end)
    groups.shrinkToFit()
    return groups
  }

  /// Reads the array of groups at `at` (the form of earlier versions) straight into flat
  /// storage.
  ///
  /// Through `Codable`, each group was a keyed container (its members listed, their key
  /// strings built) and three arrays, and each value a `String` hashed (which checks its
  /// normalization, character by character) to find the one stored: reading a province's
  /// ingest checkpoint (300,000 groups) took two seconds, most of a resumed normalize. Here a
  /// value's bytes are looked up among the register's strings by a hash of the bytes; a
  /// `String` is made once per distinct value. Strings are told apart by their bytes, so a
  /// value keeps the exact spelling it was written with.
  ///
  /// Members may come in any order and unknown ones are skipped, as `Codable` does; a missing
  /// `values`, `count` or `sampleLines`, or a value of the wrong kind, is an error (the
  /// caller then decodes again with `JSONDecoder`, whose error names the place).
  static func decodeJSON(_ scanner: JSONScanner, at: Int) throws -> RegisterGroups {
    if try scanner.byte(at) == UInt8(ascii: "{") { return try decodePackedJSON(scanner, at: at) }
    var groups = RegisterGroups()
    var strings = StringInterner()
    var values: [Int32] = []
    var keys: [Int32] = []
    var lines: [Int] = []
    _ = try scanner.elements(of: at) { group in
      scanner.passed(group)
      values.removeAll(keepingCapacity: true)
      keys.removeAll(keepingCapacity: true)
      lines.removeAll(keepingCapacity: true)
      var count: Int64?
      var sawValues = false
      var sawLines = false
      var keyed = false
      let end = try scanner.members(of: group) { name, v in
        switch name {
        case .values:
          sawValues = true
          return try scanner.elements(of: v) { e in
            values.append(try strings.index(scanner, at: e, into: &groups))
            return try scanner.stringEnd(e)
          }
        case .keys:
          if scanner.isNull(v) { return v + 4 }
          keyed = true
          return try scanner.elements(of: v) { e in
            if scanner.isNull(e) {
              keys.append(-1)
              return e + 4
            }
            keys.append(try strings.index(scanner, at: e, into: &groups))
            return try scanner.stringEnd(e)
          }
        case .count:
          let end = try scanner.skipValue(v)
          count = try scanner.integer(v, end: end, as: Int64.self)
          return end
        case .sampleLines:
          sawLines = true
          return try scanner.elements(of: v) { e in
            let end = try scanner.skipValue(e)
            lines.append(try scanner.integer(e, end: end, as: Int.self))
            return end
          }
        case .other:
          return try scanner.skipValue(v)
        }
      }
      guard let count, sawValues, sawLines else { throw scanner.error(group, "a register group lacks a member") }
      groups.append(
        count: count, sampleLines: lines, valueCount: values.count, value: { values[$0] },
        keyCount: keyed ? keys.count : nil, key: { keys[$0] })
      return end
    }
    groups.shrinkToFit()
    return groups
  }

  /// A register's distinct strings by their UTF-8 bytes (`ByteInterner`, as ingest groups
  /// them): the index of each in the register's string table.
  private struct StringInterner {
    private var known = ByteInterner()

    /// The index in `groups`' string table of the string starting (at its quote) at `at`,
    /// added when new.
    mutating func index(_ scanner: JSONScanner, at: Int, into groups: inout RegisterGroups) throws -> Int32 {
      guard try scanner.byte(at) == UInt8(ascii: "\"") else { throw scanner.error(at, "expected a string") }
      guard let raw = scanner.plainStringBytes(at, try scanner.stringEnd(at)) else {
        // Escaped: looked up by the bytes of the text it stands for.
        let text = try scanner.string(at)
        return Array(text.utf8).withUnsafeBytes { find($0, groups: &groups) { text } }
      }
      return try find(raw, groups: &groups) {
        guard let s = String(validating: raw, as: UTF8.self) else { throw scanner.error(at, "invalid UTF-8") }
        return s
      }
    }

    private mutating func find(
      _ bytes: UnsafeRawBufferPointer, groups: inout RegisterGroups, make: () throws -> String
    ) rethrows -> Int32 {
      let hash = ByteInterner.hash(bytes)
      if let index = known.find(bytes, hash: hash) { return index }
      let index = groups.addString(try make())
      known.insert(bytes, hash: hash, value: index)
      return index
    }
  }
}

/// The members of a register group that `RegisterGroups.decodeJSON` reads.
enum RegisterGroupMember {
  case values, keys, count, sampleLines, other

  /// The member named by the key string at `at..<end` (quotes included); escaped keys are
  /// never one of these.
  init(_ scanner: JSONScanner, at: Int, end: Int) {
    if scanner.name(at, end, is: "values") {
      self = .values
    } else if scanner.name(at, end, is: "keys") {
      self = .keys
    } else if scanner.name(at, end, is: "count") {
      self = .count
    } else if scanner.name(at, end, is: "sampleLines") {
      self = .sampleLines
    } else {
      self = .other
    }
  }
}

extension JSONScanner {
  /// Walks the members of the object starting at `i`, handing each member's name and where
  /// its value starts to `body`, which returns where the value ends; returns the offset just
  /// past the object.
  func members(of i: Int, _ body: (RegisterGroupMember, Int) throws -> Int) throws -> Int {
    try forEachMember(of: i) { nameStart, nameEnd, value in
      try body(RegisterGroupMember(self, at: nameStart, end: nameEnd), value)
    }
  }
}
