import AlmanacCore
import Foundation
import Testing

@Suite struct BuildIdentityTests {
  /// A minimal ELF64 little-endian file: a header, the program header table and one note
  /// segment holding `notes` (already padded), aligned to `align`.
  static func elf(notes: [UInt8], align: UInt64) -> Data {
    func le(_ v: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let headerSize = 64
    let entrySize = 56
    let notesOffset = headerSize + entrySize
    var header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
    header += le(2, 2) + le(0x3E, 2) + le(1, 4) + le(0, 8)  // type, machine, version, entry
    header += le(UInt64(headerSize), 8) + le(0, 8) + le(0, 4)  // program headers at 64, no sections, flags
    header += le(UInt64(headerSize), 2) + le(UInt64(entrySize), 2) + le(1, 2)  // sizes, one entry
    header += le(64, 2) + le(0, 2) + le(0, 2)
    var entry = le(4, 4) + le(4, 4)  // PT_NOTE, readable
    entry += le(UInt64(notesOffset), 8) + le(0, 8) + le(0, 8)  // offset, addresses
    entry += le(UInt64(notes.count), 8) + le(UInt64(notes.count), 8) + le(align, 8)
    return Data(header + entry + notes)
  }

  /// One note: name and descriptor, each padded to `align`.
  static func note(type: UInt32, name: String, desc: [UInt8], align: Int) -> [UInt8] {
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    func pad(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (align - b.count % align) % align) }
    let nameBytes = Array(name.utf8) + [0]
    return le32(nameBytes.count) + le32(desc.count) + le32(Int(type)) + pad(nameBytes) + pad(desc)
  }

  func write(_ data: Data) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("elf-\(UUID().uuidString)")
    try data.write(to: url)
    return url
  }

  @Test(arguments: [4, 8])
  func testGNUBuildID_foundAfterOtherNotes(align: Int) throws {
    let id: [UInt8] = [0x00, 0x01, 0xAB, 0xCD, 0xEF, 0x10]
    // A property note with a 5-byte descriptor first: padding decides where the next one starts.
    let notes =
      Self.note(type: 5, name: "GNU", desc: [1, 2, 3, 4, 5], align: align)
      + Self.note(type: 3, name: "XYZ", desc: [9, 9], align: align)
      + Self.note(type: 3, name: "GNU", desc: id, align: align)
    let url = try write(Self.elf(notes: notes, align: UInt64(align)))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(BuildIdentity.gnuBuildID(ofExecutableAt: url.path) == "0001abcdef10")
  }

  @Test func testGNUBuildID_absentOrNotELFIsNil() throws {
    let noID = try write(Self.elf(notes: Self.note(type: 1, name: "GNU", desc: [0, 0, 0, 0], align: 4), align: 4))
    let text = try write(Data("序号,申请编号\n".utf8))
    var truncated = Self.elf(notes: Self.note(type: 3, name: "GNU", desc: [1, 2, 3, 4], align: 4), align: 4)
    truncated.removeLast(3)
    let cut = try write(truncated)
    defer { for u in [noID, text, cut] { try? FileManager.default.removeItem(at: u) } }
    #expect(BuildIdentity.gnuBuildID(ofExecutableAt: noID.path) == nil)
    #expect(BuildIdentity.gnuBuildID(ofExecutableAt: text.path) == nil)
    #expect(BuildIdentity.gnuBuildID(ofExecutableAt: cut.path) == nil)
    #expect(BuildIdentity.gnuBuildID(ofExecutableAt: "/nonexistent/almanac") == nil)
  }

  /// The toolchain links with a build ID; were it dropped, fingerprints would fall back to the
  /// executable's stamp, which a rebuild of the same sources also changes.
  @Test func testCurrent_isTheRunningProgramsBuildID() {
    #if os(Linux)
      #expect(BuildIdentity.current.hasPrefix("build-id:"))
      #expect(BuildIdentity.current == "build-id:" + (BuildIdentity.gnuBuildID(ofExecutableAt: "/proc/self/exe") ?? ""))
    #endif
  }
}
