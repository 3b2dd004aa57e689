import AlmanacCore
import Foundation

/// `almanac verify`: whether a published year folder, and the inbox it was made from, are
/// still what its `manifest.json` recorded when the run published them.
///
/// For an auditor handed the outbox (was `report.md` changed after Almanac wrote it?) and for
/// staff before they send the report on (was a department's file replaced, or a new one
/// dropped in, since the report was drafted?). Everything is read and hashed afresh; the state
/// folder is not used, so the check holds for a copied outbox too. Nothing is written.
public struct PublicationCheck: Codable, Sendable, Equatable {
  public enum State: String, Codable, Sendable {
    /// As recorded.
    case same
    /// Present with other content.
    case changed
    /// Recorded, but not there.
    case missing
    /// In the inbox, but not among the inputs recorded (it arrived after the run).
    case added
  }

  public struct Entry: Codable, Sendable, Equatable {
    public var path: String
    public var state: State
    /// sha256 recorded in the manifest; nil for an added file.
    public var recorded: String?
    /// sha256 now; nil for a missing file.
    public var actual: String?
  }

  /// The manifest checked, as the operator named its folder.
  public var manifest: String
  public var runId: String
  public var year: Int
  public var finishedAt: String
  public var outputs: [Entry]
  /// nil when the inbox was not checked.
  public var inputs: [Entry]?
  /// Last year's dataset the cross-year checks read, by its full path; nil when the run read none.
  public var previous: Entry?
  /// Files of the year folder the manifest does not list: kept edits
  /// (`report.edited-<run id>.md`) or files someone put there.
  public var unlisted: [String]

  /// True when every output and (if checked) every input is as recorded, and no input was added.
  public var consistent: Bool {
    (outputs + (inputs ?? []) + (previous.map { [$0] } ?? [])).allSatisfy { $0.state == .same }
  }

  /// Why verify cannot answer (exit 2).
  public struct Failure: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  /// Checks `yearFolder`'s manifest against the files beside it and, when `inbox` is given,
  /// against the inbox (listed as a run lists it, without `excluding`).
  public static func check(yearFolder: URL, shown: String, inbox: URL?, excluding: [URL]) throws
    -> PublicationCheck
  {
    let manifestURL = yearFolder.appendingPathComponent(Publisher.manifestName)
    guard FileManager.default.fileExists(atPath: manifestURL.path) else {
      throw Failure(description: "\(shown)\(Publisher.manifestName) 不存在：该文件夹没有 almanac 发布的结果（用 --outbox、--year 指定）")
    }
    let manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
    } catch let error as DecodingError {
      throw Failure(description: "\(shown)\(Publisher.manifestName) 无法解析，不是 almanac 写的发布清单：\(error)")
    } catch {
      throw Failure(description: "\(shown)\(Publisher.manifestName) 无法读取：\(error.systemReason)")
    }

    var outputs: [Entry] = []
    let listed = Set(manifest.outputs.map(\.path))
    for ref in manifest.outputs.sorted(by: { $0.path < $1.path }) {
      let url = yearFolder.appendingPathComponent(ref.path)
      let actual = Publisher.isSafeRelative(ref.path) ? try? Digest.sha256Hex(fileAt: url) : nil
      outputs.append(Entry(path: ref.path, recorded: ref.sha256, actual: actual))
    }
    var unlisted: [String] = []
    if let walker = FileManager.default.enumerator(atPath: yearFolder.path) {
      while let path = walker.nextObject() as? String {
        var st = stat()
        guard lstat(yearFolder.appendingPathComponent(path).path, &st) == 0, st.st_mode & S_IFMT != S_IFDIR else {
          continue
        }
        if path != Publisher.manifestName && !listed.contains(path) { unlisted.append(path) }
      }
    }

