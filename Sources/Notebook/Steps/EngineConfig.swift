import ConvNet

// The engine's descriptions as config values: what the cache key hashes and what a run
// file stores, readable as JSON (e.g. {"conv":{"filters":16,"kernel":5,...}}).

extension ModelSpec {
    var config: ConfigValue { ["input": .list(input.map { .int($0) }), "layers": .list(layers.map(\.config))] }
}

extension LayerSpec {
    var config: ConfigValue {
        switch self {
        case .dense(let units): return ["dense": .int(units)]
        case let .conv(filters, kernel, stride, padding, dilation):
            let pad: ConfigValue
            switch padding {
            case .valid: pad = "valid"
            case .same: pad = "same"
            case .explicit(let n): pad = .int(n)
            }
            return ["conv": ["filters": .int(filters), "kernel": .int(kernel), "stride": .int(stride), "padding": pad,
                             "dilation": .int(dilation)]]
        case .maxPool(let size): return ["max_pool": .int(size)]
        case .avgPool(let size): return ["avg_pool": .int(size)]
        case .flatten: return "flatten"
        case .activation(let function): return ["activation": .string(function.rawValue)]
        case .batchNorm: return "batch_norm"
        case let .dropout(rate, style): return ["dropout": ["rate": .double(rate), "style": .string(style.rawValue)]]
        case .prelu: return "prelu"
        case .maxout(let pieces): return ["maxout": .int(pieces)]
        }
    }
}

extension Initializer {
    var config: ConfigValue {
        switch self {
        case .gaussian(let std): return ["gaussian": .double(std)]
        case .uniform(let limit): return ["uniform": .double(limit)]
        case .xavierNormal: return "xavier_normal"
        case .xavierUniform: return "xavier_uniform"
        case .he: return "he"
        case .nielsen: return "nielsen"
        case .constant(let value): return ["constant": .double(value)]
        }
    }
}

extension Optimizer {
    var config: ConfigValue {
        let method: ConfigValue
        switch self.method {
        case .sgd: method = "sgd"
        case .momentum(let mu): method = ["momentum": .double(mu)]
        case .averagedMomentum(let mu): method = ["averaged_momentum": .double(mu)]
        case .nesterov(let mu): method = ["nesterov": .double(mu)]
        case let .adam(beta1, beta2, epsilon):
            method = ["adam": ["beta1": .double(beta1), "beta2": .double(beta2), "epsilon": .double(epsilon)]]
        }
        let regularization: ConfigValue
        switch self.regularization {
        case .none: regularization = "none"
        case .l2(let lambda): regularization = ["l2": .double(lambda)]
        case .l1(let lambda): regularization = ["l1": .double(lambda)]
        case .penalty(let c): regularization = ["penalty": .double(c)]
        }
        return ["learning_rate": .double(learningRate), "method": method, "regularization": regularization]
    }
}

extension LearningRateSchedule {
    var config: ConfigValue {
        switch self {
        case .constant: return "constant"
        case let .step(every, factor): return ["step": ["every": .int(every), "factor": .double(factor)]]
        case let .halveOnPlateau(patience, floor):
            return ["halve_on_plateau": ["patience": .int(patience), "floor": .double(floor)]]
        }
    }
}
