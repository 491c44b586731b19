import Foundation
import XCTest
@testable import Datasets

/// Elastic distortion and affine transforms on real digits.
final class AugmentationTests: XCTestCase {
    static let digits: ImageSet = {
        let data = try! DataLoader.load(.mnist5k)
        return data.train.subset(Array(0..<8))
    }()

    /// numpy's `RandomState(seed).uniform(-1, 1, n)`, as the peer script draws its fields.
    func uniforms(_ count: Int, seed: UInt32) -> [Float] {
        var random = NumpyRandomState(seed: seed)
        return (0..<count).map { _ in Float(-1 + 2 * random.randomSample()) }
    }

    func distort(_ distortion: ElasticDistortion, _ images: ImageSet, seed: UInt32) -> [Float] {
        let fields = uniforms(images.count * distortion.uniformsPerImage, seed: seed)
        var output = [Float](repeating: .nan, count: images.pixels.count)
        images.pixels.withUnsafeBufferPointer { x in
            fields.withUnsafeBufferPointer { u in
                output.withUnsafeMutableBufferPointer { distortion.apply(x.baseAddress!, count: images.count, uniforms: u.baseAddress!, into: $0.baseAddress!) }
            }
        }
        return output
    }

    func testNumpysUniformDraws() {
        XCTAssertEqual(uniforms(3, seed: 0).map(Double.init), [0.09762701, 0.43037873, 0.20552675].map { Double(Float($0)) })
    }

    func testZeroAlphaIsTheIdentityBitForBit() {
        let out = distort(ElasticDistortion(alpha: 0, sigma: 4), Self.digits, seed: 1)
        XCTAssertEqual(out.map(\.bitPattern), Self.digits.pixels.map(\.bitPattern))
    }

    func testSameFieldsSameImagesAndTheValueRangeIsKept() {
        let distortion = ElasticDistortion(alpha: 34, sigma: 4)
        let a = distort(distortion, Self.digits, seed: 5), b = distort(distortion, Self.digits, seed: 5)
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertNotEqual(a, distort(distortion, Self.digits, seed: 6))
        XCTAssertTrue(a.allSatisfy { (0...1).contains($0) }, "bilinear resampling stays within the pixels' range [0, 1]")
        XCTAssertNotEqual(a, Self.digits.pixels, "alpha 34 moves the strokes")
    }

    /// Against a straightforward float64 version: a 2-D convolution with scipy's truncated,
    /// normalised Gaussian and zero padding, then bilinear sampling.
    func testMatchesAStraightforwardReference() {
        let distortion = ElasticDistortion(alpha: 34, sigma: 4)
        let fields = uniforms(Self.digits.count * distortion.uniformsPerImage, seed: 9)
        let fast = distort(distortion, Self.digits, seed: 9)
        let n = 28, radius = 16, sigma = 4.0
        let kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = kernel.reduce(0, +)
        func smooth(_ field: ArraySlice<Float>) -> [Double] {
            let base = field.startIndex
            var out = [Double](repeating: 0, count: n * n)
            for r in 0..<n { for c in 0..<n {
                var sum = 0.0
                for i in -radius...radius where (0..<n).contains(r + i) {
                    for j in -radius...radius where (0..<n).contains(c + j) {
                        sum += kernel[i + radius] * kernel[j + radius] * Double(field[base + (r + i) * n + c + j])
                    }
                }
                out[r * n + c] = sum / (total * total) * 34
            } }
            return out
        }
        var worst = 0.0
        for image in 0..<Self.digits.count {
            let start = image * 2 * n * n
            let dx = smooth(fields[start..<(start + n * n)]), dy = smooth(fields[(start + n * n)..<(start + 2 * n * n)])
            let pixels = Self.digits.image(image).map(Double.init)
            for r in 0..<n { for c in 0..<n {
                let y = Double(r) + dy[r * n + c], x = Double(c) + dx[r * n + c]
                var expected = 0.0
                if y >= 0, y <= Double(n - 1), x >= 0, x <= Double(n - 1) {
                    let y0 = Int(y), x0 = Int(x), y1 = min(y0 + 1, n - 1), x1 = min(x0 + 1, n - 1)
                    let fy = y - Double(y0), fx = x - Double(x0)
                    expected = (1 - fy) * ((1 - fx) * pixels[y0 * n + x0] + fx * pixels[y0 * n + x1])
                        + fy * ((1 - fx) * pixels[y1 * n + x0] + fx * pixels[y1 * n + x1])
                }
                worst = max(worst, abs(expected - Double(fast[image * n * n + r * n + c])))
            } }
        }
        // float32 smoothing (sums of ~1000 products) moves a sample point by ~1e-5 pixel; the
        // steepest strokes change by 1 per pixel, so 1e-3 is a wide margin for rounding only.
        XCTAssertLessThan(worst, 1e-3)
    }

    func testAffineIdentityAndIntegerShift() {
        let image = Array(Self.digits.image(0))
        func transformed(_ transform: AffineWarp) -> [Float] {
            var out = [Float](repeating: .nan, count: 784)
            image.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { transform.apply(x.baseAddress!, rows: 28, columns: 28, into: $0.baseAddress!) } }
            return out
        }
        XCTAssertEqual(transformed(AffineWarp()).map(\.bitPattern), image.map(\.bitPattern))
        let shifted = transformed(AffineWarp(translation: (rows: 0, columns: 2)))
        for r in 0..<28 { for c in 0..<28 {
            XCTAssertEqual(shifted[r * 28 + c], c >= 2 ? image[r * 28 + c - 2] : 0, "row \(r) column \(c)")
        } }
        let rotated = transformed(AffineWarp(rotation: .pi / 12, shear: 0.1, scale: 0.9))
        XCTAssertTrue(rotated.allSatisfy { (0...1).contains($0) })
        XCTAssertNotEqual(rotated, image)
    }
}
