/// A set of labelled images: pixels float32 in [0, 1], image after image, each image its
/// channels one after another (CHW), row-major within a channel.
public struct ImageSet: Sendable, Equatable {
    public var pixels: [Float]
    public var labels: [Int32]
    public let rows: Int, columns: Int
    /// 1 for grey digits, 3 for CIFAR-10's colour images.
    public let channels: Int

    public var count: Int { labels.count }
    public var pixelsPerImage: Int { channels * rows * columns }

    public init(pixels: [Float], labels: [Int32], rows: Int, columns: Int, channels: Int = 1) {
        precondition(pixels.count == labels.count * channels * rows * columns, "pixels must hold count x channels x rows x columns values")
        self.pixels = pixels
        self.labels = labels
        self.rows = rows
        self.columns = columns
        self.channels = channels
    }

    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageSet {
        let size = pixelsPerImage
        var chosen = [Float](repeating: 0, count: indices.count * size)
        chosen.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    (out.baseAddress! + row * size).update(from: source.baseAddress! + index * size, count: size)
                }
            }
        }
        return ImageSet(pixels: chosen, labels: indices.map { labels[$0] }, rows: rows, columns: columns, channels: channels)
    }

    public func image(_ i: Int) -> ArraySlice<Float> { pixels[(i * pixelsPerImage)..<((i + 1) * pixelsPerImage)] }
}

/// A problem with a data file: one line that names the file and what is wrong.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Pixel bytes 0...255 to float32 in [0, 1], as numpy's `raw.astype(float32) / 255.0`
/// in the peer scripts (float32 division, so the bits agree).
@inline(__always)
func pixelValue(_ byte: UInt8) -> Float { Float(byte) / 255 }
