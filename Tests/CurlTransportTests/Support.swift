import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends one payload through `transport` and waits for its result.
func send(
    _ transport: CurlTransport,
    _ payload: RenderedCallback,
    timeoutMilliseconds: Int = 5_000,
    id: UInt64 = 1,
    sendSni: Bool = true
) async -> TransportResult {
    await withCheckedContinuation { continuation in
        let request = TransportRequest(
            id: id,
            payload: payload,
            timeoutMilliseconds: timeoutMilliseconds,
            sendSni: sendSni
        )
        transport.start(request) {
            continuation.resume(returning: $0)
        }
    }
}

/// A GET, POST or PUT request.
func http(
    _ method: HTTPMethod,
    _ url: String,
    headers: [(String, String)] = [],
    body: String? = nil
) -> RenderedCallback {
    .http(
        HTTPRequest(method: method, url: url, headers: headers.map { HTTPHeader(name: $0.0, value: $0.1) }, body: body)
    )
}

/// The status of an HTTP result, or nil.
func status(_ result: TransportResult) -> Int? {
    if case .http(let status, _, _) = result.outcome { return status }
    return nil
}

/// The failure message of a result, or nil.
func failureMessage(_ result: TransportResult) -> String? {
    if case .failure(_, let message) = result.outcome { return message }
    return nil
}
