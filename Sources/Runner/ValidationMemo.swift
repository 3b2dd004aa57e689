import AlmanacCore
import Foundation

/// `<state>/<pipeline>/<year>/validated.json`: the key of the pipeline and seeds that last
/// passed `PipelineValidation`, so a rerun with the same ones does not check them again.
///
/// The key covers everything validation reads: the merged definition, every file of the
/// pipeline folder, the seeds' content, and this build of Almanac (a rebuilt tool may check
/// more). Only a cache: missing or different means validating as usual.
enum ValidationMemo {
  static let fileName = "validated.json"

  struct File: Codable, Equatable {
    var key: String
  }

  /// nil when the executable cannot be identified: then nothing is remembered.
  static func key(_ env: RunEnvironment) -> String? {
    guard BuildIdentity.current != BuildIdentity.unidentified else { return nil }
    var b = Digest.Builder()
    b.add("validation-2")
    b.add(AlmanacVersion.build)
    b.add(env.pipeline.digest)
    b.add(env.pipelineDigest)
    b.add(env.settings.pipelineFolder.standardizedFileURL.path)
    b.add(env.seedsDigest)
    return b.finalize()
  }

  static func url(_ env: RunEnvironment) -> URL { env.runFolder.appendingPathComponent(fileName) }

  /// True when this pipeline and these seeds passed validation before.
  static func passed(_ env: RunEnvironment, key: String?) -> Bool {
    guard let key, let data = try? Data(contentsOf: url(env)),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return false }
    return file.key == key
  }

  /// Asks the wiring for problems unless this pipeline and these seeds passed before; throws
  /// `PipelineInvalid` when there are any. Returns the key to remember once the run holds the
  /// state folder, nil when there is nothing new to remember.
  static func check(_ env: RunEnvironment, wiring: any PipelineWiring) throws -> String? {
    let key = key(env)
    if passed(env, key: key) { return nil }
    let problems = wiring.configurationProblems(env)
    if !problems.isEmpty { throw PipelineInvalid(problems: problems) }
    return key
  }

  /// Remembers a pass; a failure to write only means validating again next time.
  static func record(_ env: RunEnvironment, key: String?) {
    guard let key, let data = try? AtomicFile.json(File(key: key)) else { return }
    try? AtomicFile.writeWithoutSync(data, to: url(env), mode: 0o600)
  }
}
