// swift-tools-version:6.0
import PackageDescription

// `swift run` and `swift test` build debug (-Onone), and that is what users type.
// The numeric targets are compiled optimised in every configuration
// (../shared/TOOLCHAIN.md: -Ounchecked vectorises pointer loops; never add -wmo here,
// the debug build then fails).
let numeric: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"])]

let package = Package(
    name: "experiments",
    products: [
        .executable(name: "experiments", targets: ["experiments"]),
    ],
    dependencies: [
        // The CLI: subcommands, options and --help text.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries from Debian (scripts/setup.sh installs them).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Debian's OpenBLAS, loaded at first use with kernels chosen for this CPU (not linked:
        // its constructor would choose them before `main`; Sources/CBLAS/blas.c says why).
        .target(name: "CBLAS", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),

        // Leaf modules: each has one job and knows nothing of the others.
        .target(name: "Datasets", dependencies: ["CZlib", "CBLAS"], swiftSettings: numeric),
        .target(name: "Baselines", dependencies: ["CKernels"], swiftSettings: numeric),
        // C kernels for the dense layers' small-batch products and the image layers' data movement,
        // optimised in every configuration; no fused multiply-adds the source does not spell out,
        // so every instruction-set path rounds alike.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        .target(name: "ConvNet", dependencies: ["CBLAS", "CKernels"], swiftSettings: numeric),
        .target(name: "RunStore", dependencies: ["CHDF5"]),
        .target(name: "Plotting"),

        // The DSL, the runner and the report: the only module that sees all the others.
        .target(name: "Notebook", dependencies: ["ConvNet", "Datasets", "Baselines", "RunStore", "Plotting", "CBLAS"]),

        // The command-line tool and the study files; every study file registers its study
        // through the build plugin (Plugins/StudyCatalog).
        .executableTarget(name: "experiments",
                          dependencies: ["Notebook",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "experiments", plugins: ["StudyCatalog"]),
        .executableTarget(name: "StudyCatalogGenerator", path: "Plugins/StudyCatalogGenerator"),
        .plugin(name: "StudyCatalog", capability: .buildTool(), dependencies: ["StudyCatalogGenerator"]),

        // The project side of scripts/bench.sh (speed against ../shared/bench/peers).
        .executableTarget(name: "experiments-bench", dependencies: ["Baselines", "ConvNet", "Datasets", "CBLAS"],
                          path: "bench", swiftSettings: numeric),

        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "Datasets"]),
        .testTarget(name: "ConvNetTests", dependencies: ["ConvNet", "Datasets", "CBLAS"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "EndToEndTests", dependencies: ["experiments", "ConvNet", "RunStore", "CHDF5"]),
    ],
    swiftLanguageModes: [.v5]
)
