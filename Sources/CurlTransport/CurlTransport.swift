import CCurl
import Foundation
import SigfoxEngine
import SigfoxModel
import Synchronization

/// How the libcurl engine connects.
public struct CurlConfiguration: Sendable {
    /// A PEM file of extra certificate authorities to trust besides the system's (a test CA). As on the
    /// real cloud, certificates are always verified, so a self-signed one fails (SIGFOX.md section 4).
    public var caFile: String?
    /// Where e-mails go: `smtp://host:port`. Without it an e-mail try fails with a clear message.
    public var smtpURL: String?
    /// The envelope sender and `From:` of e-mails.
    public var mailFrom: String
    /// How much of an answer's body is kept; the rest is read and dropped.
    public var responseBodyCap: Int

    public init(
        caFile: String? = nil,
        smtpURL: String? = nil,
        mailFrom: String = "sigfox-sim@localhost",
        responseBodyCap: Int = 64 * 1024
    ) {
        self.caFile = caFile
        self.smtpURL = smtpURL
        self.mailFrom = mailFrom
        self.responseBodyCap = responseBodyCap
    }
}

/// The libcurl multi engine: one thread owns a multi handle and runs every transfer, HTTP(S) and SMTP.
///
/// Other threads hand it work through a locked queue and wake it with `curl_multi_wakeup` (DESIGN.md,
/// "libcurl engine"). Easy handles are reused with `curl_easy_reset`, so keep-alive connections stay in
/// the multi handle's cache. Redirects are not followed; bodies are copied (`COPYPOSTFIELDS`); no
/// `Expect: 100-continue`; no signals.
public final class CurlTransport: Transport, @unchecked Sendable {
    // Safe: `multi` and `pool`/`active` are touched only by the engine thread, except
    // `curl_multi_wakeup`, which libcurl documents as callable from any thread. `queue` and `state` are
    // behind mutexes.
    private let multi: UnsafeMutableRawPointer
    private var pool: [EasyHandle] = []
    private var active: [UnsafeMutableRawPointer: (easy: EasyHandle, transfer: CurlTransfer)] = [:]
    private let queue = Mutex<[CurlTransfer]>([])
    private let state = Mutex(EngineState())
    private let finished = DispatchSemaphore(value: 0)
    public let configuration: CurlConfiguration

    private struct EngineState {
        var stopping = false
    }

    /// Starts the engine thread.
    public init(configuration: CurlConfiguration = CurlConfiguration()) {
        CurlGlobal.initialize()
        self.configuration = configuration
        guard let handle = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = handle
        _ = sfx_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 1024)
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "sigfox-sim curl engine"
        thread.start()
    }

    public func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void) {
        let transfer = CurlTransfer(request: request, bodyCap: configuration.responseBodyCap, completion: completion)
        let accepted = state.withLock { !$0.stopping }
        guard accepted else {
            completion(
                TransportResult(
                    id: request.id,
                    outcome: .failure(code: -1, message: "transport stopped"),
                    latencyMilliseconds: 0
                )
            )
            return
        }
        let wasEmpty = queue.withLock { pending -> Bool in
            pending.append(transfer)
            return pending.count == 1
        }
        // One wake-up per batch: when the queue already held work, a wake-up is already on its way and the
        // engine thread takes the whole queue at once (a syscall per request costs throughput under load).
        if wasEmpty { curl_multi_wakeup(multi) }
    }

    public func shutdown() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        finished.wait()
    }

    deinit {
        shutdown()
    }

    // MARK: - The engine thread

    private func runLoop() {
        var running: Int32 = 0
        while true {
            let incoming = queue.withLock { pending -> [CurlTransfer] in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            for transfer in incoming { add(transfer) }
            curl_multi_perform(multi, &running)
            drainCompleted()
            if state.withLock({ $0.stopping }) { break }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for (handle, running) in active {
            curl_multi_remove_handle(multi, handle)
            complete(running.transfer, outcome: .failure(code: -1, message: "transport stopped"))
        }
        active.removeAll()
        for leftover in queue.withLock({ $0 }) {
            complete(leftover, outcome: .failure(code: -1, message: "transport stopped"))
        }
        pool.removeAll()
        curl_multi_cleanup(multi)
        finished.signal()
    }

    private func add(_ transfer: CurlTransfer) {
        guard let easy = pool.popLast() ?? EasyHandle() else {
            complete(transfer, outcome: .failure(code: -1, message: "curl_easy_init failed"))
            return
        }
        if let problem = configure(easy, transfer) {
            pool.append(easy)
            complete(transfer, outcome: .failure(code: -1, message: problem))
            return
        }
        active[easy.handle] = (easy, transfer)
        curl_multi_add_handle(multi, easy.handle)
    }

    private func drainCompleted() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let (easy, transfer) = active.removeValue(forKey: handle) else { continue }
            curl_multi_remove_handle(multi, handle)
            let outcome = outcome(of: transfer, easy: handle, code: code)
            // The handle keeps its options for the next request of the same shape; the transfer's
            // pointers are cleared so nothing refers to it once it is gone.
            _ = sfx_easy_setopt_pointer(handle, CURLOPT_PRIVATE, nil)
            _ = sfx_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            if easy.shape == nil { easy.reset() }
            if pool.count < 1024 { pool.append(easy) }
            complete(transfer, outcome: outcome)
        }
    }

    private func outcome(
        of transfer: CurlTransfer,
        easy: UnsafeMutableRawPointer,
        code: CURLcode
    ) -> TransportResult.Outcome {
        if case .email(let mail) = transfer.request.payload {
            guard code == CURLE_OK else {
                return .failure(
                    code: Int(code.rawValue),
                    message: "Could not send email to \(mail.recipient): \(transfer.errorText(code))"
                )
            }
            return .mailSent
        }
        guard code == CURLE_OK else {
            return .failure(
                code: Int(code.rawValue),
                message: CurlErrors.message(code, detail: transfer.errorText(code))
            )
        }
        var status = 0
        _ = sfx_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .http(status: status, body: transfer.response, truncated: transfer.truncated)
    }

    private func complete(_ transfer: CurlTransfer, outcome: TransportResult.Outcome) {
        let result = TransportResult(
            id: transfer.request.id,
            outcome: outcome,
            latencyMilliseconds: transfer.elapsedMilliseconds
        )
        transfer.completion(result)
    }
}

/// `curl_global_init` once per process, before any other curl call.
enum CurlGlobal {
    private static let once: Void = {
        signal(SIGPIPE, SIG_IGN)
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    static func initialize() { _ = once }
}
