// swift-tools-version:6.0
// The fuzz target for mapl, kept in its own package so `make test` never builds it.
// Build and run with ./run.sh (see README.md): the static library is linked with
// `swiftc -sanitize=fuzzer,address`, because an executable target built by SwiftPM
// would bring its own `main` and libFuzzer would never run.
import PackageDescription

let package = Package(
    name: "MaplFuzz",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MaplFuzz", type: .static, targets: ["MaplFuzz"]),
        // Triage: runs inputs without sanitizers and prints what mapl reports.
        .executable(name: "mapl-replay", targets: ["MaplReplay"]),
    ],
    dependencies: [
        .package(name: "mapl", path: ".."),
    ],
    targets: [
        .target(
            name: "MaplFuzz",
            dependencies: [.product(name: "Mapl", package: "mapl")],
            path: "Sources/MaplFuzz"
        ),
        .executableTarget(
            name: "MaplReplay",
            dependencies: [.product(name: "Mapl", package: "mapl")],
            path: "Sources/MaplReplay"
        ),
    ],
    swiftLanguageModes: [.v6]
)
