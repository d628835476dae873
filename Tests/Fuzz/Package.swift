// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets for the readers, parsers and the spec loader. Built by `make fuzz` only (run.sh:
/// `-sanitize=fuzzer,address` for short runs, `-sanitize=fuzzer` in release for the long mode);
/// never part of `make test`.
let targets = ["fuzz-csv", "fuzz-encoding", "fuzz-sdmx-ml", "fuzz-sdmx-csv", "fuzz-estat", "fuzz-xlsx", "fuzz-numbers", "fuzz-periods", "fuzz-units"]

let package = Package(
    name: "curate-fuzz",
    dependencies: [.package(name: "curate", path: "../..")],
    targets: [.target(name: "CFuzz", path: "Sources/CFuzz"),
              .target(name: "FuzzSupport", dependencies: ["CFuzz"], path: "Sources/FuzzSupport")] + targets.map { name in
        // SwiftPM links `<module>_main` as main; it hands over to libFuzzer's driver.
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "Ingest", package: "curate"), .product(name: "Normalize", package: "curate")],
            path: "Sources/\(name)",
            // ZIPFoundation's one leak per archive opened, freed by the harness (CFuzz/zip_path_leak.c).
            linkerSettings: name == "fuzz-xlsx" ? [.unsafeFlags(["-Xlinker", "--wrap=fopen"])] : [])
    } + [
        // YAML → spec loader: needs the Pipeline library (Yams, and GRDB through Store).
        .executableTarget(name: "fuzz-spec", dependencies: ["FuzzSupport", .product(name: "Pipeline", package: "curate")],
                          path: "Sources/fuzz-spec"),
    ]
)
