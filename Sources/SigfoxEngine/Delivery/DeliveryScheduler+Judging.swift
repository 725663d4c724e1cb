import SigfoxModel

/// How the scheduler judges each try: the answer against the 10 s deadline, the retry ladder after a failure
/// (SIGFOX.md section 4), and the record of each try.
extension DeliveryScheduler {
    /// Judges a transport result. A result for a try whose deadline already passed is ignored: that
    /// try was recorded as a timeout and is being retried (SIGFOX.md section 4).
    public mutating func complete(_ result: TransportResult, now: SimulationTime) -> [DeliveryEvent] {
        var events = judge(result, now: now)
        if result.responseHeaders != nil || result.requestHeaders != nil, case .attempt(var record)? = events.first {
            record.responseHeaders = result.responseHeaders
            record.requestHeaders = result.requestHeaders
            events[0] = .attempt(record)
        }
        return events
    }

    mutating func judge(_ result: TransportResult, now: SimulationTime) -> [DeliveryEvent] {
        defer { dropSettledDeadlines() }
        guard let flight = takeInFlight(result.id), let delivery = deliveries[flight.delivery] else {
            return []
        }
        var result = result
        // The time the driver stood still does not count against the receiver (``notePause(_:)``).
        result.latencyMilliseconds = max(0, result.latencyMilliseconds - Double(flight.paused))
        let elapsed = SimulationDuration(milliseconds: Int64(result.latencyMilliseconds.rounded(.down)))
        let counted = counted(elapsed)
        let endedAt = min(flight.sentAt + counted, flight.deadline)
        let late = elapsed > configuration.retry.deadline
        let failure: Failure?
        switch result.outcome {
        case .http(let status, let body, _):
            let excerpt = excerptText(body)
            let reason = result.reasonPhrase
            if late {
                failure = Failure(
                    status: status,
                    message: "Answered after the \(deadlineText) deadline",
                    excerpt: excerpt
                )
            } else if (200..<300).contains(status) {
                return finish(
                    delivery,
                    scheduledAt: flight.scheduledAt,
                    sentAt: flight.sentAt,
                    failedAt: endedAt,
                    latency: result.latencyMilliseconds,
                    success: (status, reason ?? Self.standardReason(status) ?? "OK", excerpt, body)
                )
            } else {
                failure = Failure(
                    status: status,
                    message: Self.reason(forStatus: status, phrase: reason),
                    excerpt: excerpt
                )
            }
        case .mailSent:
            if !late {
                return finish(
                    delivery,
                    scheduledAt: flight.scheduledAt,
                    sentAt: flight.sentAt,
                    failedAt: endedAt,
                    latency: result.latencyMilliseconds,
                    success: (250, "OK", "", [])
                )
            }
            failure = Failure(
                status: AttemptRecord.transportFailureStatus,
                message: "Mail accepted after the \(deadlineText) deadline",
                excerpt: ""
            )
        case .failure(_, let message):
            failure = Failure(status: AttemptRecord.transportFailureStatus, message: message, excerpt: "")
        }
        return finish(
            delivery,
            scheduledAt: flight.scheduledAt,
            sentAt: flight.sentAt,
            failedAt: endedAt,
            latency: result.latencyMilliseconds,
            failure: failure!
        )
    }

    /// The tries whose deadline passed since the last call: the transport can drop them at once.
    public mutating func takeExpiredTries() -> [UInt64] {
        defer { expiredTries.removeAll(keepingCapacity: true) }
        return expiredTries
    }

    /// Fails every try in flight whose deadline is at or before `now`.
    public mutating func expireDeadlines(now: SimulationTime) -> [DeliveryEvent] {
        var events = [DeliveryEvent]()
        while let first = deadlines.min, first.time <= now {
            deadlines.removeMin()
            events += timeOut(first.id)
        }
        return events
    }

    /// Fails the tries `ids` that are still in flight, each at its own deadline on the simulation clock:
    /// their 10 s passed in real time (virtual time's lookahead judges each try on its real elapsed time,
    /// while the simulation clock has not reached the deadline).
    public mutating func expire(tries ids: [UInt64]) -> [DeliveryEvent] {
        var events = [DeliveryEvent]()
        for id in ids { events += timeOut(id) }
        dropSettledDeadlines()
        return events
    }

    /// The try `id`, if still in flight, failed at its deadline: no answer in time.
    mutating func timeOut(_ id: UInt64) -> [DeliveryEvent] {
        guard let flight = takeInFlight(id), let delivery = deliveries[flight.delivery] else {
            return []
        }
        expiredTries.append(id)
        let failure = Failure(
            status: AttemptRecord.transportFailureStatus,
            message: "Timeout: no answer within \(deadlineText)",
            excerpt: ""
        )
        return finish(
            delivery,
            scheduledAt: flight.scheduledAt,
            sentAt: flight.sentAt,
            failedAt: flight.deadline,
            latency: Double(configuration.retry.deadline.milliseconds),
            failure: failure
        )
    }

