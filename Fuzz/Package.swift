// swift-tools-version: 6.1
import PackageDescription

/// The root package's identity is the name of the folder it was cloned into ("rapport",
/// "main", a CI workspace…), so it is read off this manifest's own path rather than written
/// here. String operations only: the manifest needs no Foundation.
let rootPackage: String = {
    let components = Context.packageDirectory.split(separator: "/", omittingEmptySubsequences: true)
    guard components.count >= 2 else { return "rapport" }
    return String(components[components.count - 2]).lowercased()
}()

/// One of the root package's library products.
func rapport(_ product: String) -> Target.Dependency {
    .product(name: product, package: rootPackage)
}

/// A libFuzzer target: an executable whose `main` hands over to libFuzzer's driver.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzDriver"] + dependencies)
}

/// libFuzzer targets for every parser that reads bytes a file or the log can supply, one
/// executable each. Built and run by `Tools/fuzz-parsers` (see RELIABILITY.md, "Parser
/// fuzzing"), which gives `-sanitize=fuzzer,address -parse-as-library -enable-testing` on the
/// command line: they apply to the root package's modules too, which is what instruments the
/// parsers and lets the targets reach internal ones through `@testable import`.
let package = Package(
    name: "fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // The root package's, named here because the catalogue target uses its API directly.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        /// Declares libFuzzer's driver, which each target's `main` hands over to.
        .target(name: "FuzzDriver"),
        fuzzTarget("FuzzRecordDecoder", [rapport("EventStore")]),
        fuzzTarget("FuzzSealedChunk", [rapport("EventStore"), rapport("Zstd")]),
        fuzzTarget("FuzzCompactionManifest", [rapport("EventStore")]),
        fuzzTarget("FuzzNDJSONImport", [rapport("LogArchive"), rapport("EventStore")]),
        fuzzTarget("FuzzBinaryImport", [rapport("LogArchive"), rapport("EventStore"), rapport("Zstd")]),
        fuzzTarget("FuzzLogImport", [rapport("LogArchive"), rapport("EventStore")]),
        /// The row types the row decoder is fuzzed with, shared with the seed writer.
        .target(name: "FuzzRows", dependencies: [rapport("EventStore")]),
        fuzzTarget("FuzzRowDecoder", ["FuzzRows", rapport("Projections"), rapport("EventStore")]),
        fuzzTarget(
            "FuzzEventCatalogue",
            [rapport("CRMSchema"), .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        fuzzTarget("FuzzCommandBody", []),
        /// Writes the seed corpora of the targets above from a small real log (`Tools/fuzz-parsers --seeds`).
        fuzzTarget(
            "FuzzSeeds",
            [
                "FuzzRows", rapport("EventStore"), rapport("LogArchive"), rapport("CRMSchema"), rapport("Projections"),
                rapport("Zstd"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
    ]
)
