import SigfoxEngine
import Testing

@Suite("Simulation time")
struct SimulationTimeTests {
    @Test("epoch seconds round down, also before 1970")
    func seconds() {
        #expect(SimulationTime(milliseconds: 1_999).epochSeconds == 1)
        #expect(SimulationTime(milliseconds: -1).epochSeconds == -1)
        #expect(SimulationTime(seconds: 10) + .minutes(1) == SimulationTime(seconds: 70))
        #expect(SimulationTime(seconds: 70) - SimulationTime(seconds: 10) == .seconds(60))
    }
}
