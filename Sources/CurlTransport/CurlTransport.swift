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

/// The libcurl multi engine on a thread of its own: one thread owns a multi handle (``CurlMulti``) and
/// runs every transfer, HTTP(S) and SMTP.
///
/// Other threads hand it work through a locked queue and wake it with `curl_multi_wakeup` (DESIGN.md,
/// "libcurl engine"). Easy handles are reused, so keep-alive connections stay in the multi handle's
/// cache. Redirects are not followed; bodies are copied (`COPYPOSTFIELDS`); no `Expect: 100-continue`;
/// no signals. ``PolledCurlTransport`` is the same engine driven by its caller's thread instead.
public final class CurlTransport: Transport, @unchecked Sendable {
    // Safe: `core` is touched only by the engine thread, except `wakeup()`, which libcurl documents as
    // callable from any thread. `queue` and `state` are behind mutexes.
    private let core: CurlMulti
    private let queue = Mutex<[CurlTransfer]>([])
    private let state = Mutex(EngineState())
    private let finished = DispatchSemaphore(value: 0)
    public var configuration: CurlConfiguration { core.configuration }

    private struct EngineState {
        var stopping = false
    }

    /// Starts the engine thread.
    public init(configuration: CurlConfiguration = CurlConfiguration()) {
        core = CurlMulti(configuration: configuration)
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "sigfox-sim curl engine"
        thread.start()
    }

    public func start(_ request: TransportRequest, completion: @escaping @Sendable (TransportResult) -> Void) {
        let transfer = CurlTransfer(request: request, bodyCap: configuration.responseBodyCap, completion: completion)
        let accepted = state.withLock { !$0.stopping }
        guard accepted else {
            completion(transfer.result(.failure(code: -1, message: "transport stopped")))
            return
        }
        let wasEmpty = queue.withLock { pending -> Bool in
            pending.append(transfer)
            return pending.count == 1
        }
        // One wake-up per batch: when the queue already held work, a wake-up is already on its way and the
        // engine thread takes the whole queue at once (a syscall per request costs throughput under load).
        if wasEmpty { core.wakeup() }
    }

    public func shutdown() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        core.wakeup()
        finished.wait()
    }

    deinit {
        shutdown()
    }

    // MARK: - The engine thread

    private func runLoop() {
        let complete: (CurlTransfer, TransportResult) -> Void = { transfer, result in transfer.completion?(result) }
        while true {
            let incoming = queue.withLock { pending -> [CurlTransfer] in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            for transfer in incoming {
                if let failure = core.add(transfer) { complete(transfer, failure) }
            }
            core.perform()
            core.drainCompleted(complete)
            if state.withLock({ $0.stopping }) { break }
            core.wait(timeoutMilliseconds: 1000)
        }
        core.cancelAll(complete)
        for leftover in queue.withLock({ $0 }) {
            complete(leftover, leftover.result(.failure(code: -1, message: "transport stopped")))
        }
        finished.signal()
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
