// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "bedside",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bedside", targets: ["bedside"]),
        .library(name: "BedsideCore", targets: ["BedsideCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CVectorscan",
            pkgConfig: "libhs",
            providers: [.apt(["libvectorscan-dev"])]
        ),
        .target(
            name: "BedsideCore",
            dependencies: [
                "CPCRE2",
                "CVectorscan",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "BedsideStore",
            dependencies: [
                "BedsideCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BedsideDelivery",
            dependencies: [
                "BedsideCore",
                "CCurl",
                "BedsideStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "BedsideServer",
            dependencies: [
                "BedsideCore",
                "BedsideStore",
                "BedsideDelivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "bedside",
            dependencies: [
                "BedsideCore",
                "BedsideStore",
                "BedsideDelivery",
                "BedsideServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A throw-away PostgreSQL server for the tests (initdb in a temporary folder, pg_ctl start).
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "BedsideStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PostgresTestSupport"
        ),
        .testTarget(
            name: "BedsideCoreTests",
            dependencies: ["BedsideCore"]
        ),
        .testTarget(
            name: "BedsideStoreTests",
            dependencies: ["BedsideStore", "BedsideCore", "PostgresTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "BedsideDeliveryTests",
            dependencies: [
                "BedsideDelivery", "BedsideStore", "BedsideCore", "PostgresTestSupport", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "BedsideServerTests",
            dependencies: [
                "BedsideServer", "BedsideStore", "BedsideCore", "BedsideDelivery",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "bedsideTests",
            dependencies: ["bedside", "BedsideStore", "PostgresTestSupport"]
        ),
    ]
)
