/// The emulator's one source of randomness: xoshiro256** seeded through splitmix64.
///
/// DESIGN.md, "Determinism": radio noise, frame loss, frame gaps and network delays all come from one
/// generator seeded by the scenario's `seed`, never from `SystemRandomNumberGenerator`, so the same
/// scenario and seed give the same receptions and timings, byte for byte.
///
/// xoshiro256** (Blackman and Vigna, 2018) is small, fast and well tested; its four words of state are
/// filled by splitmix64, as its authors recommend, so that any 64-bit seed (0 included) is a good one.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator with the given raw state (not all zero), for checking against reference vectors.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** needs a state that is not all zero")
        (s0, s1, s2, s3) = state
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A double uniformly distributed in `0 ..< 1`, from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An integer uniformly distributed in `range`.
    public mutating func nextInt64(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        if span == UInt64.max { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: nextBelow(span &+ 1))
    }

    /// An integer uniformly distributed in `0 ..< bound` (`bound` > 0), by Lemire's multiply-and-reject.
    ///
    /// Written out rather than taken from the standard library so the sequence cannot change with the
    /// toolchain.
    public mutating func nextBelow(_ bound: UInt64) -> UInt64 {
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A Gaussian-ish value with mean 0 and standard deviation 1, bounded to ±2√3 (about ±3.46).
    ///
    /// The sum of four uniforms (Irwin–Hall), centred and scaled: one 64-bit draw gives the four 16-bit
    /// uniforms. Being bounded is a feature: the radio model can prove a station out of reach and skip
    /// it without changing any result (see `RadioModel`).
    public mutating func nextGaussianish() -> Double {
        let bits = next()
        let sum = (bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) + ((bits >> 32) & 0xFFFF) + (bits >> 48)
        // Each 16-bit uniform is (k + 0.5) / 65536; the four sum to mean 2 and variance 1/3.
        let uniforms = (Double(sum) + 2) * 0x1.0p-16
        return (uniforms - 2) * Self.squareRootOfThree
    }

    /// The bound of ``nextGaussianish()``: no value lies beyond ± this.
    public static let gaussianishBound: Double = 2 * squareRootOfThree

    static let squareRootOfThree: Double = 1.732_050_807_568_877_2

    func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

/// splitmix64 (Steele, Lea and Flood, 2014): spreads one seed into the state of ``SeededGenerator``.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// The next 64 bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
