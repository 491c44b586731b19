/// numpy's legacy `RandomState` (MT19937), bit-compatible for what splits need:
/// `NumpyRandomState(seed: s).permutation(n)` equals `np.random.RandomState(s).permutation(n)`,
/// so our splits are the very digits the Python peer scripts and the texts' code use.
public struct NumpyRandomState: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// numpy's legacy seeding of an integer seed: MT19937's init_genrand.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    public mutating func nextUInt32() -> UInt32 {
        if position >= 624 { twist() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        // MT19937's recurrence in three runs, so no index needs a modulo.
        state.withUnsafeMutableBufferPointer { s in
            @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
                let y = (s[i] & 0x8000_0000) | (s[next] & 0x7fff_ffff)
                s[i] = s[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
            }
            for i in 0..<227 { mix(i, i + 1, i + 397) }
            for i in 227..<623 { mix(i, i + 1, i - 227) }
            mix(623, 0, 396)
        }
        position = 0
    }

    /// numpy's legacy `random_interval(max)`: a uniform integer in 0...max by masking
    /// 32-bit draws to the smallest covering power of two and rejecting values above max.
    mutating func interval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= max { return value }
        }
    }

    /// `random_sample()`: a double in [0, 1) from two 32-bit draws (53 bits), numpy's legacy
    /// formula; `uniform(low, high)` is `low + (high - low) * randomSample()`.
    public mutating func randomSample() -> Double {
        let a = nextUInt32() >> 5, b = nextUInt32() >> 6
        return (Double(a) * 67_108_864 + Double(b)) / 9_007_199_254_740_992
    }

    /// `uniform(low, high, count)` into a float buffer: the same draws as `randomSample`, in a
    /// loop that stays inside this module (fast enough to feed the elastic distortion).
    ///
    /// The state's remaining words are tempered in one vectorisable pass per twist, then taken
    /// in pairs: the same numbers in the same order as `randomSample`, without a call per word.
    public mutating func fillUniform(_ buffer: UnsafeMutablePointer<Float>, count: Int, low: Double, high: Double) {
        var tempered = [UInt32](repeating: 0, count: 624)
        var filled = 0
        var waiting: UInt32?   // the first word of a pair whose second lies past a twist
        @inline(__always) func store(_ a: UInt32, _ b: UInt32) {
            let sample = (Double(a >> 5) * 67_108_864 + Double(b >> 6)) / 9_007_199_254_740_992
            buffer[filled] = Float(low + (high - low) * sample)
            filled += 1
        }
        while filled < count {
            if position >= 624 { twist() }
            let start = position, available = 624 - start
            state.withUnsafeBufferPointer { s in
                tempered.withUnsafeMutableBufferPointer { t in
                    for k in 0..<available {
                        var y = s[start + k]
                        y ^= y >> 11
                        y ^= (y << 7) & 0x9d2c_5680
                        y ^= (y << 15) & 0xefc6_0000
                        y ^= y >> 18
                        t[k] = y
                    }
                }
            }
            var used = 0
            tempered.withUnsafeBufferPointer { t in
                if let a = waiting { store(a, t[0]); waiting = nil; used = 1 }
                while used + 1 < available && filled < count { store(t[used], t[used + 1]); used += 2 }
                if used < available && filled < count { waiting = t[used]; used += 1 }
            }
            // Words not taken stay for the next draw.
            position = start + used
        }
    }

    /// `permutation(n)`: `arange(n)` shuffled by numpy's legacy Fisher-Yates from the end.
    public mutating func permutation(_ n: Int) -> [Int] {
        var items = Array(0..<n)
        var i = n - 1
        while i > 0 {
            items.swapAt(i, Int(interval(UInt32(i))))
            i -= 1
        }
        return items
    }
}

/// The split of the peer scripts (../shared/bench/peers/common.py `split`):
/// `perm = RandomState(seed).permutation(count)`, train = perm[:train], test = perm[train:train+test].
public func randomSplit(count: Int, train: Int, test: Int, seed: UInt32) throws -> (train: [Int], test: [Int]) {
    guard train >= 0, test >= 0, train + test <= count else {
        throw DataError("cannot draw \(train) training and \(test) test samples from \(count)")
    }
    var random = NumpyRandomState(seed: seed)
    let permutation = random.permutation(count)
    return (Array(permutation[0..<train]), Array(permutation[train..<(train + test)]))
}
