// swift-tools-version:6.0
import PackageDescription

// `swift run` and `swift test` build debug (-Onone), and that is what users type.
// The numeric targets are compiled optimised in every configuration (-O: preconditions and
// bounds checks stay on, so a bad size is a clear stop, never undefined behaviour; the hot
// loops are C kernels in CKernels). Never add -wmo here: the debug build then fails.
let numeric: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "experiments",
    products: [
        .executable(name: "experiments", targets: ["experiments"]),
    ],
    dependencies: [
        // The CLI: subcommands, options and --help text.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `experiments serve`: a small async HTTP server (one package, no SwiftNIO).
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
    ],
    targets: [
        // System libraries from Debian (scripts/setup.sh installs them).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Leaf modules: each has one job and knows nothing of the others.
        // The C kernels: matrix products, elementary functions, the image layers' data movement,
        // k-NN distances; one source per kernel compiled for each instruction-set path,
        // optimised in every configuration. No fused multiply-add the source does not spell
        // out, so every path (and every CPU) rounds alike.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        .target(name: "Datasets", dependencies: ["CZlib", "CKernels"], swiftSettings: numeric),
        .target(name: "Baselines", dependencies: ["CKernels"], swiftSettings: numeric),
        .target(name: "ConvNet", dependencies: ["CKernels"], swiftSettings: numeric),
        .target(name: "RunStore", dependencies: ["CHDF5"]),
        .target(name: "Plotting"),

        // The DSL, the runner and the report: the only module that sees all the others.
        .target(name: "Notebook", dependencies: ["ConvNet", "Datasets", "Baselines", "RunStore", "Plotting"]),

        // `experiments serve`: the runs index, its queries and the web pages over HTTP.
        .target(name: "RunServer", dependencies: ["RunStore", .product(name: "FlyingFox", package: "FlyingFox")]),

        // The command-line tool and the study files; every study file registers its study
        // through the build plugin (Plugins/StudyCatalog).
        .executableTarget(name: "experiments",
                          dependencies: ["Notebook", "RunServer",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "experiments", plugins: ["StudyCatalog"]),
        .executableTarget(name: "StudyCatalogGenerator", path: "Plugins/StudyCatalogGenerator"),
        .plugin(name: "StudyCatalog", capability: .buildTool(), dependencies: ["StudyCatalogGenerator"]),

        // The project side of scripts/bench.sh (speed against ../shared/bench/peers).
        .executableTarget(name: "experiments-bench", dependencies: ["Baselines", "ConvNet", "Datasets", "CKernels"],
                          path: "bench", swiftSettings: numeric),

        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "Datasets", "CKernels"]),
        .testTarget(name: "ConvNetTests", dependencies: ["ConvNet", "Datasets", "CKernels"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "ServeTests", dependencies: ["RunServer", "RunStore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["experiments", "ConvNet", "RunStore", "CHDF5"]),
    ],
    swiftLanguageModes: [.v5]
)
