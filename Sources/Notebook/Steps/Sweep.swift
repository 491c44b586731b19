import ConvNet
import Foundation
import Plotting

/// One point of a sweep: its parameter values, and the name of its run.
public struct SweepPoint: Sendable {
    public let sweep: String
    /// Position in the sweep, from 0.
    public let index: Int
    /// The numeric parameters in the order the sweep declares them.
    public let values: [(key: String, value: Double)]
    /// For a sweep over named values (`Choices`): the key and the name of this point's value.
    public let option: (key: String, name: String)?
    /// Short and unique within the sweep: the values of a grid or zipped point
    /// (`eta=0.1,lambda=5`), the number of a random one (`07`), `seed2` for a repeat.
    public let label: String

    /// The run's step name: `<sweep>-<label>`.
    public var name: String { "\(sweep)-\(label)" }

    init(sweep: String, index: Int, values: [(key: String, value: Double)], label: String,
         option: (key: String, name: String)? = nil) {
        self.sweep = sweep
        self.index = index
        self.values = values
        self.label = label
        self.option = option
    }

    public subscript(key: String) -> Double {
        guard let value = values.first(where: { $0.key == key })?.value else {
            preconditionFailure("sweep '\(sweep)' has no parameter '\(key)' (it has \(values.map(\.key)))")
        }
        return value
    }

    /// An integer parameter (a layer size, a seed).
    public func int(_ key: String) -> Int { Int(self[key]) }
}

/// How a random search draws one parameter.
public enum Distribution: Sendable {
    /// Uniform in log space between the bounds (Bergstra and Bengio's advice for learning
    /// rates and regularisation strengths).
    case logUniform(Double, Double)
    case uniform(Double, Double)
    /// One of the values, each equally likely.
    case choice([Double])

    func draw(_ random: inout RandomStream) -> Double {
        switch self {
        case let .logUniform(low, high):
            // Our own exp and log: libm's differ between systems, and the point is a config value.
            return PortableMath.exp(PortableMath.log(low) + random.uniform() * (PortableMath.log(high) - PortableMath.log(low)))
        case let .uniform(low, high): return low + random.uniform() * (high - low)
        case .choice(let values): return values[random.below(values.count)]
        }
    }
}

/// A set of runs that differ in a few parameters: a grid, zipped lists, a random search,
/// or repeats over seeds. The study declares it once (`let search = Sweep.random(...)`),
/// makes one compute step per point with `steps`, and its views find the runs with `runs`.
public struct Sweep: Sendable {
    public let name: String
    public let points: [SweepPoint]

    /// Every combination of the values (the first parameter varies slowest).
    public static func grid(_ name: String, _ axes: KeyValuePairs<String, [Double]>) -> Sweep {
        var combinations: [[(key: String, value: Double)]] = [[]]
        for (key, values) in axes {
            combinations = combinations.flatMap { prefix in values.map { prefix + [(key, $0)] } }
        }
        return Sweep(name: name, points: combinations.enumerated().map { index, values in
            SweepPoint(sweep: name, index: index, values: values, label: label(values))
        })
    }

    /// The i-th values of every list together (all lists have the same length).
    public static func zipped(_ name: String, _ axes: KeyValuePairs<String, [Double]>) -> Sweep {
        let count = axes.map(\.value.count).min() ?? 0
        precondition(axes.allSatisfy { $0.value.count == count }, "sweep '\(name)': zipped lists must have one length")
        return Sweep(name: name, points: (0..<count).map { index in
            let values = axes.map { (key: $0.key, value: $0.value[index]) }
            return SweepPoint(sweep: name, index: index, values: values, label: label(values))
        })
    }

    /// `count` points drawn from the distributions with their own seed. Point i draws from
    /// a stream of its own, so asking for more points keeps the first ones.
    public static func random(_ name: String, count: Int, seed: UInt64,
                              _ axes: KeyValuePairs<String, Distribution>) -> Sweep {
        let digits = String(max(count, 1)).count
        return Sweep(name: name, points: (0..<count).map { index in
            var random = RandomStream(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15, purpose: .search)
            let values = axes.map { (key: $0.key, value: $0.value.draw(&random)) }
            return SweepPoint(sweep: name, index: index, values: values,
                              label: String(repeating: "0", count: digits - String(index + 1).count) + String(index + 1))
        })
    }

