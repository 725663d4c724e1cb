/// A point on the simulation clock: milliseconds since the Unix epoch.
///
/// All engine time is simulation time (DESIGN.md, "Time"): the pure parts of the engine take it as an
/// argument and never read a clock, so virtual time is exact and tests are instant.
public struct SimulationTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public init(seconds: Int64) {
        self.milliseconds = seconds * 1000
    }

    /// Whole seconds since the epoch, rounded down: the value of `{time}` (SIGFOX.md section 3).
    public var epochSeconds: Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }

    public static func + (time: SimulationTime, duration: SimulationDuration) -> SimulationTime {
        SimulationTime(milliseconds: time.milliseconds + duration.milliseconds)
    }

    public static func - (lhs: SimulationTime, rhs: SimulationTime) -> SimulationDuration {
        SimulationDuration(milliseconds: lhs.milliseconds - rhs.milliseconds)
    }

    public static func < (lhs: SimulationTime, rhs: SimulationTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public var description: String { "\(milliseconds) ms" }
}

/// A span of simulation time in milliseconds.
public struct SimulationDuration: Hashable, Comparable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func seconds(_ seconds: Int64) -> SimulationDuration {
        SimulationDuration(milliseconds: seconds * 1000)
    }

    public static func minutes(_ minutes: Int64) -> SimulationDuration { .seconds(minutes * 60) }

    public static func < (lhs: SimulationDuration, rhs: SimulationDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds, with their fraction.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