    // MARK: - Judging

    struct Failure {
        var status: Int
        var message: String
        var excerpt: String
    }

    var deadlineText: String { "\(configuration.retry.deadline.milliseconds / 1000) s" }

    func counted(_ elapsed: SimulationDuration) -> SimulationDuration {
        let step = configuration.latencyResolution.milliseconds
        guard step > 0 else { return elapsed }
        return SimulationDuration(milliseconds: elapsed.milliseconds / step * step)
    }

    func excerptText(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(configuration.responseExcerptBytes), as: UTF8.self)
    }

    /// The message recorded for a non-2xx status: the reason phrase as received (`Service Unavailable`),
    /// else `HTTP 503`; a redirect says it is not followed (SIGFOX.md section 4).
    static func reason(forStatus status: Int, phrase: String? = nil) -> String {
        switch status {
        case 300..<400: return (phrase.map { "\(status) \($0)" } ?? "HTTP \(status)") + ": redirects are not followed"
        default: return phrase ?? "HTTP \(status)"
        }
    }

    /// The standard reason phrase of a 2xx status (RFC 9110), for an answer that carried none (HTTP/2, a
    /// transport that does not keep it): a 204 reads `204 No Content`, never `204 OK`.
    static func standardReason(_ status: Int) -> String? {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 203: return "Non-Authoritative Information"
        case 204: return "No Content"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        default: return nil
        }
    }

    mutating func finish(
        _ delivery: Delivery,
        scheduledAt: SimulationTime,
        sentAt: SimulationTime?,
        failedAt: SimulationTime,
        latency: Double?,
        success: (status: Int, message: String, excerpt: String, body: [UInt8])
    ) -> [DeliveryEvent] {
        deliveries[delivery.id] = nil
        counts.delivered += 1
        counts.tries += 1
        let record = AttemptRecord(
            delivery,
            attempt: delivery.tries,
            scheduledAt: scheduledAt,
            sentAt: sentAt,
            answer: (success.status, success.message, success.excerpt),
            latency: latency,
            outcome: .delivered
        )
        var events = [DeliveryEvent.attempt(record)]
        if delivery.tries == 1 {
            let body = String(decoding: success.body, as: UTF8.self)
            for message in delivery.messages {
                guard let id = message.awaitingDownlink else { continue }
                let answer = DownlinkAnswer.parse(status: success.status, body: body, device: message.device)
                events.append(.downlinkAnswer(id, answer, at: failedAt))
            }
        }
        return events
    }

    mutating func finish(
        _ delivery: Delivery,
        scheduledAt: SimulationTime,
        sentAt: SimulationTime?,
        failedAt: SimulationTime,
        latency: Double?,
        failure: Failure
    ) -> [DeliveryEvent] {
        counts.tries += 1
        let next = configuration.retry.nextTry(after: delivery.tries, failedAt: failedAt)
        let outcome: AttemptRecord.Outcome = next.map { .retrying($0) } ?? .failed
        let record = AttemptRecord(
            delivery,
            attempt: delivery.tries,
            scheduledAt: scheduledAt,
            sentAt: sentAt,
            answer: (failure.status, failure.message, failure.excerpt),
            latency: latency,
            outcome: outcome
        )
        var events = [DeliveryEvent.attempt(record)]
        if delivery.tries == 1 {
            // Only the first try can reach a listening device: retries come a minute or more later,
            // after the downlink window (SIGFOX.md section 5).
            for message in delivery.messages {
                guard let id = message.awaitingDownlink else { continue }
                events.append(.downlinkAnswer(id, .noAnswer(failure.message), at: failedAt))
            }
        }
        if let next {
            push(delivery.id, due: next)
            freeze(delivery.id)
            spillIfOverBound(delivery.id)
        } else {
            deliveries[delivery.id] = nil
            counts.failed += 1
        }
        return events
    }

}

extension AttemptRecord {
    /// The record of a try of `delivery`: its request as rendered, its messages, and the answer (status,
    /// message, excerpt of the body) it got.
    init(
        _ delivery: Delivery,
        attempt: Int,
        scheduledAt: SimulationTime,
        sentAt: SimulationTime?,
        answer: (status: Int, message: String, excerpt: String),
        latency: Double?,
        outcome: Outcome
    ) {
        self.init(
            delivery: delivery.id,
            callback: delivery.callback,
            attempt: attempt,
            scheduledAt: scheduledAt,
            sentAt: sentAt,
            request: try? delivery.rendered.get(),
            status: answer.status,
            message: answer.message,
            responseExcerpt: answer.excerpt,
            latencyMilliseconds: latency,
            outcome: outcome,
            messages: delivery.messages
        )
    }
}
