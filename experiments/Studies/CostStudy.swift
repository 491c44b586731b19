import Foundation
import Notebook

/// Seed 003 on cost functions (REFERENCE.md, "Cost functions" and the test-error table of
/// "Regularisation and overfitting").
let costStudy = Study(
    "cost-study",
    title: "Quadratic cost against cross-entropy: the learning slowdown and what it costs in accuracy",
    summary: "one-neuron learning slowdown, and quadratic vs cross-entropy vs softmax on 784-30-10 / 784-100-10 (seed 003)"
) { context in
    let seed = UInt64(context.seed)

    let toy = OneNeuron()
    Text("""
    Seed 003's toy: one sigmoid neuron with input \(Int(toy.input)) and target \(Int(toy.target)), gradient descent with learning rate \
    \(toy.eta) for \(toy.epochs) epochs, from (w, b) = \(toy.pair(0)) and from \(toy.pair(1)). Under the quadratic cost the \
    gradient carries the factor sigma'(z), tiny when the neuron starts saturated at (2, 2), so learning \
    starts slowly; cross-entropy's gradient is a - y and has no such factor.
    """)
    let neuron = Compute("neuron", summary: "one sigmoid neuron, \(toy.starts.count) starts x 2 costs, \(toy.epochs) epochs", toy)
    neuron
    Figure("neuron", title: "One sigmoid neuron learning to output 0: cost per epoch") { results in
        let run = try results.run(neuron)
        return .lines(LinePlot(xLabel: "epoch", yLabel: "cost", series: try toy.starts.flatMap { start in
            try NeuronCost.allCases.map { cost in
                Series(label: "\(cost.label), start \(toy.pair(start))", x: (0..<toy.epochs).map(Double.init),
                       y: try run.metric(cost.metric(from: start)), style: cost == .quadratic ? .dashed : .lines)
            }
        }))
    }
    Table("Epochs until the cost falls below half its starting value") { results in
        let run = try results.run(neuron)
        return TableContent(columns: ["start (w, b)"] + NeuronCost.allCases.map(\.label), rows: try toy.starts.map { start in
            [.text(toy.pair(start))] + (try NeuronCost.allCases.map { cost -> Cell in
                let costs = try run.metric(cost.metric(from: start))
                return costs.firstIndex { $0 < costs[0] / 2 }.map { "\($0)" } ?? "more than \(toy.epochs)"
            })
        }, notes: ["Seed 003's picture: from (2, 2) the quadratic cost barely moves for the first epochs, cross-entropy falls at once."])
    }

    let epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs per training run")
    let seeds = context.parameter("seeds", quick: 1, standard: 1, full: 5,
                                  help: "runs per network and cost, each from its own seed (the text's number is one run: ours are compared by their spread)")
    let images = TrainingImages(context)
    Text("""
    ## Which cost, in accuracy

    784-30-10 and 784-100-10 networks with sigmoid hidden units, mini-batch 10, \(epochs) epochs on \
    \(images.description): the quadratic cost (eta \(quadratic.eta), as in Nielsen's chapter 1), \
    cross-entropy on sigmoid outputs (eta \(crossEntropy.eta)), cross-entropy with L2 (lambda \(crossEntropyL2.lambda), \
    eta \(crossEntropyL2.eta)) and a softmax output with log-likelihood (eta \(softmax.eta)). Weights and biases N(0, 1): \
    seed 003's table (n = 30 / 100, "b=10", "l_ce = 0.5", "lambda = 5") follows Nielsen's chapter 3, whose runs \
    use `net.large_weight_initializer()` (reference-data/README.md); the normalised initialisation comes later \
    in the text as an improvement. The table gives no rate for the quadratic cost: ours is Nielsen's chapter-1 \
    \(quadratic.eta), and those two rows are shown, not counted.
    """)
    if let caveat = images.caveat { Text(caveat) }
    // One run per network, cost and seed: the first seed keeps the plain step name.
    let networks = [30, 100].map { hidden in
        (hidden: hidden, runs: costSettings.map { cost in
            (cost: cost, steps: Sweep.repeats("mlp\(hidden)-\(cost.step)", count: seeds, base: seed) { name, runSeed in
                Train(name,
                      model: .mlp([784, hidden, 10], .sigmoid, activateOutput: cost.loss != .softmaxLogLikelihood),
                      data: images.source, split: images.split, loss: cost.loss, weights: .gaussian(std: 1), biases: .gaussian(std: 1),
                      optimizer: Optimizer(learningRate: cost.eta, regularization: cost.l2 > 0 ? .l2(lambda: cost.l2) : .none),
                      epochs: epochs, batchSize: 10, seed: runSeed)
            })
        })
    }
    for network in networks { network.runs.flatMap(\.steps) }
    /// Test error (%) after the last epoch, one per seed.
    let errors = { (steps: [Train], results: StudyResults) throws -> [Double] in
        try steps.map { 100 * (1 - (try results.run($0).final(.testAccuracy))) }
    }
    Reproductions("Test error (%) beside seed 003's table") { results in
        try networks.flatMap { network in
            try network.runs.compactMap { run in
                guard let text = run.cost.textError[network.hidden] else { return nil }
                let ours = try errors(run.steps, results)
                return Reproduction("784-\(network.hidden)-10, \(run.cost.label): test error (%)", reference: text,
                                    quote: "n=30; //nodes in hidden layer … b=10; //mini-batch size … l_ce = 0.5; //learning rate for cross-entropy … λ = 5",
                                    ours: ours, kind: run.cost.rowKind, tolerance: .twoStandardErrors(percent: text.value, images: 10000, seeds: ours),
                                    effect: tableEffect(run.cost, hidden: network.hidden))
            }
        }
    }
    Text { results in
        "Nielsen trains on the first 50,000 MNIST training digits and tests on the 10,000 test digits; these runs train on "
            + "\(images.description). L2's lambda / n uses our training set size n, as network2.py does, so lambda \(crossEntropyL2.lambda) "
            + "regularises more strongly on fewer digits. The softmax output has no number in the text; ours: "
            + (try networks.map { network in
                let softmax = try errors(network.runs.first { $0.cost.loss == .softmaxLogLikelihood }!.steps, results)
                return "784-\(network.hidden)-10 \(String(format: "%.2f", softmax.reduce(0, +) / Double(softmax.count)))%"
            }.joined(separator: ", ")) + "."
    }
    Figure("accuracy", title: "Test accuracy per epoch for each cost: the mean of the seeds (band: min to max)") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try networks.flatMap { network in
            try network.runs.map { cost, steps in
                try results.meanCurve(steps, metric: .testAccuracy, label: "784-\(network.hidden)-10, \(cost.label)",
                                      style: network.hidden == 30 ? .dashed : .linesPoints)
            }
        }))
    }
}

