import AlmanacCore
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct RegularFileTests {
  @Test func testOpenForReading_onlyRegularFilesAndNeverWaitsOnAPipe() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regular-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("a,1\n".utf8).write(to: dir.appendingPathComponent("a.csv"))
    #expect(mkfifo(dir.appendingPathComponent("pipe.csv").path, 0o644) == 0)

    let fd = try RegularFile.openForReading(dir.appendingPathComponent("a.csv").path)
    var byte: UInt8 = 0
    #expect(read(fd, &byte, 1) == 1 && byte == UInt8(ascii: "a"))
    // The descriptor blocks as usual: the non-blocking flag was only for the open.
    #expect(fcntl(fd, F_GETFL) & O_NONBLOCK == 0)
    close(fd)

    #expect(throws: RegularFile.Failure.special) {
      try RegularFile.openForReading(dir.appendingPathComponent("pipe.csv").path)
    }
    #expect(throws: RegularFile.Failure.directory) { try RegularFile.openForReading(dir.path) }
    #expect(throws: RegularFile.Failure.system(ENOENT)) {
      try RegularFile.openForReading(dir.appendingPathComponent("missing.csv").path)
    }
  }
}
