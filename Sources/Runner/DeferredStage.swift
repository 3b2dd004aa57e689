import AlmanacCore

/// A stage built only when it runs: what its construction costs (ingest's register key
/// resolver reads every seed) is not paid when the stage is reused.
///
/// It has the wrapped stage's name, input and output, so later steps ask for
/// `output(of: S.self)` as usual.
public struct DeferredStage<S: Stage>: Stage {
  public typealias Input = S.Input
  public typealias Output = S.Output

  public static var name: String { S.name }

  let make: @Sendable () -> S

  public init(_ make: @escaping @Sendable () -> S) { self.make = make }

  public func run(_ input: consuming S.Input, in context: StageContext) async throws -> S.Output {
    try await make().run(consume input, in: context)
  }
}
