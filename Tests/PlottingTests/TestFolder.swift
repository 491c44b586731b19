import Foundation
import Plotting
import XCTest

/// A fresh folder per test, removed afterwards unless PLOTTING_TESTS_KEEP is set
/// (then its path is printed, to look at the figures).
class PlottingTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("plotting-tests-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        if ProcessInfo.processInfo.environment["PLOTTING_TESTS_KEEP"] != nil {
            print("figures kept in \(folder.path)")
        } else {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func file(_ name: String) -> URL {
        folder.appendingPathComponent(name)
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name).path)
    }

    /// Runs the installed gnuplot as a user would, from the figure's folder.
    func runGnuplot(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(Plotting.Plotter.findGnuplot()))
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
