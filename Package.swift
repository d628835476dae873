// swift-tools-version: 6.1
import PackageDescription

/// The dependency graph between targets, as their imports draw it (A → B: A imports B):
///
///     Ingest       → CurateCore, CLibXML2, CFreeXL, ZIPFoundation
///     Normalize    → CurateCore
///     ExternalSort → CurateCore
///     Validate     → CurateCore
///     Publish      → CurateCore, CurateSystem, Validate, Crypto
///     Store        → CurateCore, Validate, GRDB
///     Pipeline     → CurateCore, Ingest, Normalize, ExternalSort, Validate, Publish, Store, Yams, Crypto, Logging
///     Fetch        → CurateCore, Pipeline, AsyncHTTPClient (NIO), Crypto, Logging
///     curate       → Pipeline, Fetch, and the CurateCore, Ingest, Normalize and Publish types it prints; CurateSystem; ArgumentParser
///
/// So the stages (Ingest, Normalize, ExternalSort, Validate) know only the core, never each other;
/// Publish and Store build on Validate's tables; Pipeline alone drives them all. Heavy dependencies
/// stay in the one target that needs them (swift-crypto in Publish, GRDB in Store, Yams in Pipeline,
/// AsyncHTTPClient in Fetch).
/// Release builds skip the run-time exclusivity checks (measured: 5–8% of an SDMX-ML read and of a
/// run went to `swift_beginAccess` on the readers' and writers' class properties); debug builds and
/// the test suite keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "curate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "curate", targets: ["curate"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        // For the fuzz targets (Tests/Fuzz) and other tools built on the readers and parsers.
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "Normalize", targets: ["Normalize"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // Legacy Excel (.xls, BIFF in OLE2): Debian's libfreexl rather than a hand-written BIFF parser.
        .systemLibrary(
            name: "CFreeXL", pkgConfig: "freexl",
            providers: [.apt(["libfreexl-dev"]), .brew(["freexl"])]),
        .target(name: "CurateCore", swiftSettings: hotPath),
        .target(name: "CurateSystem", swiftSettings: hotPath),
        .target(name: "Ingest", dependencies: ["CurateCore", "CLibXML2", "CFreeXL", "ZIPFoundation"], swiftSettings: hotPath),
        .target(name: "Normalize", dependencies: ["CurateCore"], swiftSettings: hotPath),
        .target(name: "ExternalSort", dependencies: ["CurateCore"], swiftSettings: hotPath),
        .target(name: "Validate", dependencies: ["CurateCore", "ExternalSort"], swiftSettings: hotPath),
        .target(
            name: "Publish",
            dependencies: ["CurateCore", "Validate", "CurateSystem", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: hotPath),
        .target(
            name: "Store",
            dependencies: ["CurateCore", "Validate", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: hotPath),
        // The HTTP client (AsyncHTTPClient on SwiftNIO) stays in Fetch, which reads the specs'
        // `source.fetch` and writes Raw/sources.lock.json (both owned by Pipeline).
        .target(
            name: "Fetch",
            dependencies: ["CurateCore", "Pipeline", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]),
        // A scripted HTTP server on 127.0.0.1 for the fetch tests (FetchTests and the CLI tests); never shipped.
        .target(
            name: "FetchTestServer",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            path: "Tests/FetchTestServer"),
        .target(
            name: "Pipeline",
            dependencies: ["CurateCore", "Ingest", "Normalize", "ExternalSort", "Validate", "Publish", "Store", "Yams",
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: hotPath),
        .executableTarget(
            name: "curate",
            dependencies: ["Pipeline", "Fetch", "CurateCore", "CurateSystem", "Ingest", "Normalize", "Publish",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]),

        .testTarget(name: "CurateCoreTests", dependencies: ["CurateCore"]),
        .testTarget(name: "ExternalSortTests", dependencies: ["ExternalSort", "Validate", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NormalizeTests", dependencies: ["Normalize", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ValidateTests", dependencies: ["Validate"], exclude: ["Golden"]),
        .testTarget(name: "PublishTests", dependencies: ["Publish"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CurateCLITests", dependencies: ["curate", "FetchTestServer"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "Pipeline", "Ingest", "FetchTestServer", .product(name: "Logging", package: "swift-log")]),
    ]
)