    var inputs: [Entry]?
    if let inbox {
      let files = try InboxScanner.list(inbox: inbox, excluding: excluding)
      // A cache that is never saved: every file is read afresh.
      let now = try InboxHasher.hash(files, cache: HashCache(url: URL(fileURLWithPath: "/dev/null/none"))).entries
      let present = Dictionary(now.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
      let recorded = Dictionary(manifest.inputs.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
      // A file a run never reads (a workbook, a link leading out, a published folder) has a
      // digest of its kind, name and inode, not of its content, and is recorded with size 0:
      // it is as recorded while it is there and still never read, whatever a copy of the inbox
      // did to its inode. A file that was read then (size > 0) is compared by content.
      let unread = Set(files.filter { $0.refusal != nil }.map(\.path))
      var entries = manifest.inputs.map { ref in
        unread.contains(ref.path) && present[ref.path] != nil && ref.size == 0
          ? Entry(path: ref.path, state: .same, recorded: ref.sha256, actual: ref.sha256)
          : Entry(path: ref.path, recorded: ref.sha256, actual: present[ref.path])
      }
      for path in present.keys where recorded[path] == nil {
        entries.append(Entry(path: path, state: .added, recorded: nil, actual: present[path]))
      }
      inputs = entries.sorted { $0.path < $1.path }
    }
    // Last year's dataset: a corrected and republished year changes the C-1/C-2 findings.
    let previous = manifest.previous.map { ref in
      Entry(path: ref.path, recorded: ref.sha256, actual: try? Digest.sha256Hex(fileAt: URL(fileURLWithPath: ref.path)))
    }
    return PublicationCheck(
      manifest: shown + Publisher.manifestName, runId: manifest.runId, year: manifest.year,
      finishedAt: manifest.finishedAt, outputs: outputs, inputs: inputs, previous: previous, unlisted: unlisted.sorted()
    )
  }
}

extension PublicationCheck.Entry {
  /// A recorded file compared with what is there now.
  init(path: String, recorded: String, actual: String?) {
    self.init(
      path: path, state: actual == nil ? .missing : actual == recorded ? .same : .changed, recorded: recorded,
      actual: actual)
  }
}

extension PublicationCheck {
  /// How an input's state reads (the inbox's files, last year's dataset).
  static func inputLabel(_ state: State) -> String {
    switch state {
    case .same: "与清单一致"
    case .changed: "已更换"
    case .missing: "已移走"
    case .added: "新增"
    }
  }

  /// What `almanac verify` prints (zh-CN).
  public var text: String {
    var lines = ["—— almanac 核验：\(manifest)（\(year) 年度，运行 \(runId)，发布于 \(finishedAt)）——"]
    func count(_ entries: [Entry], _ state: State) -> Int { entries.filter { $0.state == state }.count }
    lines.append(
      "输出文件：清单 \(outputs.count) 个，与清单一致 \(count(outputs, .same)) 个，已被改动 \(count(outputs, .changed)) 个，"
        + "缺失 \(count(outputs, .missing)) 个")
    for e in outputs where e.state != .same {
      lines.append("  \(e.state == .changed ? "已被改动" : "缺失")  \(e.path)")
    }
    for path in unlisted { lines.append("  清单外  \(path)") }
    if let inputs {
      let recorded = inputs.filter { $0.state != .added }.count
      lines.append(
        "收件箱：清单 \(recorded) 个文件，与清单一致 \(count(inputs, .same)) 个，已更换 \(count(inputs, .changed)) 个，"
          + "已移走 \(count(inputs, .missing)) 个；发布后新增 \(count(inputs, .added)) 个")
      for e in inputs where e.state != .same {
        lines.append("  \(Self.inputLabel(e.state))  \(e.path)")
      }
    } else {
      lines.append("收件箱：未核对（找不到收件箱文件夹）")
    }
    if let previous {
      lines.append("上年数据（--previous）：\(previous.path)  \(Self.inputLabel(previous.state))")
    }
    if consistent {
      // Kept edits and files put there are no part of what was published: an auditor copying
      // the folder is told which to leave out.
      let besides = unlisted.isEmpty ? "" : "；另有 \(unlisted.count) 个清单外文件（见上），不是本次发布的内容，请勿作为发布结果使用"
      lines.append("结论：一致。输出文件与发布时相同\(inputs == nil ? "" : "，收件箱也与当时相同")\(besides)（退出码 0）")
    } else {
      var why: [String] = []
      if outputs.contains(where: { $0.state != .same }) { why.append("输出文件在发布后被改动或缺失，请以重新运行 almanac run 的结果为准") }
      if let inputs, inputs.contains(where: { $0.state != .same }) {
        why.append("收件箱在发布后有变化，报告未包含这些变化，请重新运行 almanac run")
      }
      if let previous, previous.state != .same {
        why.append("上年数据在发布后有变化，跨年度核对（C-1、C-2）未按现在的数据进行，请用 --previous 重新运行 almanac run")
      }
      lines.append("结论：不一致。\(why.joined(separator: "；"))（退出码 1）")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
