import Foundation

/// A tag of a Mustache template and where it starts, for naming a place in a template file in
/// messages (`report.md.mustache:5:79`).
///
/// swift-mustache parses and renders the templates; it reports where a syntax error stopped it
/// but keeps no places for tags, and an unclosed section is only noticed at the end of the
/// file. This scan finds tags with the default delimiters `{{ }}` and stops at a
/// set-delimiter tag (`{{=<% %>=}}`), after which places are not known.
struct TemplateTag: Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    /// `{{name}}`
    case variable
    /// `{{{name}}}` or `{{&name}}`
    case unescaped
    /// `{{#name}}`, `{{^name}}`, `{{$name}}`, `{{<name}}`: closed by `{{/name}}`
    case opening(Character)
    /// `{{/name}}`
    case closing
    /// `{{> name}}`
    case partial
    /// comments, pragmas
    case other
  }

  var kind: Kind
  var name: String
  /// 1-based.
  var line: Int
  /// 1-based, in characters.
  var column: Int

  /// True for `{{name}}`, `{{{name}}}` and `{{&name}}`: the tag prints what the name holds.
  var writesValue: Bool { kind == .variable || kind == .unescaped }

  /// True for a tag whose name is looked up in the context: a value, or a section over it.
  var namesData: Bool { writesValue || kind == .opening("#") || kind == .opening("^") }

  /// `{{#name}}` as the template writes it (for messages).
  var written: String {
    switch kind {
    case .variable: "{{\(name)}}"
    case .unescaped: "{{{\(name)}}}"
    case .opening(let sigil): "{{\(sigil)\(name)}}"
    case .closing: "{{/\(name)}}"
    case .partial: "{{> \(name)}}"
    case .other: "{{…}}"
    }
  }

  /// The tags of `text`, in order.
  static func scan(_ text: String) -> [TemplateTag] {
    let s = Array(text)
    var tags: [TemplateTag] = []
    var i = 0
    var line = 1
    var column = 1
    func advance(to end: Int) {
      while i < end {
        if s[i] == "\n" || s[i] == "\r\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
        i += 1
      }
    }
    while i + 1 < s.count {
      guard s[i] == "{", s[i + 1] == "{" else {
        advance(to: i + 1)
        continue
      }
      var start = i + 2
      let triple = start < s.count && s[start] == "{"
      if triple { start += 1 }
      var close = start
      while close + 1 < s.count && !(s[close] == "}" && s[close + 1] == "}") { close += 1 }
      guard close + 1 < s.count else { break }
      var end = close + 2
      if triple && end < s.count && s[end] == "}" { end += 1 }
      let content = String(s[start..<close]).trimmingCharacters(in: .whitespacesAndNewlines)
      let rest = String(content.dropFirst()).trimmingCharacters(in: .whitespaces)
      let tag: TemplateTag.Kind
      var name = rest
      if triple {
        tag = .unescaped
        name = content
      } else {
        switch content.first {
        case "=": return tags
        case let sigil? where "#^$<".contains(sigil): tag = .opening(sigil)
        case "/": tag = .closing
        case "&": tag = .unescaped
        case ">": tag = .partial
        case "!", "%": tag = .other
        default:
          tag = .variable
          name = content
        }
      }
      tags.append(TemplateTag(kind: tag, name: name, line: line, column: column))
      advance(to: end)
    }
    return tags
  }

  /// The first section of `tags` left open at the end, or the first closing tag that does not
  /// close the innermost open one (with the opening it should have closed).
  static func unbalanced(_ tags: [TemplateTag]) -> (tag: TemplateTag, open: TemplateTag?)? {
    var open: [TemplateTag] = []
    for tag in tags {
      switch tag.kind {
      case .opening: open.append(tag)
      case .closing:
        guard let innermost = open.last, innermost.name == tag.name else { return (tag, open.last) }
        open.removeLast()
      default: continue
      }
    }
    return open.last.map { ($0, nil) }
  }
}
