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

/// Throughput benchmarks of the event log, run with `swift package --disable-sandbox benchmark`
/// from this folder (see BENCHMARKS.md at the root for figures and how to read them).
let package = Package(
    name: "benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EventLogBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventStore", package: rootPackage),
                .product(name: "CRMDomain", package: rootPackage),
                .product(name: "CRMService", package: rootPackage),
                .product(name: "CRMSchema", package: rootPackage),
                .product(name: "CRMWorkload", package: rootPackage),
                .product(name: "Projections", package: rootPackage),
                .product(name: "CRMReadModels", package: rootPackage),
                .product(name: "LogArchive", package: rootPackage),
            ],
            path: "Benchmarks/EventLogBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
