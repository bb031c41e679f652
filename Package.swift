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
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
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
            ]
        ),
        .target(
            name: "BedsideStore",
            dependencies: [
                "BedsideCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "BedsideDelivery",
            dependencies: [
                "BedsideCore",
                "BedsideStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "bedside",
            dependencies: [
                "BedsideCore",
                "BedsideStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BedsideCoreTests",
            dependencies: ["BedsideCore"]
        ),
        .testTarget(
            name: "BedsideStoreTests",
            dependencies: ["BedsideStore", "BedsideCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "BedsideDeliveryTests",
            dependencies: ["BedsideDelivery", "BedsideStore", "BedsideCore", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "bedsideTests",
            dependencies: ["bedside"]
        ),
    ]
)
