import Foundation

/// Why a run stopped short of publishing (exit 3), or why it could not start.
public enum RunnerError: Error, CustomStringConvertible, Sendable {
  /// A stage threw; `cause` is its error as text. Completed stages keep their checkpoints.
  case stageFailed(stage: String, cause: String)
  /// A state file cannot be read or written.
  case state(path: String, reason: String)
  /// The outbox cannot be written; the previous outbox is left as it was.
  case publish(path: String, reason: String)
  /// The step list is inconsistent (a programming error in the wiring).
  case wiring(String)

  public var description: String {
    switch self {
    case .stageFailed(let stage, let cause):
      return "阶段 \(stage) 失败：\(cause)。已完成的阶段保留检查点，修复后重新运行 almanac run 即可从此处继续"
    case .state(let path, let reason):
      return "无法读写状态文件 \(path)：\(reason)"
    case .publish(let path, let reason):
      // A first run has no earlier output to keep: “上一次的输出保持不变” said there was one.
      return "无法写入输出目录 \(path)：\(reason)。已发布的文件（如有）保持不变；修复后重新运行 almanac run 即可发布"
    case .wiring(let message):
      return "流水线配置错误：\(message)"
    }
  }
}
