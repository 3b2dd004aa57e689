import AlmanacCore
import AlmanacTestSupport
import Foundation
import Testing

@Suite struct SystemReasonTests {
  /// Foundation wraps a failed system call as "The operation could not be completed.
  /// (NSCocoaErrorDomain error 512.)" on Linux; messages name the system's reason instead.
  @Test func testSystemReason_isTheUnderlyingSystemError() throws {
    let root = try TemporaryFolder("system-reason")
    defer { root.remove() }
    try Data("x".utf8).write(to: root.path("afile"))
    #expect {
      try FileManager.default.createDirectory(at: root.path("afile/2021"), withIntermediateDirectories: true)
    } throws: { error in
      error.systemReason == "Not a directory"
    }
    #expect {
      _ = try String(contentsOf: root.path("missing.yaml"), encoding: .utf8)
    } throws: { error in
      error.systemReason == "No such file or directory"
    }
    #expect(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC)).systemReason == "No space left on device")
    struct Plain: Error {}
    #expect(!Plain().systemReason.isEmpty)
  }
}
