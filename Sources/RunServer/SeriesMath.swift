import Foundation

// Pure functions over one metric's points: what the compare page draws. No I/O here, so the
// unit tests check them with hand-worked numbers.

/// One point of a curve: x is the epoch (or wall-clock seconds), y the metric's value.
public struct Point: Equatable, Sendable {
    public let x: Double
    public let y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A metric's last value and its best, smallest and largest finite values.
public struct MetricSummary: Equatable, Sendable, Codable {
    public let last: Double?
    public let best: Double?
    public let min: Double?
    public let max: Double?
    /// How many values the metric holds (epochs recorded so far, for a per-epoch metric).
    public let count: Int

    public init(values: [Double], lowerIsBetter: Bool) {
        count = values.count
        let finite = values.filter(\.isFinite)
        last = values.last.flatMap { $0.isFinite ? $0 : nil }
        min = finite.min()
        max = finite.max()
        best = lowerIsBetter ? min : max
    }

    public func value(_ statistic: Statistic) -> Double? {
        switch statistic {
        case .last: return last
        case .best: return best
        case .min: return min
        case .max: return max
        }
    }
}

public enum Statistic: String, CaseIterable, Sendable {
    case last, best, min, max
}

/// TensorBoard's smoothing: an exponential moving average with weight `weight` in [0, 1),
/// debiased so the first points are not pulled towards zero. Values that are not finite
/// (a diverged run's NaN) are passed through and do not enter the average.
public func smooth(_ values: [Double], weight: Double) -> [Double] {
    guard weight > 0 else { return values }
    var average = 0.0, finiteCount = 0.0
    return values.map { value in
        guard value.isFinite else { return value }
        finiteCount += 1
        average = average * weight + (1 - weight) * value
        return average / (1 - pow(weight, finiteCount))
    }
}

/// The indices of at most `maxPoints` points that keep a curve's shape (largest triangle,
/// three buckets: Steinarsson 2013): the first and last always, then from each bucket the
/// point spanning the largest triangle with the point chosen before and the next bucket's mean.
public func downsampleIndices(_ points: [Point], maxPoints: Int) -> [Int] {
    guard points.count > maxPoints, maxPoints >= 3 else { return Array(points.indices) }
    let bucketSize = Double(points.count - 2) / Double(maxPoints - 2)
    var chosen = [0]
    for bucket in 0..<(maxPoints - 2) {
        let start = Int(Double(bucket) * bucketSize) + 1
        let end = Swift.min(Int(Double(bucket + 1) * bucketSize) + 1, points.count - 1)
        let nextEnd = Swift.min(Int(Double(bucket + 2) * bucketSize) + 1, points.count)
        let next = points[end..<Swift.max(nextEnd, end + 1)]
        let meanX = next.map(\.x).reduce(0, +) / Double(next.count)
        let meanY = next.map(\.y).reduce(0, +) / Double(next.count)
        let previous = points[chosen.last!]
        var bestIndex = start, bestArea = -1.0
        for index in start..<Swift.max(end, start + 1) {
            let point = points[index]
            let area = abs((previous.x - meanX) * (point.y - previous.y) - (previous.x - point.x) * (meanY - previous.y))
            if area > bestArea { (bestIndex, bestArea) = (index, area) }
        }
        chosen.append(bestIndex)
    }
    chosen.append(points.count - 1)
    return chosen
}

/// Several runs' curves of one metric as one band: at each position, the mean x, and the mean,
/// smallest and largest y over the runs that reach that position (runs of one config over
/// several seeds share their epochs, so their points line up by position).
public struct BandPoint: Equatable, Sendable {
    public let x: Double
    public let mean: Double
    public let min: Double
    public let max: Double
    public let count: Int
}

public func band(_ curves: [[Point]]) -> [BandPoint] {
    let length = curves.map(\.count).max() ?? 0
    return (0..<length).compactMap { position in
        let points = curves.compactMap { position < $0.count ? $0[position] : nil }.filter { $0.y.isFinite }
        guard !points.isEmpty else { return nil }
        let ys = points.map(\.y)
        return BandPoint(x: points.map(\.x).reduce(0, +) / Double(points.count), mean: ys.reduce(0, +) / Double(ys.count),
                         min: ys.min()!, max: ys.max()!, count: points.count)
    }
}

/// A colour that depends only on the run's id (FNV-1a of it picks the hue), so a run keeps
/// its colour across pages, selections and reloads.
public struct RunColour: Equatable, Sendable {
    public let hue: Int

    public init(for id: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hue = Int(hash % 360)
    }

    /// CSS: the curve itself, or with `alpha` below 1 the faint raw curve behind a smoothed one.
    public func css(alpha: Double = 1) -> String {
        alpha >= 1 ? "hsl(\(hue),70%,40%)" : "hsla(\(hue),70%,40%,\(alpha))"
    }
}
