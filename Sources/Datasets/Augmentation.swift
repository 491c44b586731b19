import CKernels
import Foundation

// Data augmentation on float images in [0, 1] (seed 003's "expanding the training data").
// The transforms are pure functions of their random inputs: the caller draws those from
// its own seeded stream, so the same seed gives the same images, bit for bit.

/// Elastic distortion after Simard, Steinkraus and Platt 2003: two displacement fields
/// uniform in [-1, 1], each smoothed by a Gaussian of standard deviation `sigma` pixels,
/// scaled by `alpha`, and the image resampled bilinearly at (row + dy, column + dx). As
/// scipy's gaussian_filter(mode="constant", truncate=4) and map_coordinates(order=1,
/// mode="constant"): outside the image counts as 0, and so does a sample point outside it.
///
/// The smoothing is a product by a banded Gaussian matrix G on each side, S = G_r U G_c;
/// for a batch it is two sgemm calls over all fields at once (G is symmetric, so the
/// second product yields S transposed, which the resampling reads as such).
public struct ElasticDistortion: Sendable {
    public let alpha: Double, sigma: Double
    public let rows: Int, columns: Int
    private let rowSmoothing: [Float], columnSmoothing: [Float]

    public init(alpha: Double = 34, sigma: Double = 4, rows: Int = 28, columns: Int = 28) {
        self.alpha = alpha
        self.sigma = sigma
        self.rows = rows
        self.columns = columns
        rowSmoothing = Self.gaussianMatrix(size: rows, sigma: sigma)
        columnSmoothing = Self.gaussianMatrix(size: columns, sigma: sigma)
    }

    /// Uniform numbers an image needs: the dx field, then the dy field.
    public var uniformsPerImage: Int { 2 * rows * columns }

    /// Distorts `count` images. `uniforms` holds `count * uniformsPerImage` numbers in
    /// [-1, 1]; `output` may not overlap `images`.
    public func apply(_ images: UnsafePointer<Float>, count: Int, uniforms: UnsafePointer<Float>,
                      into output: UnsafeMutablePointer<Float>) {
        let pixels = rows * columns, fields = 2 * count
        guard count > 0 else { return }
        var halfway = [Float](repeating: 0, count: fields * pixels)
        var smoothed = [Float](repeating: 0, count: fields * pixels)
        halfway.withUnsafeMutableBufferPointer { a in
            smoothed.withUnsafeMutableBufferPointer { s in
                // A_f = U_f G_c for every field: one product of (fields x rows) x columns rows.
                kernel_sgemm(0, 0, fields * rows, columns, columns, uniforms, columns, columnSmoothing, columns,
                             s.baseAddress, columns)
                // Transpose each A_f into a (columns x rows) block.
                for f in 0..<fields {
                    let from = s.baseAddress! + f * pixels, to = a.baseAddress! + f * pixels
                    for r in 0..<rows { for c in 0..<columns { to[c * rows + r] = from[r * columns + c] } }
                }
                // A_f^T G_r = (G_r A_f)^T = S_f^T, then scaled by alpha.
                kernel_sgemm(0, 0, fields * columns, rows, rows, a.baseAddress, rows, rowSmoothing, rows, s.baseAddress, rows)
                let scale = Float(alpha)
                for i in 0..<(fields * pixels) { s[i] *= scale }
                for i in 0..<count {
                    let dxT = s.baseAddress! + (2 * i) * pixels, dyT = dxT + pixels
                    resample(images + i * pixels, into: output + i * pixels) { r, c in
                        (Float(r) + dyT[c * rows + r], Float(c) + dxT[c * rows + r])
                    }
                }
            }
        }
    }

