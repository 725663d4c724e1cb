import Foundation
import SigfoxModel
import SigfoxScenario

/// HTML building blocks of the dashboard: the layout, tables, state badges (a colour and a word, never
/// colour alone), times in UTC.
enum DashboardPage {
    static func escaped(_ text: String) -> String { MarkupText.escaped(text) }

    /// `2026-12-01 23:23:15` (UTC) from epoch ms.
    static func time(_ milliseconds: Int64) -> String { UTCDateTime(epochMilliseconds: milliseconds).sigfoxText }

    /// `23:23:15` (UTC).
    static func clock(_ milliseconds: Int64) -> String { String(time(milliseconds).suffix(8)) }

    /// The whole page: header with navigation, counters, the content, the script.
    static func layout(
        title: String,
        current: String,
        counters: DashboardData.Counters,
        token: String,
        body: String
    )
        -> String
    {
        let links = [
            ("/", "Messages"), ("/ui/not-delivered", "Not delivered"), ("/ui/device-types", "Device types"),
            ("/ui/devices", "Devices"),
        ]
        let navigation = links.map { path, name in
            "<a href=\"\(path)\"\(path == current ? " aria-current=\"page\"" : "")>\(name)</a>"
        }.joined(separator: " ")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="sigfox-sim-dashboard" content="\(token)">
            <title>\(escaped(title)) · sigfox-sim</title>
            <link rel="stylesheet" href="/ui/assets/dashboard.css">
            </head>
            <body>
            <header class="top"><a class="brand" href="/">sigfox-sim</a><nav aria-label="Pages">\(navigation)</nav>
            <span id="live" class="live" role="status" aria-live="polite">static</span></header>
            \(countersHTML(counters))
            <p class="action-result"><output id="action-result" role="status" aria-live="polite"></output></p>
            <main id="content">
            <h1>\(escaped(title))</h1>
            \(body)
            </main>
            <script src="/ui/assets/dashboard.js" defer></script>
            </body>
            </html>
            """
    }

    /// The counters, each saying what it counts: tries or deliveries (a resend is a new delivery, so a
    /// failed delivery stays failed once resent; the Failed counter says how many were).
    static func countersHTML(_ counters: DashboardData.Counters) -> String {
        let p99 = counters.p99.map { String(format: "%.1f ms", $0) } ?? "–"
        let items = [
            ("messages", "Messages", "\(counters.messages)", "received"),
            ("delivered", "Delivered", "\(counters.delivered)", "tries answered 2xx in time"),
            ("waiting", "Waiting for retry", "\(counters.waiting)", "deliveries, next try due"),
            (
                "failed", "Failed", "\(counters.failed)",
                "deliveries given up after 4 tries"
                    + (counters.failedResent > 0 ? "; \(counters.failedResent) resent" : "")
            ),
            ("p99", "p99 latency, last minute", p99, "of the tries"),
        ]
        return "<section id=\"counters\" class=\"counters\" aria-label=\"Counters\" data-live-region><dl>"
            + items.map { key, label, value, what in
                "<div class=\"counter counter-\(key)\"><dt>\(label)</dt><dd data-counter=\"\(key)\">\(value)</dd>"
                    + "<dd class=\"what\">\(escaped(what))</dd></div>"
            }.joined() + "</dl></section>"
    }

    /// A state in words with its mark: `✓ delivered`, `↻ waiting for retry`, `✗ failed`, `– cancelled`.
    static func outcomeWords(_ outcome: String) -> String {
        switch outcome {
        case "delivered": return "✓ delivered"
        case "retry": return "↻ waiting for retry"
        case "failed": return "✗ failed"
        default: return "– " + outcome
        }
    }

    /// A `<select>` of a filter form, `any` first, the query's value selected.
    static func select(_ name: String, _ label: String, _ options: [String], _ query: [String: String]) -> String {
        select(name, label, options.map { ($0, $0) }, query)
    }

    /// A `<select>` whose options show a label for their value (a device type's name for its id).
    static func select(
        _ name: String,
        _ label: String,
        _ options: [(value: String, label: String)],
        _ query: [String: String]
    ) -> String {
        let choices = ([("", "any")] + options).map { value, text in
            "<option value=\"\(escaped(value))\"\(query[name] == value || (value.isEmpty && query[name] == nil) ? " selected" : "")>"
                + "\(escaped(text))</option>"
        }.joined()
        return
            "<span class=\"filter\"><label for=\"filter-\(name)\">\(label)</label> <select id=\"filter-\(name)\" "
            + "name=\"\(name)\">\(choices)</select></span>"
    }

    /// A callback's state as a badge: `delivered`, `waiting for retry 2 at 12:03:04`, `failed`, ...
    static func badge(_ state: DashboardData.CallbackState) -> String {
        let word: String
        let kind: String
        switch state.outcome {
        case "delivered":
            word = "✓ delivered"
            kind = "delivered"
        case "retry":
            word = "↻ waiting for retry \(state.attempt + 1)" + (state.nextTry.map { " at " + clock($0) } ?? "")
            kind = "retry"
        case "failed":
            word = "✗ failed"
            kind = "failed"
        default:
            word = "– " + state.outcome
            kind = "cancelled"
        }
        // A resend says so, and a try resent says it was: the two trace back to each other.
        let resend = state.resentFrom.map { " · resend of try \($0)" } ?? ""
        let resent = state.resentAs.isEmpty ? "" : " · resent"
        return
            "<span class=\"badge badge-\(kind)\" title=\"\(escaped(state.service)), try \(state.attempt), status \(state.status)"
            + "\(resend)\(resent)\"><span class=\"cb\">\(escaped(state.callback))</span> \(escaped(word))"
            + (state.resentFrom == nil ? "" : " <span class=\"resend-mark\">(resend)</span>")
            + (state.resentAs.isEmpty ? "" : " <span class=\"resent-mark\">↺ resent</span>") + "</span>"
    }

    static func waitingBadge(_ callback: String, service: String) -> String {
        "<span class=\"badge badge-waiting\" title=\"\(escaped(service))\"><span class=\"cb\">\(escaped(callback))</span> … not tried yet</span>"
    }

    /// Stations that heard a message: `1D44 −96.01 dBm, SNR 51.99 dB, ×3`.
    static func receptions(_ json: String) -> String {
        guard let node = try? JSONParser.parse(json) else { return "" }
        return node.items.map { reception in
            let station = reception["station"]?.scalarText ?? "?"
            let rssi = reception["rssi"]?.scalarText ?? "?"
            let snr = reception["snr"]?.scalarText ?? "?"
            let rep = reception["nbRep"]?.scalarText ?? "?"
            return
                "<li><b>\(escaped(station))</b> RSSI \(escaped(rssi)) dBm, SNR \(escaped(snr)) dB, ×\(escaped(rep))</li>"
        }.joined()
    }

    /// A JSON body pretty-printed, or the text as it is.
    static func pretty(_ body: String) -> String {
        guard let data = body.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            object is [Any] || object is [String: Any],
            let pretty = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            )
        else { return body }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// Links to the previous and next pages, keeping the other query parameters.
    static func pager(path: String, query: [String: String], page: Int, more: Bool) -> String {
        func link(_ target: Int, _ label: String) -> String {
            var parameters = query
            parameters["page"] = String(target)
            let text = parameters.sorted { $0.key < $1.key }.map {
                "\($0.key)=\(RecordQueries.percentEncoded($0.value))"
            }
            .joined(separator: "&amp;")
            return "<a href=\"\(path)?\(text)\">\(label)</a>"
        }
        var parts = [String]()
        if page > 0 { parts.append(link(page - 1, "← newer")) }
        parts.append("page \(page + 1)")
        if more { parts.append(link(page + 1, "older →")) }
        return "<nav class=\"pager\" aria-label=\"Pages of the list\">" + parts.joined(separator: " · ") + "</nav>"
    }
}
