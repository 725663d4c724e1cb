import SigfoxEngine

/// The libcurl engine driven by its caller's thread (``PolledTransport``): the delivery loop submits
/// requests and polls for results itself, so a request and its answer never cross threads. A load test
/// runs one per engine thread, each with its own share of the traffic and its own connections.
public final class PolledCurlTransport: PolledTransport, @unchecked Sendable {
    // Safe: everything but `interrupt()` runs on the one driving thread (the protocol's contract), and
    // `interrupt()` only calls `curl_multi_wakeup`, which libcurl documents as callable from any thread.
    private let core: CurlMulti
    private var results: [TransportResult] = []
    private var stopped = false

    /// E-mails go on threads of their own (``MailSender``): a slow mail server delays only its e-mails.
    private let mail: MailSender

    public init(configuration: CurlConfiguration = CurlConfiguration()) {
        let core = CurlMulti(configuration: configuration)
        self.core = core
        // The sender's threads wake the poll when an e-mail was answered (curl_multi_wakeup is thread-safe).
        let multi = UnsafeSendable(core)
        mail = MailSender(configuration: configuration, ready: { multi.value.wakeup() })
    }

    public var configuration: CurlConfiguration { core.configuration }

    public func submit(_ request: TransportRequest) {
        if !stopped, case .email = request.payload {
            mail.send(request, bodyCap: configuration.responseBodyCap)
            return
        }
        let transfer = CurlTransfer(request: request, bodyCap: configuration.responseBodyCap)
        if stopped {
            results.append(transfer.result(.failure(code: -1, message: "transport stopped")))
        } else if let failure = core.add(transfer) {
            results.append(failure)
        }
    }

    public func poll(timeoutMilliseconds: Int) -> [TransportResult] {
        collect()
        if results.isEmpty, timeoutMilliseconds > 0 {
            core.wait(timeoutMilliseconds: timeoutMilliseconds)
            collect()
        }
        defer { results.removeAll(keepingCapacity: true) }
        return results
    }

    public func interrupt() {
        core.wakeup()
    }

    public func cancel(_ ids: [UInt64]) {
        _ = core.cancel(requests: Set(ids))
    }

    /// Transfers libcurl is running now (the sockets in use).
    public var runningTransfers: Int { core.activeCount }

    public func shutdown() -> [TransportResult] {
        stopped = true
        collect()
        core.cancelAll { _, result in results.append(result) }
        results += mail.stopAll()
        defer { results.removeAll() }
        return results
    }

    private func collect() {
        core.perform()
        core.drainCompleted { _, result in results.append(result) }
        results += mail.take()
    }
}