    /// The Gaussian weights exp(-x^2 / 2 sigma^2) for |x| <= round(4 sigma), normalised to
    /// sum 1 (scipy's kernel), as a symmetric band matrix: zero padding beyond the edges.
    static func gaussianMatrix(size: Int, sigma: Double) -> [Float] {
        let radius = Int(4 * sigma + 0.5)
        let weights = (-radius...radius).map { portable_exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = weights.reduce(0, +)
        var matrix = [Float](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in max(0, i - radius)...min(size - 1, i + radius) {
                matrix[i * size + j] = Float(weights[j - i + radius] / total)
            }
        }
        return matrix
    }

    private func resample(_ image: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
                          at point: (Int, Int) -> (Float, Float)) {
        bilinear(image, rows: rows, columns: columns, into: output, at: point)
    }
}

/// An affine transform about the image centre: rotation (radians), shear (x += shear * y),
/// scale, then translation (pixels); the output samples the input bilinearly at the
/// inverse image of each pixel (outside counts as 0).
public struct AffineWarp: Sendable, Equatable {
    public var rotation: Double, shear: Double, scale: Double
    public var translation: (rows: Double, columns: Double)

    public init(rotation: Double = 0, shear: Double = 0, scale: Double = 1, translation: (rows: Double, columns: Double) = (0, 0)) {
        self.rotation = rotation
        self.shear = shear
        self.scale = scale
        self.translation = translation
    }

    public static func == (a: AffineWarp, b: AffineWarp) -> Bool {
        a.rotation == b.rotation && a.shear == b.shear && a.scale == b.scale
            && a.translation.rows == b.translation.rows && a.translation.columns == b.translation.columns
    }

    public func apply(_ image: UnsafePointer<Float>, rows: Int, columns: Int, into output: UnsafeMutablePointer<Float>) {
        // Forward map on (x, y) = (column, row) about the centre: p' = R * Sh * s * p + t.
        let cosine = portable_cos(rotation), sine = portable_sin(rotation)
        let m00 = scale * cosine, m01 = scale * (cosine * shear - sine)
        let m10 = scale * sine, m11 = scale * (sine * shear + cosine)
        let determinant = m00 * m11 - m01 * m10
        let i00 = m11 / determinant, i01 = -m01 / determinant, i10 = -m10 / determinant, i11 = m00 / determinant
        let cy = Double(rows - 1) / 2, cx = Double(columns - 1) / 2
        bilinear(image, rows: rows, columns: columns, into: output) { r, c in
            let x = Double(c) - cx - translation.columns, y = Double(r) - cy - translation.rows
            return (Float(i10 * x + i11 * y + cy), Float(i00 * x + i01 * y + cx))
        }
    }
}

/// Bilinear resampling: output[r][c] = image sampled at point(r, c) = (row, column); a
/// point outside [0, rows-1] x [0, columns-1] gives 0 (scipy's mode="constant", order 1).
@inline(__always)
func bilinear(_ image: UnsafePointer<Float>, rows: Int, columns: Int, into output: UnsafeMutablePointer<Float>,
              at point: (Int, Int) -> (Float, Float)) {
    let lastRow = Float(rows - 1), lastColumn = Float(columns - 1)
    for r in 0..<rows {
        for c in 0..<columns {
            let (y, x) = point(r, c)
            guard y >= 0, y <= lastRow, x >= 0, x <= lastColumn else {
                output[r * columns + c] = 0
                continue
            }
            // y, x >= 0, so truncation is the floor; at an integer point the weight of the
            // next pixel is 0 exactly, so alpha 0 gives the image back bit for bit.
            let y0 = Int(y), x0 = Int(x)
            let y1 = min(y0 + 1, rows - 1), x1 = min(x0 + 1, columns - 1)
            let fy = y - Float(y0), fx = x - Float(x0)
            let a = image[y0 * columns + x0], b = image[y0 * columns + x1]
            let d = image[y1 * columns + x0], e = image[y1 * columns + x1]
            let upper = a + fx * (b - a), lower = d + fx * (e - d)
            // Clamped to the four pixels' range, which rounding could leave by an ulp.
            let value = upper + fy * (lower - upper)
            output[r * columns + c] = min(max(value, min(min(a, b), min(d, e))), max(max(a, b), max(d, e)))
        }
    }
}
