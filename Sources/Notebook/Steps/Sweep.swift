import ConvNet
import Foundation
import Plotting

/// A number a sweep varies, declared once in the study (`let eta = Axis<Double>("eta")`) and
/// read back by the same handle (`point[eta]`): a misspelt axis is a compile error, and an
/// integer axis (`Axis<Int>("hidden")`) reads back as an `Int`. The key names the axis in
/// run names and labels (`eta=0.1`).
public struct Axis<Value: AxisValue>: Sendable {
    public let key: String
    public init(_ key: String) { self.key = key }

    /// The values this axis takes in a grid or zipped sweep.
    public func over(_ values: [Value]) -> AxisValues { AxisValues(key: key, values: values.map(\.axisNumber)) }

    /// How a random search draws this axis.
    public func drawn(_ distribution: Distribution) -> AxisDraw { AxisDraw(key: key, distribution: distribution) }

    /// A point's coordinate on this axis, for `Sweep.point(_:)`.
    public func at(_ value: Value) -> (key: String, value: Double) { (key, value.axisNumber) }
}

/// A number type an axis can hold. Sweeps keep every coordinate as a Double (which names the
/// run files, so their names do not depend on the axis's type).
public protocol AxisValue: Sendable {
    init(axisNumber: Double)
    var axisNumber: Double { get }
}

extension Double: AxisValue {
    public init(axisNumber: Double) { self = axisNumber }
    public var axisNumber: Double { self }
}

extension Int: AxisValue {
    /// A coordinate that is no whole number reads as 0; only a sweep's own values reach here.
    public init(axisNumber: Double) { self = axisNumber.isFinite ? Int(axisNumber) : 0 }
    public var axisNumber: Double { Double(self) }
}

/// One axis of a grid or zipped sweep with its values (`eta.over([0.1, 1])`).
public struct AxisValues: Sendable {
    let key: String
    let values: [Double]

    /// Repeats over these seeds (`crossedWith: .seeds([0, 1])`), read back as `point.seed`.
    public static func seeds(_ seeds: [Int]) -> AxisValues { Axis<Int>("seed").over(seeds) }
}

/// One axis of a random search with its distribution (`eta.drawn(.logUniform(1e-4, 1))`).
public struct AxisDraw: Sendable {
    let key: String
    let distribution: Distribution
}

/// A named value of a `Choices` sweep (`Choice("adam", Optimizer(...))`): declared once, it
/// carries its value into the steps and finds its points again (`choices.points(of: adam)`).
public struct Choice<Value: Sendable>: Sendable {
    public let name: String
    public let value: Value
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}

/// One point of a sweep: its parameter values, and the name of its run.
public struct SweepPoint: Sendable {
    public let sweep: String
    /// Position in the sweep, from 0.
    public let index: Int
    /// The coordinates in the order the sweep declares its axes.
    let values: [(key: String, value: Double)]
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

    /// This point's coordinate on `axis`. An axis the sweep does not have (one declared for
    /// another sweep) is a mistake of the study: one line naming the sweep's axes, before any
    /// run when a step reads it, or as the failure of the view that reads it.
    public subscript<Value>(axis: Axis<Value>) -> Value {
        Value(axisNumber: coordinate(axis.key))
    }

    /// The seed of a `Sweep.seeds` repeat.
    public var seed: UInt64 { UInt64(exactly: coordinate("seed")) ?? 0 }

    private func coordinate(_ key: String) -> Double {
        guard let value = values.first(where: { $0.key == key })?.value else {
            let axes = values.isEmpty ? "it has none" : "its axes: " + values.map(\.key).joined(separator: ", ")
            StudyMistakes.record("sweep '\(sweep)' has no axis '\(key)' (\(axes))")
            return .nan
        }
        return value
    }
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
/// or repeats over seeds. The study declares it once (`let search = Sweep.grid("search",
/// eta.over(etas), lambda.over(lambdas))`), makes one compute step per point with `steps`,
/// and its views find the runs with `runs(in:)` or one point with `point(_:)`.
public struct Sweep: Sendable {
    public let name: String
    public let points: [SweepPoint]

