import Foundation
import Notebook

/// Seed 003's second half (REFERENCE.md, "Hyper-parameters and momentum (003)"): Nielsen's
/// heuristics for choosing the learning rate, the epochs, the schedule, lambda and the
/// mini-batch size, the broad strategy of a reduced problem, momentum, and tanh and ReLU
/// hidden neurons against sigmoid. Every choice is made on held-out validation images.
let hyperparameterStudy = Study(
    "hyperparameter-study",
    title: "Choosing hyper-parameters: learning rate, early stopping, schedule, lambda, mini-batch size, momentum, neuron types",
    summary: "seed 003's heuristics on 784-30-10 and 784-100-10, every choice made on validation images"
) { context in
    let recipe = Recipe(context)

    Text("""
    Nielsen's network2.py setting throughout: 784-30-10 sigmoid neurons, cross-entropy, weights \
    N(0, 1/n_in), mini-batch 10, L2 with lambda \(formatNumber(recipe.lambda)) (the text's 5 for 50,000 \
    images, scaled by its rule eta*lambda/n = eta*lambda'/n' to these \(recipe.n)), on \(recipe.images.description): \
    its last \(recipe.validation) training images are held out as validation images and every choice below is \
    made on them; the test images are only reported.
    """)
    let rule = recipe.learningRateRule()
    recipe.learningRate(rule)
    let maxEpochs = recipe.maxEpochs()
    recipe.earlyStopping(maxEpochs: maxEpochs)
    recipe.schedule(maxEpochs: maxEpochs)
    recipe.lambdaSearch(rule)
    let reducedTrain = recipe.reducedTrain()
    recipe.weightDecay(reducedTrain: reducedTrain)
    recipe.broadStrategy(reducedTrain: reducedTrain)
    recipe.miniBatch()
    let hiddenSizes = recipe.hiddenSizes()
    recipe.momentum(hiddenSizes: hiddenSizes)
    recipe.neuronTypes(hiddenSizes: hiddenSizes)
}

