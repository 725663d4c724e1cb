import CCurl
import SigfoxEngine

/// A libcurl multi handle with its transfers and its pool of easy handles: the part of the engine both
/// the threaded ``CurlTransport`` and the caller-driven ``PolledCurlTransport`` run.
///
/// Owned by one thread: every method but ``wakeup()`` must be called on it. Easy handles are reused, so
/// keep-alive connections stay in the multi handle's cache.
final class CurlMulti {
    let multi: UnsafeMutableRawPointer
    let configuration: CurlConfiguration
    private var pool: [EasyHandle] = []
    /// The handles running a transfer; each knows its place (``EasyHandle/activeSlot``).
    private var active: [EasyHandle] = []

    init(configuration: CurlConfiguration) {
        CurlGlobal.initialize()
        self.configuration = configuration
        guard let handle = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = handle
        _ = sfx_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 1024)
    }

    deinit {
        pool.removeAll()
        curl_multi_cleanup(multi)
    }

    /// Transfers running.
    var activeCount: Int { active.count }

    /// Starts `transfer`; returns its result at once when it cannot be made.
    func add(_ transfer: CurlTransfer) -> TransportResult? {
        guard let easy = pool.popLast() ?? EasyHandle() else {
            return transfer.result(.failure(code: -1, message: "curl_easy_init failed"))
        }
        if let problem = configure(easy, transfer) {
            pool.append(easy)
            return transfer.result(.failure(code: -1, message: problem))
        }
        easy.transfer = transfer
        easy.activeSlot = active.count
        active.append(easy)
        curl_multi_add_handle(multi, easy.handle)
        return nil
    }

    /// Moves every transfer as far as it can go without waiting.
    func perform() {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
    }

    /// Waits until a socket is ready, `wakeup()` is called or `timeoutMilliseconds` pass.
    func wait(timeoutMilliseconds: Int) {
        curl_multi_poll(multi, nil, 0, Int32(clamping: timeoutMilliseconds), nil)
    }

    /// Ends a `wait` early. Callable from any thread (libcurl documents `curl_multi_wakeup` so).
    func wakeup() {
        curl_multi_wakeup(multi)
    }

    /// Hands every finished transfer and its result to `body`.
    func drainCompleted(_ body: (CurlTransfer, TransportResult) -> Void) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let easy = EasyHandle.owning(handle), let transfer = easy.transfer else { continue }
            removeActive(easy)
            curl_multi_remove_handle(multi, handle)
            let outcome = outcome(of: transfer, easy: easy, code: code)
            // The handle keeps its options for the next request of the same shape.
            if easy.shape == nil { easy.reset() }
            if pool.count < 1024 { pool.append(easy) }
            body(transfer, transfer.result(outcome))
        }
    }

    /// Takes the transfers of these requests off libcurl at once (their deadline passed: the scheduler
    /// recorded them as timed out), closing their connections, so no more sockets are open than the
    /// scheduler counts in flight. Returns them (a threaded transport still owes their completion).
    func cancel(requests ids: Set<UInt64>) -> [CurlTransfer] {
        guard !ids.isEmpty else { return [] }
        var removed = [CurlTransfer]()
        // Over a copy of the running list: removing reorders it.
        for easy in active {
            guard let transfer = easy.transfer, ids.contains(transfer.request.id) else { continue }
            removed.append(transfer)
            removeActive(easy)
            curl_multi_remove_handle(multi, easy.handle)
            // Its connection is mid-request: start the handle from scratch for the next one.
            easy.reset()
            if pool.count < 1024 { pool.append(easy) }
        }
        return removed
    }

    /// Stops every running transfer; each gets a "transport stopped" failure.
    func cancelAll(_ body: (CurlTransfer, TransportResult) -> Void) {
        let running = active
        active.removeAll()
        for easy in running {
            curl_multi_remove_handle(multi, easy.handle)
            guard let transfer = easy.transfer else { continue }
            easy.transfer = nil
            body(transfer, transfer.result(.failure(code: -1, message: "transport stopped")))
        }
    }

    /// Takes `easy` off the running list (the last one moves into its place) and forgets its transfer.
    private func removeActive(_ easy: EasyHandle) {
        let slot = easy.activeSlot
        let last = active.removeLast()
        if last !== easy {
            active[slot] = last
            last.activeSlot = slot
        }
        easy.activeSlot = -1
        easy.transfer = nil
    }

    private func outcome(
        of transfer: CurlTransfer,
        easy: EasyHandle,
        code: CURLcode
    ) -> TransportResult.Outcome {
        if case .email(let mail) = transfer.request.payload {
            guard code == CURLE_OK else {
                return .failure(
                    code: Int(code.rawValue),
                    message:
                        "Could not send email to \(mail.recipient): \(CurlErrors.mailReason(code, easy.errorText(code)))"
                )
            }
            return .mailSent
        }
        guard code == CURLE_OK else {
            return .failure(
                code: Int(code.rawValue),
                message: CurlErrors.message(code, detail: easy.errorText(code))
            )
        }
        var status = 0
        _ = sfx_easy_getinfo_long(easy.handle, CURLINFO_RESPONSE_CODE, &status)
        return .http(status: status, body: transfer.response, truncated: transfer.truncated)
    }
}