    /// `count` repeats that differ only in their seed (`base`, `base + 1`, ...), labelled
    /// seed0, seed1, ...: a mean curve with a spread band over them is one call (`meanCurve`).
    public static func seeds(_ name: String, count: Int, base: UInt64) -> Sweep {
        Sweep(name: name, points: (0..<count).map { index in
            SweepPoint(sweep: name, index: index, values: [("seed", Double(base &+ UInt64(index)))], label: "seed\(index)")
        })
    }

    /// One compute step per point; `body` names the step `point.name`.
    public func steps(_ body: (SweepPoint) -> any ComputeStep) -> [any StudyStep] {
        points.map { point in
            let step = body(point)
            precondition(step.name == point.name, "a step of sweep '\(name)' must be named point.name ('\(point.name)'), not '\(step.name)'")
            return step
        }
    }

    /// The step names of every point, in order.
    public var names: [String] { points.map(\.name) }

    /// Every point with its stored run.
    public func runs(in results: StudyResults) throws -> [(point: SweepPoint, run: StoredRun)] {
        try points.map { ($0, try results.run($0.name)) }
    }

    private static func label(_ values: [(key: String, value: Double)]) -> String {
        values.map { "\($0.key)=\(String(format: "%g", $0.value))" }.joined(separator: ",")
    }
}

/// A sweep over named values of any type: optimisers, models, activations, losses. One point
/// per value, or per value and combination of numeric axes (`crossedWith:`, e.g. seeds); a
/// point's label starts with its value's name (`optimizer=adam,seed=1`), which names its run
/// file and its legend. The study gets each point's typed value back in `steps`, so the
/// names are only labels: nothing is looked up by them.
public struct Choices<Value: Sendable>: Sendable {
    public let sweep: Sweep
    /// The names of the values, in the order given.
    public let names: [String]
    private let chosen: [Value]

    /// Every value with every combination of `axes` (the values vary slowest).
    public static func grid(_ name: String, _ key: String, _ options: KeyValuePairs<String, Value>,
                            crossedWith axes: KeyValuePairs<String, [Double]> = [:]) -> Choices {
        let numeric = Sweep.grid(name, axes)
        var points: [SweepPoint] = [], chosen: [Value] = []
        for (optionName, value) in options {
            for combination in numeric.points {
                let label = ["\(key)=\(optionName)"] + (combination.values.isEmpty ? [] : [combination.label])
                points.append(SweepPoint(sweep: name, index: points.count, values: combination.values,
                                         label: label.joined(separator: ","), option: (key, optionName)))
                chosen.append(value)
            }
        }
        precondition(Set(options.map(\.key)).count == options.count, "sweep '\(name)': two values share a name")
        return Choices(sweep: Sweep(name: name, points: points), names: options.map(\.key), chosen: chosen)
    }

    /// One compute step per point, from the point and its value; each named `point.name`.
    public func steps(_ body: (SweepPoint, Value) -> any ComputeStep) -> [any StudyStep] {
        sweep.steps { body($0, chosen[$0.index]) }
    }

    /// The points of one value (e.g. every seed of "adam").
    public func points(of option: String) -> [SweepPoint] {
        sweep.points.filter { $0.option?.name == option }
    }

    /// Every point with its value and its stored run.
    public func runs(in results: StudyResults) throws -> [(point: SweepPoint, value: Value, run: StoredRun)] {
        try sweep.points.map { ($0, chosen[$0.index], try results.run($0.name)) }
    }
}

extension StudyResults {
    /// A metric averaged over a sweep's runs (usually `Sweep.seeds`), with a min-max band.
    public func meanCurve(_ sweep: Sweep, metric: Metric, label: String, style: SeriesStyle = .linesPoints,
                          transform: (Double) -> Double = { $0 }) throws -> Series {
        try meanCurve(sweep.names, metric: metric, label: label, style: style, transform: transform)
    }
}
