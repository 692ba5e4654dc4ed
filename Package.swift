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
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // libedit, reached through a shim header (its entry points are C variadics).
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The language and the plan model. Knows nothing of terminals.
        .target(name: "Mapl", dependencies: [.product(name: "Mustache", package: "swift-mustache")], path: "Sources/Mapl"),
        // Line editing and the interactive session, on top of the library.
        .target(name: "MaplREPL", dependencies: ["Mapl", "CEditLine"], path: "Sources/MaplREPL"),
        // The thin command-line entry point.
        .executableTarget(
            name: "mapl",
            dependencies: [
                "Mapl", "MaplREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/mapl"
        ),
        .testTarget(name: "MaplTests", dependencies: ["Mapl", "MaplREPL"], path: "Tests/MaplTests"),
    ],
    swiftLanguageModes: [.v6]
)
