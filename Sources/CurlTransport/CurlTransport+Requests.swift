import CCurl
import Foundation
import SigfoxEngine
import SigfoxModel

extension CurlMulti {
    /// Sets up `easy` for `transfer`; returns a problem text when the request cannot be made.
    ///
    /// An HTTP request shaped like the handle's previous one (same method, URL and headers) keeps every
    /// option; only the body, the transfer's context and (rarely) the timeout change. Anything else starts from
    /// `curl_easy_reset`.
    func configure(_ easy: EasyHandle, _ transfer: CurlTransfer) -> String? {
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        let handle = easy.handle
        switch transfer.request.payload {
        case .http(let request):
            let shape = HTTPShape(
                method: request.method,
                url: request.url,
                headers: request.headers,
                sendSni: transfer.request.sendSni || !Self.isHTTPS(request.url)
            )
            if easy.shape != shape {
                easy.reset()
                if let problem = configureHTTP(easy, shape) {
                    easy.reset()
                    return problem
                }
            }
            setTimeout(easy, transfer.request.timeoutMilliseconds)
            _ = sfx_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            if configuration.recordsResponseHeaders || configuration.recordsReasonPhrase {
                transfer.keepsHeaders = configuration.recordsResponseHeaders
                _ = sfx_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, receiveHeader)
                _ = sfx_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            }
            if configuration.recordsRequestHeaders {
                // The debug function sees the header block as sent; VERBOSE turns it on (nothing is printed).
                _ = sfx_easy_setopt_debug_callback(handle, sentHeaders)
                _ = sfx_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
                _ = sfx_easy_setopt_long(handle, CURLOPT_VERBOSE, 1)
            }
            if request.method.hasBody {
                var body = request.body ?? ""
                body.withUTF8 { bytes in
                    _ = sfx_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                    // COPYPOSTFIELDS copies the bytes: the body need not outlive this call.
                    let pointer = UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    _ = sfx_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, pointer)
                }
            }
            return nil
        case .email(let mail):
            easy.reset()
            setTimeout(easy, transfer.request.timeoutMilliseconds)
            transfer.recordsRequest = configuration.recordsRequestHeaders
            return configureMail(handle, transfer, mail, context: context)
        }
    }

    /// The one option that can change with every transfer, and rarely does: its timeout. (NOSIGNAL, the error
    /// buffer and the private pointer are the handle's, set once by ``EasyHandle``.)
    private func setTimeout(_ easy: EasyHandle, _ timeout: Int) {
        let handle = easy.handle
        if easy.timeoutMilliseconds != timeout {
            _ = sfx_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout)
            _ = sfx_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout)
            easy.timeoutMilliseconds = timeout
        }
    }

    /// The options an HTTP request's method, URL and headers decide; they stay set for the next request
    /// of the same shape on this handle.
    private func configureHTTP(_ easy: EasyHandle, _ shape: HTTPShape) -> String? {
        let handle = easy.handle
        // The URL parsed once, here, rather than by libcurl at the start of every transfer (see
        // Benchmarks/README.md), with the flags libcurl uses for CURLOPT_URL. A URL curl cannot parse is set
        // as text, so the transfer fails with libcurl's own message, as before.
        let url = curl_url()
        if let url,
            curl_url_set(url, CURLUPART_URL, shape.url, UInt32(CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME))
                == CURLUE_OK
        {
            easy.url = url
            _ = sfx_easy_setopt_pointer(handle, CURLOPT_CURLU, UnsafeMutableRawPointer(url))
        } else {
            if let url { curl_url_cleanup(url) }
            guard sfx_easy_setopt_string(handle, CURLOPT_URL, shape.url) == CURLE_OK else {
                return "invalid URL \(shape.url)"
            }
        }
        if let proxy = configuration.proxies.proxy(for: shape.url) {
            // Set, even when empty, so libcurl does not read the environment on every request.
            _ = sfx_easy_setopt_string(handle, CURLOPT_PROXY, proxy)
            _ = sfx_easy_setopt_string(handle, CURLOPT_NOPROXY, configuration.proxies.noProxy)
        }
        // SIGFOX.md section 4: redirects are not followed and count as failures.
        _ = sfx_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = sfx_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, receiveBody)
        _ = sfx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = sfx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        // SIGFOX.md section 4: the real cloud sends SNI only when the callback's `sendSni` is true.
        if !shape.sendSni, sfx_easy_set_sni(handle, 1) != CURLE_OK {
            return "sendSni false needs libcurl with OpenSSL to leave the server name out; this one uses "
                + String(cString: sfx_curl_ssl_version())
        }
        if let caFile = configuration.caFile {
            _ = sfx_easy_setopt_string(handle, CURLOPT_CAINFO, caFile)
            if FileManager.default.fileExists(atPath: "/etc/ssl/certs") {
                _ = sfx_easy_setopt_string(handle, CURLOPT_CAPATH, "/etc/ssl/certs")
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in shape.headers {
            // "Name:" with nothing after the colon tells libcurl to remove the header; "Name;" sends it with
            // an empty value, which is what the callback asks for.
            let empty = header.value.allSatisfy { $0 == " " || $0 == "\t" }
            list = curl_slist_append(list, empty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // An empty `Expect:` stops curl from waiting for `100 Continue` on bodies (DESIGN.md).
        list = curl_slist_append(list, "Expect:")
        easy.headerList = list
        _ = sfx_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        switch shape.method {
        case .get:
            _ = sfx_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .post, .put:
            if shape.method == .put { _ = sfx_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "PUT") }
            _ = sfx_easy_setopt_long(handle, CURLOPT_POST, 1)
        }
        easy.shape = shape
        return nil
    }

    /// Whether `url` is fetched over TLS.
    static func isHTTPS(_ url: String) -> Bool {
        url.utf8.count > 8 && url.prefix(8).lowercased() == "https://"
    }

    private func configureMail(
        _ easy: UnsafeMutableRawPointer,
        _ transfer: CurlTransfer,
        _ mail: EmailMessage,
        context: UnsafeMutableRawPointer
    ) -> String? {
        // Never let a line break reach the SMTP dialogue or the mail's headers (the callback loader and the
        // renderer refuse them already; this is the last guard before the wire).
        let lineBreak: (String) -> Bool = { $0.utf8.contains { $0 == 0x0A || $0 == 0x0D } }
        if lineBreak(mail.recipient) || lineBreak(mail.subject) {
            return
                "Could not send email to \(mail.recipients.joined(separator: ", ")): a line break in the recipient or subject"
        }
        guard let smtpURL = configuration.smtpURL else {
            return "Could not send email to \(mail.recipient): no SMTP server configured"
        }
        _ = sfx_easy_setopt_string(easy, CURLOPT_URL, smtpURL)
        _ = sfx_easy_setopt_string(easy, CURLOPT_MAIL_FROM, "<\(configuration.mailFrom)>")
        for address in mail.recipients {
            transfer.recipients = curl_slist_append(transfer.recipients, "<\(address)>")
        }
        _ = sfx_easy_setopt_slist(easy, CURLOPT_MAIL_RCPT, transfer.recipients)
        let request = transfer.request
        transfer.upload = Array(
            MailFormatter.message(
                mail,
                from: configuration.mailFrom,
                id: request.sentAt == nil ? "\(request.id)" : "\(request.delivery).\(request.attempt)",
                date: request.sentAt.map { Date(timeIntervalSince1970: Double($0.milliseconds) / 1000) } ?? Date()
            ).utf8
        )
        _ = sfx_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION, readMail)
        _ = sfx_easy_setopt_pointer(easy, CURLOPT_READDATA, context)
        _ = sfx_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
        return nil
    }
}

