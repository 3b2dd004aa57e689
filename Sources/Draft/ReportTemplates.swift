import AlmanacCore
import Foundation
import Mustache

/// A report template and the other `*.mustache` files of its folder (its partials, by name
/// without extension: `{{> t3-table.html}}` for `t3-table.html.mustache`), parsed.
///
/// Mustache renders a name it cannot find as nothing. For a report that is a silent blank
/// (`统计期限自年1月1日起` from a mistyped `{{yeer}}`), so rendering also returns the names that
/// resolved nowhere, and `ReportTemplateCheck` looks for them before a run starts.
struct ReportTemplates {
  /// A template file: its path relative to the pipeline folder, its name in the library (the
  /// file name without `.mustache`, as partials are included), and its text.
  struct File {
    var shown: String
    var name: String
    var text: String
  }

  var library: MustacheLibrary
  /// The library's name of the template to render.
  var key: String
  /// The template and the partials it includes, directly or through others: what a render
  /// can reach, read and parsed. Other files of the folder (an old copy kept beside) are
  /// neither.
  var files: [File]
  /// The name of every `*.mustache` file of the folder, sorted: the partials there are.
  var available: [String]

  /// Reads and parses `template` (relative to `folder`) and its sibling templates.
  /// Throws `DraftError` naming the file (and line and column for a syntax error).
  static func load(_ template: String, in folder: URL) throws -> ReportTemplates {
    _ = MarkdownContentType.register
    let url = folder.appendingPathComponent(template)
    let directory = url.deletingLastPathComponent()
    guard url.pathExtension == "mustache" else {
      throw DraftError(file: template, message: "报告模板应是 .mustache 文件")
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DraftError(file: template, message: "流水线文件夹中没有这个报告模板，请检查 pipeline.yaml 的 report 配置")
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".mustache") }.sorted()
    } catch {
      throw DraftError(file: template, message: "无法列出模板文件夹：\(error.systemReason)")
    }
    let path = (template as NSString).deletingLastPathComponent
    let key = String(url.lastPathComponent.dropLast(".mustache".count))
    // Only what the report can reach is read and parsed: an old copy kept beside the template
    // (`report.md - 副本.mustache`) with a mistake in it, or a stray `._report.md.mustache` a
    // Mac left on a USB stick, used to refuse every run.
    let available = names.map { String($0.dropLast(".mustache".count)) }
    let files = try Self.reachable(from: key, among: available) { name in
      let shown = path.isEmpty ? name + ".mustache" : path + "/" + name + ".mustache"
      return File(
        shown: shown, name: name,
        text: try Self.read(directory.appendingPathComponent(name + ".mustache"), shown: shown))
    }
    var library = MustacheLibrary()
    for file in files {
      do {
        library.register(try MustacheTemplate(string: file.text), named: file.name)
      } catch let e as MustacheTemplate.ParserError {
        throw syntaxError(e, file: file.shown, text: file.text)
      } catch {
        throw DraftError(file: file.shown, message: "报告模板写法有误：\(error)")
      }
    }
    // `fileExists` answers for another case on a case-insensitive disk (`Report.md.mustache`
    // for `report.md.mustache`), where the library, keyed by the listed name, has nothing.
    guard library.getTemplate(named: key) != nil else {
      throw DraftError(
        file: template, message: "在模板文件夹中找不到名为 \(url.lastPathComponent) 的模板（文件名的大小写须与 pipeline.yaml 一致）")
    }
    return ReportTemplates(library: library, key: key, files: files, available: available)
  }

  /// A template's text: UTF-8 (a byte-order mark dropped), or GB18030 or UTF-16 as Notepad
  /// and WPS on Chinese Windows save ("ANSI", "Unicode"), as text material is read. The report
  /// is UTF-8 either way.
  static func read(_ url: URL, shown: String) throws -> String {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw DraftError(file: shown, message: "无法读取报告模板：\(error.systemReason)")
    }
    if let text = LegacyText.text(data) { return text }
    throw DraftError(
      file: shown,
      message: "报告模板不是有效的 UTF-8、GB18030 或 UTF-16 文本（可能混用了编码或文件已损坏），"
        + "请用文本编辑器以 UTF-8 重新保存")
  }

  /// A parse error in words a template editor can act on, at the tag it concerns: the parser
  /// notices an unclosed section only at the end of the file, so that one is placed at its
  /// opening tag.
  static func syntaxError(_ e: MustacheTemplate.ParserError, file: String, text: String) -> DraftError {
    let at = "\(file):\(e.context.lineNumber):\(e.context.columnNumber)"
    // After a delimiter change the scan knows no tags, so it could name an opening closed
    // later: then the parser's own place is given.
    let tags = text.contains("{{=") ? [] : TemplateTag.scan(text)
    switch e.error as? MustacheTemplate.Error {
    case .expectedSectionEnd:
      if let open = TemplateTag.unbalanced(tags)?.tag, case .opening = open.kind {
        return DraftError(
          file: "\(file):\(open.line):\(open.column)",
          message: "报告模板写法有误：区段 \(open.written) 没有对应的结束标签 {{/\(open.name)}}")
      }
      return DraftError(file: at, message: "报告模板写法有误：有区段（{{#…}} 或 {{^…}}）到文件末尾仍未结束")
    case .sectionCloseNameIncorrect:
      if let (close, open) = TemplateTag.unbalanced(tags).flatMap({ u in u.open.map { (u.tag, $0) } }),
        close.kind == .closing
      {
        return DraftError(
          file: "\(file):\(close.line):\(close.column)",
          message: "报告模板写法有误：结束标签 \(close.written) 与第 \(open.line) 行的 \(open.written) 不对应，"
            + "应先写 {{/\(open.name)}}")
      }
      return DraftError(file: at, message: "报告模板写法有误：结束标签与开始的区段名称不对应")
    case .unfinishedName:
      return DraftError(file: at, message: "报告模板写法有误：标签没有以 }} 结束，或名称中有空格等不能用的字符")
    case .invalidSetDelimiter:
      return DraftError(file: at, message: "报告模板写法有误：更改分隔符的标签应写作 {{=<% %>=}}")
    case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
      return DraftError(file: at, message: "报告模板写法有误：继承模板 {{<…}} 内只能写 {{$块名}}…{{/块名}}")
    case .invalidConfigVariableSyntax, .unrecognisedConfigVariable:
      return DraftError(
        file: at, message: "报告模板写法有误：{{% … }} 只能写 {{% CONTENT_TYPE: MARKDOWN }}、HTML 或 TEXT")
    case nil:
      return DraftError(file: at, message: "报告模板写法有误：\(e.error)")
    }
  }

  /// Renders the template with `values`. A name found nowhere renders as nothing, as in
  /// Mustache; such names are returned in the order first met, each once. A section over a
  /// name found nowhere is simply not shown (optional parts of the context are written so)
  /// and is not returned.
  ///
  /// `optional`: names some items of the context hold and others lack (`rs` on a merged
  /// heading, `claimed` on a held-back file); written outside a guarding section they are
  /// blank where absent, as the template's author means, and are not returned.
  func render(_ values: [String: Any], optional: Set<String> = []) -> (text: String, unresolved: [String]) {
    let log = UnresolvedNames()
    let root = ContextRoot(values: values, optional: optional, log: log)
    let rendered = library.render(root, withTemplate: key) ?? ""
    guard !log.names.isEmpty else { return (rendered, []) }
    // Markers are `open digits close` with a known index; anything else is text (an
    // operator's prose could hold the same noncharacters) and is kept as it is.
    let scalars = Array(rendered.unicodeScalars)
    var text = String.UnicodeScalarView()
    var names: [String] = []
    var i = 0
    while i < scalars.count {
      if scalars[i] == UnresolvedNames.open, let (index, end) = Self.marker(in: scalars, at: i, count: log.names.count)
      {
        if !names.contains(log.names[index]) { names.append(log.names[index]) }
        i = end
        continue
      }
      text.append(scalars[i])
      i += 1
    }
    return (String(text), names)
  }

  /// The index of the marker starting at `start`, and where it ends; nil when the scalars
  /// there are not one.
  private static func marker(in scalars: [Unicode.Scalar], at start: Int, count: Int) -> (Int, Int)? {
    var index = 0
    var i = start + 1
    while i < scalars.count, i - start <= 10,
      let digit = scalars[i].value >= 0x30 && scalars[i].value <= 0x39
        ? Int(scalars[i].value - 0x30) : nil
    {
      index = index * 10 + digit
      i += 1
    }
    guard i > start + 1, i < scalars.count, scalars[i] == UnresolvedNames.close, index < count else { return nil }
    return (index, i + 1)
  }

  /// The files the template named `key` reaches among the partials `available`, each read by
  /// `read` when reached, in the order reached.
  static func reachable(from key: String, among available: [String], read: (String) throws -> File) throws -> [File] {
    let names = Set(available)
    var files: [File] = []
    var reached: [String] = names.contains(key) ? [key] : []
    var i = 0
    while i < reached.count {
      let file = try read(reached[i])
      files.append(file)
      // Past a delimiter change the scan sees no tags, and a partial or parent named by a
      // value (`{{>*name}}`, `{{<*name}}`) could be any: then every file may be reached.
      let included = TemplateTag.scan(file.text).filter { $0.kind == .partial || $0.kind == .opening("<") }
      if file.text.contains("{{=") || included.contains(where: { $0.name.hasPrefix("*") }) {
        for name in available where !reached.contains(name) {
          reached.append(name)
        }
      } else {
        for tag in included where names.contains(tag.name) && !reached.contains(tag.name) {
          reached.append(tag.name)
        }
      }
      i += 1
    }
    return files
  }

  /// Every name the reached templates write or open a section on, each file scanned once.
  var names: Set<String> {
    Set(files.flatMap { TemplateTag.scan($0.text).map(\.name) })
  }

  /// Where each of `names` is written as a value (`{{name}}`, `{{{name}}}`, `{{&name}}`).
  func places(of name: String) -> [(file: String, tag: TemplateTag)] {
    files.flatMap { file in
      TemplateTag.scan(file.text)
        .filter { $0.writesValue && ($0.name == name || $0.name == "." + name) }
        .map { (file.shown, $0) }
    }
  }
}

