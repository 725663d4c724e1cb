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
    /// libcurl's proxy variables (`http_proxy`, `https_proxy`, `all_proxy`, `no_proxy`), read once from
    /// this environment (the process's by default) instead of by libcurl on every request.
    public var proxies: ProxyEnvironment
    /// Whether an HTTP answer's header lines are kept with its result (`serve` shows them; the load path
    /// does not pay for them).
    public var recordsResponseHeaders = false
    /// Whether an HTTP request's header block is kept as libcurl sent it (the request line and every header,
    /// those libcurl added too: `Host`, `Accept`, `Content-Length`), for `serve`'s "exactly as sent".
    public var recordsRequestHeaders = false
    /// Whether an HTTP answer's reason phrase (`No Content` of `204 No Content`) is kept with its result, so
    /// a try's message is the status line as received (`run` and `serve`; the load path does not pay for it).
    public var recordsReasonPhrase = false

    public init(
        caFile: String? = nil,
        smtpURL: String? = nil,
        mailFrom: String = "sigfox-sim@localhost",
        responseBodyCap: Int = 64 * 1024,
        proxies: ProxyEnvironment = ProxyEnvironment(ProcessInfo.processInfo.environment),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        // The CA file given, else the one the environment names as curl and OpenSSL tools do.
        self.caFile = caFile ?? Self.environmentCAFile(environment)
        self.smtpURL = smtpURL
        self.mailFrom = mailFrom
        self.responseBodyCap = responseBodyCap
        self.proxies = proxies
    }
}

extension CurlConfiguration {
    /// `CURL_CA_BUNDLE`, else `SSL_CERT_FILE`: the extra CA file the environment names (empty is unset).
    public static func environmentCAFile(_ environment: [String: String]) -> String? {
        for name in ["CURL_CA_BUNDLE", "SSL_CERT_FILE"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return nil
    }
}

/// The proxy libcurl would pick from the environment for an `http://` or `https://` URL, worked out once.
///
/// libcurl reads `no_proxy`, then the scheme's variable, then `all_proxy` from the environment for every
/// transfer, five environment scans per request under load. The engine sets `CURLOPT_PROXY` and
/// `CURLOPT_NOPROXY` from these values instead, with libcurl 7.88's rules: `http_proxy` in lower case
/// only (libcurl ignores `HTTP_PROXY`), `https_proxy` then `HTTPS_PROXY`, `all_proxy` then `ALL_PROXY`,
/// `no_proxy` then `NO_PROXY`; an empty variable counts as unset.
public struct ProxyEnvironment: Sendable, Equatable {
    /// The proxy for `http://` URLs; empty for none.
    public let http: String
    /// The proxy for `https://` URLs; empty for none.
    public let https: String
    /// The hosts reached directly, as libcurl's `no_proxy`; empty for none.
    public let noProxy: String

    public init(_ environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        let all = value("all_proxy") ?? value("ALL_PROXY")
        http = value("http_proxy") ?? all ?? ""
        https = value("https_proxy") ?? value("HTTPS_PROXY") ?? all ?? ""
        noProxy = value("no_proxy") ?? value("NO_PROXY") ?? ""
    }

    /// The proxy for `url` (empty: none), or nil for another scheme, which libcurl then works out itself.
    public func proxy(for url: String) -> String? {
        var scheme = [UInt8]()
        for byte in url.utf8.prefix(8) {
            if byte == UInt8(ascii: ":") { break }
            scheme.append(byte | 0x20)
        }
        switch String(decoding: scheme, as: UTF8.self) {
        case "http": return http
        case "https": return https
        default: return nil
        }
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
