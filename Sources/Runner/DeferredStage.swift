import AlmanacCore

/// A stage built only when it runs: what its construction costs (ingest's register key
/// resolver reads every seed) is not paid when the stage is reused.
///
/// It has the wrapped stage's name, input and output, so later steps ask for
/// `output(of: S.self)` as usual.
struct DeferredStage<S: Stage>: Stage {
  typealias Input = S.Input
  typealias Output = S.Output

  static var name: String { S.name }

  let make: @Sendable () -> S

  func run(_ input: S.Input, in context: StageContext) async throws -> S.Output {
    try await make().run(input, in: context)
  }
}
