import AlmanacCore
import ArgumentParser
import Foundation
import Runner

/// `almanac status`: checkpoints, pending and held-back files, the last run's summary.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show stage checkpoints, pending and held-back inbox files, and the last run's summary.")

  @OptionGroup var location: LocationOptions

  @Flag(help: "Print one JSON object instead of the summary.")
  var json = false

  func run() throws {
    let settings = try CommandSupport.settings(location.raw)
    let status: StatusReport
    do {
      status = try StatusReport.inspect(settings: settings, wiring: CommandSupport.wiring)
    } catch let e as UsageError {
      CommandSupport.fail(e.message)
      throw ExitCode(2)
    } catch let e as PipelineError {
      CommandSupport.fail(e.description)
      throw ExitCode(2)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
    if json {
      let data = try AtomicFile.json(status)
      FileHandle.standardOutput.write(data)
    } else {
      print(status.render())
    }
  }
}
