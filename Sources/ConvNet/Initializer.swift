/// How parameters start (REFERENCE.md, "Weight initialisation").
public enum Initializer: Hashable, Sendable {
    /// N(0, std^2): seed 001's `randn * scale`, seed 000's N(0,1) * 0.1.
    case gaussian(std: Double)
    /// U(-limit, limit).
    case uniform(limit: Double)
    /// Glorot and Bengio: N(0, 2 / (fan_in + fan_out)).
    case xavierNormal
    /// Glorot and Bengio: U(-sqrt(6 / (fan_in + fan_out)), +...).
    case xavierUniform
    /// He et al.: N(0, 2 / fan_in), for ReLU.
    case he
    /// Nielsen's network2.py: N(0, 1 / fan_in) (seed 001's "Xavier" 1/sqrt(fan_in) too).
    case nielsen
    case constant(Double)

    func fill(_ parameter: Parameter, random: inout RandomStream) {
        let fanIn = Double(parameter.fanIn), fanOut = Double(parameter.fanOut)
        for i in 0..<parameter.count {
            let value: Double
            switch self {
            case .gaussian(let std): value = std * random.gaussian()
            case .uniform(let limit): value = limit * (2 * random.uniform() - 1)
            case .xavierNormal: value = (2 / (fanIn + fanOut)).squareRoot() * random.gaussian()
            case .xavierUniform: value = (6 / (fanIn + fanOut)).squareRoot() * (2 * random.uniform() - 1)
            case .he: value = (2 / fanIn).squareRoot() * random.gaussian()
            case .nielsen: value = (1 / fanIn).squareRoot() * random.gaussian()
            case .constant(let c): value = c
            }
            parameter.value[i] = Float(value)
        }
    }
}
