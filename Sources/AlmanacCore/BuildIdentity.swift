import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which build of Almanac is running, for stage fingerprints: checkpoints made by another
/// build (one whose normalizing or reconciling may differ) are never reused, whether or not
/// anyone remembered to bump `AlmanacVersion`.
public enum BuildIdentity {
  /// The executable's GNU build ID (a digest the linker writes over the program's contents, so
  /// rebuilding the same sources gives the same ID); failing that, the executable's path, size
  /// and modification time; failing that, `unidentified`.
  public static let current: String = {
    if let id = gnuBuildID(ofExecutableAt: "/proc/self/exe") { return "build-id:" + id }
    if let exe = Bundle.main.executableURL, let stamp = FileStamp.of(exe) {
      return "executable:\(exe.path):\(stamp.size):\(stamp.mtimeNs)"
    }
    return unidentified
  }()

  /// `current` when neither the build ID nor the executable could be read.
  public static let unidentified = "unidentified"

  /// The NT_GNU_BUILD_ID note of an ELF64 little-endian executable, in hex; nil when `path`
  /// is not one or has no such note. Reads the program headers and note segments only.
  public static func gnuBuildID(ofExecutableAt path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    func read(_ offset: Int, _ count: Int) -> [UInt8]? {
      guard offset >= 0, count >= 0, count <= 1 << 20 else { return nil }
      var bytes = [UInt8](repeating: 0, count: count)
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
      return n == count ? bytes : nil
    }
    /// The little-endian unsigned integer of `width` bytes at `at`.
    func int(_ b: [UInt8], _ at: Int, _ width: Int) -> Int {
      (0..<width).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) }
    }
    guard let header = read(0, 64), header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1
    else { return nil }
    let tableOffset = int(header, 32, 8)
    let entrySize = int(header, 54, 2)
    let entries = int(header, 56, 2)
    guard entrySize >= 56, let table = read(tableOffset, entrySize * entries) else { return nil }
    for entry in stride(from: 0, to: entrySize * entries, by: entrySize) where int(table, entry, 4) == 4 {  // PT_NOTE
      // Notes are padded to the segment's alignment: 4 bytes, or 8 for some (GNU properties).
      let align = int(table, entry + 48, 8) == 8 ? 8 : 4
      func padded(_ n: Int) -> Int { (n + align - 1) / align * align }
      guard let notes = read(int(table, entry + 8, 8), int(table, entry + 32, 8)) else { continue }
      var at = 0
      while at + 12 <= notes.count {
        let nameSize = int(notes, at, 4)
        let descSize = int(notes, at + 4, 4)
        let desc = at + 12 + padded(nameSize)
        guard desc + descSize <= notes.count else { break }
        // Type 3 (NT_GNU_BUILD_ID) under the name "GNU".
        if int(notes, at + 8, 4) == 3, nameSize == 4, notes[(at + 12)..<(at + 16)] == [0x47, 0x4E, 0x55, 0] {
          return notes[desc..<(desc + descSize)].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        at = desc + padded(descSize)
      }
    }
    return nil
  }
}
