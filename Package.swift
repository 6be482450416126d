// swift-tools-version: 6.1
import PackageDescription

/// Rapport: an event-sourced CRM backend on an append-only LMDB log.
///
/// The targets follow the layers of the design: C libraries at the bottom, thin safe wrappers
/// over them, the event log, and the `rapport` executable on top.
let package = Package(
    name: "rapport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "Zstd", targets: ["Zstd"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "CRMSchema", targets: ["CRMSchema"]),
        .library(name: "CRMDomain", targets: ["CRMDomain"]),
        .library(name: "CRMService", targets: ["CRMService"]),
        .library(name: "CRMWorkload", targets: ["CRMWorkload"]),
        .library(name: "Projections", targets: ["Projections"]),
        .library(name: "CRMReadModels", targets: ["CRMReadModels"]),
        .library(name: "LogArchive", targets: ["LogArchive"]),
        .library(name: "CRMServer", targets: ["CRMServer"]),
        .library(name: "Spreadsheets", targets: ["Spreadsheets"]),
        .library(name: "RapportTestSupport", targets: ["RapportTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),

        // MARK: - Wrappers
        .target(name: "LMDB", dependencies: ["CLMDB"], swiftSettings: strictSettings),
        .target(name: "Zstd", dependencies: ["CZstd"], swiftSettings: strictSettings),

        // MARK: - The log
        .target(
            name: "EventStore",
            dependencies: [
                "LMDB",
                "Zstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Projections

        .target(
            name: "Projections",
            dependencies: ["EventStore", "LMDB", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),

        // MARK: - The CRM

        .target(
            name: "CRMSchema",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/schema-digests.txt"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMDomain",
            dependencies: ["CRMSchema", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings
        ),

        .target(
            name: "CRMService",
            dependencies: [
                "CRMDomain",
                "CRMSchema",
                "EventStore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),

        .target(
            name: "CRMWorkload",
            dependencies: [
                "CRMDomain", "CRMSchema", "EventStore", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),

        .target(
            name: "CRMReadModels",
            dependencies: [
                "Projections", "CRMSchema", "CRMDomain", "EventStore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Archives

        .target(
            name: "LogArchive",
            dependencies: [
                "EventStore", "Zstd", "CRMSchema",
                // The catalogue hands out protobuf messages; `data` is their canonical JSON.
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - The HTTP service
        // The HTTP API's types, server boundary and client, generated from Schemas/openapi.yaml
        // by Tools/generate-openapi (committed, as the protobuf code is).
        .target(
            name: "RapportAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml"]
        ),
        .target(
            name: "CRMServer",
            dependencies: [
                "CRMService", "CRMReadModels", "CRMDomain", "CRMSchema", "Projections", "EventStore", "LogArchive",
                "LMDB", "RapportAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        .target(name: "Spreadsheets", swiftSettings: strictSettings),

        // MARK: - Executable
        .executableTarget(
            name: "rapport",
            dependencies: [
                "CRMServer", "EventStore", "CRMService", "CRMDomain", "CRMWorkload", "Projections", "CRMReadModels",
                "CRMSchema", "LogArchive", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests
        .target(
            name: "RapportTestSupport",
            dependencies: ["EventStore", "LMDB"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CRMTestSupport",
            dependencies: ["CRMService", "CRMDomain", "CRMSchema", "EventStore", "RapportTestSupport"],
            swiftSettings: strictSettings
        ),
        // The framework's ceiling beside `Benchmarks/HTTP/run-follow-ups.sh`: Hummingbird alone
        // answering the same request.
        .executableTarget(
            name: "http-ceiling",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/HTTP/Ceiling",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "EventStoreCrashChild",
            dependencies: ["EventStore"],
            path: "Tests/EventStoreCrashChild",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "RapportTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ZstdTests", dependencies: ["Zstd"], swiftSettings: strictSettings),
        .testTarget(
            name: "SpreadsheetsTests",
            dependencies: ["Spreadsheets", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMSchemaTests",
            dependencies: ["CRMSchema", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMDomainTests",
            dependencies: [
                "CRMDomain", "CRMSchema", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMServiceTests",
            dependencies: [
                "CRMService", "CRMDomain", "CRMSchema", "EventStore", "RapportTestSupport", "CRMTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMWorkloadTests",
            dependencies: [
                "CRMWorkload", "CRMDomain", "CRMSchema", "EventStore", "RapportTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RapportCLITests",
            dependencies: [
                "rapport", "RapportTestSupport", "CRMService", "CRMSchema", "CRMWorkload", "CRMReadModels",
                "Projections",
                "EventStore",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LogArchiveTests",
            dependencies: ["LogArchive", "EventStore", "CRMSchema", "RapportTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMReadModelsTests",
            dependencies: [
                "CRMReadModels", "Projections", "CRMService", "CRMDomain", "CRMSchema", "CRMWorkload", "EventStore",
                "RapportTestSupport", "CRMTestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "EventStore", "LMDB", "RapportTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRMServerTests",
            dependencies: [
                "CRMServer", "EventStore", "Projections", "RapportTestSupport", "CRMTestSupport", "CRMService",
                "CRMSchema", "RapportAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EventStoreTests",
            dependencies: ["EventStore", "LMDB", "RapportTestSupport", "EventStoreCrashChild"],
            swiftSettings: strictSettings
        ),
    ]
)

/// C types stay behind the wrappers: imports are internal unless a file says otherwise.
var strictSettings: [SwiftSetting] {
    [
        .enableUpcomingFeature("InternalImportsByDefault"),
        // `any` written where a protocol is used as a type, and every module a file uses
        // imported by that file, as swift-nio and Hummingbird build.
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        // Release builds specialise generic code across modules: the read models call the
        // projections' generic tables on every event, which unspecialised looked up type
        // metadata at each call (9% of a rebuild).
        .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
    ]
}
