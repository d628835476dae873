// swift-tools-version: 6.1
import PackageDescription

/// Micro-benchmarks of curate's hot paths (package-benchmark). Run by `make bench`, never by
/// `make test`: `swift package benchmark` in this folder.
let package = Package(
    name: "curate-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "curate", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Ingest", package: "curate"),
                .product(name: "Normalize", package: "curate"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
