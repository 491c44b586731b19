import CBLAS
import Datasets
import Foundation

/// Simard's elastic distortion of `count` mnist5k digits (image i % 5000), as
/// ../shared/bench/peers/elastic_scipy.py does it: the displacement fields are numpy's
/// RandomState(seed).uniform(-1, 1) draws in the peer's order (dx, then dy, per image), so
/// both sides distort with the very same fields and `mean_abs_change` must agree.
func elastic(_ args: Arguments) throws {
    let count = args.int("count", 5000)
    let alpha = Double(args.values["alpha"] ?? "34") ?? 34, sigma = Double(args.values["sigma"] ?? "4") ?? 4
    openblas_set_num_threads(Int32(args.int("threads", 1)))
    let digits = try DataLoader.load(.mnist5k).train
    let distortion = ElasticDistortion(alpha: alpha, sigma: sigma, rows: 28, columns: 28)
    var random = NumpyRandomState(seed: UInt32(args.int("seed", 0)))
    let batch = 500, size = 784
    var images = [Float](repeating: 0, count: batch * size), output = images
    var uniforms = [Float](repeating: 0, count: batch * distortion.uniformsPerImage)
    var change = 0.0
    let start = Date()
    for first in stride(from: 0, to: count, by: batch) {
        let n = min(batch, count - first)
        for i in 0..<n {
            let digit = (first + i) % digits.count
            images.withUnsafeMutableBufferPointer { out in
                digits.pixels.withUnsafeBufferPointer { (out.baseAddress! + i * size).update(from: $0.baseAddress! + digit * size, count: size) }
            }
        }
        for i in 0..<(n * distortion.uniformsPerImage) { uniforms[i] = Float(-1 + 2 * random.randomSample()) }
        images.withUnsafeBufferPointer { x in
            uniforms.withUnsafeBufferPointer { u in
                output.withUnsafeMutableBufferPointer { distortion.apply(x.baseAddress!, count: n, uniforms: u.baseAddress!, into: $0.baseAddress!) }
            }
        }
        for i in 0..<(n * size) { change += Double(abs(output[i] - images[i])) }
    }
    let seconds = Date().timeIntervalSince(start)
    report([("script", "\"elastic\""), ("count", "\(count)"), ("alpha", "\(alpha)"), ("sigma", "\(sigma)"),
            ("seconds", String(format: "%.3f", seconds)), ("images_per_s", String(format: "%.1f", Double(count) / seconds)),
            ("mean_abs_change", String(format: "%.4f", change / Double(count * size)))])
}
