/// Everything a Trainer needs to continue exactly where it stopped, as named arrays a run
/// store can keep without knowing the engine: parameters, optimiser state, batch-norm
/// running statistics (floats); generator states, counters and the schedule (words).
public struct TrainingState: Equatable, Sendable {
    public var floats: [String: [Float]]
    public var words: [String: [UInt64]]

    public init(floats: [String: [Float]] = [:], words: [String: [UInt64]] = [:]) {
        self.floats = floats
        self.words = words
    }

    /// Compares float bits, so a stored NaN equals itself.
    public static func == (lhs: TrainingState, rhs: TrainingState) -> Bool {
        lhs.words == rhs.words && lhs.floats.mapValues { $0.map(\.bitPattern) } == rhs.floats.mapValues { $0.map(\.bitPattern) }
    }
}

/// A checkpoint that does not fit the network it is restored into.
public struct TrainingStateError: Error, CustomStringConvertible {
    public let description: String
}

extension Trainer {
    /// The state after the epochs trained so far.
    public func state() -> TrainingState {
        var state = TrainingState()
        for (index, parameter) in parameters.enumerated() {
            state.floats["param\(index)"] = parameter.value
            state.floats["velocity\(index)"] = velocity[index]
            state.floats["moment\(index)"] = secondMoment[index]
        }
        for (index, layer) in network.layers.enumerated() {
            if let norm = layer as? BatchNorm {
                state.floats["bn\(index)_mean"] = norm.runningMean
                state.floats["bn\(index)_variance"] = norm.runningVariance
            }
            if let dropout = layer as? Dropout { state.words["dropout\(index)"] = dropout.random.state }
        }
        state.words["shuffling"] = shuffling.state
        state.words["counters"] = [UInt64(epochsDone), UInt64(updates)]
        state.words["control"] = control.words
        return state
    }

    /// Continues from `state`, which must come from a Trainer of the same network.
    public func restore(_ state: TrainingState) throws {
        func floats(_ name: String, count: Int) throws -> [Float] {
            guard let values = state.floats[name], values.count == count else {
                throw TrainingStateError(description: "checkpoint entry '\(name)' is missing or has the wrong size for this network")
            }
            return values
        }
        func stream(_ name: String) throws -> RandomStream {
            guard let words = state.words[name], let stream = RandomStream(state: words) else {
                throw TrainingStateError(description: "checkpoint entry '\(name)' is not a generator state")
            }
            return stream
        }
        guard let counters = state.words["counters"], counters.count == 2,
              let controlWords = state.words["control"], control.restore(words: controlWords) else {
            throw TrainingStateError(description: "checkpoint has no valid counters or schedule state")
        }
        for (index, parameter) in parameters.enumerated() {
            parameter.value = try floats("param\(index)", count: parameter.count)
            velocity[index] = try floats("velocity\(index)", count: parameter.count)
            secondMoment[index] = try floats("moment\(index)", count: parameter.count)
        }
        for (index, layer) in network.layers.enumerated() {
            if let norm = layer as? BatchNorm {
                norm.runningMean = try floats("bn\(index)_mean", count: norm.runningMean.count)
                norm.runningVariance = try floats("bn\(index)_variance", count: norm.runningVariance.count)
            }
            if let dropout = layer as? Dropout { dropout.random = try stream("dropout\(index)") }
        }
        shuffling = try stream("shuffling")
        epochsDone = Int(counters[0])
        updates = Int(counters[1])
    }
}
