public enum PlotError: Error, CustomStringConvertible, Equatable {
    case gnuplotMissing
    /// `message` is one line: the first meaningful line of gnuplot's stderr.
    case gnuplotFailed(figure: String, message: String)
    case invalidFigure(figure: String, reason: String)

    public var description: String {
        switch self {
        case .gnuplotMissing:
            return "gnuplot not found on PATH: figures skipped (install it with scripts/setup.sh)"
        case let .gnuplotFailed(figure, message):
            return "figure \(figure): gnuplot failed: \(message)"
        case let .invalidFigure(figure, reason):
            return "figure \(figure): \(reason)"
        }
    }
}
