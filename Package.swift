// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mapl",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Mapl", targets: ["Mapl"]),
        .executable(name: "mapl", targets: ["mapl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // libedit, reached through a shim header (its entry points are C variadics).
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The system's SQLite, for `mapl export --format sqlite`.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The language and the plan model. Knows nothing of terminals.
        .target(name: "Mapl", dependencies: [
            "MaplStdlib", "CSQLite",
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], path: "Sources/Mapl"),
        // The standard library, written in mapl (stdlib/*.mapl), shipped as resources.
        // Each module is listed: a new stdlib/NAME.mapl needs its line here.
        .target(name: "MaplStdlib", path: "stdlib", exclude: ["README.md"],
                resources: ["strategy", "scoring", "rules", "execution"].map { .copy("\($0).mapl") }),
        // Line editing and the interactive session, on top of the library.
        .target(name: "MaplREPL", dependencies: ["Mapl", "CEditLine"], path: "Sources/MaplREPL"),
        // The language server (`mapl lsp`): editors ask the library through it.
        .target(name: "MaplLSP", dependencies: ["Mapl", "MaplREPL"], path: "Sources/MaplLSP"),
        // The thin command-line entry point.
        .executableTarget(
            name: "mapl",
            dependencies: [
                "Mapl", "MaplREPL", "MaplLSP", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/mapl"
        ),
        .testTarget(name: "MaplTests", dependencies: ["Mapl", "MaplREPL", "MaplLSP"], path: "Tests/MaplTests"),
    ],
    swiftLanguageModes: [.v6]
)
