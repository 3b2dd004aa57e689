// swift-tools-version:6.1
// Micro-benchmarks of the hot paths of a run (ordo-one/benchmark), kept out of the main package
// so that `swift build` and `swift test` do not build the benchmark tool. Run by
// `make microbench`, which generates the reference data first:
//   swift package --package-path Benchmarks --disable-sandbox benchmark
import PackageDescription

let package = Package(
  name: "AlmanacBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "Almanac", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "HotPaths",
      dependencies: [
        .product(name: "AlmanacStages", package: "Almanac"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "HotPaths",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
  ]
)
