import Foundation
import XCTest
@testable import Datasets

final class RandomStateTests: XCTestCase {
    /// Test vectors from numpy 2.4 `np.random.RandomState(seed).permutation(n)`.
    func testPermutationEqualsNumpys() {
        var zero = NumpyRandomState(seed: 0)
        let p0 = zero.permutation(5000)
        XCTAssertEqual(Array(p0.prefix(12)), [398, 3833, 4836, 4572, 636, 2545, 1161, 2230, 148, 2530, 4070, 1261])
        XCTAssertEqual(Array(p0[1000..<1006]), [2913, 3275, 775, 217, 1245, 4316])
        var one = NumpyRandomState(seed: 1)
        XCTAssertEqual(one.permutation(10), [2, 9, 6, 4, 0, 3, 1, 7, 8, 5])
        var big = NumpyRandomState(seed: 42)
        let p42 = big.permutation(70000)
        XCTAssertEqual(Array(p42.prefix(10)), [46730, 48393, 41416, 34506, 43725, 11615, 24656, 22411, 936, 56364])
        XCTAssertEqual(Array(p42.suffix(5)), [37194, 6265, 54886, 860, 15795])
        XCTAssertEqual(Set(p42).count, 70000, "a permutation")
    }

    /// The block-wise fillUniform draws exactly what one randomSample after another draws,
    /// from any position of the state (an odd one too) and across several twists.
    func testFillUniformEqualsRandomSampleOneByOne() {
        for (skip, count) in [(0, 1), (0, 312), (1, 311), (1, 313), (3, 2000), (623, 5)] {
            var block = NumpyRandomState(seed: 9), single = NumpyRandomState(seed: 9)
            for _ in 0..<skip { _ = block.nextUInt32(); _ = single.nextUInt32() }
            var filled = [Float](repeating: .nan, count: count)
            block.fillUniform(&filled, count: count, low: -1, high: 1)
            let expected = (0..<count).map { _ in Float(-1 + 2 * single.randomSample()) }
            XCTAssertEqual(filled, expected, "skip \(skip), count \(count)")
            XCTAssertEqual(block.nextUInt32(), single.nextUInt32(), "the same position afterwards (skip \(skip), count \(count))")
        }
    }

    func testMT19937FirstOutputs() {
        // The reference outputs of MT19937 seeded with init_genrand(5489).
        var random = NumpyRandomState(seed: 5489)
        XCTAssertEqual((0..<3).map { _ in random.nextUInt32() }, [3499211612, 581869302, 3890346734])
    }

    func testSplitIsDisjointAndRefusesTooMany() throws {
        let (train, test) = try randomSplit(count: 5000, train: 1000, test: 100, seed: 0)
        XCTAssertEqual(train.count, 1000)
        XCTAssertEqual(test.count, 100)
        XCTAssertTrue(Set(train).isDisjoint(with: test))
        XCTAssertThrowsError(try randomSplit(count: 10, train: 8, test: 3, seed: 0)) { error in
            XCTAssertEqual("\(error)", "cannot draw 8 training and 3 test samples from 10")
        }
    }
}

final class SHA256Tests: XCTestCase {
    func testKnownDigests() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // `head -c 1000000 /dev/zero | tr '\0' a | sha256sum`
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testIncrementalUpdatesEqualOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        for chunk in [0..<1, 1..<63, 63..<64, 64..<500, 500..<1000] { hasher.update(Array(bytes[chunk])) }
        XCTAssertEqual(hasher.finalize(), SHA256.hex(bytes))
    }
}

final class RealDataTests: XCTestCase {
    func testMNIST5kHas5000RealDigits() throws {
        let data = try DataLoader.load(.mnist5k)
        XCTAssertEqual(data.train.count, 5000)
        XCTAssertEqual(data.train.rows, 28)
        XCTAssertEqual(data.train.columns, 28)
        for digit in Int32(0)...9 { XCTAssertEqual(data.train.labels.filter { $0 == digit }.count, 500) }
        XCTAssertEqual(data.train.pixels.min(), 0)
        XCTAssertEqual(data.train.pixels.max(), 1)
        XCTAssertEqual(data.train.labels.first, 0, "the file's rows are sorted by digit")
        XCTAssertEqual(data.identity.count, 64)
    }

    func testFashionMNISTHasItsOwnTrainAndTestFiles() throws {
        let data = try DataLoader.load(.fashionMNIST)
        XCTAssertEqual(data.train.count, 60000)
        XCTAssertEqual(data.test.count, 10000)
        XCTAssertEqual(Set(data.test.labels), Set(0...9))
        XCTAssertEqual(DataSource.fashionMNIST.classNames.count, 10)
    }

    func testPixelsConvertLikeNumpyFloat32() {
        XCTAssertEqual(pixelValue(0), 0)
        XCTAssertEqual(pixelValue(255), 1)
        // numpy: (np.float32(128) / np.float32(255)).view(np.uint32) == 1056997505
        XCTAssertEqual(pixelValue(128).bitPattern, 1_056_997_505)
    }
}

