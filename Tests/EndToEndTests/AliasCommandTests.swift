import AlmanacTestSupport
import Foundation
import Testing

extension BinaryRuns {
  /// `almanac alias` run as an operator runs it, on a copy of the seeds.
  @Suite struct AliasCommandTests {
    @Test func testAlias_recordsOnceAndRefusesARemapping() async throws {
      let folder = try TemporaryFolder("alias")
      defer { folder.remove() }
      let seeds = folder.path("seeds")
      try FileManager.default.copyItem(at: ProjectPaths.seeds, to: seeds)
      let aliases = seeds.appendingPathComponent("department_aliases.csv")
      let before = try String(contentsOf: aliases, encoding: .utf8)
      // A table the office shares stays group-writable.
      try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: aliases.path)
      func alias(_ arguments: [String]) async throws -> ProcessOutcome {
        try await EndToEnd.run(["alias"] + arguments + ["--seeds", seeds.path, "--note", "测试确认"])
      }

      // The department by its registered name, as operators often type it.
      let added = try await alias(["凌海市科学技术局", "凌海市财政局"])
      #expect(added.exitCode == 0, "\(added)")
      #expect(added.stdout.contains("凌海市财政局（czj）"), "\(added)")
      let after = try String(contentsOf: aliases, encoding: .utf8)
      #expect(after == before + "凌海市科学技术局,czj,confirmed,,,测试确认\n")
      let mode = try FileManager.default.attributesOfItem(atPath: aliases.path)[.posixPermissions] as? Int
      #expect(mode == 0o664)

      let again = try await alias(["凌海市科学技术局", "czj"])
      #expect(again.exitCode == 0, "\(again)")
      #expect(again.stdout.contains("已能识别为 凌海市财政局（czj）"), "\(again)")

      let remapped = try await alias(["凌海市科学技术局", "mzj"])
      #expect(remapped.exitCode == 2, "\(remapped)")
      #expect(remapped.stderr.contains(aliases.path), "\(remapped)")

      let unknown = try await alias(["凌海市科学技术局", "kjj"])
      #expect(unknown.exitCode == 2, "\(unknown)")
      #expect(unknown.stderr.contains("departments.csv"), "\(unknown)")
      #expect(try String(contentsOf: aliases, encoding: .utf8) == after)
    }

    /// A seeds folder whose alias table links to a shared one: the row goes into the shared
    /// table and the link stays a link.
    @Test func testAlias_linkedTableIsWrittenWhereItLives() async throws {
      let folder = try TemporaryFolder("alias-link")
      defer { folder.remove() }
      let seeds = folder.path("seeds")
      try FileManager.default.copyItem(at: ProjectPaths.seeds, to: seeds)
      let shared = folder.path("shared-aliases.csv")
      let link = seeds.appendingPathComponent("department_aliases.csv")
      try FileManager.default.moveItem(at: link, to: shared)
      try FileManager.default.createSymbolicLink(at: link, withDestinationURL: shared)
      let out = try await EndToEnd.run(["alias", "凌海市科学技术局", "czj", "--seeds", seeds.path])
      #expect(out.exitCode == 0, "\(out)")
      #expect(try String(contentsOf: shared, encoding: .utf8).hasSuffix("凌海市科学技术局,czj,confirmed,,,经办人确认\n"))
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == shared.path)
    }
  }
}
