import Yams

/// Rejects keys a pipeline file does not define (vector's `deny_unknown_fields`).
enum UnknownKeys {
  /// Allowed keys and what each nested value is.
  indirect enum Shape: Sendable {
    case object([String: Shape])
    case list(Shape)
    case freeMap
    case scalar
  }

  static let axis: Shape = .object([
    "key": .scalar, "label": .scalar, "parents": .list(.scalar), "aliases": .list(.scalar), "type": .scalar,
    "unit": .scalar, "columns": .list(.scalar), "checksum": .scalar, "extra": .scalar,
    "rowUnits": .scalar,
  ])

  static let pipeline: Shape = .object([
    "version": .scalar, "name": .scalar, "title": .scalar, "style": .scalar, "year": .scalar,
    "region": .object(["name": .scalar, "expectedLevels": .list(.scalar)]),
    "seeds": .list(.scalar),
    "forms": .list(
      .object([
        "id": .scalar, "name": .scalar, "kind": .scalar, "anchors": .list(.scalar), "type": .scalar,
        "rows": .list(axis), "columns": .list(axis),
        "fields": .list(.object(["key": .scalar, "label": .scalar, "aliases": .list(.scalar), "required": .scalar])),
        "dataRowField": .scalar, "groupBy": .list(.scalar), "optional": .scalar, "rowsInHeader": .scalar,
        "counts": .object([
          "form": .scalar, "rowField": .scalar, "rowSeed": .scalar, "columnField": .scalar, "columnSeed": .scalar,
          "totalColumn": .scalar, "carryField": .scalar, "departmentField": .scalar, "departmentScope": .scalar,
          "declaredSeed": .scalar, "resolveWhileReading": .scalar, "receivedField": .scalar, "uniqueField": .scalar,
        ]),
      ])),
    "rules": .list(
      .object([
        "code": .scalar, "severity": .scalar, "scope": .scalar, "title": .scalar, "forEach": .freeMap,
        "formula": .scalar, "advice": .scalar, "requireAll": .scalar,
      ])),
    "severities": .freeMap,
    "limits": .object([
      "maxDecompressedBytes": .scalar, "maxFieldBytes": .scalar, "maxColumns": .scalar, "maxRecords": .scalar,
    ]),
    "report": .object(["markdownTemplate": .scalar, "htmlTemplate": .scalar]),
  ])

  static func check(_ node: Node, against _: PipelineDefinition.Type, file: String) throws {
    try walk(node, pipeline, path: "", file: file)
  }

  /// `forms.yaml` / `rules.yaml`: a mapping with the one list key.
  static func checkPart(_ node: Node, part: String, file: String) throws {
    guard case .object(let keys) = pipeline, let shape = keys[part] else { return }
    try walk(node, .object([part: shape]), path: "", file: file)
  }

  private static func walk(_ node: Node, _ shape: Shape, path: String, file: String) throws {
    switch (shape, node) {
    case (.object(let keys), .mapping(let mapping)):
      for (k, v) in mapping {
        guard let name = k.string else { continue }
        guard let sub = keys[name] else {
          throw DefinitionFileProblem.at(
            k, file: file, path: "",
            "没有“\(path.isEmpty ? name : path + "." + name)”这个键（拼错了？）；这里可写的键：\(keys.keys.sorted().joined(separator: ", "))"
          )
        }
        try walk(v, sub, path: path.isEmpty ? name : path + "." + name, file: file)
      }
    case (.list(let item), .sequence(let seq)):
      for (i, v) in seq.enumerated() { try walk(v, item, path: "\(path)[\(i)]", file: file) }
    default:
      return  // type mismatches are reported by the decoder with its own message
    }
  }
}
