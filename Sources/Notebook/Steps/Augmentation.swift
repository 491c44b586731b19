import ConvNet
import Datasets
import Foundation

/// How a `Train` step distorts its training images: afresh every epoch (on the fly), from
/// the augmentation stream of the run's seed and the epoch number, so a resumed run draws
/// exactly the distortions an uninterrupted one would.
public enum Augmentation: Hashable, Sendable {
    case none
    /// Simard et al.'s elastic distortion (alpha 34, sigma 4 in the paper).
    case elastic(alpha: Double, sigma: Double)
    /// Random affine warps: rotation within ±`degrees`, shift within ±`shift` pixels,
    /// shear within ±`shear`, scale within 1 ± `scale`, each uniform.
    case affine(degrees: Double, shift: Double, shear: Double, scale: Double)

    /// Distorted copies of `images` (for figures of what the parameters do), drawn from
    /// the augmentation stream of `seed`.
    public func distort(_ images: ImageSet, seed: UInt64) -> ImageSet {
        ImageSet(pixels: apply(to: images, seed: seed, epoch: 0), labels: images.labels, rows: images.rows, columns: images.columns)
    }

    /// The training images of `epoch` (from 1), distorted; `seed` is the run's.
    func apply(to images: ImageSet, seed: UInt64, epoch: Int) -> [Float] {
        var random = RandomStream(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15, purpose: .augmentation)
        var output = [Float](repeating: 0, count: images.pixels.count)
        switch self {
        case .none:
            return images.pixels
        case let .elastic(alpha, sigma):
            let distortion = ElasticDistortion(alpha: alpha, sigma: sigma, rows: images.rows, columns: images.columns)
            let uniforms = (0..<(images.count * distortion.uniformsPerImage)).map { _ in Float(2 * random.uniform() - 1) }
            images.pixels.withUnsafeBufferPointer { x in
                uniforms.withUnsafeBufferPointer { u in
                    output.withUnsafeMutableBufferPointer { distortion.apply(x.baseAddress!, count: images.count, uniforms: u.baseAddress!, into: $0.baseAddress!) }
                }
            }
        case let .affine(degrees, shift, shear, scale):
            let size = images.pixelsPerImage
            func within(_ limit: Double) -> Double { limit * (2 * random.uniform() - 1) }
            images.pixels.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { out in
                    for i in 0..<images.count {
                        let warp = AffineWarp(rotation: within(degrees) * .pi / 180, shear: within(shear), scale: 1 + within(scale),
                                              translation: (rows: within(shift), columns: within(shift)))
                        warp.apply(x.baseAddress! + i * size, rows: images.rows, columns: images.columns, into: out.baseAddress! + i * size)
                    }
                }
            }
        }
        return output
    }
}
