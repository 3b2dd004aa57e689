// swift-tools-version:6.1
// The libFuzzer harness over ingest, kept out of the main package: libFuzzer brings its own
// `main`, which would clash with a normal executable. Built and run only by `make fuzz`:
//   swift build --package-path Fuzz -c debug --product ingest-fuzz -Xswiftc -sanitize=fuzzer,address
import PackageDescription

let package = Package(
  name: "AlmanacFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "Almanac", path: "..")
  ],
  targets: [
    .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
    .executableTarget(
      name: "ingest-fuzz",
      dependencies: ["CFuzzerDriver", .product(name: "AlmanacIngest", package: "Almanac")],
      path: "Sources/IngestFuzz"),
  ]
)