    /// Every combination of the values (the first axis varies slowest).
    public static func grid(_ name: String, _ axes: AxisValues...) -> Sweep { grid(name, axes) }

    static func grid(_ name: String, _ axes: [AxisValues]) -> Sweep {
        var combinations: [[(key: String, value: Double)]] = [[]]
        for axis in axes {
            combinations = combinations.flatMap { prefix in axis.values.map { prefix + [(axis.key, $0)] } }
        }
        return Sweep(name: name, points: combinations.enumerated().map { index, values in
            SweepPoint(sweep: name, index: index, values: values, label: label(values))
        })
    }

    /// The i-th values of every axis together (all axes have the same number of values).
    public static func zipped(_ name: String, _ axes: AxisValues...) -> Sweep {
        let count = axes.map(\.values.count).min() ?? 0
        if !axes.allSatisfy({ $0.values.count == count }) {
            StudyMistakes.record("sweep '\(name)': zipped axes must have one length ("
                                 + axes.map { "\($0.key): \($0.values.count)" }.joined(separator: ", ") + ")")
        }
        return Sweep(name: name, points: (0..<count).map { index in
            let values = axes.map { (key: $0.key, value: $0.values[index]) }
            return SweepPoint(sweep: name, index: index, values: values, label: label(values))
        })
    }

    /// `count` points drawn from the distributions with their own seed. Point i draws from
    /// a stream of its own, so asking for more points keeps the first ones.
    public static func random(_ name: String, count: Int, seed: UInt64, _ axes: AxisDraw...) -> Sweep {
        let digits = String(max(count, 1)).count
        return Sweep(name: name, points: (0..<count).map { index in
            var random = RandomStream(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15, purpose: .search)
            let values = axes.map { (key: $0.key, value: $0.distribution.draw(&random)) }
            return SweepPoint(sweep: name, index: index, values: values,
                              label: String(repeating: "0", count: digits - String(index + 1).count) + String(index + 1))
        })
    }

    /// `count` repeats that differ only in their seed (`base`, `base + 1`, ...; `point.seed`),
    /// labelled seed0, seed1, ...: a mean curve with a spread band over them is one call (`meanCurve`).
    public static func seeds(_ name: String, count: Int, base: UInt64) -> Sweep {
        Sweep(name: name, points: (0..<count).map { index in
            SweepPoint(sweep: name, index: index, values: [("seed", Double(base &+ UInt64(index)))], label: "seed\(index)")
        })
    }

    /// `count` runs of one setting that differ only in their seed (`base`, `base + 1`, ...): the
    /// first keeps the plain `name`, the others are `<name>-seed<i>`, so asking for more seeds
    /// keeps the first run and its stored file. `make` builds a step from its name and seed.
    public static func repeats<Step: ComputeStep>(_ name: String, count: Int, base: UInt64,
                                                  _ make: (_ name: String, _ seed: UInt64) -> Step) -> [Step] {
        (0..<max(count, 1)).map { make($0 == 0 ? name : "\(name)-seed\($0)", base &+ UInt64($0)) }
    }

    /// One compute step per point; `body` names the step `point.name`.
    public func steps(_ body: (SweepPoint) -> any ComputeStep) -> [any StudyStep] {
        points.map { point in
            let step = body(point)
            if step.name != point.name {
                StudyMistakes.record("a step of sweep '\(name)' must be named point.name ('\(point.name)'), not '\(step.name)'")
            }
            return step
        }
    }

    /// The step names of every point, in order.
    public var names: [String] { points.map(\.name) }

