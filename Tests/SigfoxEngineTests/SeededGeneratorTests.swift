import SigfoxEngine
import Testing

@Suite("Seeded generator")
struct SeededGeneratorTests {
    @Test("splitmix64 matches the reference outputs")
    func splitMix() {
        var mixer = SplitMix64(state: 0)
        #expect(
            [mixer.next(), mixer.next(), mixer.next()] == [
                0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            ]
        )
    }

    @Test("xoshiro256** matches the reference outputs")
    func xoshiro() {
        var generator = SeededGenerator(state: (1, 2, 3, 4))
        let outputs = (0..<5).map { _ in generator.next() }
        #expect(outputs == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360])
        var seeded = SeededGenerator(seed: 42)
        #expect([seeded.next(), seeded.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E])
    }

    @Test("draws stay in their ranges and the Gaussian-ish noise is bounded")
    func ranges() {
        var generator = SeededGenerator(seed: 9)
        var sum = 0.0
        var squares = 0.0
        let count = 100_000
        for _ in 0..<count {
            let unit = generator.nextUnit()
            #expect(unit >= 0 && unit < 1)
            let value = generator.nextInt64(in: 2500...4500)
            #expect((2500...4500).contains(value))
            let noise = generator.nextGaussianish()
            #expect(abs(noise) <= SeededGenerator.gaussianishBound)
            sum += noise
            squares += noise * noise
        }
        #expect(abs(sum / Double(count)) < 0.02)
        #expect(abs(squares / Double(count) - 1) < 0.03)
    }

    @Test("the same seed gives the same sequence")
    func sameSeed() {
        var first = SeededGenerator(seed: 1234)
        var second = SeededGenerator(seed: 1234)
        var other = SeededGenerator(seed: 1235)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in second.next() })
        #expect(a != (0..<8).map { _ in other.next() })
    }
}