/// The study's sections, in the text's order; each reads the shared setting (`images`, `n`,
/// `epochs`, `eta`, `lambda`, `validation`) from the recipe.
private extension Recipe {
    /// The learning-rate sweep and the rule that judges it (section 4 reads its verdicts too).
    func learningRateRule() -> LearningRateRule {
        let etas = context.parameter("etas", quick: [0.025, 0.25, 2.5], standard: [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                                     full: [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0], help: "learning rates of the sweep (the text draws 0.025, 0.25 and 2.5)")
        let firstEpochs = context.parameter("first_epochs", quick: 3, standard: 5, full: 5,
                                            help: "the first epochs, from each of which to the next the training cost must fall")
        let textSeeds = context.parameter("text_seeds", quick: 1, standard: 1, full: 5,
                                          help: "runs of each eta the text judges (0.25, 2.5), each from its own seed: their rows need every seed to agree")
        return LearningRateRule(rates: Sweep.grid("eta", rate.over(etas)), firstEpochs: firstEpochs, epochs: epochs, textSeeds: textSeeds)
    }

    /// A reading of the text's figure: the eta and what the text says its cost does.
    typealias TextRate = (eta: Double, falls: Bool, says: String)
    static let textRates: [TextRate] = [(0.25, true, "falls at once"), (2.5, false, "is too big")]

    // MARK: 1. The learning rate from the training cost
    @StudyBuilder
    func learningRate(_ rule: LearningRateRule) -> [any StudyStep] {
        let rateRun = { (name: String, eta: Double, runSeed: UInt64) in
            train(name, optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                  epochs: epochs, evaluateTrainingSet: true, seed: runSeed)
        }
        // Each eta the text judges runs from more seeds, so its row is not the luck of one run;
        // the first seed's run is the sweep's own.
        let repeats = Recipe.textRates.compactMap { text -> (text: TextRate, runs: [Train])? in
            guard let point = rule.rates.points.first(where: { $0[rate] == text.eta }) else { return nil }
            return (text, Sweep.repeats(point.name, count: rule.textSeeds, base: UInt64(seed)) { rateRun($0, point[rate], $1) })
        }
        rule.rates.steps { point in rateRun(point.name, point[rate], UInt64(seed)) }
        for entry in repeats { Array(entry.runs.dropFirst()) }
        Text("""
        ## The learning rate, read from the training cost

        The text's first step: find the eta at which the cost on the training data falls at once \
        instead of oscillating or rising; in its figure eta = 2.5 is too big. The rule applied here: \
        the training cost (the whole training set after each epoch, L2 term included, as network2.py \
        reports it) falls from each epoch to the next over the first \(rule.firstEpochs) epochs. The etas \
        the text judges (\(Recipe.textRates.map { String(format: "%g", $0.eta) }.joined(separator: " and "))) run \
        from \(rule.textSeeds) seed(s) each, and their rows below need every seed to agree with the text.
        """)
        Figure("learning-rate", title: "Training cost per epoch for each eta") { results in
            .lines(LinePlot(xLabel: "epoch", yLabel: "training cost", logY: true, series: try rule.rates.runs(in: results).map { point, run in
                Series(label: "eta = \(formatNumber(point[rate]))", x: try run.metric(.epoch), y: try trainingCost(run, lambda: lambda, n: n), style: .linesPoints)
            }))
        }
        Table("Does the training cost fall at once?") { results in
            let rows = try rule.rates.runs(in: results).map { point, run in (point[rate], try trainingCost(run, lambda: lambda, n: n)) }
            let steady = rows.filter { fallsEveryEpoch($0.1, over: rule.firstEpochs) }.map(\.0)
            return TableContent(columns: ["eta", "cost after epoch 1", "after epoch \(rule.firstEpochs)", "last", "falls epoch to epoch over the first \(rule.firstEpochs)"],
                                rows: rows.map { eta, cost in
                [.number(eta), .number(cost.first, missing: "-"), .number(cost.count >= rule.firstEpochs ? cost[rule.firstEpochs - 1] : nil, missing: "-"),
                 .number(cost.last, missing: "-"),
                 rule.fallsAtOnce(cost).map { $0 ? "yes" : "no" } ?? "not judged"]
            }, notes: [epochs < rule.firstEpochs ? "The rule needs \(rule.firstEpochs) epochs and these runs train \(epochs): not judged."
                       : steady.max().map { "The largest eta whose cost falls at once: \(formatNumber($0)); the text's threshold lies between 0.25 and 2.5." }
                       ?? "No eta of the sweep passes the rule."])
        }
        Reproductions("The text's learning-rate figure") { results in
            try repeats.map { text, runs in
                let falls = try runs.map { fallsEveryEpoch(try trainingCost(try results.run($0), lambda: lambda, n: n), over: rule.firstEpochs) }
                return Reproduction("eta = \(String(format: "%g", text.eta)) on 784-30-10, lambda \(formatNumber(lambda)): the training cost falls from each epoch to the next over the first \(rule.firstEpochs) (1 yes, 0 no, per seed; the text: \(text.says))",
                                    source: "seed 003", quote: "cost must be gradually decreased. (η=2.5 is not, which means too big!)",
                                    text: text.falls ? 1 : 0, ours: falls.map { $0 ? 1 : 0 }, over: "seeds", kind: .trained,
                                    tolerance: .absolute(0, because: "a yes-or-no reading of each seed's curve by the stated rule: every seed must agree with the text"),
                                    blockedBy: epochs >= rule.firstEpochs ? nil : "needs at least \(rule.firstEpochs) epochs")
            }
        }
        Text { results in
            // Where a seed's curve breaks the rule: the first rise, so a miss shows its cause.
            let rises = try repeats.flatMap { text, runs in
                try runs.enumerated().compactMap { index, step -> String? in
                    let run = try results.run(step)
                    let cost = try trainingCost(run, lambda: lambda, n: n), loss = try run.metric(.trainEvalLoss)
                    guard let epoch = (1..<min(rule.firstEpochs, cost.count)).first(where: { cost[$0] >= cost[$0 - 1] }) else { return nil }
                    return String(format: "eta %g, seed %d: from epoch %d to %d the cost went %.4f to %.4f (the loss %.4f to %.4f, the L2 term %.4f to %.4f)",
                                  text.eta, index, epoch, epoch + 1, cost[epoch - 1], cost[epoch], loss[epoch - 1], loss[epoch],
                                  cost[epoch - 1] - loss[epoch - 1], cost[epoch] - loss[epoch])
                }
            }
            guard epochs >= rule.firstEpochs else { return "" }
            return rises.isEmpty ? "Every seed's training cost fell from each epoch to the next over the first \(rule.firstEpochs)."
                : "Where a seed's training cost did not fall (its first rise): \(rises.joined(separator: "; "))."
        }
    }

    func maxEpochs() -> Int {
        return context.parameter("max_epochs", quick: 6, standard: 200, full: 200, help: "the most epochs of the early-stopped and scheduled runs")
    }

    // MARK: 2. Early stopping
    @StudyBuilder
    func earlyStopping(maxEpochs: Int) -> [any StudyStep] {
        let patiences = context.parameter("patiences", quick: [1, 2], standard: [10, 20, 50], full: [10, 20, 50],
                                          help: "patience of each no-improvement-in-n rule (the text: 10, then 20, then 50)")
        let rules = Sweep.grid("stop", patience.over(patiences))
        rules.steps { point in
            train(point.name, optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                  epochs: maxEpochs, earlyStopping: EarlyStopping(patience: point[patience]))
        }
        Text("""
        ## Early stopping

        After every epoch the validation accuracy is measured; rule 1 stops when it has not improved \
        for 10 epochs, and the text's rule 2 lengthens the patience as one learns how the network \
        trains: 20, then 50. Each rule here is a real run with eta = \(formatNumber(eta)), at most \(maxEpochs) epochs.
        """)
        Table("What each no-improvement-in-n rule trains") { results in
            TableContent(columns: ["rule", "epochs trained", "best validation accuracy (epoch)", "test accuracy at that epoch", "test accuracy at the stop"],
                         rows: try rules.runs(in: results).map { point, run in
                let validated = try run.metric(.validationAccuracy), tested = try run.metric(.testAccuracy)
                let best = validated.indices.max { validated[$0] < validated[$1] }!
                return ["no-improvement-in-\(point[patience])", "\(validated.count)",
                        "\(formatNumber(validated[best])) (\(best + 1))", .number(tested[best]), .number(tested.last!)]
            }, notes: ["A run that reaches \(maxEpochs) epochs was not stopped by its rule."])
        }
        Figure("early-stopping", title: "Validation accuracy per epoch, and where each rule stops") { results in
            // The rules' runs agree epoch by epoch until they stop: the longest shows them all.
            let runs = try rules.runs(in: results).map { point, run in (point[patience], try run.metric(.validationAccuracy)) }
            let longest = runs.max { $0.1.count < $1.1.count }!.1
            return .lines(LinePlot(xLabel: "epoch", yLabel: "validation accuracy",
                                   series: [Series(label: "eta \(formatNumber(eta)), constant", x: (1...longest.count).map(Double.init),
                                                   y: longest, style: .lines)],
                                   verticalMarkers: runs.map { patience, accuracy in
                Marker(x: Double(accuracy.count), label: "no-improvement-in-\(patience) stops")
            }))
        }
    }

    // MARK: 3. The learning-rate schedule
    @StudyBuilder
    func schedule(maxEpochs: Int) -> [any StudyStep] {
        let schedulePatience = context.parameter("schedule_patience", quick: 1, standard: 10, full: 10,
                                                 help: "epochs without a better validation accuracy before eta is halved")
        let scheduled = train("schedule", optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                              epochs: maxEpochs, schedule: .halveOnPlateau(patience: schedulePatience, floor: 1.0 / 1024))
        let constant = train("constant", optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                             epochs: maxEpochs)
        Text("""
        ## The learning-rate schedule

        The text's schedule: hold eta until the validation accuracy stops improving (here: for \
        \(schedulePatience) epochs), halve it, and stop at 1/1024 of where it started (here: when the \
        plateau at 1/1024 ends, since the next halving would go below it); beside \
        it the same network at a constant eta = \(formatNumber(eta)) for all \(maxEpochs) epochs.
        """)
        scheduled
        constant
        Figure("schedule", title: "eta (above) and validation accuracy (below): halving on plateaus against a constant eta",
               width: 800, height: 720) { results in
            let runs = [(try results.run(scheduled), "halved on plateaus"), (try results.run(constant), "constant")]
            return panels([
                (title: "eta", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "eta", logY: true, series: try runs.map { run, label in
                    Series(label: label, x: try run.metric(.epoch), y: try run.metric(.learningRate), style: .linesPoints)
                }))),
                (title: "validation accuracy", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "validation accuracy", series: try runs.map { run, label in
                    Series(label: label, x: try run.metric(.epoch), y: try run.metric(.validationAccuracy), style: .lines)
                }))),
            ], columns: 1)
        }
        Table("The schedule against a constant eta") { results in
            TableContent(columns: ["eta", "epochs", "how it ended", "best validation accuracy", "final test accuracy"],
                         rows: try [(scheduled, "halved on plateaus"), (constant, "constant")].map { step, label in
                let run = try results.run(step)
                return [.text(label), "\(try run.metric(.epoch).count)", .text(run.attribute(.stopReason) ?? "all epochs"),
                        .number(try run.best(.validationAccuracy)), .number(try run.final(.testAccuracy))]
            })
        }
    }

    // MARK: 4. lambda on validation data, then eta again
    @StudyBuilder
    func lambdaSearch(_ rule: LearningRateRule) -> [any StudyStep] {
        let lambdas = context.parameter("lambdas", quick: [1.0, 10.0], standard: [0.1, 1.0, 10.0, 100.0], full: [0.1, 1.0, 10.0, 100.0],
                                        help: "lambdas of the validation search (the text: start at 1.0, move by factors of 10)")
        let refinedEtas = context.parameter("refined_etas", quick: [0.25, 0.5], standard: [0.25, 0.5, 1.0], full: [0.25, 0.5, 1.0],
                                            help: "learning rates re-tried once lambda is chosen")
        let search = Sweep.grid("search", rate.over(refinedEtas), strength.over(lambdas))
        search.steps { point in
            train(point.name, optimizer: Optimizer(learningRate: point[rate], regularization: .l2(lambda: point[strength])), epochs: epochs)
        }
        Text("""
        ## lambda by validation, then eta again

        With eta chosen, the text tries lambda = 1.0 on the validation data and moves by factors of 10, \
        then returns to re-optimise eta. Here the search starts from eta = \(formatNumber(eta)), the \
        value every other part uses (Nielsen's for this network), not from the sweep above. Every pair \
        below is one run of \(epochs) epochs; the choice reads the best validation accuracy of each.
        """)
        Text { results in
            guard let point = rule.rates.points.first(where: { $0[rate] == eta }) else {
                return "eta = \(formatNumber(eta)) is not in the learning-rate sweep above, so the rule has not judged it."
            }
            guard let falls = rule.fallsAtOnce(try trainingCost(try results.run(point), lambda: lambda, n: n)) else {
                return "The rule needs \(rule.firstEpochs) epochs and these runs train \(epochs), so it has not judged eta = \(formatNumber(eta))."
            }
            return "In the sweep above, eta = \(formatNumber(eta)) \(falls ? "passes" : "fails") the rule (its training cost "
                + "\(falls ? "falls" : "does not fall") from each epoch to the next over the first \(rule.firstEpochs))."
        }
        Figure("lambda-search", title: "Best validation accuracy for each eta and lambda") { results in
            let best = { (e: Double, l: Double) in try results.run(search.point(rate.at(e), strength.at(l))).best(.validationAccuracy) }
            return .heatmap(Heatmap(values: try refinedEtas.map { e in try lambdas.map { try best(e, $0) } },
                                    rowLabels: refinedEtas.map { formatNumber($0) }, columnLabels: lambdas.map { formatNumber($0) },
                                    xLabel: "lambda", yLabel: "eta", annotate: true, colorBarLabel: "best validation accuracy"))
        }
        Text { results in
            let runs = try search.runs(in: results).map { point, run in (eta: point[rate], lambda: point[strength], accuracy: try run.best(.validationAccuracy)) }
            let firstEta = refinedEtas.min { abs($0 - eta) < abs($1 - eta) }!
            let chosenLambda = runs.filter { $0.eta == firstEta }.max { $0.accuracy < $1.accuracy }!.lambda
            let chosen = runs.filter { $0.lambda == chosenLambda }.max { $0.accuracy < $1.accuracy }!
            return "At eta = \(formatNumber(firstEta)) the validation images choose lambda = \(formatNumber(chosenLambda)); "
                + "with that lambda, eta = \(formatNumber(chosen.eta)) validates best (\(formatNumber(chosen.accuracy)))."
        }
    }

    /// The text's rule on a reduced training set: the same decay per step keeps the weights alike.
    func reducedTrain() -> Int {
        let reducedFraction = context.parameter("reduced_fraction", default: 0.2, help: "share of the training images in the reduced problem")
        return max(1, Int(Double(n) * reducedFraction))
    }

    // The weight decay per step on the reduced problem.
    @StudyBuilder
    func weightDecay(reducedTrain: Int) -> [any StudyStep] {
        let decayRuns = [(name: "decay-all", train: n, lambda: lambda, label: "n = \(n), lambda \(formatNumber(lambda))"),
                         (name: "decay-reduced-scaled", train: reducedTrain, lambda: lambda * Double(reducedTrain) / Double(n),
                          label: "n' = \(reducedTrain), lambda' = lambda n'/n"),
                         (name: "decay-reduced-same", train: reducedTrain, lambda: lambda, label: "n' = \(reducedTrain), lambda unchanged")]
        let decaySteps = decayRuns.map { setting in
            train(setting.name, optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: setting.lambda)),
                  epochs: epochs * n / setting.train, trainCount: setting.train)
        }
        decaySteps
        Text("""
        The text's rule for shrinking the problem, eta*lambda/n = eta*lambda'/n': on \(reducedTrain) \
        training images, lambda scaled by n'/n decays the weights as much per mini-batch as lambda does \
        on all \(n); unchanged, it decays them \(String(format: "%g", Double(n) / Double(reducedTrain))) times harder. \
        Each run takes the same number of mini-batch steps.
        """)
        Figure("weight-decay", title: "Norm of the hidden layer's weights against mini-batch steps") { results in
            .lines(LinePlot(xLabel: "mini-batch steps", yLabel: "||W|| of the hidden layer", series: try zip(decayRuns, decaySteps).map { setting, step in
                let run = try results.run(step)
                let stepsPerEpoch = Double((setting.train + 9) / 10)
                return Series(label: setting.label, x: try run.metric(.epoch).map { $0 * stepsPerEpoch },
                              y: try run.metric(.weightNorm(layer: 0)), style: .lines)
            }))
        }
    }

    // MARK: 5. Broad strategy: a reduced problem first
    @StudyBuilder
    func broadStrategy(reducedTrain: Int) -> [any StudyStep] {
        let reducedEpochs = context.parameter("reduced_epochs", quick: 3, standard: 10, full: 10, help: "epochs of the reduced problem")
        let reduced = train("reduced-0-1", model: ModelSpec.mlp([images.inputs, 2], .sigmoid),
                            optimizer: Optimizer(learningRate: eta), epochs: reducedEpochs,
                            trainCount: reducedTrain, classes: [0, 1])
        let fullProblem = train("full-problem", optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                                epochs: min(epochs, 5))
        Text("""
        ## Broad strategy: get any learning, fast

        The text's tip: shrink the problem for quick feedback. Only the digits 0 and 1 of \
        \(reducedTrain) of the training images, no hidden layer (784-2), against the full problem (784-30-10, \
        all ten digits, \(n) images). Validation accuracy against the seconds spent training.
        """)
        reduced
        fullProblem
        Figure("broad-strategy", title: "Validation accuracy against elapsed seconds: the reduced problem and the full one") { results in
            .lines(LinePlot(xLabel: "seconds of training", yLabel: "validation accuracy", logX: true, series: try [(reduced, "0 and 1 only, 784-2"), (fullProblem, "all digits, 784-30-10")].map { step, label in
                let run = try results.run(step)
                return Series(label: label, x: cumulative(try run.timing(.epochSeconds)), y: try run.metric(.validationAccuracy), style: .linesPoints)
            }))
        }
        Table("Seconds to non-trivial learning") { results in
            TableContent(columns: ["problem", "chance", "validation accuracy after one epoch", "seconds per epoch"],
                         rows: try [(reduced, "0 and 1 only, 784-2", 0.5), (fullProblem, "all digits, 784-30-10", 0.1)].map { step, label, chance in
                let run = try results.run(step), seconds = try run.timing(.epochSeconds)
                return [.text(label), .number(chance), .number(try run.metric(.validationAccuracy)[0]),
                        .number(seconds.reduce(0, +) / Double(seconds.count), format: .significant(2))]
            }, notes: ["Wall-clock seconds of this machine; the accuracies are the stored runs'."])
        }
    }

    // MARK: 6. Mini-batch size, chosen last by validation accuracy against real time
    @StudyBuilder
    func miniBatch() -> [any StudyStep] {
        let batchSizes = context.parameter("batch_sizes", quick: [1, 10, 100], standard: [1, 10, 100, 1000], full: [1, 10, 100, 1000],
                                           help: "mini-batch sizes compared against elapsed time")
        let batchEpochs = context.parameter("batch_epochs", quick: 2, standard: 10, full: 10, help: "epochs of each mini-batch size")
        let batches = Sweep.grid("batch", batchSize.over(batchSizes))
        batches.steps { point in
            train(point.name, optimizer: Optimizer(learningRate: eta, regularization: .l2(lambda: lambda)),
                  epochs: batchEpochs, batchSize: point[batchSize])
        }
        Text("""
        ## Mini-batch size

        Chosen last, the text says, by validation accuracy against real elapsed time: too small and \
        the matrix libraries idle, too large and the weights are updated too rarely. Same eta \
        \(formatNumber(eta)) for every size (the cost is a mean over the mini-batch).
        """)
        Figure("mini-batch", title: "Validation accuracy against elapsed seconds for each mini-batch size") { results in
            .lines(LinePlot(xLabel: "seconds of training", yLabel: "validation accuracy", logX: true, series: try batches.runs(in: results).map { point, run in
                Series(label: "mini-batch \(point[batchSize])", x: cumulative(try run.timing(.epochSeconds)),
                       y: try run.metric(.validationAccuracy), style: .linesPoints)
            }))
        }
    }

    func hiddenSizes() -> [Int] {
        return context.parameter("hidden", quick: [30], standard: [30, 100], full: [30, 100], help: "hidden neurons of the momentum and neuron-type runs")
    }

    // MARK: 7. Momentum
    @StudyBuilder
    func momentum(hiddenSizes: [Int]) -> [any StudyStep] {
        let target = context.parameter("target", quick: 0.5, standard: 0.9, full: 0.95, help: "validation accuracy counted as reached in the momentum table")
        let momenta = Choices.grid("momentum", "method", [
            Choice("mu=0 (SGD)", Optimizer.Method.sgd), Choice("mu=0.5", .momentum(0.5)), Choice("mu=0.9", .momentum(0.9)),
            Choice("Nesterov mu=0.9", .nesterov(0.9)),
        ], crossedWith: hiddenUnits.over(hiddenSizes))
        momenta.steps { point, method in
            train(point.name, model: ModelSpec.mlp([images.inputs, point[hiddenUnits], 10], .sigmoid),
                  optimizer: Optimizer(learningRate: eta, method: method, regularization: .l2(lambda: lambda)), epochs: epochs)
        }
        Text("""
        ## Momentum

        v -> mu v - eta grad C, w -> w + v: mu is the friction (0 is plain SGD), against the baseline \
        for n = \(hiddenSizes.map(String.init).joined(separator: " and ")) hidden neurons, the same eta \(formatNumber(eta)). \
        Where the gradient keeps its direction the velocity grows to eta/(1 - mu) times it: at the \
        same eta, mu = 0.9 steps up to ten times further than plain SGD. The L2 term's weight decay is \
        applied to the weights directly at each step, outside the velocity.
        """)
        Figure("momentum", title: "Validation accuracy per epoch for each momentum", width: 1000, height: 500) { results in
            try validationCurvesByHiddenSize(momenta, hiddenSizes, results)
        }
        Table("Epochs to \(formatNumber(target)) validation accuracy") { results in
            TableContent(columns: ["method", "hidden", "epochs to target", "best validation accuracy", "final test accuracy"],
                         rows: try momenta.runs(in: results).map { point, _, run in
                let validated = try run.metric(.validationAccuracy)
                return [.text(point.option!.name), "\(point[hiddenUnits])", validated.firstIndex { $0 >= target }.map { "\($0 + 1)" } ?? "not reached",
                        .number(validated.max() ?? .nan), .number(try run.final(.testAccuracy))]
            })
        }
    }

    // MARK: 8. tanh and ReLU hidden neurons
    @StudyBuilder
    func neuronTypes(hiddenSizes: [Int]) -> [any StudyStep] {
        let neuronEtas = context.parameter("neuron_etas", default: [0.5, 0.1, 0.1],
                                           help: "learning rates of the sigmoid, tanh and ReLU networks (given, not searched: Nielsen's 0.5 for sigmoid, smaller for the unbounded units)")
        let sigmoidUnits = Choice("sigmoid", (activation: Activation.sigmoid, rate: neuronEtas[0]))
        let units = [sigmoidUnits, Choice("tanh", (activation: .tanh, rate: neuronEtas[min(1, neuronEtas.count - 1)])),
                     Choice("ReLU", (activation: .relu, rate: neuronEtas[min(2, neuronEtas.count - 1)]))]
        let neurons = Choices.grid("neurons", "hidden_units", units, crossedWith: hiddenUnits.over(hiddenSizes))
        neurons.steps { point, unit in
            train(point.name, model: .mlp([images.inputs, point[hiddenUnits], 10], unit.activation, output: .sigmoid),
                  optimizer: Optimizer(learningRate: unit.rate, regularization: .l2(lambda: lambda)), epochs: epochs,
                  recordUpdateSigns: true)
        }
        let signEpochs = context.parameter("sign_epochs", default: 1, help: "epochs of mini-batch 1 that measure the update signs sample by sample")
        let signs = Choices.grid("signs", "hidden_units", units)
        signs.steps { point, unit in
            train(point.name, model: .mlp([images.inputs, 30, 10], unit.activation, output: .sigmoid),
                  optimizer: Optimizer(learningRate: unit.rate, regularization: .l2(lambda: lambda)),
                  epochs: signEpochs, batchSize: 1, recordUpdateSigns: true)
        }
        Text("""
        ## tanh and ReLU hidden neurons

        The sigmoid hidden layer of the same network replaced by tanh or ReLU neurons (the output stays \
        sigmoid), each with a rate given to this study, not searched (\(neuronEtas.map { formatNumber($0) }.joined(separator: ", "))). \
        The text's argument for tanh: dC/dw_jk = delta_j a_k, and a sigmoid's a_k is always positive, so \
        for one sample every weight into output neuron j moves the way delta_j says. Measured: the share \
        of the weights into an output neuron whose update has that neuron's majority sign, over every \
        mini-batch of an epoch (1: all move together). With mini-batch 1 it is the text's per-sample \
        statement; with mini-batch 10 the samples' deltas mix.
        """)
        Figure("neuron-types", title: "Validation accuracy per epoch: sigmoid, tanh and ReLU hidden neurons", width: 1000, height: 500) { results in
            try validationCurvesByHiddenSize(neurons, hiddenSizes, results)
        }
        Table("Hidden neuron types: accuracy and how the weights into an output neuron move") { results in
            let perSample = try signs.runs(in: results).map { try $0.run.metric(.sameSign(layer: 2))[0] }
            return TableContent(columns: ["hidden units", "hidden", "eta", "best validation accuracy", "final test accuracy",
                                          "same-sign share, mini-batch 10 (first / last epoch)", "same-sign share, mini-batch 1"],
                                rows: try neurons.runs(in: results).map { point, unit, run in
                let shares = try run.metric(.sameSign(layer: 2))
                return [.text(point.option!.name), "\(point[hiddenUnits])", .number(unit.rate), .number(try run.best(.validationAccuracy)),
                        .number(try run.final(.testAccuracy)), "\(formatNumber(shares.first!)) / \(formatNumber(shares.last!))",
                        .number(point[hiddenUnits] == 30 ? perSample[point.index / hiddenSizes.count] : nil, missing: "")]
            }, notes: ["Same-sign share: for each output neuron, the share of its incoming weights whose update has its majority sign, "
                       + "averaged over the neurons and the epoch's mini-batches; zero updates are not counted."])
        }
        Reproductions("The text's argument for tanh neurons") { results in
            let sigmoid = try results.run(signs.points(of: sigmoidUnits)[0])
            return [Reproduction("sigmoid hidden units, one sample at a time: share of the weights into an output neuron that move in its majority direction",
                                 source: "seed 003", quote: "all weights to the same neuron must either increase together or decrease together",
                                 text: 1, ours: [try sigmoid.metric(.sameSign(layer: 2))[0]], over: "runs",
                                 kind: .check,
                                 tolerance: .absolute(0, because: "a sign argument: every update of the epoch must agree, exactly"))]
        }
    }
}


