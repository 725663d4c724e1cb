import Foundation
import GRDB
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// The web dashboard of `serve` (`/` and `/ui/...`): server-rendered pages that read the store, and a
/// little plain JavaScript (`/ui/assets/dashboard.js`) that adds live updates (Server-Sent Events,
/// batched: at most one redraw a second) and the forms, which call the same control API and API v2 as
/// every other client. Everything is inside the binary: no CDN, no build step.
struct Dashboard: Sendable {
    let control: ControlAPI
    /// The token its pages use on `/v2` (never the API password).
    let token: String
    static let pageSize = 50

    var data: DashboardData {
        DashboardData(
            store: control.engine.store,
            configuration: control.configuration,
            metrics: control.engine.metrics
        )
    }

    func register(on router: RouteTable) {
        router.get("/") { request, _ in try page { () throws in try messagesPage(request) } }
        router.get("/ui/messages/:id") { _, context in
            try page { () throws in try messagePage(Int64(context.parameters.get("id") ?? "") ?? -1) }
        }
        router.get("/ui/not-delivered") { request, _ in try page { () throws in try notDeliveredPage(request) } }
        router.get("/ui/device-types") { _, _ in try page { () throws in try deviceTypesPage() } }
        router.get("/ui/devices") { _, _ in try page { () throws in try devicesPage() } }
        router.get("/ui/assets/dashboard.css") { _, _ in
            Self.asset(DashboardAssets.css, type: "text/css; charset=utf-8")
        }
        router.get("/ui/assets/dashboard.js") { _, _ in
            Self.asset(DashboardAssets.javascript, type: "text/javascript; charset=utf-8")
        }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    private func page(_ build: () throws -> (String, String, String)) throws -> Response {
        do {
            let (title, current, body) = try build()
            let html = DashboardPage.layout(
                title: title,
                current: current,
                counters: try data.counters(),
                token: token,
                body: body
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: html))
            )
        } catch let error as APIError {
            return Response(
                status: HTTPResponse.Status(code: error.status),
                headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            "<!doctype html><title>sigfox-sim</title><p>\(DashboardPage.escaped(error.message))</p><p><a href=\"/\">Messages</a></p>"
                    )
                )
            )
        }
    }

    static func query(_ request: Request) -> [String: String] {
        Dictionary(ControlAPI.query(request), uniquingKeysWith: { _, last in last })
    }

    // MARK: Messages

    private func messagesPage(_ request: Request) throws -> (String, String, String) {
        let query = Self.query(request)
        let pageNumber = max(0, Int(query["page"] ?? "") ?? 0)
        let device = query["device"].flatMap { DeviceID(hex: $0) }?.description
        let (rows, states, more) = try data.messages(page: pageNumber, size: Self.pageSize, device: device)
        var html = forms()
        html += "<section aria-labelledby=\"messages-title\"><h2 id=\"messages-title\">Messages, newest first"
        html += device.map { " of device \(DashboardPage.escaped($0))" } ?? ""
        html += "</h2><div class=\"table-wrap\"><table id=\"messages\"><thead><tr><th scope=\"col\">Time (UTC)</th>"
        html +=
            "<th scope=\"col\">Device</th><th scope=\"col\">Seq</th><th scope=\"col\">Data</th><th scope=\"col\">Decoded</th>"
        html +=
            "<th scope=\"col\">LQI</th><th scope=\"col\">Base stations</th><th scope=\"col\">Callbacks</th></tr></thead>"
        html += "<tbody id=\"messages-body\" data-live-region>"
        for (row, state) in zip(rows, states) {
            html += messageRow(row, states: state)
        }
        if rows.isEmpty {
            html +=
                "<tr><td colspan=\"8\" class=\"empty\">No message yet: send an uplink with the form above.</td></tr>"
        }
        html += "</tbody></table></div>"
        html += DashboardPage.pager(path: "/", query: query, page: pageNumber, more: more) + "</section>"
        return ("Messages", "/", html)
    }

    private func messageRow(_ row: Row, states: [DashboardData.CallbackState]) -> String {
        let id: Int64 = row["id"]
        let deviceType: String = row["deviceType"]
        let kind: String = row["kind"]
        let data: String = row["data"]
        let decoded = self.data.decoded(deviceType: deviceType, hex: data)
            .map { "\(DashboardPage.escaped($0.0))=\(DashboardPage.escaped($0.1))" }.joined(separator: " ")
        var badges = states.map(DashboardPage.badge)
        let tried = Set(states.map(\.callback))
        for expected in self.data.expectedCallbacks(deviceType: deviceType, ack: row["ack"], status: kind == "status")
        where !tried.contains(expected.id) {
            badges.append(DashboardPage.waitingBadge(expected.id, service: expected.service))
        }
        let device: String = row["device"]
        return
            "<tr data-message=\"\(id)\"><td><a href=\"/ui/messages/\(id)\">\(DashboardPage.time(row["time"]))</a></td>"
            + "<td><a href=\"/?device=\(DashboardPage.escaped(device))\">\(DashboardPage.escaped(device))</a></td>"
            + "<td>\(row["seqNumber"] as Int)</td><td><code>\(kind == "status" ? "status" : DashboardPage.escaped(data))</code></td>"
            + "<td>\(decoded)</td><td>\(DashboardPage.escaped(row["lqi"]))</td>"
            + "<td><ul class=\"stations\">\(DashboardPage.receptions(row["receptions"]))</ul></td>"
            + "<td class=\"states\">\(badges.joined(separator: " "))</td></tr>"
    }

    /// Send an uplink; take a base station down or up.
    private func forms() -> String {
        let scenario = control.configuration.scenario
        let devices = scenario.devices.prefix(500).map {
            "<option value=\"\($0.id)\">\($0.id)</option>"
        }.joined()
        let stations = scenario.baseStations.map { "<option value=\"\($0.id)\">\($0.id)</option>" }.joined()
        return """
            <section class="forms" aria-label="Actions">
            <form id="send-uplink" class="card">
            <h2>Send an uplink</h2>
            <label for="uplink-device">Device</label> <select id="uplink-device" name="device">\(devices)</select>
            <label for="uplink-payload">Payload (hex)</label> <input id="uplink-payload" name="payload" value="ff3842" pattern="([0-9a-fA-F]{2}){0,12}" size="26" required>
            <label class="check"><input id="uplink-ack" name="ack" type="checkbox"> ask for a downlink (ack)</label>
            <button type="submit">Send</button>
            </form>
            <form id="station-form" class="card">
            <h2>Base stations</h2>
            <label for="station-id">Station</label> <select id="station-id" name="station">\(stations)</select>
            <button type="button" data-station="down">Take down</button> <button type="button" data-station="up">Bring up</button>
            </form>
            </section>
            """
    }

    // MARK: One message

    private func messagePage(_ id: Int64) throws -> (String, String, String) {
        guard let (row, tries) = try data.message(id: id) else {
            throw APIError(status: 404, message: "There is no message \(id).")
        }
        let device: String = row["device"]
        var html = "<section class=\"card\"><dl class=\"facts\">"
        let facts: [(String, String)] = [
            ("Device", device), ("Device type", row["deviceType"]), ("Sequence number", "\(row["seqNumber"] as Int)"),
            ("First reception (UTC)", DashboardPage.time(row["time"])),
            ("Sent (UTC)", DashboardPage.time(row["sentAt"])),
            ("Data", row["data"]), ("Ack requested", (row["ack"] as Bool) ? "yes" : "no"),
            ("Frames", "\(row["frames"] as Int)"), ("LQI", row["lqi"]),
        ]
        for (name, value) in facts { html += "<dt>\(name)</dt><dd>\(DashboardPage.escaped(value))</dd>" }
        let decoded = data.decoded(deviceType: row["deviceType"], hex: row["data"])
        if !decoded.isEmpty {
            html +=
                "<dt>Decoded</dt><dd>"
                + decoded.map { "\(DashboardPage.escaped($0.0))=\(DashboardPage.escaped($0.1))" }
                .joined(separator: ", ") + "</dd>"
        }
        if let downlink: String = row["downlinkData"] {
            html +=
                "<dt>Downlink</dt><dd><code>\(DashboardPage.escaped(downlink))</code> from station "
                + "\(DashboardPage.escaped(row["downlinkStation"] ?? ""))</dd>"
        }
        if let acknowledge: String = row["acknowledge"] {
            html += "<dt>Acknowledge</dt><dd>\(DashboardPage.escaped(acknowledge))</dd>"
        } else if row["ack"] as Bool {
            html += "<dt>Acknowledge</dt><dd>not yet (the device listens about 20 to 45 s after its first frame)</dd>"
        }
        html +=
            "</dl><h2>Base stations</h2><ul class=\"stations\">\(DashboardPage.receptions(row["receptions"]))</ul></section>"
        html +=
            "<section aria-labelledby=\"tries-title\"><h2 id=\"tries-title\">Every try of every callback</h2><div id=\"tries\" data-live-region>"
        if tries.isEmpty { html += "<p class=\"empty\">No try yet.</p>" }
        for attempt in tries { html += tryCard(attempt) }
        html += "</div></section>"
        return ("Message \(id): device \(device)", "/", html)
    }

    private func tryCard(_ row: Row) -> String {
        guard let line = try? JSONParser.parse(row["line"] as String) else { return "" }
        let id: Int64 = row["id"]
        let outcome: String = row["outcome"]
        let state = DashboardData.CallbackState(
            callback: row["callback"],
            service: row["service"],
            outcome: outcome,
            attempt: row["attempt"],
            status: row["status"],
            nextTry: row["nextTry"]
        )
        var html =
            "<article class=\"try try-\(DashboardPage.escaped(outcome))\" data-try=\"\(id)\"><h3>\(DashboardPage.badge(state))"
        html +=
            " <small>\(DashboardPage.escaped(state.service)) · try \(state.attempt) · due \(DashboardPage.time(row["time"]))</small></h3>"
        var facts = [("Status", "\(state.status) \(line["message"]?.scalarText ?? "")")]
        if let latency = line["latencyMs"]?.scalarText, latency != "null" { facts.append(("Latency", latency + " ms")) }
        if let sent = line["sentAt"]?.scalarText.flatMap(Int64.init), let due: Int64 = row["time"], sent - due >= 1000 {
            // A late start: the in-flight cap (or this receiver's share of it) was full.
            facts.append(("Sent", "\(DashboardPage.time(sent)), \((sent - due) / 1000) s after it was due"))
        }
        if let next = state.nextTry { facts.append(("Next try (UTC)", DashboardPage.time(next))) }
        if let note: String = row["note"] { facts.append(("Note", note)) }
        html +=
            "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\(DashboardPage.escaped($0.1))</dd>" }.joined()
            + "</dl>"
        if let request = line["request"], request.value != .null {
            var text = ""
            if request["kind"]?.scalarText == "email" {
                text =
                    "To: \(request["recipient"]?.scalarText ?? "")\nSubject: \(request["subject"]?.scalarText ?? "")\n\n"
                    + (request["message"]?.scalarText ?? "")
            } else {
                text = "\(request["method"]?.scalarText ?? "") \(request["url"]?.scalarText ?? "")\n"
                for header in request["headers"]?.entries ?? [] {
                    text += "\(header.key): \(header.node.scalarText ?? "")\n"
                }
                if case .string(let body)? = request["body"]?.value { text += "\n" + DashboardPage.pretty(body) }
            }
            html += "<h4>Request, exactly as sent</h4><pre class=\"request\">\(DashboardPage.escaped(text))</pre>"
        }
        let response = line["response"]?.scalarText ?? ""
        // The status line and headers as received (serve keeps them), then the start of the body.
        let head =
            (line["responseHeaders"]?.scalarText).map { $0.replacingOccurrences(of: "\r\n", with: "\n") }
            ?? "\(state.status)\n"
        html += "<h4>Answer</h4><pre class=\"response\">"
        html += DashboardPage.escaped(head + "\n" + DashboardPage.pretty(response)) + "</pre>"
        if outcome != "delivered" {
            html += "<button type=\"button\" data-resend=\"\(id)\">Resend</button>"
        }
        return html + "</article>"
    }

    // MARK: Not delivered

    private func notDeliveredPage(_ request: Request) throws -> (String, String, String) {
        let query = Self.query(request)
        let pageNumber = max(0, Int(query["page"] ?? "") ?? 0)
        let (rows, more) = try data.notDelivered(filter: query, page: pageNumber, size: Self.pageSize)
        let scenario = control.configuration.scenario
        func select(_ name: String, _ label: String, _ options: [String]) -> String {
            let choices = ([""] + options).map { value in
                "<option value=\"\(DashboardPage.escaped(value))\"\(query[name] == value ? " selected" : "")>\(value.isEmpty ? "any" : DashboardPage.escaped(value))</option>"
            }.joined()
            return
                "<label for=\"filter-\(name)\">\(label)</label> <select id=\"filter-\(name)\" name=\"\(name)\">\(choices)</select>"
        }
        let callbacks = scenario.deviceTypes.flatMap { type in
            ((try? type.definitions(receiverURL: "http://127.0.0.1:9")) ?? []).compactMap(\.id)
        }
        var html = "<form class=\"card filters\" method=\"get\" action=\"/ui/not-delivered\">"
        html += select("device", "Device", scenario.devices.prefix(500).map(\.id.description))
        html += select("deviceType", "Device type", scenario.deviceTypes.map(\.type.id.description))
        html += select("callback", "Callback", callbacks)
        html += select("outcome", "Outcome", ["retry", "failed", "cancelled"])
        html += " <button type=\"submit\">Filter</button></form>"
        html +=
            "<div class=\"table-wrap\"><table id=\"not-delivered\"><thead><tr><th scope=\"col\">Due (UTC)</th><th scope=\"col\">Device</th>"
        html +=
            "<th scope=\"col\">Callback</th><th scope=\"col\">State</th><th scope=\"col\">Status</th><th scope=\"col\">Why</th>"
        html += "<th scope=\"col\">Resend</th></tr></thead><tbody id=\"not-delivered-body\" data-live-region>"
        for row in rows {
            let id: Int64 = row["id"]
            let state = DashboardData.CallbackState(
                callback: row["callback"],
                service: row["service"],
                outcome: row["outcome"],
                attempt: row["attempt"],
                status: row["status"],
                nextTry: row["nextTry"]
            )
            let why = (try? JSONParser.parse(row["line"] as String))?["message"]?.scalarText ?? ""
            let device: String = row["device"]
            let message = try control.engine.store.read { db in
                try Int64.fetchOne(
                    db,
                    sql: "SELECT id FROM message WHERE device = ? AND time = ?",
                    arguments: [device, row["messageTime"] as Int64]
                )
            }
            html +=
                "<tr data-try=\"\(id)\"><td>\(message.map { "<a href=\"/ui/messages/\($0)\">" } ?? "")\(DashboardPage.time(row["time"]))\(message == nil ? "" : "</a>")</td>"
            html +=
                "<td>\(DashboardPage.escaped(device))</td><td>\(DashboardPage.escaped(state.callback)) <small>\(DashboardPage.escaped(state.service))</small></td>"
            html +=
                "<td>\(DashboardPage.badge(state))</td><td>\(state.status)</td><td>\(DashboardPage.escaped(why))</td>"
            html += "<td><button type=\"button\" data-resend=\"\(id)\">Resend</button></td></tr>"
        }
        if rows.isEmpty { html += "<tr><td colspan=\"7\" class=\"empty\">Every callback was delivered.</td></tr>" }
        html +=
            "</tbody></table></div>"
            + DashboardPage.pager(path: "/ui/not-delivered", query: query, page: pageNumber, more: more)
        return ("Callbacks not delivered", "/ui/not-delivered", html)
    }

    // MARK: Device types and devices

    private func deviceTypesPage() throws -> (String, String, String) {
        var html = ""
        for type in control.configuration.scenario.deviceTypes {
            let definitions = (try? type.definitions(receiverURL: "{receiver}")) ?? []
            html +=
                "<section class=\"card\"><h2>\(DashboardPage.escaped(type.type.name)) <small>\(type.type.id)</small></h2>"
            html +=
                "<p>payloadConfig <code>\(DashboardPage.escaped(type.type.payloadConfig ?? "none"))</code> · downlink "
                + "\(type.type.downlinkMode.rawValue) · keep-alive \(type.type.keepAlive == 0 ? "off" : "\(type.type.keepAlive) s")</p>"
            html +=
                "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Callback</th><th scope=\"col\">Service</th>"
            html += "<th scope=\"col\">Request</th><th scope=\"col\">Enabled</th></tr></thead><tbody>"
            for definition in definitions {
                let id = definition.id ?? ""
                let target =
                    definition.channel == .email
                    ? "EMAIL \(definition.recipient ?? "")"
                    : "\(definition.httpMethod?.rawValue ?? "") \(definition.url?.source ?? "")"
                html +=
                    "<tr><td>\(DashboardPage.escaped(id))</td><td>\(DashboardPage.escaped(definition.service.rawValue))</td>"
                html += "<td><code>\(DashboardPage.escaped(target))</code></td><td>"
                html +=
                    definition.enabled
                    ? "<span class=\"badge badge-delivered\">on</span>"
                    : "<span class=\"badge badge-cancelled\">off</span>"
                html +=
                    " <button type=\"button\" data-enable=\"\(!definition.enabled)\" data-type=\"\(type.type.id)\" data-callback=\"\(DashboardPage.escaped(id))\">"
                html += definition.enabled ? "Disable" : "Enable"
                html += "</button></td></tr>"
            }
            html += "</tbody></table></div></section>"
        }
        return ("Device types and their callbacks", "/ui/device-types", html)
    }

    private func devicesPage() throws -> (String, String, String) {
        let last = try data.lastMessages()
        var html =
            "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Device</th><th scope=\"col\">Type</th>"
        html += "<th scope=\"col\">Position</th><th scope=\"col\">Last message (UTC)</th><th scope=\"col\">Seq</th>"
        html += "<th scope=\"col\">Data</th><th scope=\"col\">LQI</th></tr></thead><tbody>"
        let names = Dictionary(
            control.configuration.scenario.deviceTypes.map { ($0.type.id, $0.type.name) },
            uniquingKeysWith: { first, _ in first }
        )
        for device in control.configuration.scenario.devices.prefix(1000) {
            let id = device.id.description
            html +=
                "<tr><td><a href=\"/?device=\(id)\">\(id)</a></td><td>\(DashboardPage.escaped(names[device.deviceType] ?? ""))</td>"
            html += String(format: "<td>%.5f, %.5f</td>", device.position.latitude, device.position.longitude)
            if let row = last[id] {
                let messageID: Int64 = row["id"]
                html +=
                    "<td><a href=\"/ui/messages/\(messageID)\">\(DashboardPage.time(row["time"]))</a></td><td>\(row["seqNumber"] as Int)</td>"
                html +=
                    "<td><code>\(DashboardPage.escaped(row["data"]))</code></td><td>\(DashboardPage.escaped(row["lqi"]))</td></tr>"
            } else {
                html += "<td colspan=\"4\" class=\"empty\">never sent</td></tr>"
            }
        }
        html += "</tbody></table></div>"
        return ("Devices", "/ui/devices", html)
    }
}
