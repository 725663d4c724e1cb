import CCurl
import Foundation
import SigfoxEngine
import SigfoxModel

/// One transfer's state while libcurl runs it: the buffers curl reads and writes must outlive the
/// transfer, so they live here, kept alive by the engine until completion.
///
/// `@unchecked Sendable` is safe: a transfer is handed once from the submitting thread to the engine
/// thread through the engine's locked queue, and from then on only the engine thread touches it.
final class CurlTransfer: @unchecked Sendable {
    let request: TransportRequest
    /// Called with the result by the threaded engine; nil for a polled one, which returns results.
    let completion: (@Sendable (TransportResult) -> Void)?
    let started: ContinuousClock.Instant
    let bodyCap: Int
    var recipients: UnsafeMutablePointer<curl_slist>?
    var response = [UInt8]()
    var truncated = false
    /// The answer's header lines (with `recordsResponseHeaders`), at most ``headerCap`` bytes.
    var headers = [UInt8]()
    static let headerCap = 4096
    /// Keep every header line (`recordsResponseHeaders`), or only the status line (`recordsReasonPhrase`).
    var keepsHeaders = true
    /// The answer's last status line (`HTTP/1.1 204 No Content`), without its line end.
    var statusLine = [UInt8]()
    /// The request's header block as libcurl sent it (with `recordsRequestHeaders`), at most ``headerCap``.
    var requestHead = [UInt8]()
    /// With `recordsRequestHeaders`: an e-mail's message as handed to SMTP (its headers and body) is kept.
    var recordsRequest = false
    /// The outgoing e-mail, read by curl through `readMail`.
    var upload = [UInt8]()
    var uploadOffset = 0

    init(request: TransportRequest, bodyCap: Int, completion: (@Sendable (TransportResult) -> Void)? = nil) {
        self.request = request
        self.completion = completion
        self.bodyCap = bodyCap
        self.started = .now
    }

    deinit {
        if let recipients { curl_slist_free_all(recipients) }
    }

    /// Milliseconds since the transfer was handed to the engine.
    var elapsedMilliseconds: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// The transfer's result with `outcome`, timed from the hand-over.
    func result(_ outcome: TransportResult.Outcome) -> TransportResult {
        var result = TransportResult(id: request.id, outcome: outcome, latencyMilliseconds: elapsedMilliseconds)
        if !headers.isEmpty { result.responseHeaders = String(decoding: headers, as: UTF8.self) }
        if !requestHead.isEmpty { result.requestHeaders = String(decoding: requestHead, as: UTF8.self) }
        if recordsRequest, !upload.isEmpty {
            // An e-mail as it went: the RFC 5322 message (Date, From, To, Subject, Message-ID, MIME headers, body).
            result.requestHeaders = String(decoding: upload.prefix(Self.headerCap), as: UTF8.self)
        }
        if case .http = outcome { result.reasonPhrase = Self.reasonPhrase(statusLine) }
        return result
    }
}

extension CurlTransfer {
    /// The reason phrase of a status line: `No Content` of `HTTP/1.1 204 No Content`; nil when the line has
    /// none (HTTP/2 sends none) or there was no line.
    static func reasonPhrase(_ line: [UInt8]) -> String? {
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard parts.count == 3, parts[0].hasPrefix("HTTP/") else { return nil }
        let phrase = parts[2].trimmingCharacters(in: .whitespacesAndNewlines)
        return phrase.isEmpty ? nil : phrase
    }
}

