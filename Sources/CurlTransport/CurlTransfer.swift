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
    let completion: @Sendable (TransportResult) -> Void
    let started: ContinuousClock.Instant
    let bodyCap: Int
    var headers: UnsafeMutablePointer<curl_slist>?
    var recipients: UnsafeMutablePointer<curl_slist>?
    var response = [UInt8]()
    var truncated = false
    /// The outgoing e-mail, read by curl through `readMail`.
    var upload = [UInt8]()
    var uploadOffset = 0
    /// libcurl writes its detailed error text here (CURLOPT_ERRORBUFFER needs CURL_ERROR_SIZE bytes).
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(request: TransportRequest, bodyCap: Int, completion: @escaping @Sendable (TransportResult) -> Void) {
        self.request = request
        self.completion = completion
        self.bodyCap = bodyCap
        self.started = .now
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headers { curl_slist_free_all(headers) }
        if let recipients { curl_slist_free_all(recipients) }
        errorBuffer.deallocate()
    }

    /// Milliseconds since the transfer was handed to the engine.
    var elapsedMilliseconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// The detailed error libcurl wrote, or its generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    func appendHeader(_ line: String) {
        headers = curl_slist_append(headers, line)
    }
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
