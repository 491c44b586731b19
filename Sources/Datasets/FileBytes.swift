import CZlib
import Foundation

/// Reads a whole file, gunzipping it when it starts with the gzip magic (1f 8b), whatever
/// its name. Returns the raw bytes on disk (for the data identity) and the content.
func readFile(_ url: URL) throws -> (raw: [UInt8], content: [UInt8]) {
    guard let data = FileManager.default.contents(atPath: url.path) else {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            throw DataError("\(url.path): \(isFolder.boolValue ? "is a folder, not a file" : "cannot be read")")
        }
        throw DataError("\(url.path): no such file")
    }
    let raw = [UInt8](data)
    guard raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b else { return (raw, raw) }
    return (raw, try gunzip(raw, name: url.path))
}

/// Inflates a gzip stream (zlib with windowBits 15 + 16 reads the gzip wrapper).
private func gunzip(_ compressed: [UInt8], name: String) throws -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DataError("\(name): zlib could not start")
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8]()
    // The gzip trailer holds the uncompressed size modulo 2^32: a good first guess.
    let sizeHint = compressed.suffix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    output.reserveCapacity(max(sizeHint, compressed.count * 2))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var status: Int32 = Z_OK
    try compressed.withUnsafeBufferPointer { input in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
        stream.avail_in = uInt(input.count)
        repeat {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress!
                stream.avail_out = uInt(buffer.count)
                status = inflate(&stream, Z_NO_FLUSH)
                return buffer.count - Int(stream.avail_out)
            }
            guard status == Z_OK || status == Z_STREAM_END else {
                throw DataError("\(name): corrupt gzip data (\(status == Z_BUF_ERROR ? "truncated" : "zlib error \(status)"))")
            }
            output.append(contentsOf: chunk[0..<produced])
            if status == Z_OK && stream.avail_in == 0 && produced == 0 {
                throw DataError("\(name): corrupt gzip data (truncated)")
            }
        } while status != Z_STREAM_END
    }
    return output
}
