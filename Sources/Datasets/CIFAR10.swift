import Foundation

/// CIFAR-10's binary version (https://www.cs.toronto.edu/~kriz/cifar.html): files of
/// 3073-byte records, one label byte (0...9) then 3072 pixel bytes, the 1024 red values of
/// the 32x32 image row by row, then the green, then the blue. data_batch_1.bin to
/// data_batch_5.bin hold the 50,000 training images, test_batch.bin the 10,000 test images.
public enum CIFAR10 {
    public static let trainingFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let testFile = "test_batch.bin"
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    static let recordSize = 1 + 3 * 32 * 32

    /// Whether `folder` looks like CIFAR-10's binary folder (it has data_batch_1.bin).
    public static func isFolder(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent(trainingFiles[0]).path)
    }

    /// The images of one or more batch files, in file and record order, pixels / 255 in CHW order.
    static func readImages(_ contents: [(bytes: [UInt8], name: String)]) throws -> ImageSet {
        var pixels: [Float] = [], labels: [Int32] = []
        for (bytes, name) in contents {
            guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
                throw DataError("\(name): \(bytes.count) bytes, not a whole number of CIFAR-10 records (\(recordSize) bytes each)")
            }
            let records = bytes.count / recordSize
            pixels.reserveCapacity(pixels.count + records * (recordSize - 1))
            for record in 0..<records {
                let start = record * recordSize
                guard bytes[start] <= 9 else {
                    throw DataError("\(name): record \(record) has label \(bytes[start]), not a class 0...9 (is it CIFAR-100?)")
                }
                labels.append(Int32(bytes[start]))
                for i in (start + 1)..<(start + recordSize) { pixels.append(pixelValue(bytes[i])) }
            }
        }
        return ImageSet(pixels: pixels, labels: labels, rows: 32, columns: 32, channels: 3)
    }
}
