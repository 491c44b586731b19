import Foundation

/// GET /api/series: the metric's curves of the selected runs, raw and smoothed, at most
/// `points` points each; with `group`, one mean and min-max band per value of that config key.
struct SeriesResponse: Encodable {
    struct Curve: Encodable {
        let run: SelectedRun
        /// [x, y] pairs; y is null where the value is not finite.
        let raw: [[Double?]]
        let smoothed: [[Double?]]
    }

    struct Group: Encodable {
        let label: String
        let colour: String
        let runs: Int
        /// [x, min, mean, max] per position; the mean smoothed like a curve.
        let band: [[Double]]
    }

    let metric: String
    let x: String
    let metricNames: [String]
    let generation: Int
    let curves: [Curve]
    let groups: [Group]?
    /// Selected runs that lack the metric, and ids the index does not hold as readable runs.
    let missing: [String]
    let unknown: [String]
}

/// What /api/series is asked: parsed from `ids`, `metric`, `x`, `smooth`, `points`, `group`.
struct SeriesRequest {
    let ids: [String]
    let metric: String
    let axis: XAxis
    let smoothing: Double
    let maxPoints: Int
    let groupKey: String?

    init(_ items: [String: String]) throws {
        ids = (items["ids"] ?? "").split(separator: ",").map(String.init)
        guard !ids.isEmpty else { throw QueryError("ids: name at least one run") }
        guard let metric = items["metric"], !metric.isEmpty else { throw QueryError("metric: name one") }
        self.metric = metric
        guard let axis = XAxis(rawValue: items["x"] ?? "epoch") else { throw QueryError("x must be epoch or wall") }
        self.axis = axis
        guard let smoothing = Double(items["smooth"] ?? "0"), (0..<1).contains(smoothing) else {
            throw QueryError("smooth must be a number from 0 up to (not including) 1")
        }
        self.smoothing = smoothing
        guard let maxPoints = Int(items["points"] ?? "1000"), (3...100_000).contains(maxPoints) else {
            throw QueryError("points must be a whole number from 3 to 100000")
        }
        self.maxPoints = maxPoints
        groupKey = items["group"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension SeriesResponse {
    init(_ request: SeriesRequest, snapshot: IndexSnapshot) {
        let selection = RunSelection(ids: request.ids, in: snapshot)
        var curves: [Curve] = [], missing: [String] = [], raw: [String: [Point]] = [:]
        for run in selection.runs {
            guard let points = selection.curve(of: run, metric: request.metric, x: request.axis) else {
                missing.append(run.id)
                continue
            }
            raw[run.id] = points
            let smoothed = zip(points, smooth(points.map(\.y), weight: request.smoothing)).map { Point(x: $0.x, y: $1) }
            // A non-finite value never wins a bucket, so a diverged run keeps its finite shape.
            let kept = downsampleIndices(points, maxPoints: request.maxPoints)
            curves.append(Curve(run: SelectedRun(run, in: selection), raw: kept.map { Self.pair(points[$0]) },
                                smoothed: kept.map { Self.pair(smoothed[$0]) }))
        }
        let groups = request.groupKey.map { key in
            selection.groups(by: key).compactMap { value, runs -> Group? in
                let members = runs.compactMap { raw[$0.id] }
                guard !members.isEmpty else { return nil }
                return Self.group(label: "\(key)=\(value)", curves: members, request: request)
            }
        }
        self.init(metric: request.metric, x: request.axis.rawValue, metricNames: selection.metricNames,
                  generation: snapshot.generation, curves: curves, groups: groups, missing: missing, unknown: selection.unknown)
    }

    private static func pair(_ point: Point) -> [Double?] {
        [point.x, point.y.isFinite ? point.y : nil]
    }

    private static func group(label: String, curves: [[Point]], request: SeriesRequest) -> Group {
        let points = band(curves)
        let means = smooth(points.map(\.mean), weight: request.smoothing)
        let kept = downsampleIndices(zip(points, means).map { Point(x: $0.x, y: $1) }, maxPoints: request.maxPoints)
        return Group(label: "\(label) (\(curves.count) run\(curves.count == 1 ? "" : "s"))",
                     colour: RunColour(for: label).css(), runs: curves.count,
                     band: kept.map { [points[$0].x, points[$0].min, means[$0], points[$0].max] })
    }
}
