import SigfoxEngine

/// The tests' seeded generator: the engine's own (xoshiro256** seeded through splitmix64), so a test's
/// random inputs reproduce from its seed as a scenario's radio does.
public typealias TestRandom = SeededGenerator
