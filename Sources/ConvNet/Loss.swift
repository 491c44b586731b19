import CKernels
import Foundation

/// Cost functions (REFERENCE.md, "Cost functions"), on a batch of network outputs and
/// integer class labels (one-hot targets). Logarithms and exponentials are our own
/// (Sources/CKernels/portable_math.c), so a loss has the same bits on every system.
public enum Loss: String, Hashable, Sendable {
    /// 1/(2n) sum ||a - y||^2 over the network's (activated) outputs.
    case quadratic
    /// -1/n sum [y ln a + (1 - y) ln(1 - a)] over sigmoid outputs.
    case crossEntropy = "cross_entropy"
    /// -1/n sum ln softmax(z)_y over the last layer's raw outputs z (softmax included here,
    /// so that its gradient is the stable softmax(z) - y).
    case softmaxLogLikelihood = "softmax_log_likelihood"
}

/// Whether the batch's loss is averaged (Nielsen, most frameworks) or summed (seed 000).
public enum Reduction: String, Hashable, Sendable { case mean, sum }

extension Loss {
    /// The batch's loss (reduced) and dLoss/dOutput written into `gradient`.
    /// Also counts correct predictions (arg-max of the outputs against the label).
    /// `meanOver` is the sample count a `.mean` divides by: the whole mini-batch's when
    /// `batch` samples are one chunk of it (by default `batch`).
    func evaluate(_ output: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, classes: Int,
                  reduction: Reduction, meanOver: Int? = nil,
                  gradient: UnsafeMutablePointer<Float>?) -> (loss: Double, correct: Int) {
        // Scratch for the softmax on the stack: no heap allocation per mini-batch.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: classes) { probabilities in
            evaluate(output, labels: labels, batch: batch, classes: classes,
                     scale: reduction == .mean ? 1 / Double(meanOver ?? batch) : 1, gradient: gradient,
                     probabilities: probabilities)
        }
    }

    private func evaluate(_ output: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, classes: Int,
                          scale: Double, gradient: UnsafeMutablePointer<Float>?,
                          probabilities: UnsafeMutableBufferPointer<Double>) -> (loss: Double, correct: Int) {
        var total = 0.0
        var correct = 0
        for s in 0..<batch {
            let a = output + s * classes
            let label = Int(labels[s])
            var best = 0
            for c in 1..<classes where a[c] > a[best] { best = c }
            if best == label { correct += 1 }
            switch self {
            case .quadratic:
                for c in 0..<classes {
                    let diff = Double(a[c]) - (c == label ? 1 : 0)
                    total += 0.5 * diff * diff
                    gradient?[s * classes + c] = Float(diff * scale)
                }
            case .crossEntropy:
                for c in 0..<classes {
                    // Clamped so that a saturated output gives a large finite cost, not inf.
                    let p = min(max(Double(a[c]), 1e-12), 1 - 1e-12)
                    let y: Double = c == label ? 1 : 0
                    // y ln p + (1 - y) ln(1 - p) with y 0 or 1: one logarithm, the same value.
                    total -= c == label ? portable_log(p) : portable_log(1 - p)
                    gradient?[s * classes + c] = Float((p - y) / (p * (1 - p)) * scale)
                }
            case .softmaxLogLikelihood:
                var top = Double(a[0])
                for c in 1..<classes { top = max(top, Double(a[c])) }
                var sum = 0.0
                for c in 0..<classes { probabilities[c] = portable_exp(Double(a[c]) - top); sum += probabilities[c] }
                total -= portable_log(probabilities[label] / sum)
                for c in 0..<classes {
                    gradient?[s * classes + c] = Float((probabilities[c] / sum - (c == label ? 1 : 0)) * scale)
                }
            }
        }
        return (total * scale, correct)
    }
}