/// Messages for transport failures, recorded with the pseudo-status 600 (SIGFOX.md section 4).
enum CurlErrors {
    /// Why an e-mail was not sent, in the mail server's terms.
    static func mailReason(_ code: CURLcode, _ detail: String) -> String {
        let text = detail.lowercased()
        if code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING || text.contains("response reading failed") {
            return "the mail server closed the connection without answering (\(detail))"
        }
        if code == CURLE_COULDNT_CONNECT { return "no mail server answers there (\(detail))" }
        if code == CURLE_OPERATION_TIMEDOUT || text.contains("timeout") {
            return "the mail server did not answer in time (\(detail))"
        }
        return detail
    }

    /// What a TLS failure's detail (OpenSSL's words through libcurl) means for the receiver's owner.
    static func tlsReason(_ detail: String) -> String {
        let text = detail.lowercased()
        if text.contains("expired") { return "the certificate has expired" }
        if text.contains("not yet valid") { return "the certificate is not valid yet" }
        if text.contains("subject name") || text.contains("does not match") || text.contains("host name") {
            return "the certificate is not for this host"
        }
        if text.contains("self-signed") || text.contains("self signed") {
            return "the certificate is self-signed (trust its CA with --ca-file)"
        }
        if text.contains("issuer") || text.contains("unknown ca") || text.contains("unable to get local") {
            return "the certificate's issuer is unknown (trust its CA with --ca-file)"
        }
        if text.contains("cafile") || text.contains("ca cert") || text.contains("error setting certificate") {
            return "the CA file could not be read"
        }
        return "the handshake failed"
    }

