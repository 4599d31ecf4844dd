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
            name: "DocStoreCLI",
            dependencies: [
                "DocumentStore",
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
            name: "DocStoreCLITests",
            dependencies: ["DocStoreCLI", "docstore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
