import Foundation
import Plotting

/// One figure of every kind, shaped like the notebook's own: the tests render them,
/// and with PLOTTING_TESTS_KEEP=1 they stay on disk to be looked at.
enum Samples {
    static var all: [Figure] { [lines, bars, histogram, heatmap, digits, filters, panels] }

    static let lines = Figure(name: "accuracy-vs-k", title: "Test accuracy of k-NN against k", kind: .lines(LinePlot(
        xLabel: "k (neighbours)", yLabel: "test accuracy", logX: true,
        series: [
            Series(label: "ours (mean of 5 seeds)", x: ks, y: ks.map { 0.97 - 0.01 * log2($0) },
                   band: Band(low: ks.map { 0.96 - 0.012 * log2($0) }, high: ks.map { 0.975 - 0.008 * log2($0) })),
            Series(label: "diverged run", x: ks, y: ks.map { $0 < 16 ? 0.9 - 0.02 * log2($0) : .nan }, style: .lines),
            Series(label: "published (LeCun et al.)", x: ks, y: ks.map { 0.965 - 0.011 * log2($0) }, style: .dashed),
        ],
        verticalMarkers: [Marker(x: 8, label: "accuracy stops improving")],
        yRange: 0.8...1)))

    static let ks: [Double] = [1, 2, 4, 8, 16, 32, 64, 128]

    static let bars = Figure(name: "methods", title: "Accuracy by dataset", kind: .bars(BarChart(
        categories: ["MNIST", "Fashion-MNIST", "MNIST 5k subset"],
        groups: [
            BarGroup(label: "k-NN", values: [0.969, 0.855, 0.94]),
            BarGroup(label: "logistic regression", values: [0.925, 0.842, 0.89]),
            BarGroup(label: "MLP 784-100-10", values: [0.978, 0.883, 0.95]),
        ],
        yLabel: "test accuracy")))

    static let histogram = Figure(name: "weights", title: "Weights of layer 1", kind: .histogram(Histogram(
        series: [HistogramSeries(label: "at initialisation", values: normal(count: 4000, mean: 0, deviation: 0.05, seed: 1)),
                 HistogramSeries(label: "after 30 epochs", values: normal(count: 4000, mean: 0.01, deviation: 0.12, seed: 2) + [.nan, .infinity])],
        bins: 40, xLabel: "weight")))

    static let heatmap = Figure(name: "confusion", title: "Confusion matrix (test set)", kind: .heatmap(Heatmap(
        values: (0..<10).map { row in (0..<10).map { column in confusion(row, column) } },
        rowLabels: (0..<10).map(String.init), columnLabels: (0..<10).map(String.init),
        xLabel: "predicted class", yLabel: "true class", colorBarLabel: "test images")),
        width: 700, height: 600)

    static let digits = Figure(name: "misclassified", title: "Misclassified test digits", kind: .imageGrid(ImageGrid(
        images: (0..<100).map { ring(size: 28, radius: 6 + Double($0 % 5), thickness: 1.5 + Double($0 % 3) * 0.5) },
        imageRows: 28, imageColumns: 28,
        captions: (0..<100).map { "\($0 % 10) as \(($0 * 7 + 3) % 10)" },
        columns: 10)), width: 800, height: 900)

    static let filters = Figure(name: "filters", title: "First-layer filters", kind: .imageGrid(ImageGrid(
        images: (0..<16).map { filter in (0..<25).map { Float(sin(Double($0 * (filter + 1)) * 0.7)) * 0.3 } },
        imageRows: 5, imageColumns: 5,
        captions: (0..<16).map { "filter \($0)" },
        columns: 8, symmetricColors: true)), width: 800, height: 300)

    static let panels = Figure(name: "activations", title: "Activations per layer", kind: .panels(
        (1...4).map { layer in
            Figure(name: "layer\(layer)", title: "layer \(layer)", kind: .histogram(Histogram(
                series: [HistogramSeries(label: "ReLU", values: normal(count: 2000, mean: 0.2 * Double(layer), deviation: 1, seed: UInt64(layer)).map { max(0, $0) })],
                bins: 30, xLabel: "activation", logY: layer == 4)))
        },
        columns: 2), width: 900, height: 600)

    /// Mostly right, with a few confusions off the diagonal.
    static func confusion(_ row: Int, _ column: Int) -> Double {
        row == column ? Double(950 + 3 * row) : Double((row * 7 + column * 3) % 13)
    }

    /// Deterministic normal samples (Box-Muller over a linear congruential generator).
    static func normal(count: Int, mean: Double, deviation: Double, seed: UInt64) -> [Double] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<count).map { _ in mean + deviation * sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform()) }
    }

    /// A white ring on black, roughly a handwritten zero.
    static func ring(size: Int, radius: Double, thickness: Double) -> [Float] {
        let centre = Double(size - 1) / 2
        return (0..<size * size).map { pixel in
            let (y, x) = pixel.quotientAndRemainder(dividingBy: size)
            let distance = ((Double(x) - centre) * (Double(x) - centre) / 0.6 + (Double(y) - centre) * (Double(y) - centre)).squareRoot()
            return Float(max(0, 1 - abs(distance - radius) / thickness))
        }
    }
}