    /// The point at these coordinates (`grid.point(eta.at(0.1), batch.at(10))`). Coordinates
    /// that match no point are a mistake of the study, reported with the sweep's values.
    public func point(_ coordinates: (key: String, value: Double)...) -> SweepPoint {
        let match = points.first { point in
            coordinates.allSatisfy { wanted in point.values.contains { $0.key == wanted.key && $0.value == wanted.value } }
        }
        if let match { return match }
        let asked = Sweep.label(coordinates)
        let axes = Dictionary(grouping: points.flatMap(\.values), by: \.key).mapValues { Array(Set($0.map(\.value))).sorted() }
        let known = (points.first?.values.map(\.key) ?? []).map { key in
            "\(key): " + (axes[key] ?? []).map { String(format: "%g", $0) }.joined(separator: ", ")
        }
        StudyMistakes.record("sweep '\(name)' has no point at \(asked) (its values: \(known.joined(separator: "; ")))")
        return points.first ?? SweepPoint(sweep: name, index: 0, values: [], label: asked)
    }

    /// Every point with its stored run.
    public func runs(in results: StudyResults) throws -> [(point: SweepPoint, run: StoredRun)] {
        try points.map { ($0, try results.run($0.name)) }
    }

    fileprivate static func label(_ values: [(key: String, value: Double)]) -> String {
        values.map { "\($0.key)=\(String(format: "%g", $0.value))" }.joined(separator: ",")
    }
}

/// A sweep over named values of any type: optimisers, models, activations, losses. One point
/// per value, or per value and combination of numeric axes (`crossedWith:`, e.g. seeds); a
/// point's label starts with its value's name (`optimizer=adam,seed=1`), which names its run
/// file and its legend. The study gets each point's typed value back in `steps`, and finds a
/// value's points by its `Option`, so nothing is looked up by a name typed twice.
public struct Choices<Value: Sendable>: Sendable {
    public let sweep: Sweep
    public let options: [Choice<Value>]

    /// Every option with every combination of `axes` (the options vary slowest).
    public static func grid(_ name: String, _ key: String, _ options: [Choice<Value>],
                            crossedWith axes: AxisValues...) -> Choices {
        let numeric = Sweep.grid(name, axes)
        var points: [SweepPoint] = []
        for option in options {
            for combination in numeric.points {
                let label = ["\(key)=\(option.name)"] + (combination.values.isEmpty ? [] : [combination.label])
                points.append(SweepPoint(sweep: name, index: points.count, values: combination.values,
                                         label: label.joined(separator: ","), option: (key, option.name)))
            }
        }
        if Set(options.map(\.name)).count != options.count {
            StudyMistakes.record("sweep '\(name)': two options share a name (\(options.map(\.name).joined(separator: ", ")))")
        }
        return Choices(sweep: Sweep(name: name, points: points), options: options)
    }

    private var pointsPerOption: Int { options.isEmpty ? 0 : sweep.points.count / options.count }

    /// The option of a point of this sweep.
    private func option(of point: SweepPoint) -> Choice<Value> { options[point.index / max(pointsPerOption, 1)] }

    /// One compute step per point, from the point and its value; each named `point.name`.
    public func steps(_ body: (SweepPoint, Value) -> any ComputeStep) -> [any StudyStep] {
        sweep.steps { body($0, option(of: $0).value) }
    }

    /// The points of one option (e.g. every seed of `adam`). An option of another sweep is a
    /// mistake of the study, reported with this sweep's options.
    public func points(of option: Choice<Value>) -> [SweepPoint] {
        let found = sweep.points.filter { $0.option?.name == option.name }
        if found.isEmpty {
            StudyMistakes.record("sweep '\(sweep.name)' has no option '\(option.name)' (its options: \(options.map(\.name).joined(separator: ", ")))")
        }
        return found
    }

    /// Every point with its value and its stored run.
    public func runs(in results: StudyResults) throws -> [(point: SweepPoint, value: Value, run: StoredRun)] {
        try sweep.points.map { ($0, option(of: $0).value, try results.run($0.name)) }
    }
}

extension StudyResults {
    /// A metric averaged over a sweep's runs (usually `Sweep.seeds`), with a min-max band.
    public func meanCurve(_ sweep: Sweep, metric: Metric, label: String, style: SeriesStyle = .linesPoints,
                          transform: (Double) -> Double = { $0 }) throws -> Series {
        try meanCurve(sweep.names, metric: metric, label: label, style: style, transform: transform)
    }
}
