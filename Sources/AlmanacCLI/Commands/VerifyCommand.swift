import AlmanacCore
import ArgumentParser
import Foundation
import Runner

/// `almanac verify`: are the published files, and the inbox, still what the publishing run
/// recorded in `manifest.json`?
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check that the published files and the inbox are still what manifest.json recorded.",
    discussion: """
      Hashes every file the manifest of <outbox>/<year>/ lists and compares: a report edited \
      after publishing, a missing output, a department's file replaced, removed or added in \
      the inbox since. Reads only; needs no state folder, so it also checks a copied outbox \
      (give --inbox to compare with the inbox too; a missing inbox folder is skipped). \
      Without --year, the latest year published in the outbox. Exit 0 when everything is as \
      recorded, 1 when anything differs, 2 when there is no manifest to check.
      """)

  @Option(help: "Folder results were published to, as <outbox>/<year>/ (env ALMANAC_OUTBOX; default outbox).")
  var outbox: String?

  @Option(help: "The inbox the run read (env ALMANAC_INBOX; default inbox).")
  var inbox: String?

  @Option(help: "State folder, left out of the inbox listing as a run leaves it (env ALMANAC_STATE).")
  var state: String?

  @Option(help: "Report year (env ALMANAC_YEAR; default the latest year published in the outbox).")
  var year: String?

  @Flag(help: "Print JSON instead of text.")
  var json = false

  func run() throws {
    let settings = try CommandSupport.settings(RawSettings(inbox: inbox, outbox: outbox, state: state, year: year))
    let years = Self.publishedYears(in: settings.outbox)
    guard let chosen = settings.year ?? years.last else {
      CommandSupport.fail("\(settings.outboxDisplay) 中没有 almanac 发布的年度（<年度>/manifest.json）；请用 --outbox 指定输出目录")
      throw ExitCode(2)
    }
    let display = settings.outboxDisplay.hasSuffix("/") ? settings.outboxDisplay : settings.outboxDisplay + "/"
    var isFolder: ObjCBool = false
    let inboxExists =
      FileManager.default.fileExists(atPath: settings.inbox.path, isDirectory: &isFolder) && isFolder.boolValue
    // An inbox named on purpose must be there; the default one is checked when it exists
    // (an auditor with a copy of the outbox has none).
    let named = RunSettings.text(inbox, RunSettings.Variable.inbox, environment: ProcessInfo.processInfo.environment)
    if !inboxExists, named != nil {
      CommandSupport.fail("收件箱 \(settings.inbox.path) 不存在或不是文件夹")
      throw ExitCode(2)
    }
    let check: PublicationCheck
    do {
      check = try PublicationCheck.check(
        yearFolder: settings.outbox.appendingPathComponent(String(chosen)), shown: "\(display)\(chosen)/",
        inbox: inboxExists ? settings.inbox : nil, excluding: [settings.state, settings.outbox])
    } catch let failure as PublicationCheck.Failure {
      CommandSupport.fail(failure.description)
      throw ExitCode(2)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
    if json {
      FileHandle.standardOutput.write(try AtomicFile.json(check))
      FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
      FileHandle.standardOutput.write(Data(check.text.utf8))
    }
    if !check.consistent { throw ExitCode(1) }
  }

  /// Years with a manifest under `outbox`, ascending.
  static func publishedYears(in outbox: URL) -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []
    return names.compactMap { name in
      guard name.count == 4, let year = Int(name),
        FileManager.default.fileExists(atPath: outbox.appendingPathComponent("\(name)/manifest.json").path)
      else { return nil }
      return year
    }.sorted()
  }
}
