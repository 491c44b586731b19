import Datasets
import Foundation

/// Simard's elastic distortion of `count` mnist5k digits (image i % 5000), as
/// ../shared/bench/peers/elastic_scipy.py does it: the displacement fields are numpy's
/// RandomState(seed).uniform(-1, 1) draws in the peer's order (dx, then dy, per image), so
/// both sides distort with the very same fields and `mean_abs_change` must agree.
func elastic(_ args: Arguments) throws {
    let count = args.int("count", 5000)
    let alpha = Double(args.values["alpha"] ?? "34") ?? 34, sigma = Double(args.values["sigma"] ?? "4") ?? 4
    let digits = try DataLoader.load(.mnist5k).train
    let distortion = ElasticDistortion(alpha: alpha, sigma: sigma, rows: 28, columns: 28)
    var random = NumpyRandomState(seed: UInt32(args.int("seed", 0)))
    let batch = 500, size = 784
    var output = [Float](repeating: 0, count: count * size)
    var uniforms = [Float](repeating: 0, count: batch * distortion.uniformsPerImage)
    var wrapped = [Float](repeating: 0, count: batch * size)
    // Timed like the peer: drawing the fields and distorting; the change is measured after.
    let start = Date()
    digits.pixels.withUnsafeBufferPointer { source in
        uniforms.withUnsafeMutableBufferPointer { u in
            output.withUnsafeMutableBufferPointer { out in
                wrapped.withUnsafeMutableBufferPointer { copy in
                    for first in stride(from: 0, to: count, by: batch) {
                        let n = min(batch, count - first), start = first % digits.count
                        var images = source.baseAddress! + start * size
                        if start + n > digits.count {  // the batch runs past the last digit: gather it
                            for i in 0..<n {
                                (copy.baseAddress! + i * size).update(from: source.baseAddress! + ((first + i) % digits.count) * size, count: size)
                            }
                            images = UnsafePointer(copy.baseAddress!)
                        }
                        random.fillUniform(u.baseAddress!, count: n * distortion.uniformsPerImage, low: -1, high: 1)
                        distortion.apply(images, count: n, uniforms: u.baseAddress!, into: out.baseAddress! + first * size)
                    }
                }
            }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    var change = 0.0
    for i in 0..<(count * size) { change += Double(abs(output[i] - digits.pixels[(i / size % digits.count) * size + i % size])) }
    report([("script", "\"elastic\""), ("count", "\(count)"), ("alpha", "\(alpha)"), ("sigma", "\(sigma)"),
            ("seconds", String(format: "%.3f", seconds)), ("images_per_s", String(format: "%.1f", Double(count) / seconds)),
            ("mean_abs_change", String(format: "%.4f", change / Double(count * size)))])
}
