import Foundation
import XCTest
@testable import Notebook

/// The command lines a report, a run file and a Slurm script print, and the names of the
/// report folders of a study's variants.
final class InvocationTests: XCTestCase {
    /// The words a POSIX shell reads from `command`: the real /bin/sh splits it.
    func shellWords(_ command: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "set -- \(command); printf '%s\\0' \"$@\""]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, command)
        return String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func testAPathWithSpacesQuotesAndDollarsComesBackFromTheShellAsGiven() throws {
        let folder = "/tmp/my data/it's $HOME `x` \"y\""
        let invocation = Invocation(study: "knn-baseline",
                                    context: StudyContext(profile: .quick, seed: 3, data: .idxFolder(folder),
                                                          overrides: [("etas", "0.1,1"), ("note", "a b")]),
                                    results: URL(fileURLWithPath: "/tmp/res $PATH 'q'", isDirectory: true), formats: [.svg])
        let expected = ["swift", "run", "experiments", "report", "knn-baseline", "--quick", "--seed", "3", "--data", folder,
                        "--set", "etas=0.1,1", "--set", "note=a b", "--results", "/tmp/res $PATH 'q'", "--format", "svg"]
        XCTAssertEqual(try shellWords(invocation.commandLine(.report)), expected)
        XCTAssertEqual(shellQuoted("it's"), #"'it'\''s'"#)
        XCTAssertEqual(shellQuoted("--set"), "--set", "plainly safe words stay bare")
        XCTAssertEqual(shellQuoted(""), "''")
    }

    func testDefaultsAreLeftOutAndARelativeResultsFolderStaysRelative() {
        let plain = Invocation(study: "cost-study", context: StudyContext())
        XCTAssertEqual(plain.commandLine(.run), "swift run experiments run cost-study")
        let other = Invocation(study: "cost-study", context: StudyContext(profile: .full, data: .fashionMNIST),
                               results: URL(fileURLWithPath: "out", isDirectory: true), formats: [.png, .pdf])
        XCTAssertEqual(other.arguments(.report), ["report", "cost-study", "--full", "--data", "fashion", "--results", "out",
                                                  "--format", "png,pdf"])
    }

    func variant(_ profile: Profile = .standard, seed: UInt32 = 0, data: DataSource? = nil,
                 set overrides: [(key: String, value: String)] = []) -> String {
        ReportVariant.name(of: StudyContext(profile: profile, seed: seed, data: data, overrides: overrides))
    }

    func testVariantFoldersAreReadableSafeAndDistinct() {
        XCTAssertEqual(variant(), "default")
        XCTAssertEqual(variant(.quick), "quick")
        XCTAssertEqual(variant(.quick, seed: 3), "quick-seed3")
        XCTAssertEqual(variant(.full, set: [("epochs", "5")]), "full-set-epochs-5")
        XCTAssertEqual(variant(data: .fashionMNIST), "default-data-fashion")
        XCTAssertEqual(variant(.full, set: [("epochs", "5"), ("train", "100")]), variant(.full, set: [("train", "100"), ("epochs", "5")]),
                       "the same overrides in another order are the same report")
        XCTAssertEqual(variant(.full, set: [("epochs", "9"), ("epochs", "5")]), "full-set-epochs-5", "the last value counts, as for the study")

        let fashion = variant(.quick, seed: 2, data: .idxFolder("/data/a/fashion-mnist"))
        XCTAssertTrue(fashion.hasPrefix("quick-data-fashion-mnist-") && fashion.hasSuffix("-seed2"), fashion)
        XCTAssertNotEqual(fashion, variant(.quick, seed: 2, data: .idxFolder("/data/b/fashion-mnist")),
                          "two folders with one name are two reports")

        // A value that loses characters, or a long name, gets a short hash of the whole variant.
        let slash = variant(set: [("model", "a/b")]), underscore = variant(set: [("model", "a_b")])
        XCTAssertEqual(underscore, "default-set-model-a_b")
        XCTAssertNotEqual(slash, underscore)
        XCTAssertNotEqual(variant(set: [("a-b", "c")]), variant(set: [("a", "b-c")]))
        let long = variant(.full, set: [("sizes", String(repeating: "1000,", count: 30) + "1")])
        XCTAssertLessThanOrEqual(long.count, ReportVariant.longest)
        XCTAssertNotEqual(long, variant(.full, set: [("sizes", String(repeating: "1000,", count: 30) + "2")]))
        for name in [fashion, slash, long] {
            XCTAssertTrue(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, name)
        }
    }
}
