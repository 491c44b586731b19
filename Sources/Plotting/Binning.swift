// Equal-width bins shared by all series of a histogram.

struct Binning {
    var lower: Double
    var width: Double
    /// counts[series][bin]
    var counts: [[Int]]

    var centres: [Double] {
        (0..<(counts.first?.count ?? 0)).map { lower + width * (Double($0) + 0.5) }
    }

    /// Non-finite values and values outside the range are not counted; the upper edge
    /// belongs to the last bin. Without a range the bins span all finite values.
    init(_ histogram: Histogram) {
        let finite = histogram.series.flatMap { $0.values.filter(\.isFinite) }
        var range = histogram.range ?? (finite.min() ?? 0)...(finite.max() ?? 1)
        if range.lowerBound == range.upperBound {
            range = (range.lowerBound - 0.5)...(range.upperBound + 0.5)
        }
        let bins = histogram.bins
        lower = range.lowerBound
        width = (range.upperBound - range.lowerBound) / Double(bins)
        counts = histogram.series.map { series in
            var counts = [Int](repeating: 0, count: bins)
            for value in series.values where range.contains(value) {
                let bin = Int(((value - range.lowerBound) / (range.upperBound - range.lowerBound) * Double(bins)).rounded(.down))
                counts[min(bin, bins - 1)] += 1
            }
            return counts
        }
    }
}
