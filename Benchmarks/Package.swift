// swift-tools-version:6.1
// mapl's speed benchmarks: a package of their own, so that `make test` and CI never
// build package-benchmark. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
import PackageDescription

// A path dependency's identity is its folder's name (lowercased), not the name in its
// manifest: "main" in /work/main, something else in another clone. Work it out.
let maplPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "mapl").lowercased()

let package = Package(
    name: "MaplBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MaplBenchmarks",
            dependencies: [
                .product(name: "Mapl", package: maplPackage),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "MaplBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