// The numbers the sweeps vary.
private let rate = Axis<Double>("eta")
private let strength = Axis<Double>("lambda")
private let patience = Axis<Int>("patience")
private let batchSize = Axis<Int>("size")
private let hiddenUnits = Axis<Int>("hidden")

/// The runs of this study share Nielsen's setting; each says only what it changes.
private struct Recipe {
    let context: StudyContext
    let images: TrainingImages
    /// The last training images, held out to choose on; `n` are left to train on.
    let validation: Int
    let n: Int
    let epochs: Int
    let eta: Double
    let lambda: Double
    var seed: UInt32 { context.seed }

    init(_ context: StudyContext) {
        self.context = context
        images = TrainingImages(context, fullTrain: 60000)
        validation = context.parameter("validation", quick: 200, standard: 1000, full: 10000,
                                       help: "the last training images, held out to choose on (Nielsen's validation_data: the last 10,000 of MNIST's 60,000)")
        n = images.trainCount - validation
        epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs of the fixed-length runs (the text: 30)")
        eta = context.parameter("eta", default: 0.5, help: "the learning rate of every run that does not sweep it (Nielsen's choice for 784-30-10)")
        // Nielsen's lambda 5 is for 50,000 training images; the text's own rule eta*lambda/n =
        // eta*lambda'/n' keeps the weight decay per step the same on other sizes.
        lambda = context.parameter("lambda", default: 5.0 * Double(n) / 50000,
                                   help: "L2's lambda (default: the text's 5 for 50,000 images, scaled to the training images by its rule)")
    }

