// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "DocStore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DocumentStore", targets: ["DocumentStore"]),
        .executable(name: "docstore", targets: ["docstore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(
            name: "DocumentStore",
            dependencies: ["CSQLite"],
            resources: [.embedInCode("Migrations")]
        ),
        .target(
            name: "DocumentStoreServer",
            dependencies: [
                "DocumentStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DocStoreCLI",
            dependencies: [
                "DocumentStore",
                "DocumentStoreServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "docstore",
            dependencies: ["DocStoreCLI"]
        ),
        .executableTarget(
            name: "docstore-bench",
            dependencies: ["DocumentStore"],
            path: "Benchmarks/DocStoreBench"
        ),
        .testTarget(
            name: "DocumentStoreTests",
            dependencies: ["DocumentStore"]
        ),
        .testTarget(
            name: "DocumentStoreServerTests",
            dependencies: [
                "DocumentStoreServer",
                "DocumentStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DocStoreCLITests",
            dependencies: ["DocStoreCLI", "docstore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
