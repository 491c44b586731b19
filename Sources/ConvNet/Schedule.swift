import Foundation

/// How the learning rate changes from epoch to epoch.
public enum LearningRateSchedule: Hashable, Sendable {
    case constant
    /// Multiplies the rate by `factor` after every `every` epochs (step decay).
    case step(every: Int, factor: Double)
    /// Nielsen's schedule (chapter 3): halve the rate whenever the monitored metric has not
    /// improved for `patience` epochs; training ends once the rate would fall below `floor`
    /// times the starting rate (1/1024 by default).
    case halveOnPlateau(patience: Int, floor: Double = 1.0 / 1024)

    /// Whether the schedule reads the monitored metric (a plateau), rather than the epoch count.
    public var watchesMetric: Bool {
        if case .halveOnPlateau = self { return true }
        return false
    }
}

/// Stops training when the monitored metric has not improved for `patience` epochs
/// (Nielsen's "no-improvement-in-n").
public struct EarlyStopping: Hashable, Sendable {
    public var patience: Int
    public init(patience: Int) { self.patience = patience }
}

/// The per-epoch number that schedules and early stopping watch.
public enum Monitor: String, Hashable, Sendable {
    case testAccuracy = "test_accuracy", testLoss = "test_loss", trainLoss = "train_loss"
    /// The held-out validation images' accuracy: how the texts choose epochs and rates
    /// without looking at the test set (needs a validation set).
    case validationAccuracy = "validation_accuracy"

    /// Higher is better for accuracy, lower for losses.
    func score(_ value: Double) -> Double { self == .testAccuracy || self == .validationAccuracy ? value : -value }

    public var needsValidationSet: Bool { self == .validationAccuracy }

    /// Whether watching this metric would choose on the test set.
    public var readsTestSet: Bool { self == .testAccuracy || self == .testLoss }
}

/// Why training ended before its last epoch.
public enum StopReason: Equatable, Sendable, CustomStringConvertible {
    /// The loss became NaN or infinite.
    case diverged
    /// The monitored metric did not improve for the early-stopping patience.
    case noImprovement(epochs: Int)
    /// Halving on plateaus brought the rate below its floor.
    case learningRateFloor
    /// A mini-batch's loss exceeded the limit set for the trial (CS231n's "cost > 3 x the
    /// original cost": abort, the learning rate is too high).
    case lossAbove(limit: Double)

    public var description: String {
        switch self {
        case .diverged: return "diverged"
        case .noImprovement(let epochs): return "no improvement in \(epochs) epochs"
        case .learningRateFloor: return "learning rate below its floor"
        case .lossAbove(let limit): return String(format: "mini-batch loss above %.4g", limit)
        }
    }
}

/// The learning-rate schedule and early stopping, as one small state machine fed the
/// monitored metric after every epoch. Its state is part of a checkpoint.
public struct TrainingControl: Equatable, Sendable {
    public let startRate: Double
    public let schedule: LearningRateSchedule
    public let earlyStopping: EarlyStopping?
    public let monitor: Monitor
    /// The rate for the next epoch.
    public private(set) var rate: Double
    private var best = -Double.infinity
    private var sinceBest = 0
    /// Epochs since the best value or the last halving, whichever is later.
    private var sinceChange = 0

    public init(startRate: Double, schedule: LearningRateSchedule = .constant, earlyStopping: EarlyStopping? = nil,
                monitor: Monitor = .testAccuracy) {
        self.startRate = startRate
        self.schedule = schedule
        self.earlyStopping = earlyStopping
        self.monitor = monitor
        rate = startRate
    }

    /// Takes the monitored value after epoch `epoch` (from 1); returns why training must
    /// stop now, if it must, and otherwise sets `rate` for the next epoch.
    public mutating func endEpoch(_ epoch: Int, value: Double) -> StopReason? {
        let score = monitor.score(value)
        if score > best {
            best = score
            sinceBest = 0
            sinceChange = 0
        } else {
            sinceBest += 1
            sinceChange += 1
        }
        if let earlyStopping, sinceBest >= earlyStopping.patience { return .noImprovement(epochs: sinceBest) }
        switch schedule {
        case .constant:
            break
        case let .step(every, factor):
            rate = startRate * wholePower(factor, epoch / every)
        case let .halveOnPlateau(patience, floor):
            if sinceChange >= patience {
                guard rate / 2 >= startRate * floor else { return .learningRateFloor }
                rate /= 2
                sinceChange = 0
            }
        }
        return nil
    }

    /// The mutable part, as words for a checkpoint.
    var words: [UInt64] {
        [rate.bitPattern, best.bitPattern, UInt64(sinceBest), UInt64(sinceChange)]
    }

    mutating func restore(words: [UInt64]) -> Bool {
        guard words.count == 4 else { return false }
        rate = Double(bitPattern: words[0])
        best = Double(bitPattern: words[1])
        sinceBest = Int(words[2])
        sinceChange = Int(words[3])
        return true
    }
}
