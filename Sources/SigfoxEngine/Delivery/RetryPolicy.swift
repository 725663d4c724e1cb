/// When a callback try counts as failed and when the next one comes (SIGFOX.md section 4).
///
/// The receiver must answer within 10 s with a 2xx status. After a failure the next try comes 1 min
/// after that failure, then 2 min after the second, then 4 min after the third: four tries at most.
public struct RetryPolicy: Sendable, Equatable {
    /// How long the receiver has to answer.
    public var deadline: SimulationDuration
    /// The wait after the 1st, 2nd, 3rd failure; the number of tries is one more than its count.
    public var delays: [SimulationDuration]

    public init(
        deadline: SimulationDuration = .seconds(10),
        delays: [SimulationDuration] = [.minutes(1), .minutes(2), .minutes(4)]
    ) {
        self.deadline = deadline
        self.delays = delays
    }

    /// Sigfox's policy.
    public static let sigfox = RetryPolicy()

    /// One try, no retries (`--no-retries` of load tests).
    public static let noRetries = RetryPolicy(delays: [])

    /// Tries at most.
    public var maximumTries: Int { delays.count + 1 }

    /// When try `attempt + 1` comes after try `attempt` (1-based) failed at `failedAt`; nil after the last.
    public func nextTry(after attempt: Int, failedAt: SimulationTime) -> SimulationTime? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        return failedAt + delays[attempt - 1]
    }
}
