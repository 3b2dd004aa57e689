import Foundation
import Yams

/// Says where a pipeline definition file breaks its schema and what was expected (PIPE-009).
///
/// The decoder's own errors name a coding path and Swift types ("DecodingError.typeMismatch:
/// expected value of type Int. Path: version"), no line, and a duplicated key printed the whole
/// file. The person who edits `pipeline.yaml` in Notepad needs the line and column, the key as
/// written and, for a closed set of words such as `kind:`, the words allowed.
enum DefinitionFileProblem {
  static let code = "PIPE-009"

  /// The error to show for `error`, thrown while composing or decoding `file`. `root` is the
  /// composed file when it composed: the decoder's coding path is looked up in it for a line.
  static func error(_ error: Error, root: Node?, file: String) -> PipelineError {
    switch error {
    case let error as YamlError: return syntax(error, file: file)
    case let error as DecodingError: return decoding(error, root: root, file: file)
    default: return PipelineError(file: file, message: "无法读取定义：\(error) [\(code)]")
    }
  }

  /// `“gird”不是可写的值，应为 “grid”、“register”、“indicator” 之一`: a word outside a closed set.
  static func notOneOf(_ word: String, _ allowed: [String], what: String = "值") -> String {
    "“\(word)”不是可写的\(what)，应为 \(allowed.map { "“\($0)”" }.joined(separator: "、")) 之一"
  }

  /// A problem at a node: `file:line:column: path：message [PIPE-009]`.
  static func at(_ node: Node?, file: String, path: String, _ message: String) -> PipelineError {
    PipelineError(file: file + location(node?.mark), message: (path.isEmpty ? "" : "\(path)：") + message + " [\(code)]")
  }

  private static func location(_ mark: Mark?) -> String {
    mark.map { ":\($0.line):\($0.column)" } ?? ""
  }

  private static func syntax(_ error: YamlError, file: String) -> PipelineError {
    switch error {
    case .scanner(let context, let problem, let mark, let yaml), .parser(let context, let problem, let mark, let yaml),
      .composer(let context, let problem, let mark, let yaml):
      // libyaml's own words ("did not find expected ',' or ']'") are kept: they are precise,
      // and the line below them shows where.
      let opened = context.map { "（\($0.text)，始于第 \($0.mark.line) 行第 \($0.mark.column) 列）" } ?? ""
      return PipelineError(
        file: file + location(mark),
        message: "YAML 写法有误：\(problem)\(opened) [\(code)]" + snippet(yaml, mark))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.sorted().map { "“\($0)”" }.joined(separator: "、")
      return PipelineError(
        file: file + location(context.mark),
        message: "同一层里键\(keys)写了不止一次，只能保留一个 [\(code)]")
    default:
      return PipelineError(file: file, message: "YAML 写法有误：\(error) [\(code)]")
    }
  }

  /// The line `mark` points into, and a caret under its column.
  private static func snippet(_ yaml: String, _ mark: Mark) -> String {
    let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    guard mark.line >= 1, mark.line <= lines.count else { return "" }
    let line = lines[mark.line - 1].trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    // libyaml counts columns in scalars; a CJK scalar takes two columns in a terminal.
    let before = line.unicodeScalars.prefix(max(0, mark.column - 1))
    let width = before.reduce(0) {
      $0 + ($1.properties.isIdeographic || $1.value >= 0xFF00 && $1.value <= 0xFF60 ? 2 : 1)
    }
    return "\n  \(line)\n  " + String(repeating: " ", count: width) + "^"
  }

  private static func decoding(_ error: DecodingError, root: Node?, file: String) -> PipelineError {
    switch error {
    case .typeMismatch(let expected, let context):
      let node = find(context.codingPath, in: root)
      return at(
        node, file: file, path: path(context.codingPath),
        "应为\(describe(expected))，实际写的是\(describe(node))")
    case .valueNotFound(let expected, let context):
      let node = find(context.codingPath, in: root)
      return at(node, file: file, path: path(context.codingPath), "缺少值，应为\(describe(expected))")
    case .keyNotFound(let key, let context):
      let mapping = find(context.codingPath, in: root)
      let inside = context.codingPath.isEmpty ? "文件顶层" : "“\(path(context.codingPath))”"
      return at(mapping, file: file, path: "", "\(inside)缺少必填的键“\(key.stringValue)”")
    case .dataCorrupted(let context):
      return at(
        find(context.codingPath, in: root), file: file, path: path(context.codingPath), context.debugDescription)
    @unknown default:
      return PipelineError(file: file, message: "无法读取定义：\(error) [\(code)]")
    }
  }

  /// `forms[0].kind`, as an operator finds it in the file.
  static func path(_ codingPath: [CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text
  }

  /// The node at `codingPath`, or the deepest one on the way when the path leaves the file.
  private static func find(_ codingPath: [CodingKey], in root: Node?) -> Node? {
    var node = root
    for key in codingPath {
      guard let current = node else { return nil }
      let next: Node?
      switch current {
      case .mapping(let mapping):
        next = mapping.first { $0.key.string == key.stringValue }?.value
      case .sequence(let sequence):
        next = key.intValue.flatMap { $0 >= 0 && $0 < sequence.count ? sequence[$0] : nil }
      default:
        next = nil
      }
      guard let next else { return current }
      node = next
    }
    return node
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Node.Sequence.Type: "列表（每项一行“- …”，或写作 [甲, 乙]）"
    case is Node.Mapping.Type: "“键: 值”的映射"
    case is Node.Scalar.Type, is String.Type: "一个值（文字）"
    case is Int.Type, is Int64.Type, is Int32.Type: "整数"
    case is Bool.Type: "true 或 false"
    default: "\(type)"
    }
  }

  private static func describe(_ node: Node?) -> String {
    switch node {
    case .scalar(let scalar)?: scalar.string.isEmpty ? "空值" : "“\(scalar.string)”"
    case .mapping?: "一个映射"
    case .sequence?: "一个列表"
    case .alias?, nil: "别的内容"
    }
  }
}

/// A closed set of words a definition file may write (`kind: grid`). Any other word fails to
/// decode with the allowed ones listed, which the loader shows at the word's line (PIPE-009),
/// instead of "Cannot initialize FormKind from invalid String value gird".
public protocol DefinitionChoice: RawRepresentable, CaseIterable, Codable where RawValue == String {}

extension DefinitionChoice {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let word = try container.decode(String.self)
    guard let value = Self(rawValue: word) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: DefinitionFileProblem.notOneOf(word, Self.allCases.map(\.rawValue)))
    }
    self = value
  }
}
