// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Almanac",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "almanac", targets: ["almanac"]),
    // For the fuzz harness in Fuzz/ (a separate package, built only by `make fuzz`).
    .library(name: "AlmanacIngest", targets: ["AlmanacCore", "Ingest"]),
    // For the micro-benchmarks in Benchmarks/ (a separate package, built only by
    // `make microbench`): ingest with the register resolver of Normalize.
    .library(name: "AlmanacStages", targets: ["AlmanacCore", "Ingest", "Normalize"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
  ],
  targets: [
    // C libraries, each used by exactly one Swift wrapper type.
    .systemLibrary(name: "CCSV", path: "Sources/CCSV", providers: [.apt(["libcsv-dev"])]),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
    // glibc's malloc_trim (part of libc: nothing to install or link).
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    // Linux's sync_file_range (part of libc as well).
    .systemLibrary(name: "CFileSync", path: "Sources/CFileSync"),

    .target(
      name: "AlmanacCore",
      dependencies: [
        "CMalloc",
        "CFileSync",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .target(name: "Ingest", dependencies: ["AlmanacCore", "CCSV", "CZlib"]),
    .target(name: "Normalize", dependencies: ["AlmanacCore"]),
    .target(name: "Reconcile", dependencies: ["AlmanacCore"]),
    .target(name: "Consolidate", dependencies: ["AlmanacCore", "Ingest"]),
    .target(
      name: "Draft",
      dependencies: [
        "AlmanacCore",
        // The findings log is staged by the last stage, with the report's own findings.
        "Consolidate",
        .product(name: "Mustache", package: "swift-mustache"),
      ]),
    // Chains the stages, owns checkpoints, the lock and publishing to the outbox.
    .target(
      name: "Runner",
      dependencies: [
        "AlmanacCore", "Ingest", "Normalize", "Reconcile", "Consolidate", "Draft",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .target(
      name: "AlmanacCLI",
      dependencies: [
        "AlmanacCore", "Ingest", "Normalize", "Reconcile", "Consolidate", "Draft", "Runner",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .executableTarget(name: "almanac", dependencies: ["AlmanacCLI"]),
    .target(
      name: "AlmanacTestSupport",
      dependencies: ["AlmanacCore"]),

    .testTarget(
      name: "AlmanacCoreTests",
      dependencies: [
        "AlmanacCore", "AlmanacTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "IngestTests",
      dependencies: [
        "Ingest", "AlmanacCore", "AlmanacTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "NormalizeTests",
      dependencies: [
        "Normalize", "Ingest", "AlmanacTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "ReconcileTests",
      dependencies: [
        "Reconcile", "Normalize", "Ingest", "AlmanacTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "ConsolidateTests",
      dependencies: ["Consolidate", "Ingest", "AlmanacTestSupport", .product(name: "Logging", package: "swift-log")]),
    .testTarget(
      name: "DraftTests",
      dependencies: [
        "Draft", "AlmanacTestSupport", .product(name: "Logging", package: "swift-log"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "RunnerTests",
      dependencies: ["Runner", "AlmanacTestSupport"]),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["AlmanacCore", "AlmanacTestSupport", "Ingest"]),
  ]
)
