import Datasets

/// How pixel values reach the network. Seed 001 normalises inputs as
/// `X -= mean(X, axis=0); X /= std(X, axis=0)` and warns to normalise the test set with the
/// training set's mean and variance, not its own.
public enum InputScaling: String, Hashable, Sendable, CaseIterable {
    /// Pixels in 0..1: the files' bytes divided by 255, as every loader here gives them.
    case unit
    /// The raw bytes, 0..255.
    case raw
    /// Per pixel, minus the training images' mean and divided by their standard deviation;
    /// validation and test images with the training images' statistics.
    case standardised
    /// As `standardised`, but every set with its own statistics: the mistake the text warns of.
    case standardisedWithOwnStatistics = "standardised_with_own_statistics"

    /// Scales the training, test and validation images in place.
    func apply(to selection: inout DataSplit.Selection, validation: inout ImageSet?) {
        switch self {
        case .unit:
            return
        case .raw:
            for i in selection.train.pixels.indices { selection.train.pixels[i] *= 255 }
            for i in selection.test.pixels.indices { selection.test.pixels[i] *= 255 }
            if var set = validation {
                for i in set.pixels.indices { set.pixels[i] *= 255 }
                validation = set
            }
        case .standardised:
            let statistics = PixelStatistics(selection.train)
            statistics.standardise(&selection.train)
            statistics.standardise(&selection.test)
            if var set = validation { statistics.standardise(&set); validation = set }
        case .standardisedWithOwnStatistics:
            PixelStatistics(selection.train).standardise(&selection.train)
            PixelStatistics(selection.test).standardise(&selection.test)
            if var set = validation { PixelStatistics(set).standardise(&set); validation = set }
        }
    }
}

/// Each pixel's mean and standard deviation over a set of images, in float64.
private struct PixelStatistics {
    let mean: [Double], std: [Double]

    init(_ images: ImageSet) {
        let size = images.pixelsPerImage, count = Double(max(images.count, 1))
        var sum = [Double](repeating: 0, count: size), squares = sum
        for image in 0..<images.count {
            for k in 0..<size {
                let x = Double(images.pixels[image * size + k])
                sum[k] += x
                squares[k] += x * x
            }
        }
        mean = sum.map { $0 / count }
        std = zip(squares, mean).map { max($0 / count - $1 * $1, 0).squareRoot() }
    }

    /// A pixel that never varies (MNIST's borders are always 0) is only centred: numpy's
    /// division by its zero std would make it NaN.
    func standardise(_ images: inout ImageSet) {
        let size = images.pixelsPerImage
        for i in images.pixels.indices {
            let k = i % size
            images.pixels[i] = Float((Double(images.pixels[i]) - mean[k]) / (std[k] > 0 ? std[k] : 1))
        }
    }
}