/// One cost of the comparison with its rate, its L2 strength (0: none) and seed 003's test
/// error (%) for it on 784-30-10 and 784-100-10, where the table gives one.
private struct CostSetting {
    let step: String, label: String
    let loss: Loss
    let eta: Double
    let l2: Double
    let textError: [Int: Reference]
    /// How its rows count: the table gives the rate of cross-entropy (0.5), not the quadratic cost's.
    var rowKind: Reproduction.Kind {
        loss == .quadratic ? .shownOnly("seed 003 gives no learning rate for the quadratic cost") : .trained
    }

    /// lambda as the text writes it ("5").
    var lambda: String { String(format: "%g", l2) }
}

/// Seed 003's table, one number per cost and hidden-layer size.
private func table(_ n30: Double, _ n100: Double) -> [Int: Reference] {
    [30: Reference(n30, decimals: 2, source: "seed 003"), 100: Reference(n100, decimals: 2, source: "seed 003")]
}

/// The difference in seed 003's table that a cost's number is there to show: cross-entropy's
/// gain over the quadratic cost, then L2's gain over no regularisation.
private func tableEffect(_ cost: CostSetting, hidden: Int) -> Reproduction.Effect? {
    let (before, after, what) = cost.l2 > 0 ? (crossEntropy, crossEntropyL2, "L2's gain")
                                            : (quadratic, crossEntropy, "cross-entropy's gain over the quadratic cost")
    guard let from = before.textError[hidden], let to = after.textError[hidden] else { return nil }
    return .init("\(what) in the table (\(from) -> \(to))", size: from.value - to.value)
}

private let quadratic = CostSetting(step: "quadratic", label: "quadratic", loss: .quadratic, eta: 3.0, l2: 0, textError: table(5.53, 3.74))
private let crossEntropy = CostSetting(step: "cross-entropy", label: "cross-entropy", loss: .crossEntropy, eta: 0.5, l2: 0,
                                       textError: table(4.86, 3.00))
private let crossEntropyL2 = CostSetting(step: "cross-entropy-l2", label: "cross-entropy + L2", loss: .crossEntropy, eta: 0.5, l2: 5,
                                         textError: table(4.03, 2.56))
private let softmax = CostSetting(step: "softmax", label: "softmax log-likelihood", loss: .softmaxLogLikelihood, eta: 0.5, l2: 0,
                                  textError: [:])
private let costSettings = [quadratic, crossEntropy, crossEntropyL2, softmax]

/// Seed 003's toy: one sigmoid neuron, input 1 and target 0, plain gradient descent from two
/// starts under each cost, the cost recorded before each epoch.
private struct OneNeuron: Computation {
    var eta = 0.15
    var epochs = 300
    var input = 1.0
    var target = 0.0
    /// (w, b) at the start: one unsaturated, one saturated.
    var starts: [[Double]] = [[0.6, 0.9], [2.0, 2.0]]

    /// "(w, b)" of a start, as the text writes it.
    func pair(_ start: [Double]) -> String { "(\(start[0]), \(start[1]))" }
    func pair(_ index: Int) -> String { pair(starts[index]) }

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        for start in starts {
            for cost in NeuronCost.allCases {
                var w = start[0], b = start[1]
                var costs: [Double] = []
                for _ in 0..<epochs {
                    let a = 1 / (1 + PortableMath.exp(-(w * input + b)))
                    costs.append(cost.value(a, target: target))
                    let delta = cost.delta(a, target: target)
                    w -= eta * delta * input
                    b -= eta * delta
                }
                try run.metric(cost.metric(from: start), costs, description: "cost before each epoch")
            }
        }
    }
}

/// The toy's two costs for a sigmoid output a and target y.
private enum NeuronCost: String, CaseIterable {
    case quadratic, crossEntropy = "cross_entropy"

    var label: String { self == .quadratic ? "quadratic" : "cross-entropy" }
    func value(_ a: Double, target y: Double) -> Double {
        self == .quadratic ? (a - y) * (a - y) / 2 : -(y * PortableMath.log(a) + (1 - y) * PortableMath.log(1 - a))
    }
    /// dC/dz: quadratic (a - y) sigma'(z); cross-entropy (a - y).
    func delta(_ a: Double, target y: Double) -> Double { self == .quadratic ? (a - y) * a * (1 - a) : a - y }
    /// The cost per epoch from a start (w0, b0): recorded and read by this name.
    func metric(from start: [Double]) -> Metric { Metric("cost_\(rawValue)_from_\(start[0])_\(start[1])") }
}