final class IDXTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A tiny MNIST-format pair: `count` images of 2x3 pixels.
    func write(count: Int, labels labelCount: Int? = nil, imageMagic: UInt32 = 0x0803, part: String = "train",
               gzip: Bool = false, cut: Int = 0) throws {
        func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        var images = bigEndian(imageMagic) + bigEndian(UInt32(count)) + bigEndian(2) + bigEndian(3)
        images += (0..<(count * 6)).map { UInt8(truncatingIfNeeded: $0 * 40) }
        let n = labelCount ?? count
        let labels = bigEndian(0x0801) + bigEndian(UInt32(n)) + (0..<n).map { UInt8($0 % 10) }
        for (name, bytes) in [("\(part)-images-idx3-ubyte", Array(images.dropLast(cut))), ("\(part)-labels-idx1-ubyte", labels)] {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            if gzip {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/gzip")
                process.arguments = ["-f", url.path]
                try process.run()
                process.waitUntilExit()
            }
        }
    }

    func images(_ part: String = "train") -> URL { folder.appendingPathComponent("\(part)-images-idx3-ubyte") }
    func labels(_ part: String = "train") -> URL { folder.appendingPathComponent("\(part)-labels-idx1-ubyte") }

    func testRawAndGzipReadTheSame() throws {
        try write(count: 4)
        let raw = try IDX.readImages(images: images(), labels: labels())
        XCTAssertEqual(raw.count, 4)
        XCTAssertEqual(raw.labels, [0, 1, 2, 3])
        XCTAssertEqual(raw.pixels[1], pixelValue(40))
        try write(count: 4, gzip: true)
        let gz = try IDX.readImages(images: URL(fileURLWithPath: images().path + ".gz"),
                                    labels: URL(fileURLWithPath: labels().path + ".gz"))
        XCTAssertEqual(raw, gz)
    }

    func testWrongMagicNumber() throws {
        try write(count: 2, imageMagic: 0x0801)
        XCTAssertThrowsError(try IDX.readImages(images: images(), labels: labels())) { error in
            XCTAssertEqual("\(error)", "\(images().path): not an IDX images file (magic number 0x00000801, expected 0x00000803)")
        }
    }

    func testTruncatedImagesFile() throws {
        try write(count: 3, cut: 5)
        XCTAssertThrowsError(try IDX.readImages(images: images(), labels: labels())) { error in
            XCTAssertEqual("\(error)", "\(images().path): truncated IDX file (29 bytes, expected 34 for 3x2x3)")
        }
    }

    func testCountMismatch() throws {
        try write(count: 3, labels: 2)
        XCTAssertThrowsError(try IDX.readImages(images: images(), labels: labels())) { error in
            XCTAssertEqual("\(error)", "\(images().path): 3 images but \(labels().path) has 2 labels")
        }
    }

    func testLabelOutsideTheTenClasses() throws {
        try write(count: 12)   // labels are i % 10 ...
        var bytes = [UInt8](try Data(contentsOf: labels()))
        bytes[8 + 3] = 42      // ... but image 3's label becomes 42
        try Data(bytes).write(to: labels())
        XCTAssertThrowsError(try IDX.readImages(images: images(), labels: labels())) { error in
            XCTAssertEqual("\(error)", "\(labels().path): label 42 of image 3 is not a class 0...9")
        }
    }

    func testCorruptGzip() throws {
        try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]).write(to: images())
        try write(count: 1)
        try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]).write(to: images())
        XCTAssertThrowsError(try IDX.readImages(images: images(), labels: labels())) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(images().path): corrupt gzip data"), "\(error)")
        }
    }

    func testFolderSourceNamesWhatIsMissing() throws {
        XCTAssertThrowsError(try DataLoader.load(.idxFolder(folder.path + "/nope"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(self.folder.path)/nope: no such folder"), "\(error)")
        }
        try write(count: 2)
        try write(count: 1, part: "t10k")
        try FileManager.default.removeItem(at: labels("t10k"))
        XCTAssertThrowsError(try DataLoader.load(.idxFolder(folder.path))) { error in
            XCTAssertTrue("\(error)".contains("no t10k-labels-idx1-ubyte[.gz] file"), "\(error)")
        }
    }

    func testFolderIdentityChangesWithOneByte() throws {
        try write(count: 2)
        try write(count: 1, part: "t10k")
        let first = try DataLoader.load(.idxFolder(folder.path))
        XCTAssertEqual(first.train.count, 2)
        XCTAssertEqual(first.test.count, 1)
        XCTAssertEqual(try DataLoader.load(.idxFolder(folder.path)).identity, first.identity)
        var bytes = [UInt8](try Data(contentsOf: images()))
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: images())
        XCTAssertNotEqual(try DataLoader.load(.idxFolder(folder.path)).identity, first.identity)
    }
}

final class CSVTests: XCTestCase {
    func testMalformedRowNamesTheLine() {
        let good = (0..<784).map { _ in "0" }.joined(separator: ",") + ",7\n"
        let short = "1,2,3\n"
        XCTAssertThrowsError(try MNISTCSV.parse(Array((good + short).utf8), name: "x.csv")) { error in
            XCTAssertEqual("\(error)", "x.csv: line 2: 3 values, expected 785 (784 pixels and a label)")
        }
        let parsed = try? MNISTCSV.parse(Array(good.utf8), name: "x.csv")
        XCTAssertEqual(parsed?.labels, [7])
    }
}
