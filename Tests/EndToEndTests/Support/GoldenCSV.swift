import Foundation

/// A small RFC 4180 reader and writer for the outbox's CSV files and the templates (UTF-8; a
/// leading BOM is dropped). Independent of the product's reader on purpose.
enum GoldenCSV {
  static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    // A CRLF is one Character in Swift; make line ends uniform.
    chars = chars.map { $0 == "\r\n" ? "\n" : $0 }
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count, chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        row.append(field)
        field = ""
      } else if c == "\n" || c == "\r" {
        row.append(field)
        rows.append(row)
        row = []
        field = ""
      } else {
        field.append(c)
      }
      i += 1
    }
    if !field.isEmpty || !row.isEmpty {
      row.append(field)
      rows.append(row)
    }
    return rows
  }

  static func read(_ url: URL) throws -> [[String]] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw GoldenError("cannot read \(url.path)")
    }
    return parse(String(decoding: data, as: UTF8.self))
  }

  /// Rows with a header line as dictionaries keyed by the header.
  static func records(_ rows: [[String]]) -> [[String: String]] {
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { r in
      var d: [String: String] = [:]
      for (i, h) in header.enumerated() { d[h] = i < r.count ? r[i] : "" }
      return d
    }
  }

  /// CSV text with CRLF line ends, quoting only where needed.
  static func write(_ rows: [[String]]) -> String {
    rows.map { r in
      r.map { f in
        f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
          ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
      }.joined(separator: ",")
    }.joined(separator: "\r\n") + "\r\n"
  }
}
