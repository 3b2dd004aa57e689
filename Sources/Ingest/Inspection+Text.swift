import AlmanacCore

extension Inspection {
  /// The human summary of `almanac inspect` (zh-CN): 编码、原因、分隔符、记录数、表格、部门、年度、问题.
  public func text(forms: [FormDefinition]) -> String {
    func name(_ id: String?) -> String {
      guard let id else { return "未识别" }
      return forms.first { $0.id == id }.map { "\(id)（\($0.name)）" } ?? id
    }
    var out = ["文件：\(file)"]
    out.append("  SHA-256：\(sha256.isEmpty ? "无法计算" : sha256)")
    if let encoding {
      out.append("  编码：\(encoding)")
      out.append("  原因：\(encodingReason ?? "—")")
    } else {
      out.append("  编码：未能识别")
    }
    out.append("  分隔符：\(delimiter.map(Self.delimiterName) ?? "未能识别")")
    out.append("  记录数：\(recordCount)")
    if tables.isEmpty && registers.isEmpty {
      out.append("  表格：无")
    } else {
      out.append("  表格：")
      for t in tables {
        var line =
          "    \(name(t.form))：表头第\(t.headerLines.map(String.init).joined(separator: "、"))行，数据\(t.rows)行，\(t.cells)个单元格"
        if let caption = t.caption { line += "，标题「\(caption)」" }
        out.append(line)
      }
      for r in registers {
        var line = "    \(name(r.form))：表头第\(r.headerLine)行，\(r.dataRows)条记录，归并为\(r.groups)组"
        if let repeats = r.repeatedNumbers, let first = repeats.examples.first {
          // What a run reports as NRM-031, seen before the file is sent on.
          line +=
            "；第 \(repeats.column) 列有 \(repeats.numbers) 个编号重复出现（多出 \(repeats.rows) 行，"
            + "如「\(first.number)」见第 \(first.firstLine)、\(first.line) 行）"
        }
        out.append(line)
      }
    }
    var sources: [String] = []
    if let d = claims.metadataDepartment { sources.append("填报单位「\(d)」") }
    if let d = claims.titleDepartment { sources.append("标题「\(d)」") }
    if let d = claims.fileNameDepartment { sources.append("文件名「\(d)」") }
    out.append("  部门：\(department ?? "未能识别")" + (sources.isEmpty ? "" : "（\(sources.joined(separator: "；"))）"))
    if let registry { out.append("  登记：\(registry)") }
    var years: [String] = []
    if let y = claims.titleYear { years.append("标题\(y)") }
    if let y = claims.fileNameYear { years.append("文件名\(y)") }
    out.append("  年度：\(year.map(String.init) ?? "未能识别")" + (years.isEmpty ? "" : "（\(years.joined(separator: "；"))）"))
    if let filled = claims.filledOn { out.append("  填报日期：\(filled)") }
    if findings.isEmpty {
      out.append("  问题：无")
    } else {
      out.append("  问题（\(findings.count)）：")
      for f in findings {
        out.append("    \(f.sources.first?.location ?? file)：\(f.severity.label)：\(f.message) [\(f.code)]")
      }
    }
    // Cell text and file names may hold line breaks or terminal escapes: never raw on a terminal.
    return out.map { PrintableText.escapingControls($0) }.joined(separator: "\n")
  }

  static func delimiterName(_ d: String) -> String {
    switch d {
    case ",": "逗号（,）"
    case "\t": "制表符（Tab）"
    case ";": "分号（;）"
    default: "「\(d)」"
    }
  }
}
