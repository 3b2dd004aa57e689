import Foundation
import Logging

/// swift-log handler for the CLI: readable lines or one JSON object per event, to stderr.
///
/// Text mode prints the message alone (findings already read like compiler diagnostics);
/// `--verbose` adds the metadata. JSON mode prints `level`, `message` and every metadata key.
public struct ConsoleLogHandler: LogHandler {
  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  public let format: LogFormat
  public let verbose: Bool
  private let console: Console

  public init(console: Console, format: LogFormat, level: Logger.Level, verbose: Bool = false) {
    self.console = console
    self.format = format
    self.logLevel = level
    self.verbose = verbose
  }

  /// A logger for the run: `--quiet` shows only problems, `--verbose` everything.
  public static func logger(console: Console, settings: RunSettings) -> Logger {
    let level: Logger.Level = settings.quiet ? .warning : (settings.verbose ? .debug : .info)
    return Logger(label: "almanac") { _ in
      ConsoleLogHandler(console: console, format: settings.logFormat, level: level, verbose: settings.verbose)
    }
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let extra = event.metadata {
      for (k, v) in extra { merged[k] = v }
    }
    switch format {
    case .json:
      var object: [String: String] = ["level": event.level.rawValue, "message": event.message.description]
      for (k, v) in merged { object[k] = Self.flatten(v) }
      console.line(Self.jsonLine(object))
    case .text:
      var text = event.message.description
      let kind = merged["event"].map(Self.flatten)
      // A finding (or a line counting findings) is about the data, not the tool.
      let isFinding = kind == "finding" || kind == "findings.more" || kind == "findings.unchanged"
      if !isFinding && event.level >= .error && !text.hasPrefix("almanac") {
        text = "almanac: error: \(text)"
      }
      if verbose && !merged.isEmpty {
        let pairs = merged.keys.sorted().map { "\($0)=\(Self.flatten(merged[$0] ?? ""))" }
        text += "  [" + pairs.joined(separator: " ") + "]"
      }
      console.line(text)
    }
  }

  static func flatten(_ value: Logger.Metadata.Value) -> String {
    switch value {
    case .string(let s): s
    case .stringConvertible(let c): c.description
    case .array(let a): "[" + a.map(flatten).joined(separator: ",") + "]"
    case .dictionary(let d): "{" + d.keys.sorted().map { "\($0)=\(flatten(d[$0] ?? ""))" }.joined(separator: ",") + "}"
    }
  }

  static func jsonLine(_ object: [String: String]) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? enc.encode(object) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
