import AlmanacCore
import ArgumentParser
import Foundation
import Ingest
import Normalize
import Runner

/// `almanac alias NAME DEPARTMENT_ID`: records an operator-confirmed department name.
struct AliasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "alias",
    abstract: "Confirm that a name departments write means a registered department (appends to department_aliases.csv)."
  )

  @Argument(help: "The name as it appears in the sheets, e.g. 凌海市环保分局.")
  var name: String

  @Argument(
    help: "The registered department's id (from seeds/departments.csv), e.g. sthj, or a name that resolves to it."
  )
  var departmentID: String

  @Option(help: "Why the mapping is right (who confirmed it); stored in the seed's note column.")
  var note: String = "经办人确认"

  @Option(help: "Seed tables folder (env ALMANAC_SEEDS; default seeds).")
  var seeds: String?

  @Option(help: "Date the name must resolve on (YYYY-MM-DD; default today's date).")
  var on: String?

  func run() throws {
    let folder = RunSettings.folder(
      seeds, RunSettings.Variable.seeds, default: RunSettings.defaultSeeds,
      environment: ProcessInfo.processInfo.environment)
    let date = on ?? Self.today()
    let tables: Seeds
    do {
      tables = try SeedLoader.load(folder: folder, names: ["departments", "department_aliases"])
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    let url = folder.appendingPathComponent("department_aliases.csv")
    let confirmed: ConfirmedAlias
    do {
      switch try ConfirmedAlias.check(
        name: name, department: departmentID, note: note, seeds: tables, on: date, aliasesFile: url.path)
      {
      case .add(let alias):
        confirmed = alias
      case .known(let department):
        print("“\(name)”已能识别为 \(department.name)（\(department.id)），无需添加。")
        return
      }
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(2)
    }
    let written: URL
    do {
      written = try SeedTableFile.append(confirmed.row, to: url)
    } catch {
      CommandSupport.fail("\(error)")
      throw ExitCode(3)
    }
    let department = "\(confirmed.department.name)（\(confirmed.department.id)）"
    print("已记录：“\(confirmed.alias)” → \(department)，写入 \(written.path)。下次运行起生效。")
  }

  static func today() -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "Asia/Shanghai")
    f.dateFormat = "yyyy-MM-dd"
    return f.string(from: Date())
  }
}
