import Foundation

/// MNIST's IDX format (http://yann.lecun.com/exdb/mnist/): a big-endian magic number
/// 0x000008TD (T = 08 for unsigned bytes, D = number of dimensions), D big-endian UInt32
/// sizes, then the bytes.
public enum IDX {
    /// Reads an images file (3 dimensions) and its labels file (1 dimension).
    public static func readImages(images: URL, labels: URL) throws -> ImageSet {
        try readImages(images: readFile(images).content, imagesName: images.path,
                       labels: readFile(labels).content, labelsName: labels.path)
    }

    static func readImages(images: [UInt8], imagesName: String, labels: [UInt8], labelsName: String) throws -> ImageSet {
        let imageDims = try header(images, name: imagesName, dimensions: 3)
        let labelDims = try header(labels, name: labelsName, dimensions: 1)
        guard imageDims[0] == labelDims[0] else {
            throw DataError("\(imagesName): \(imageDims[0]) images but \(labelsName) has \(labelDims[0]) labels")
        }
        let count = imageDims[0], rows = imageDims[1], columns = imageDims[2]
        let imageStart = 16, labelStart = 8
        var pixels = [Float](repeating: 0, count: count * rows * columns)
        images.withUnsafeBufferPointer { bytes in
            pixels.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count { out[i] = pixelValue(bytes[imageStart + i]) }
            }
        }
        let labelValues = labels[labelStart..<(labelStart + count)].map { Int32($0) }
        // Labels index confusion matrices and votes, unchecked in -Ounchecked builds.
        if let bad = labelValues.firstIndex(where: { $0 > 9 }) {
            throw DataError("\(labelsName): label \(labelValues[bad]) of image \(bad) is not a class 0...9")
        }
        return ImageSet(pixels: pixels, labels: labelValues, rows: rows, columns: columns)
    }

    /// Checks the magic number and the length; returns the dimension sizes.
    private static func header(_ bytes: [UInt8], name: String, dimensions: Int) throws -> [Int] {
        let expectedMagic = UInt32(0x0800 + dimensions)
        guard bytes.count >= 4 else { throw DataError("\(name): truncated IDX file (\(bytes.count) bytes, not even a header)") }
        let magic = bigEndian(bytes, at: 0)
        guard magic == expectedMagic else {
            throw DataError("\(name): not an IDX \(dimensions == 3 ? "images" : "labels") file (magic number 0x\(String(format: "%08x", magic)), expected 0x\(String(format: "%08x", expectedMagic)))")
        }
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else { throw DataError("\(name): truncated IDX file (header cut short)") }
        let sizes = (0..<dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
        let expected = headerSize + sizes.reduce(1, *)
        guard bytes.count >= expected else {
            throw DataError("\(name): truncated IDX file (\(bytes.count) bytes, expected \(expected) for \(sizes.map(String.init).joined(separator: "x")))")
        }
        return sizes
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }
}