    /// `trainCount`: train on only this many images (a split of `trainCount + validation`
    /// training images, whose last `validation` are held out as usual).
    func train(_ name: String, model: ModelSpec? = nil, optimizer: Optimizer, epochs: Int, batchSize: Int = 10,
               earlyStopping: EarlyStopping? = nil, schedule: LearningRateSchedule = .constant,
               evaluateTrainingSet: Bool = false, trainCount: Int? = nil, classes: [Int32]? = nil,
               recordUpdateSigns: Bool = false, seed runSeed: UInt64? = nil) -> Train {
        var split = images.split
        if let trainCount { split = TrainingImages.split(of: images.source, train: trainCount + validation, test: images.testCount, seed: seed) }
        return Train(name, model: model ?? ModelSpec.mlp([images.inputs, 30, 10], .sigmoid), data: images.source, split: split,
                     loss: .crossEntropy, weights: .nielsen, optimizer: optimizer, schedule: schedule, earlyStopping: earlyStopping,
                     monitor: earlyStopping != nil || schedule.watchesMetric ? .validationAccuracy : nil,
                     epochs: epochs, batchSize: batchSize, seed: runSeed ?? UInt64(seed), evaluateTrainingSet: evaluateTrainingSet,
                     validation: validation, classes: classes, recordUpdateSigns: recordUpdateSigns)
    }
}

