import Foundation

/// The epoch after which an accuracy curve stops improving, by a rule stated before any curve
/// is read: the first epoch whose `window`-epoch trailing mean comes within one binomial
/// standard error (on `images` test images) of the best such mean. The trailing mean keeps
/// one lucky epoch from counting; within one standard error the test set cannot tell the two
/// apart.
public struct PlateauRule: Sendable {
    public let window: Int
    public let images: Int

    public init(window: Int, images: Int) {
        (self.window, self.images) = (window, images)
    }

    /// The epoch (from 1); a curve shorter than the window gives its length.
    public func epoch(_ accuracy: [Double]) -> Int {
        guard window > 0, accuracy.count >= window else { return accuracy.count }
        let means = (window...accuracy.count).map { end in accuracy[(end - window)..<end].reduce(0, +) / Double(window) }
        let best = means.max()!, standardError = (best * (1 - best) / Double(images)).squareRoot()
        return means.firstIndex { $0 >= best - standardError }! + window
    }

    public var description: String {
        "the first epoch whose \(window)-epoch trailing mean is within one standard error (\(images) test images) of its best"
    }
}
