import Mustache

/// Mustache content type for Markdown templates: `{{value}}` escapes Markdown control characters.
///
/// A template opts in with `{{% CONTENT_TYPE: MARKDOWN }}` on its first line (and in each partial,
/// since swift-mustache resets partials to HTML). Department names and file names then cannot
/// start a table cell, a link, emphasis or raw HTML. Operators' prose is Markdown on purpose and
/// is the one value a Markdown template inserts with `{{{…}}}`.
public struct MarkdownContentType: MustacheContentType {
  public static let name = "MARKDOWN"

  /// Registers the content type once; templates using the pragma must be parsed after this.
  public static let register: Void = MustacheContentTypes.register(MarkdownContentType(), named: name)

  public init() {}

  public func escapeText(_ text: String) -> String { Self.escape(text) }

  /// Backslash-escapes CommonMark punctuation that changes structure; line breaks become spaces
  /// so a value never ends a table row or a list item.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
      switch c {
      case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "!", "&", "{", "}":
        out.append("\\")
        out.append(c)
      case "\r\n", "\n", "\r":
        out.append(" ")
      default:
        out.append(c)
      }
    }
    return out
  }

  /// Operators' Markdown with raw HTML disarmed: `<` and `&` become entities, so a tag or a
  /// script in a text file shows as text in any Markdown viewer while emphasis, lists and links
  /// still work.
  public static func withoutHTML(_ text: String) -> String {
    guard text.contains(where: { $0 == "<" || $0 == "&" }) else { return text }
    return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
  }
}
