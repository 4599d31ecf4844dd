// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "DocStore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DocumentStore", targets: ["DocumentStore"]),
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
        .testTarget(
            name: "DocumentStoreTests",
            dependencies: ["DocumentStore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
