import CKernels
import Foundation

/// The engine's random numbers: xoshiro256** seeded through SplitMix64, one independent
/// stream per purpose, so initial weights, shuffling, dropout and augmentation never
/// consume each other's numbers, whatever order or thread they run in.
public struct RandomStream: Sendable {
    public enum Purpose: UInt64, Sendable { case initialization = 1, shuffling, dropout, augmentation, inputs, search }

    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64, purpose: Purpose) {
        var x = seed ^ (purpose.rawValue &* 0x9E37_79B9_7F4A_7C15)
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The generator's whole state, to save in a checkpoint.
    public var state: [UInt64] { [s.0, s.1, s.2, s.3] }

    /// A generator that continues exactly where the one whose `state` this is stopped.
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        s = (state[0], state[1], state[2], state[3])
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box-Muller on two uniforms; the second value is not kept, so the
    /// stream's position depends only on how many numbers were drawn). Our own log and cos:
    /// libm's differ between systems.
    public mutating func gaussian() -> Double {
        let u1 = 1 - uniform(), u2 = uniform()
        return (-2 * portable_log(u1)).squareRoot() * portable_cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's method).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A Fisher-Yates shuffle of 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var items = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { items.swapAt(i, below(i + 1)) }
        return items
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// x^n for a whole n >= 0 by repeated squaring: the same bits on every system, where
/// libm's pow may round differently.
public func wholePower(_ x: Double, _ n: Int) -> Double {
    precondition(n >= 0, "wholePower takes a whole exponent of at least 0")
    var result = 1.0, base = x, exponent = n
    while exponent > 0 {
        if exponent & 1 == 1 { result *= base }
        base *= base
        exponent >>= 1
    }
    return result
}

/// e^x and ln x in float64 for code outside the engine whose results are stored (sweep
/// values, study computations): our own (Sources/CKernels/portable_math.c), since libm's
/// differ between systems.
public enum PortableMath {
    public static func exp(_ x: Double) -> Double { portable_exp(x) }
    public static func log(_ x: Double) -> Double { portable_log(x) }
    /// 10^x for any real x, through exp and log.
    public static func tenTo(_ x: Double) -> Double { portable_exp(x * portable_log(10)) }
    /// x^n for a whole n (negative: 1 / x^-n), by repeated squaring.
    public static func power(_ x: Double, _ n: Int) -> Double { n >= 0 ? wholePower(x, n) : 1 / wholePower(x, -n) }
}
