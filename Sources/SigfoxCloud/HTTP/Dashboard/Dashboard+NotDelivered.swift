import Hummingbird
import SigfoxEngine
import SigfoxModel

/// The callbacks not delivered (`/ui/not-delivered`): every failed try, filtered, each with a Resend button;
/// a try resent says so, with the new delivery and how it went, so the list shows what was fixed.
extension Dashboard {
    func notDeliveredPage(_ request: Request) throws -> (String, String, String) {
        let query = Self.query(request)
        let pageNumber = max(0, Int(query["page"] ?? "") ?? 0)
        let (rows, more) = try data.notDelivered(filter: query, page: pageNumber, size: Self.pageSize)
        let scenario = control.configuration.scenario
        let e = DashboardPage.escaped
        let callbacks = scenario.deviceTypes.flatMap { type in
            ((try? type.definitions(receiverURL: "http://127.0.0.1:9")) ?? []).enumerated().map {
                $0.element.id ?? CallbackReference.defaultID(deviceType: type.type.id, index: $0.offset)
            }
        }
        var html = "<form class=\"card filters\" method=\"get\" action=\"/ui/not-delivered\">"
        html += DashboardPage.select("device", "Device", scenario.devices.prefix(500).map(\.id.description), query)
        html += DashboardPage.select(
            "deviceType",
            "Device type",
            scenario.deviceTypes.map { ($0.type.id.description, $0.type.name) },
            query
        )
        html += DashboardPage.select("callback", "Callback", callbacks, query)
        html += DashboardPage.select("outcome", "Outcome", ["retry", "failed", "cancelled"], query)
        html += " <button type=\"submit\">Filter</button></form>"
        html +=
            "<p class=\"note\">Every try that did not deliver. A resend is a new delivery of the same request: the "
            + "try resent stays as it ended, marked <span class=\"resent-mark\">↺ resent</span> with how the new "
            + "delivery went.</p>"
        html +=
            "<div class=\"table-wrap\"><table id=\"not-delivered\"><thead><tr><th scope=\"col\">Due (UTC)</th>"
            + "<th scope=\"col\">Device</th><th scope=\"col\">Callback</th><th scope=\"col\">State</th>"
            + "<th scope=\"col\">Why</th><th scope=\"col\">Resend</th></tr></thead>"
            + "<tbody id=\"not-delivered-body\" data-live-region>"
        for row in rows {
            let id = row.id
            let state = DashboardData.CallbackState(row)
            let why = (try? JSONParser.parse(row.line))?["message"]?.scalarText ?? ""
            let device = row.device
            let message = try control.engine.store.messageID(device: device, time: row.messageTime)
            let link = message.map { "/ui/messages/\($0)" }
            html += "<tr data-try=\"\(id)\"\(state.resentAs.isEmpty ? "" : " class=\"resent\"")><td>"
            html += link.map { "<a href=\"\($0)#try-\(id)\">" } ?? ""
            html += DashboardPage.time(row.time) + (link == nil ? "" : "</a>") + "</td>"
            html +=
                "<td>\(e(device))</td><td><span class=\"cb\">\(e(state.callback))</span> "
                + "<small>\(e(state.service))</small></td><td>\(DashboardPage.badge(state))"
            for target in state.resentAs {
                let fate = (try? data.deliveryState(target)) ?? nil
                html +=
                    " <a class=\"resent-mark\" data-resent-as=\"\(target)\" href=\"\(link ?? "")#delivery-\(target)\">"
                    + "↺ resent as delivery \(target)"
                    + (fate.map { ": \(DashboardPage.outcomeWords($0.outcome))" } ?? ": not tried yet") + "</a>"
            }
            html += "</td><td>\(state.status) \(e(why))</td>"
            html += "<td><button type=\"button\" data-resend=\"\(id)\">Resend</button></td></tr>"
        }
        if rows.isEmpty { html += "<tr><td colspan=\"6\" class=\"empty\">Every callback was delivered.</td></tr>" }
        html +=
            "</tbody></table></div>"
            + DashboardPage.pager(path: "/ui/not-delivered", query: query, page: pageNumber, more: more)
        return ("Callbacks not delivered", "/ui/not-delivered", html)
    }
}
