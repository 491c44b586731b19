import Foundation
import XCTest

/// A student's misspellings in a study file are compile errors, not failures after training:
/// views read runs through step handles (a step-name string does not type-check) and metrics
/// through `Metric` constants. Checked with the real compiler against the Notebook module
/// built beside these tests.
final class MisspeltStudyTests: XCTestCase {
    /// A one-step study whose view reads `read` (e.g. `results.run(net).final(.testAccuracy)`).
    func study(reading read: String) -> String {
        """
        import Notebook
        let study = Study("spelling", title: "t", summary: "s") { context in
            let net = Train("net", model: .mlp([784, 10], .sigmoid), data: .mnist5k, split: .random(train: 100, test: 50, seed: 0),
                            loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: 0.5), epochs: 1, batchSize: 10, seed: 0)
            net
            Text { results in "accuracy \\(try \(read))" }
        }
        """
    }

    /// A study with a sweep over a typed axis and a choice sweep, whose view reads `read`.
    func sweepStudy(reading read: String) -> String {
        """
        import Notebook
        let study = Study("sweeps", title: "t", summary: "s") { context in
            let eta = Axis<Double>("eta")
            let sgd = Choice("sgd", Optimizer(learningRate: 0.5))
            let rates = Sweep.grid("rates", eta.over([0.1, 0.5]))
            let methods = Choices.grid("methods", "optimizer", [sgd])
            Text { results in "\\(\(read))" }
        }
        """
    }

    /// Type-checks one file against the built modules; returns the exit status and the errors.
    func typecheck(_ source: String) throws -> (status: Int32, errors: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("study-\(UUID().uuidString).swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let build = CLI.executable.deletingLastPathComponent()
        let hdf5 = CLI.shell(["pkg-config", "--cflags-only-I", "hdf5"]) ?? "-I/usr/include/hdf5/serial"
        // The C modules the Notebook module imports: SwiftPM's generated maps and the system libraries' own.
        let moduleMaps: [URL] = ["CKernels.build"].map { build.appendingPathComponent("\($0)/module.modulemap") }
            + ["CHDF5", "CZlib"].map { CLI.packageRoot.appendingPathComponent("Sources/\($0)/module.modulemap") }
        var arguments = ["swiftc", "-typecheck", "-I", build.appendingPathComponent("Modules").path]
        for map in moduleMaps { arguments += ["-Xcc", "-fmodule-map-file=\(map.path)"] }
        for flag in hdf5.split(separator: " ") { arguments += ["-Xcc", String(flag)] }
        arguments.append(file.path)
        let result = try CLI.runProgram(arguments)
        return (result.status, result.stderr)
    }

    func testMisspeltStepsAndMetricsDoNotCompile() throws {
        let right = try typecheck(study(reading: "results.run(net).final(.testAccuracy)"))
        XCTAssertEqual(right.status, 0, "the study spelt right compiles: \(right.errors)")
        for (read, error) in [
            ("results.run(\"nett\").final(.testAccuracy)", "cannot convert value of type 'String'"),   // a step by a misspelt name
            ("results.run(nett).final(.testAccuracy)", "cannot find 'nett' in scope"),                 // a misspelt handle
            ("results.run(net).final(.testAcuracy)", "has no member 'testAcuracy'"),                   // a misspelt metric
            ("results.run(net).timing(.epochSecond).count", "has no member 'epochSecond'"),         // a misspelt timing
            ("results.run(net).ints(.confussion).shape", "has no member 'confussion'"),             // a misspelt tensor
            ("results.run(net).attribute(.stopreason) ?? \"\"", "has no member 'stopreason'"),       // a misspelt attribute
            ("results.run(net).timing(\"epoch_seconds\").count", "cannot convert value of type 'String'"),  // a timing by its name
        ] {
            let wrong = try typecheck(study(reading: read))
            XCTAssertNotEqual(wrong.status, 0, read)
            XCTAssertTrue(wrong.errors.contains(error), "\(read): \(wrong.errors)")
        }
    }

    /// Sweep axes and choices are handles too: a misspelt one does not compile, and neither
    /// does the old string spelling.
    func testMisspeltAxesAndChoicesDoNotCompile() throws {
        let right = try typecheck(sweepStudy(reading: "rates.points[0][eta] + Double(methods.points(of: sgd).count)"))
        XCTAssertEqual(right.status, 0, "the study spelt right compiles: \(right.errors)")
        for (read, error) in [
            ("rates.points[0][etta]", "cannot find 'etta' in scope"),                          // a misspelt axis
            ("rates.points[0][\"eta\"]", "cannot convert value of type 'String'"),             // an axis by its key
            ("methods.points(of: sgdd).count", "cannot find 'sgdd' in scope"),                  // a misspelt choice
            ("methods.points(of: \"sgd\").count", "cannot convert value of type 'String'"),    // a choice by its name
        ] {
            let wrong = try typecheck(sweepStudy(reading: read))
            XCTAssertNotEqual(wrong.status, 0, read)
            XCTAssertTrue(wrong.errors.contains(error), "\(read): \(wrong.errors)")
        }
    }
}
