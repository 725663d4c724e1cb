import Foundation
import SigfoxModel

/// One try on the message's page, as an inspector shows an exchange (ngrok's, Stripe's): the request exactly
/// as sent (the header block libcurl sent, every header it added included, then the body byte for byte),
/// a formatted view beside it, a "copy as curl" button; the answer as received (status line, headers,
/// body); and where a resend leads or comes from.
extension Dashboard {
    func tryCard(_ row: KeptTry) -> String {
        guard let line = try? JSONParser.parse(row.line) else { return "" }
        let id = row.id
        let delivery = row.delivery
        let outcome = row.outcome
        let state = DashboardData.CallbackState(
            callback: row.callback,
            service: row.service,
            outcome: outcome,
            attempt: row.attempt,
            status: row.status,
            nextTry: row.nextTry,
            resentFrom: row.resentFrom,
            resentAs: row.resentAsDeliveries
        )
        let e = DashboardPage.escaped
        var html =
            "<article class=\"try try-\(e(outcome))\" id=\"try-\(id)\" data-try=\"\(id)\" data-delivery=\"\(delivery)\">"
            + "<h3>\(DashboardPage.badge(state))"
        html +=
            " <small>\(e(state.service)) · delivery \(delivery) · try \(state.attempt) · due "
            + "\(DashboardPage.time(row.time)) UTC</small></h3>"
        var facts = [("Status", "\(state.status) \(line["message"]?.scalarText ?? "")")]
        if let latency = line["latencyMs"]?.scalarText, latency != "null" { facts.append(("Latency", latency + " ms")) }
        if let sent = line["sentAt"]?.scalarText.flatMap(Int64.init), sent - row.time >= 1000 {
            let due = row.time
            // A late start: the in-flight cap (or this receiver's share of it) was full.
            facts.append(("Sent", "\(DashboardPage.time(sent)), \((sent - due) / 1000) s after it was due"))
        }
        if let next = state.nextTry { facts.append(("Next try (UTC)", DashboardPage.time(next))) }
        if let note = row.note { facts.append(("Note", note)) }
        html += "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\(e($0.1))</dd>" }.joined()
        if let from = state.resentFrom {
            html += "<dt>Resend of</dt><dd><a href=\"#try-\(from)\" data-resent-from=\"\(from)\">try \(from)</a></dd>"
        }
        for target in state.resentAs {
            let fate = (try? data.deliveryState(target)) ?? nil
            html +=
                "<dt>Resent as</dt><dd><a href=\"#delivery-\(target)\" data-resent-as=\"\(target)\">delivery \(target)"
                + "</a>"
                + (fate.map { ", \(DashboardPage.outcomeWords($0.outcome)) (try \($0.attempt))" } ?? ", not tried yet")
                + "</dd>"
        }
        html += "</dl>"
        if let request = line["request"], request.value != .null {
            html += requestView(request, head: line["requestHeaders"]?.scalarText)
        }
        html += answerView(line, status: state.status, due: row.time)
        if outcome != "delivered" {
            html += "<button type=\"button\" data-resend=\"\(id)\">Resend</button>"
        }
        return html + "</article>"
    }

    /// The request as sent, its formatted view, and the button that copies it as a `curl` command.
    private func requestView(_ request: ConfigNode, head: String?) -> String {
        let e = DashboardPage.escaped
        var sent: String
        var formatted: String?
        var curl: String?
        if request["kind"]?.scalarText == "email" {
            // The message as handed to SMTP when serve kept it, else its recipient, subject and text.
            sent =
                head?.replacingOccurrences(of: "\r\n", with: "\n")
                ?? "To: \(request["recipient"]?.scalarText ?? "")\nSubject: \(request["subject"]?.scalarText ?? "")\n\n"
                + (request["message"]?.scalarText ?? "")
        } else {
            let body: String? = if case .string(let text)? = request["body"]?.value { text } else { nil }
            if let head {
                // The header block libcurl sent (CURLINFO_HEADER_OUT): request line, Host, Accept,
                // Content-Length and the callback's headers, in the order they went.
                sent = head.replacingOccurrences(of: "\r\n", with: "\n")
            } else {
                sent = "\(request["method"]?.scalarText ?? "") \(request["url"]?.scalarText ?? "")\n"
                for header in request["headers"]?.entries ?? [] {
                    sent += "\(header.key): \(header.node.scalarText ?? "")\n"
                }
                sent += "\n"
            }
            sent += body ?? ""
            formatted = Self.formatted(request, body: body)
            curl = Self.curlCommand(request)
        }
        // Without the block libcurl sent (the connection failed before it, or a run that did not keep it):
        // the request as rendered, which is what would have gone.
        let caption = head == nil ? "As rendered (no header block was sent)" : "As sent"
        var html = "<h4>Request, exactly as sent</h4><div class=\"views\">"
        html += "<figure><figcaption>\(caption)</figcaption><pre class=\"request\">\(e(sent))</pre></figure>"
        if let formatted {
            html +=
                "<figure><figcaption>Formatted</figcaption><pre class=\"request-formatted\">\(e(formatted))</pre></figure>"
        }
        html += "</div>"
        if let curl {
            html +=
                "<p class=\"curl\"><button type=\"button\" data-copy=\"\(e(curl))\">Copy as curl</button> "
                + "<code class=\"curl-command\">\(e(curl))</code></p>"
        }
        return html
    }

    /// The answer as received: its status line and headers (serve keeps them) and the start of its body,
    /// with the body formatted beside it when it is JSON, and under scaled time the simulation clock's time
    /// beside the answer's `Date` (the receiver's own clock).
    private func answerView(_ line: ConfigNode, status: Int, due: Int64) -> String {
        let e = DashboardPage.escaped
        let body = line["response"]?.scalarText ?? ""
        let received = line["responseHeaders"]?.scalarText.map { $0.replacingOccurrences(of: "\r\n", with: "\n") }
        let head = received ?? "\(status) \(line["message"]?.scalarText ?? "")\n\n"
        var html = "<h4>Answer</h4><div class=\"views\">"
        html += "<figure><figcaption>As received</figcaption><pre class=\"response\">\(e(head + body))</pre></figure>"
        let pretty = DashboardPage.pretty(body)
        if pretty != body {
            html +=
                "<figure><figcaption>Formatted</figcaption><pre class=\"response-formatted\">\(e(pretty))</pre></figure>"
        }
        html += "</div>"
        if control.time != "real" {
            // Under scaled time the simulation clock runs ahead of the receiver's: both, side by side.
            let date = received?.split(separator: "\n").first { $0.lowercased().hasPrefix("date:") }
            html +=
                "<p class=\"sim-time\">"
                + (date.map { "<code>\(e(String($0)))</code> is the receiver's clock; " } ?? "")
                + "on the simulation clock (\(e(control.time))) this try was sent at "
                + "<time>\(DashboardPage.time(due)) UTC</time>.</p>"
        }
        return html
    }

    /// A JSON body pretty-printed, or a form body one field a line; nil when there is nothing to format.
    static func formatted(_ request: ConfigNode, body: String?) -> String? {
        guard let body, !body.isEmpty else { return nil }
        let pretty = DashboardPage.pretty(body)
        if pretty != body { return pretty }
        let type = (request["headers"]?.entries ?? []).first { $0.key.lowercased() == "content-type" }?.node.scalarText
        guard type?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        return body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return parts.count == 2 ? "\(parts[0]) = \(parts[1])" : parts.first ?? ""
        }.joined(separator: "\n")
    }

    /// The request as a `curl` command that sends the same method, URL, headers and body (curl adds its own
    /// Host, Accept and Content-Length, as libcurl did).
    static func curlCommand(_ request: ConfigNode) -> String? {
        guard let method = request["method"]?.scalarText, let url = request["url"]?.scalarText else { return nil }
        var parts = ["curl"]
        if method != "GET" { parts += ["-X", method] }
        parts.append(shellQuoted(url))
        for header in request["headers"]?.entries ?? [] {
            let value = header.node.scalarText ?? ""
            // `Name;` is curl's way to send a header with an empty value.
            parts += ["-H", shellQuoted(value.isEmpty ? "\(header.key);" : "\(header.key): \(value)")]
        }
        if case .string(let body)? = request["body"]?.value { parts += ["--data-raw", shellQuoted(body)] }
        return parts.joined(separator: " ")
    }

    /// `text` in single quotes for a POSIX shell.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
