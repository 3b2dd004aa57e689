import AlmanacCore

/// Inbox files that changed between the runner's listing (their digest) and a stage's read of
/// them: a copy still in progress, or an operator replacing a file during the run. The stage
/// fails (exit 3) instead of using bytes the recorded sha256 may not describe; what was read
/// before is cached, so the rerun, once the copy is complete, reads only these.
public struct InboxFileChanged: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Change: Sendable, Equatable {
    /// `stat` after reading differs from the listing's (nil: gone, or no longer a regular file).
    case stamp(listed: FileStamp, read: FileStamp?)
    /// The bytes read do not have the sha256 recorded when the inbox was listed.
    case content
  }

  public struct File: Sendable, Equatable {
    public var path: String
    public var change: Change

    public init(path: String, change: Change) {
      self.path = path
      self.change = change
    }
  }

  public var files: [File]

  public init(files: [File]) { self.files = files }

  public var description: String {
    let each = files.map { f -> String in
      switch f.change {
      case .stamp(_, nil): return "\(f.path)（读取后已不存在或不再是普通文件）"
      case .stamp(let listed, let now?):
        var what: [String] = []
        if now.size != listed.size { what.append("大小 \(listed.size) → \(now.size) 字节") }
        if now.inode != listed.inode { what.append("已被替换为另一个文件") }
        if what.isEmpty { what.append("修改时间已变") }
        return "\(f.path)（\(what.joined(separator: "，"))）"
      case .content: return "\(f.path)（内容与列出收件箱时不同）"
      }
    }
    return "收件箱文件在本次运行读取期间被改动：\(each.joined(separator: "；"))。"
      + "可能仍在复制中，读到的内容与本次记录的 sha256 不一定相符，因此未采用；请待复制完成"
  }
}
