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
        // TLS for driver connections (`docstore serve --tls-cert/--tls-key`).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // `swift package generate-documentation`: the DocC catalog in Sources/DocumentStore.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // libidn's stringprep: SASLprep (RFC 4013) of user names, as SCRAM (RFC 5802) asks.
        .systemLibrary(
            name: "CLibIDN",
            pkgConfig: "libidn",
            providers: [.apt(["libidn-dev"]), .brew(["libidn"])]
        ),
        // libarchive for the tar.gz archives of `docstore dump`/`restore` (RethinkDB's format).
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),
        // Duktape for `r.js`, compiled from the source Debian's duktape-dev ships, because the
        // prebuilt library cannot stop running code (see Sources/CDuktape/duktape_engine.c).
        .target(
            name: "CDuktape",
            linkerSettings: [.linkedLibrary("m")]
        ),
        // The JSON value type, its canonical text and RethinkDB's ordering: below both the
        // library and the ReQL evaluator, which must not depend on storage.
        .target(name: "DocumentModel"),
        .target(
            name: "DocumentStore",
            // ReQL evaluates the index functions stored in the file.
            dependencies: ["CSQLite", "CArchive", "DocumentModel", "ReQL"],
            resources: [.embedInCode("Migrations")]
        ),
        // RE2, RethinkDB's regular-expression engine, behind a small C interface (RE2 is C++):
        // `match` gets RethinkDB's syntax and semantics. Debian: libre2-dev.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2")]
        ),
        // S2 (spherical geometry) and GeographicLib (geodesics), RethinkDB's geospatial
        // libraries, behind a small C interface (both are C++): the geo terms and geo indexes
        // get RethinkDB's validity rules, predicates and cell coverings. Debian: libs2-dev,
        // libgeographiclib-dev (S2 ships no pkg-config file, so the libraries are named here).
        .target(
            name: "CGeo",
            // S2's headers call Abseil's raw logging from inline code that sanitizer builds keep
            // out of line, so that library is linked by name too.
            linkerSettings: [.linkedLibrary("s2"), .linkedLibrary("absl_raw_logging_internal"), .linkedLibrary("GeographicLib")]
        ),
        // The pure ReQL evaluator: terms over documents, table access through a protocol. Below
        // the server, and next to the library, which will apply stored functions with it.
        .target(
            name: "ReQL",
            dependencies: ["DocumentModel", "CDuktape", "CRE2", "CGeo", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "DocumentStoreServer",
            dependencies: [
                "DocumentStore",
                "ReQL",
                "CLibIDN",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
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
        // A child process for the reliability tests: writes through the library and reports
        // each acknowledged write, so a test can SIGKILL it and check what survived.
        .executableTarget(
            name: "docstore-crashwriter",
            dependencies: ["DocumentStore"],
            path: "Tests/Support/CrashWriter"
        ),
        .target(
            name: "Spawn",
            path: "Tests/Support/Spawn"
        ),
        .testTarget(
            name: "DocumentStoreTests",
            // The crash writer is the other process of the change-feed tests.
            dependencies: ["DocumentStore", "Spawn", "docstore-crashwriter"]
        ),
        .testTarget(
            name: "DocumentStoreServerTests",
            dependencies: [
                "DocumentStoreServer",
                "DocumentStore",
                "ReQL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DocStoreCLITests",
            dependencies: ["DocStoreCLI", "docstore", "Spawn"]
        ),
        // Issue #7: crash, concurrency, disk-full, bad-input, fuzz-regression and server
        // security tests. The executables are dependencies so that `swift test` builds them.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "DocumentStore",
                "DocumentStoreServer",
                "ReQL",
                "docstore",
                "docstore-crashwriter",
                "Spawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6],
    // S2's headers need C++17 (Abseil).
    cxxLanguageStandard: .cxx17
)