/// A curl easy handle with what it was last set up for. A request shaped like the previous one (an HTTP
/// request with the same method, headers and URL) keeps every option and sets only its body and context,
/// which saves libcurl's option resets, URL parsing and header-list building on every request under load.
///
/// Owned by the engine thread.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    /// The header list set on the handle: it must outlive every transfer that uses it.
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// The parsed URL set on the handle (`CURLOPT_CURLU`): it must outlive every transfer that uses it.
    var url: OpaquePointer?
    /// What the handle is set up for; nil after a reset or an e-mail.
    var shape: HTTPShape?
    var timeoutMilliseconds = -1
    /// The transfer running on the handle, and the handle's place in its multi's running list.
    var transfer: CurlTransfer?
    var activeSlot = -1
    /// libcurl writes its detailed error text here (CURLOPT_ERRORBUFFER needs CURL_ERROR_SIZE bytes; since
    /// 7.60 it empties the buffer when a transfer starts). One per handle, set again after every reset.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init?() {
        guard let handle = curl_easy_init() else {
            errorBuffer.deallocate()
            return nil
        }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        setOwnOptions()
    }

    /// No signals, the error buffer, and the handle itself as curl's private pointer: a finished transfer's handle
    /// leads back here without a lookup. The pointer is unretained; the multi keeps every handle it runs.
    private func setOwnOptions() {
        _ = sfx_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sfx_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        _ = sfx_easy_setopt_pointer(handle, CURLOPT_PRIVATE, Unmanaged.passUnretained(self).toOpaque())
    }

    /// The handle behind curl's private pointer of `handle`.
    static func owning(_ handle: UnsafeMutableRawPointer) -> EasyHandle? {
        var pointer: UnsafeMutableRawPointer?
        guard sfx_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else { return nil }
        return Unmanaged<EasyHandle>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Forgets every option (`curl_easy_reset`) and the header list; keeps the error buffer and the
    /// private pointer.
    func reset() {
        curl_easy_reset(handle)
        setOwnOptions()
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let url { curl_url_cleanup(url) }
        url = nil
        shape = nil
        timeoutMilliseconds = -1
    }

    /// The detailed error libcurl wrote for the last transfer, or its generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        if let url { curl_url_cleanup(url) }
        errorBuffer.deallocate()
    }
}

/// The options of an HTTP request that stay set from one transfer to the next on a handle.
struct HTTPShape: Equatable {
    var method: HTTPMethod
    var url: String
    var headers: [HTTPHeader]
    /// The TLS handshake sends the server name (an `https://` URL to a host name only; see `sfx_easy_set_sni`).
    var sendSni: Bool = true
}

/// Receives the answer's body, keeping at most `bodyCap` bytes: the rest is read and dropped, so a huge
/// answer costs no memory and the connection stays reusable.
let receiveBody: sfx_data_callback = { data, size, count, userdata in
    let total = size * count
    guard let data, let userdata else { return total }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let room = transfer.bodyCap - transfer.response.count
    if room > 0 {
        let take = min(room, total)
        data.withMemoryRebound(to: UInt8.self, capacity: take) { bytes in
            transfer.response.append(contentsOf: UnsafeBufferPointer(start: bytes, count: take))
        }
        if take < total { transfer.truncated = true }
    } else if total > 0 {
        transfer.truncated = true
    }
    return total
}

/// Keeps the answer's header lines (the status line included), up to ``CurlTransfer/headerCap`` bytes; a
/// new status line (after `100 Continue`) starts them again. Without ``CurlTransfer/keepsHeaders``, only
/// the status line.
let receiveHeader: sfx_data_callback = { data, size, count, userdata in
    let total = size * count
    guard let data, let userdata else { return total }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: total) { bytes in
        let line = UnsafeBufferPointer(start: bytes, count: total)
        if line.starts(with: Array("HTTP/".utf8)) {
            transfer.headers.removeAll()
            transfer.statusLine = Array(line.prefix(256).prefix { $0 != 0x0D && $0 != 0x0A })
        }
        guard transfer.keepsHeaders else { return }
        let room = CurlTransfer.headerCap - transfer.headers.count
        if room > 0 { transfer.headers.append(contentsOf: line.prefix(room)) }
    }
    return total
}

/// Keeps the header block libcurl sends (CURLINFO_HEADER_OUT, with CURLOPT_VERBOSE): the request line and
/// every header, as on the wire. A later block (a second request on the handle) replaces it.
let sentHeaders: sfx_debug_callback = { _, type, data, size, userdata in
    guard type == CURLINFO_HEADER_OUT, let data, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: size) { bytes in
        transfer.requestHead = Array(UnsafeBufferPointer(start: bytes, count: min(size, CurlTransfer.headerCap)))
    }
    return 0
}

/// Hands the e-mail to curl's SMTP upload.
let readMail: sfx_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let room = size * count
    let remaining = transfer.upload.count - transfer.uploadOffset
    let take = min(room, remaining)
    guard take > 0 else { return 0 }
    transfer.upload.withUnsafeBufferPointer { source in
        buffer.withMemoryRebound(to: UInt8.self, capacity: take) { target in
            target.update(from: source.baseAddress! + transfer.uploadOffset, count: take)
        }
    }
    transfer.uploadOffset += take
    return take
}
