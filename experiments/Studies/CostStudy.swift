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

    Text("""
    Seed 003's toy: one sigmoid neuron with input 1 and target 0, gradient descent with learning rate \
    0.15 for 300 epochs, from (w, b) = (0.6, 0.9) and from (2.0, 2.0). Under the quadratic cost the \
    gradient carries the factor sigma'(z), tiny when the neuron starts saturated at (2, 2), so learning \
    starts slowly; cross-entropy's gradient is a - y and has no such factor.
    """)
    let neuron = Compute("neuron", summary: "one sigmoid neuron, 2 starts x 2 costs, 300 epochs",
                         config: ["method": "one_neuron", "eta": 0.15, "epochs": 300, "input": 1.0, "target": 0.0,
                                  "starts": [[0.6, 0.9], [2.0, 2.0]]]) { _, run in
        for (w0, b0) in [(0.6, 0.9), (2.0, 2.0)] {
            for cost in ["quadratic", "cross_entropy"] {
                var w = w0, b = b0
                var costs: [Double] = []
                for _ in 0..<300 {
                    let a = 1 / (1 + PortableMath.exp(-(w + b)))   // x = 1, y = 0
                    costs.append(cost == "quadratic" ? a * a / 2 : -PortableMath.log(1 - a))
                    // dC/dz: quadratic (a - y) sigma'(z); cross-entropy (a - y).
                    let delta = cost == "quadratic" ? a * a * (1 - a) : a
                    w -= 0.15 * delta
                    b -= 0.15 * delta
                }
                try run.metric(neuronCost(cost, w0, b0), costs, description: "cost before each epoch")
            }
        }
    }
    neuron
    Figure("neuron", title: "One sigmoid neuron learning to output 0: cost per epoch") { results in
        let run = try results.run(neuron)
        return .lines(LinePlot(xLabel: "epoch", yLabel: "cost", series: try [(0.6, 0.9), (2.0, 2.0)].flatMap { w0, b0 in
            try ["quadratic", "cross_entropy"].map { cost in
                Series(label: "\(cost == "quadratic" ? "quadratic" : "cross-entropy"), start (\(w0), \(b0))",
                       x: (0..<300).map(Double.init), y: try run.metric(neuronCost(cost, w0, b0)),
                       style: cost == "quadratic" ? .dashed : .lines)
            }
        }))
    }
    Table("Epochs until the cost falls below half its starting value") { results in
        let run = try results.run(neuron)
        return TableContent(columns: ["start (w, b)", "quadratic", "cross-entropy"], rows: try [(0.6, 0.9), (2.0, 2.0)].map { w0, b0 in
            ["(\(w0), \(b0))"] + (try ["quadratic", "cross_entropy"].map { cost in
                let costs = try run.metric(neuronCost(cost, w0, b0))
                return costs.firstIndex { $0 < costs[0] / 2 }.map(String.init) ?? "more than 300"
            })
        }, notes: ["Seed 003's picture: from (2, 2) the quadratic cost barely moves for the first epochs, cross-entropy falls at once."])
    }

    let epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs per training run")
    let images = TrainingImages(context)
    Text("""
    ## Which cost, in accuracy

    784-30-10 and 784-100-10 networks with sigmoid hidden units, mini-batch 10, \(epochs) epochs on \
    \(images.description): the quadratic cost (eta 3.0, as in Nielsen's chapter 1), \
    cross-entropy on sigmoid outputs (eta 0.5), cross-entropy with L2 (lambda 5, eta 0.5) and a softmax \
    output with log-likelihood (eta 0.5). Weights N(0, 1/n_in), biases N(0, 1).
    """)
    if let caveat = images.caveat { Text(caveat) }
    let networks = [30, 100].map { hidden in
        (hidden: hidden, runs: costSettings.map { cost in
            let step = Train("mlp\(hidden)-\(cost.step)", model: .mlp([784, hidden, 10], .sigmoid, activateOutput: cost.loss != .softmaxLogLikelihood),
                             data: images.source, split: images.split, loss: cost.loss, weights: .nielsen, biases: .gaussian(std: 1),
                             optimizer: Optimizer(learningRate: cost.eta, regularization: cost.l2.map { .l2(lambda: $0) } ?? .none),
                             epochs: epochs, batchSize: 10, seed: seed)
            return (cost: cost, step: step)
        })
    }
    for network in networks { network.runs.map(\.step) }
    Reproductions("Test error (%) beside seed 003's table") { results in
        try zip(networks, [["5.53", "4.86", "4.03"], ["3.74", "3.00", "2.56"]]).flatMap { network, book in
            try zip(network.runs.prefix(3), book).map { run, text in
                let error = 100 * (1 - (try results.run(run.step).final(.testAccuracy)))
                return Reproduction("784-\(network.hidden)-10, \(run.cost.label): test error (%)", source: "seed 003",
                                    text: Double(text)!, ours: [error], tolerance: .twoStandardErrors(percent: Double(text)!, images: 10000))
            }
        }
    }
    Text { results in
        "Nielsen trains on the first 50,000 MNIST training digits and tests on the 10,000 test digits; these runs train on "
            + "\(images.description). L2's lambda / n uses our training set size n, as network2.py does, so lambda 5 "
            + "regularises more strongly on fewer digits. The softmax output has no number in the text; ours: "
            + (try networks.map { network in
                let softmax = network.runs.first { $0.cost.loss == .softmaxLogLikelihood }!.step
                return "784-\(network.hidden)-10 \(String(format: "%.2f", 100 * (1 - (try results.run(softmax).final(.testAccuracy)))))%"
            }.joined(separator: ", ")) + "."
    }
    Figure("accuracy", title: "Test accuracy per epoch for each cost (784-30-10 and 784-100-10)") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try networks.flatMap { network in
            try network.runs.map { cost, step in
                let run = try results.run(step)
                return Series(label: "784-\(network.hidden)-10, \(cost.label)", x: try run.metric(.epoch), y: try run.metric(.testAccuracy),
                              style: network.hidden == 30 ? .dashed : .linesPoints)
            }
        }))
    }
}

private let costSettings: [(step: String, label: String, loss: Loss, eta: Double, l2: Double?)] = [
    ("quadratic", "quadratic", .quadratic, 3.0, nil),
    ("cross-entropy", "cross-entropy", .crossEntropy, 0.5, nil),
    ("cross-entropy-l2", "cross-entropy + L2", .crossEntropy, 0.5, 5),
    ("softmax", "softmax log-likelihood", .softmaxLogLikelihood, 0.5, nil),
]

/// The one-neuron toy's cost per epoch under `cost` from the start (w0, b0): recorded and read by this name.
private func neuronCost(_ cost: String, _ w0: Double, _ b0: Double) -> Metric { Metric("cost_\(cost)_from_\(w0)_\(b0)") }