/// The learning-rate sweep and its rule: the training cost falls from each epoch to the next
/// over the first `firstEpochs`.
private struct LearningRateRule {
    let rates: Sweep
    let firstEpochs: Int
    let epochs: Int
    /// Runs of each eta the text judges.
    let textSeeds: Int

    /// The rule's verdict on one run's training cost: nil when the runs are too short to judge.
    func fallsAtOnce(_ cost: [Double]) -> Bool? { epochs < firstEpochs ? nil : fallsEveryEpoch(cost, over: firstEpochs) }
}

/// One panel per hidden-layer size, one validation-accuracy curve per value of the choices.
private func validationCurvesByHiddenSize<Value>(_ choices: Choices<Value>, _ hiddenSizes: [Int], _ results: StudyResults) throws -> FigureKind {
    panels(try hiddenSizes.map { hidden in
        (title: "n = \(hidden)", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "validation accuracy",
            series: try choices.runs(in: results).filter { $0.point[hiddenUnits] == hidden }.map { point, _, run in
                Series(label: point.option!.name, x: try run.metric(.epoch), y: try run.metric(.validationAccuracy), style: .lines)
            })))
    }, columns: hiddenSizes.count)
}

/// network2.py's training cost: the loss on the whole training set plus the L2 term.
private func trainingCost(_ run: StoredRun, lambda: Double, n: Int) throws -> [Double] {
    try run.withL2Term(try run.metric(.trainEvalLoss), lambda: lambda, trainingSize: n)
}

/// The stated rule: over the first `epochs` epochs, each epoch's cost is below the one before.
private func fallsEveryEpoch(_ cost: [Double], over epochs: Int) -> Bool {
    cost.count >= epochs && (1..<epochs).allSatisfy { cost[$0] < cost[$0 - 1] }
}

/// Running totals: the seconds elapsed after each epoch.
private func cumulative(_ values: [Double]) -> [Double] {
    var total = 0.0
    return values.map { total += $0; return total }
}
