import CHDF5
import Foundation
import XCTest

/// Every bad input ends with one clear line on stderr, a non-zero exit, and nothing
/// stored is lost.
final class BadInputTests: XCTestCase {
    func testUnknownStudySuggestsTheClosest() throws {
        let result = try CLI.run(["run", "knn-basline", "--quick"])
        assertOneLineFailure(result, mentioning: "unknown study 'knn-basline'; did you mean 'knn-baseline'?")
    }

    func testUnknownOption() throws {
        assertOneLineFailure(try CLI.run(["run", "knn-baseline", "--quik"]), mentioning: "--quik")
    }

    func testUnknownFigureFormat() throws {
        assertOneLineFailure(try CLI.run(["run", "knn-baseline", "--quick", "--format", "png,gif"]),
                             mentioning: "unknown figure format 'gif'")
    }

    func testDataFolderThatDoesNotExist() throws {
        let results = try CLI.temporaryFolder("missing-data")
        let result = try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path,
                                  "--data", "/nonexistent/mnist"])
        assertOneLineFailure(result, mentioning: "/nonexistent/mnist")
        let runs = results.appendingPathComponent("knn-baseline/runs").path
        XCTAssertTrue(((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).isEmpty,
                      "nothing is computed before the data is checked")
    }

    func testUnknownDataNameListsTheNames() throws {
        assertOneLineFailure(try CLI.run(["run", "cost-study", "--quick", "--data", "cifar"]),
                             mentioning: "unknown data 'cifar': give one of mnist, mnist5k, fashion or a folder")
    }

    /// A broken data/mnist (here: one file cut short) stops the study before its first run,
    /// naming the file and the fix.
    func testACorruptMNISTFileStopsTheStudyBeforeAnyRun() throws {
        let data = try CLI.temporaryFolder("bad-mnist")
        let mnist = data.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
        try Data(count: 100).write(to: mnist.appendingPathComponent("train-images-idx3-ubyte"))
        let results = data.appendingPathComponent("results")
        var environment = ProcessInfo.processInfo.environment
        environment["EXPERIMENTS_DATA_DIR"] = data.path
        let result = try CLI.run(["run", "cost-study", "--quick", "--data", "mnist", "--results", results.path], environment: environment)
        assertOneLineFailure(result, mentioning: "\(mnist.path)/train-images-idx3-ubyte: 100 bytes, expected 47040016 (run scripts/setup.sh")
        let runs = results.appendingPathComponent("cost-study/runs").path
        XCTAssertTrue(((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).isEmpty, "nothing computed")
    }

    /// Values a study cannot use are refused before any run: counts of 0, a list with a bad
    /// item (never silently dropped), more images than the data holds (never silently shrunk).
    func testImpossibleParametersAreRefusedBeforeAnyRun() throws {
        let results = try CLI.temporaryFolder("bad-set")
        func run(_ set: String) throws -> CLI.Result {
            try CLI.run(["run", "regularization-study", "--quick", "--results", results.path, "--set", set])
        }
        assertOneLineFailure(try run("epochs=0"), mentioning: "--set epochs=0: epochs takes a whole number of at least 1")
        assertOneLineFailure(try run("sizes=100,abc"), mentioning: "--set sizes=100,abc: sizes takes a comma-separated list, each item a whole number of at least 1")
        assertOneLineFailure(try run("train=100000"), mentioning: "mnist5k holds 5000 training and 0 test images: cannot draw 100000 + 500")
        let runs = results.appendingPathComponent("regularization-study/runs").path
        XCTAssertTrue(((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).filter { $0.hasSuffix(".h5") }.isEmpty,
                      "nothing computed, nothing stored as failed")
    }

    func testDataFolderIsCheckedEvenWhenTheStudyDoesNotUseIt() throws {
        let results = try CLI.temporaryFolder("unused-data")
        assertOneLineFailure(try CLI.run(["run", "init-study", "--quick", "--results", results.path, "--data", "/nonexistent/mnist"]),
                             mentioning: "/nonexistent/mnist")
    }

    func testDataFolderWithMalformedFiles() throws {
        let folder = try CLI.temporaryFolder("bad-idx")
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try Data("not an IDX file at all".utf8).write(to: folder.appendingPathComponent(name))
        }
        let result = try CLI.run(["run", "knn-baseline", "--quick", "--results", folder.appendingPathComponent("results").path,
                                  "--data", folder.path])
        assertOneLineFailure(result, mentioning: folder.path)
    }

    func testShowOnATextFile() throws {
        let file = try CLI.temporaryFolder("show").appendingPathComponent("notes.h5")
        try Data("just some text\n".utf8).write(to: file)
        assertOneLineFailure(try CLI.run(["show", file.path]), mentioning: "not an HDF5 file")
    }

    func testShowOnAMissingFile() throws {
        assertOneLineFailure(try CLI.run(["show", "/nonexistent/run.h5"]), mentioning: "/nonexistent/run.h5")
    }

    func testShowOnATruncatedRunFile() throws {
        let folder = try CLI.temporaryFolder("truncated")
        XCTAssertEqual(try CLI.run(["run", "knn-baseline", "--quick", "--results", folder.path, "--format", "svg"]).status, 0)
        let runs = folder.appendingPathComponent("knn-baseline/runs")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasSuffix(".h5") })
        let whole = try Data(contentsOf: runs.appendingPathComponent(name))
        let truncated = folder.appendingPathComponent("truncated.h5")
        try whole.prefix(whole.count / 2).write(to: truncated)
        assertOneLineFailure(try CLI.run(["show", truncated.path]), mentioning: "truncated.h5")
    }

    func testShowOnAnHDF5FileOfAnotherLayout() throws {
        let file = try CLI.temporaryFolder("foreign").appendingPathComponent("foreign.h5")
        // A plain HDF5 file with one dataset and none of our attributes, made with libhdf5.
        let id = H5Fcreate(file.path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        XCTAssertGreaterThanOrEqual(id, 0)
        var dims: [hsize_t] = [3]
        let space = H5Screate_simple(1, &dims, nil)
        let dataset = H5Dcreate2(id, "values", chdf5_native_double(), space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
        var values: [Double] = [1, 2, 3]
        H5Dwrite(dataset, chdf5_native_double(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &values)
        H5Dclose(dataset); H5Sclose(space); H5Fclose(id)
        assertOneLineFailure(try CLI.run(["show", file.path]), mentioning: "not an experiments run")
    }

    func testResultsFolderThatCannotBeWritten() throws {
        // A regular file where the results folder should be: refused even for root.
        let blocker = try CLI.temporaryFolder("blocked").appendingPathComponent("results")
        try Data("a file, not a folder".utf8).write(to: blocker)
        let blocked = try CLI.run(["run", "knn-baseline", "--quick", "--results", blocker.path])
        assertOneLineFailure(blocked, mentioning: blocker.path)
        assertOneLineFailure(blocked, mentioning: "\(blocker.path) is a file, not a folder")
    }

    func testReportWithoutStoredRunsSaysHowToComputeThem() throws {
        let results = try CLI.temporaryFolder("empty")
        assertOneLineFailure(try CLI.run(["report", "knn-baseline", "--quick", "--results", results.path]),
                             mentioning: "swift run experiments run knn-baseline --quick")
    }
}