/// The names a render did not find; a marker in the output refers to one by index, since the
/// content type escapes what a value renders (`s1_x` would become `s1\_x` in Markdown).
private final class UnresolvedNames {
  /// Noncharacters: never in a report's text, untouched by the HTML and Markdown escapes.
  static let open = Unicode.Scalar(0xFDD0 as UInt32) ?? "\u{FFFD}"
  static let close = Unicode.Scalar(0xFDD1 as UInt32) ?? "\u{FFFD}"
  var names: [String] = []

  func marker(for name: String) -> String {
    names.append(name)
    return "\(Self.open)\(names.count - 1)\(Self.close)"
  }
}

/// The bottom of the context stack: Mustache looks a name up from the innermost section
/// outwards, so a name reaches the root only when no section has it, and the root's answer is
/// the template's last chance.
private struct ContextRoot: MustacheParent {
  var values: [String: Any]
  var optional: Set<String>
  let log: UnresolvedNames
  func child(named name: String) -> Any? {
    if let value = values[name] { return value }
    return optional.contains(name) ? nil : Unresolved(name: name, log: log)
  }
}

/// What a name found nowhere resolves to: null for sections (not shown, `{{^name}}` shown),
/// a marker when rendered as a value; a dotted name keeps its whole path.
private struct Unresolved: MustacheParent, MustacheCustomRenderable {
  var name: String
  let log: UnresolvedNames
  var isNull: Bool { true }
  var renderText: String { log.marker(for: name) }
  func child(named next: String) -> Any? { Unresolved(name: name + "." + next, log: log) }
}
