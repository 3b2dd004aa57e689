import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a finished `almanac` process ended and what it printed.
public struct ProcessOutcome: Sendable, CustomStringConvertible {
  /// The exit status when it exited, nil when a signal ended it.
  public var exitCode: Int32?
  /// The signal that ended it (9 for SIGKILL), nil when it exited.
  public var signal: Int32?
  public var stdout: String
  public var stderr: String
  public var seconds: Double
  public var arguments: [String]

  public var description: String {
    let how = exitCode.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
    return "almanac \(arguments.joined(separator: " ")) → \(how) in \(String(format: "%.2f", seconds)) s\n"
      + "--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
  }
}

/// A started `almanac` process: kill it, wait for it.
public final class AlmanacProcess: @unchecked Sendable {
  public let process: Process
  public let arguments: [String]
  private let stdoutURL: URL
  private let stderrURL: URL
  private let started: Date

  /// Starts `almanac <arguments>` in `directory` with the inherited environment minus every
  /// `ALMANAC_*` variable, plus `environment`. Output goes to files (no pipe can fill up).
  public init(
    _ arguments: [String], binary: URL, directory: URL = ProjectPaths.root, environment: [String: String] = [:],
    outputFolder: URL
  ) throws {
    self.arguments = arguments
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ALMANAC_") }
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let id = UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    stdoutURL = outputFolder.appendingPathComponent("stdout-\(id).txt")
    stderrURL = outputFolder.appendingPathComponent("stderr-\(id).txt")
    _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: stdoutURL)
    p.standardError = try FileHandle(forWritingTo: stderrURL)
    p.standardInput = FileHandle.nullDevice
    process = p
    started = Date()
    try p.run()
  }

  public var pid: Int32 { process.processIdentifier }
  public var isRunning: Bool { process.isRunning }

  /// `kill(pid, SIGKILL)`: what `kill -9` does.
  public func killHard() {
    kill(process.processIdentifier, SIGKILL)
  }

  /// Waits without blocking a thread of the cooperative pool; SIGKILLs after `timeout` seconds.
  public func wait(timeout: Double = 600) async -> ProcessOutcome {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
      if Date() > deadline { killHard() }
      try? await Task.sleep(nanoseconds: 5_000_000)
    }
    let seconds = Date().timeIntervalSince(started)
    let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: stdoutURL)
    try? FileManager.default.removeItem(at: stderrURL)
    let signaled = process.terminationReason == .uncaughtSignal
    return ProcessOutcome(
      exitCode: signaled ? nil : process.terminationStatus, signal: signaled ? process.terminationStatus : nil,
      stdout: out, stderr: err, seconds: seconds, arguments: arguments)
  }
}