    static func message(_ code: CURLcode, detail: String) -> String {
        switch code {
        case CURLE_COULDNT_CONNECT:
            return detail.contains("refused") || detail.contains("Couldn't connect")
                ? "Connection refused (\(detail))" : "Could not connect (\(detail))"
        case CURLE_COULDNT_RESOLVE_HOST:
            return "Unknown host (\(detail))"
        case CURLE_OPERATION_TIMEDOUT:
            return "Timeout (\(detail))"
        case CURLE_GOT_NOTHING:
            return "Connection closed without an answer (\(detail))"
        case CURLE_OUT_OF_MEMORY:
            // libcurl 7.88 answers a header line over 100 KB with "out of memory" ("Avoided giant realloc
            // for header"): in practice the receiver's answer, not the machine's memory.
            return
                "The answer's headers are too large: a header line over libcurl's 100 KB, or no memory left (\(detail))"
        case CURLE_RECV_ERROR where detail.lowercased().contains("too large") || detail.lowercased().contains("header"):
            return "The answer's headers are too large (\(detail))"
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            return "Connection reset (\(detail))"
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return "TLS error: \(tlsReason(detail)) (\(detail))"
        default:
            return detail
        }
    }
}

/// Writes an e-mail as RFC 5322 text with the headers mail servers expect.
enum MailFormatter {
    /// `Date`, `From`, `To`, `Subject` (RFC 2047 when not ASCII), `Message-ID`, MIME headers, then the
    /// message with CRLF line ends. `date` is the try's time on the simulation clock and `id` its delivery
    /// and try (`12.1`), so the same run sends the same e-mails, `Date` and `Message-ID` included.
    static func message(_ mail: EmailMessage, from: String, id: String, date: Date = Date()) -> String {
        let subject =
            mail.subject.utf8.allSatisfy { $0 < 0x80 }
            ? mail.subject : "=?UTF-8?B?\(Data(mail.subject.utf8).base64EncodedString())?="
        let millis = Int64(date.timeIntervalSince1970 * 1000)
        let lines = [
            "Date: \(rfc5322Date(date))",
            "From: sigfox-sim <\(from)>",
            "To: \(mail.recipients.joined(separator: ", "))",
            "Subject: \(subject)",
            "Message-ID: <\(millis).\(id)@sigfox-sim.local>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
            "",
        ]
        let body = mail.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return lines.joined(separator: "\r\n") + "\r\n" + body + "\r\n"
    }

    /// `Sun, 22 Nov 2026 10:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
