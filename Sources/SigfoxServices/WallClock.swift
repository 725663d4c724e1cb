import SigfoxModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time for stamping what the servers receive (not simulation time: see DESIGN.md "Time").
enum WallClock {
    /// Seconds since 1970-01-01 UTC, with sub-second precision.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `2024-05-01T12:00:00.123Z` for `seconds` since 1970 (UTC, milliseconds).
    static func iso8601(_ seconds: Double) -> String {
        UTCDateTime(epochMilliseconds: Int64((seconds * 1000).rounded(.down))).iso8601Milliseconds
    }
}
