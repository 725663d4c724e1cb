import Foundation
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

    func addRoutes(to router: RouteTable) {
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
                status: error.status,
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
        let filter = DashboardData.MessageFilter(query)
        let (rows, states, more) = try data.messages(page: pageNumber, size: Self.pageSize, filter: filter)
        var html = forms()
        html += "<section aria-labelledby=\"messages-title\"><div class=\"list-head\"><h2 id=\"messages-title\">"
        html += "Messages, newest first" + (filter.device.map { " of device \(DashboardPage.escaped($0))" } ?? "")
        html += "</h2><button type=\"button\" id=\"reset\" data-reset "
        html += "title=\"Back to the initial configuration; every message and try is cleared\">Reset…</button></div>"
        html += messageFilters(query)
        html += "<div class=\"table-wrap\"><table id=\"messages\"><thead><tr><th scope=\"col\">Time (UTC)</th>"
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
                filter.isEmpty
                ? "<tr><td colspan=\"8\" class=\"empty\">No message yet: send an uplink with the form above.</td></tr>"
                : "<tr><td colspan=\"8\" class=\"empty\">No message matches: <a href=\"/\">show every message</a>.</td></tr>"
        }
        html += "</tbody></table></div>"
        html += DashboardPage.pager(path: "/", query: query, page: pageNumber, more: more) + "</section>"
        return ("Messages", "/", html)
    }

    private func messageRow(_ row: KeptMessage, states: [DashboardData.CallbackState]) -> String {
        let id = row.id
        let deviceType = row.deviceType
        let kind = row.kind
        let data = row.data
        let decoded = self.data.decoded(deviceType: deviceType, hex: data)
            .map { "\(DashboardPage.escaped($0.0))=\(DashboardPage.escaped($0.1))" }.joined(separator: " ")
        var badges = states.map(DashboardPage.badge)
        let tried = Set(states.map(\.callback))
        for expected in self.data.expectedCallbacks(deviceType: deviceType, ack: row.ack, status: kind == "status")
        where !tried.contains(expected.id) {
            badges.append(DashboardPage.waitingBadge(expected.id, service: expected.service))
        }
        let device = row.device
        return
            "<tr data-message=\"\(id)\"><td><a href=\"/ui/messages/\(id)\">\(DashboardPage.time(row.time))</a></td>"
            + "<td><a href=\"/?device=\(DashboardPage.escaped(device))\">\(DashboardPage.escaped(device))</a></td>"
            + "<td>\row.seqNumber</td><td><code>\(kind == "status" ? "status" : DashboardPage.escaped(data))</code></td>"
            + "<td>\(decoded)</td><td>\(DashboardPage.escaped(row.lqi))</td>"
            + "<td><ul class=\"stations\">\(DashboardPage.receptions(row.receptions))</ul></td>"
            + "<td class=\"states\">\(badges.joined(separator: " "))</td></tr>"
    }

    /// Search and filters of the messages page: a device, a callback, an outcome of one of the message's
    /// tries, and a text in its payload or in a request it sent (plain HTML: a GET form).
    private func messageFilters(_ query: [String: String]) -> String {
        let scenario = control.configuration.scenario
        let callbacks = scenario.deviceTypes.flatMap { type in
            ((try? type.definitions(receiverURL: "http://127.0.0.1:9")) ?? []).enumerated().map {
                $0.element.id ?? CallbackReference.defaultID(deviceType: type.type.id, index: $0.offset)
            }
        }
        var html = "<form id=\"message-filters\" class=\"card filters\" method=\"get\" action=\"/\" role=\"search\">"
        html +=
            "<label for=\"filter-q\">Search</label> <input id=\"filter-q\" name=\"q\" type=\"search\" size=\"18\" "
            + "placeholder=\"payload or body text\" value=\"\(DashboardPage.escaped(query["q"] ?? ""))\">"
        html += DashboardPage.select("device", "Device", scenario.devices.prefix(500).map(\.id.description), query)
        html += DashboardPage.select("callback", "Callback", callbacks, query)
        html += DashboardPage.select("outcome", "Outcome", ["delivered", "retry", "failed", "cancelled"], query)
        html += " <button type=\"submit\">Filter</button>"
        if !DashboardData.MessageFilter(query).isEmpty { html += " <a href=\"/\">clear</a>" }
        return html + "</form>"
    }

    /// Send an uplink; take a base station down or up; reset.
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
        let device = row.device
        var html = "<section class=\"card\"><dl class=\"facts\">"
        let facts: [(String, String)] = [
            ("Device", device), ("Device type", data.typeName(row.deviceType)),
            ("Sequence number", "\row.seqNumber"),
            ("First reception (UTC)", DashboardPage.time(row.time)),
            ("Sent (UTC)", DashboardPage.time(row.sentAt)),
            ("Data", row.data), ("Ack requested", row.ack ? "yes" : "no"),
            ("Frames", "\row.frames"), ("LQI", row.lqi),
        ]
        for (name, value) in facts { html += "<dt>\(name)</dt><dd>\(DashboardPage.escaped(value))</dd>" }
        let decoded = data.decoded(deviceType: row.deviceType, hex: row.data)
        if !decoded.isEmpty {
            html +=
                "<dt>Decoded</dt><dd>"
                + decoded.map { "\(DashboardPage.escaped($0.0))=\(DashboardPage.escaped($0.1))" }
                .joined(separator: ", ") + "</dd>"
        }
        if let downlink = row.downlinkData {
            html +=
                "<dt>Downlink</dt><dd><code>\(DashboardPage.escaped(downlink))</code> from station "
                + "\(DashboardPage.escaped(row.downlinkStation ?? ""))</dd>"
        }
        if let acknowledge = row.acknowledge {
            html += "<dt>Acknowledge</dt><dd>\(DashboardPage.escaped(acknowledge))</dd>"
        } else if row.ack {
            html += "<dt>Acknowledge</dt><dd>not yet (the device listens about 20 to 45 s after its first frame)</dd>"
        }
        html +=
            "</dl><h2>Base stations</h2><ul class=\"stations\">\(DashboardPage.receptions(row.receptions))</ul></section>"
        html +=
            "<section aria-labelledby=\"tries-title\"><h2 id=\"tries-title\">Every try of every callback</h2><div id=\"tries\" data-live-region>"
        if tries.isEmpty { html += "<p class=\"empty\">No try yet.</p>" }
        var anchored = Set<Int64>()
        for attempt in tries {
            // The first try of each delivery is where a resend's link lands.
            let delivery = attempt.delivery
            if anchored.insert(delivery).inserted { html += "<span id=\"delivery-\(delivery)\"></span>" }
            html += tryCard(attempt)
        }
        html += "</div></section>"
        return ("Message \(id): device \(device)", "/", html)
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
                let messageID = row.id
                html +=
                    "<td><a href=\"/ui/messages/\(messageID)\">\(DashboardPage.time(row.time))</a></td><td>\row.seqNumber</td>"
                html +=
                    "<td><code>\(DashboardPage.escaped(row.data))</code></td><td>\(DashboardPage.escaped(row.lqi))</td></tr>"
            } else {
                html += "<td colspan=\"4\" class=\"empty\">never sent</td></tr>"
            }
        }
        html += "</tbody></table></div>"
        return ("Devices", "/ui/devices", html)
    }
}
