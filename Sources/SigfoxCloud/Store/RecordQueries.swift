import Foundation
import GRDB
import SigfoxModel

/// The listings of the control API, newest first, with filters and paging:
/// `GET /sim/messages?device=&since=&before=&limit=&offset=` and
/// `GET /sim/attempts?device=&callback=&outcome=&since=&before=&limit=&offset=`.
/// Answers `{"data": [...], "paging": {"next": URL}}`, `next` only when there is more. `next` pages by a
/// cursor (`beforeId`, the last id listed), so rows written meanwhile never shift a page onto rows already
/// seen; `offset` is still taken, for a fixed window.
struct RecordQueries {
    let store: CloudStore
    /// The engine's simulation time (epoch ms): a message is listed once its first reception has come.
    var now: Int64 = .max
    static let defaultLimit = 100
    static let maximumLimit = 1000

    init(store: CloudStore, now: Int64 = .max) {
        self.store = store
        self.now = now
    }

    /// The listings of `engine`'s store, as of its simulation clock.
    init(reading engine: LiveEngine) {
        self.init(store: engine.store, now: engine.metrics.simulationNow.load(ordering: .relaxed))
    }

    /// The condition on the `message` table of the messages the cloud has received by `now` (epoch ms): a
    /// message sent is stored at once, with its first reception (`time`) a few seconds ahead, and is listed
    /// from then on, as the real cloud lists it once it has it (SIGFOX.md section 1: the first reception is
    /// when the cloud has the message). A message whose DATA fired at its first reception counts as received
    /// whatever the clock says.
    static func received(by now: Int64) -> String { KeptMessage.received(by: now) }

    /// The messages the cloud has received by ``now`` (``received(by:)``).
    func messages(_ parameters: [(String, String)]) throws(APIError) -> String {
        var query = try Query(parameters, allowed: ["device", "since", "before", "limit", "offset", "beforeId"])
        var conditions = [Self.received(by: now)]
        var arguments = StatementArguments()
        if let device = try query.device() {
            conditions.append("device = ?")
            arguments += [device]
        }
        try query.timeRange(column: "time", into: &conditions, &arguments)
        return try page(
            "message",
            conditions,
            arguments,
            query: query,
            path: "/sim/messages",
            id: \KeptMessage.id,
            render: { EncodedJSON(MessageBody($0).apiJSON) }
        )
    }

    func attempts(_ parameters: [(String, String)]) throws(APIError) -> String {
        var query = try Query(
            parameters,
            allowed: ["device", "callback", "outcome", "since", "before", "limit", "offset", "beforeId"]
        )
        var conditions = [String]()
        var arguments = StatementArguments()
        if let device = try query.device() {
            conditions.append("device = ?")
            arguments += [device]
        }
        if let callback = query.values["callback"] {
            conditions.append("callback = ?")
            arguments += [callback]
        }
        if let outcome = query.values["outcome"] {
            let known = ["delivered", "retry", "failed", "cancelled"]
            guard known.contains(outcome) else {
                throw APIError.badRequest(
                    "expected one of \(known.joined(separator: ", ")), found '\(outcome)'",
                    field: "outcome"
                )
            }
            conditions.append("outcome = ?")
            arguments += [outcome]
        }
        try query.timeRange(column: "time", into: &conditions, &arguments)
        return try page(
            "attempt",
            conditions,
            arguments,
            query: query,
            path: "/sim/attempts",
            columns: AttemptJSON.columns,
            id: \KeptTry.id,
            render: { EncodedJSON(AttemptJSON.object($0)) }
        )
    }

    private func page<Record: FetchableRecord>(
        _ table: String,
        _ conditions: [String],
        _ arguments: StatementArguments,
        query: Query,
        path: String,
        columns: String = "*",
        id: KeyPath<Record, Int64>,
        render: (Record) -> EncodedJSON
    ) throws(APIError) -> String {
        let limit = query.limit
        let offset = query.offset
        var conditions = conditions
        var arguments = arguments
        if let cursor = query.beforeID {
            conditions.append("id < ?")
            arguments += [cursor]
        }
        // SQL, not the query interface: the filters are built from the query's parameters, and a try's
        // columns include its resends (a subquery, ``AttemptJSON/columns``).
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(columns) FROM \(table)\(filter) ORDER BY id DESC LIMIT \(limit + 1) OFFSET \(offset)"
        let rows: [Record]
        do {
            rows = try store.read { db in try Record.fetchAll(db, sql: sql, arguments: arguments) }
        } catch {
            throw APIError(status: 500, message: "the store could not be read: \(error)")
        }
        var paging: Paging?
        if rows.count > limit {
            var parameters = query.values.filter { $0.key != "offset" && $0.key != "beforeId" }
                .sorted { $0.key < $1.key }
            parameters.append(("beforeId", String(rows[limit - 1][keyPath: id])))
            let text = parameters.map { "\($0.key)=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
            paging = Paging(next: path + "?" + text)
        }
        return Listing(data: rows.prefix(limit).map(render), paging: paging).apiJSON
    }

    /// Every message and every try, oldest first, as `{"messages": [...], "attempts": [...]}` in the shapes
    /// of the listings, written to `path` a thousand rows at a time (a long session stays out of memory).
    func export(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw ServeError("cannot create the file") }
        defer { try? handle.close() }
        for (index, table) in ["message", "attempt"].enumerated() {
            handle.write(Data((index == 0 ? "{\"messages\":[" : "],\"attempts\":[").utf8))
            var after: Int64 = 0
            var first = true
            while true {
                let (texts, last) = try store.read { db -> ([String], Int64?) in
                    let sql =
                        "SELECT \(table == "attempt" ? AttemptJSON.columns : "*") FROM \(table) WHERE id > ? "
                        + "ORDER BY id LIMIT 1000"
                    if table == "message" {
                        let rows = try KeptMessage.fetchAll(db, sql: sql, arguments: [after])
                        return (rows.map { MessageBody($0).apiJSON }, rows.last?.id)
                    }
                    let rows = try KeptTry.fetchAll(db, sql: sql, arguments: [after])
                    return (rows.map { AttemptJSON.object($0) }, rows.last?.id)
                }
                guard let last else { break }
                after = last
                let text = texts.joined(separator: ",\n")
                handle.write(Data(((first ? "\n" : ",\n") + text).utf8))
                first = false
            }
        }
        handle.write(Data("]}\n".utf8))
    }

    static func percentEncoded(_ text: String) -> String {
        var out = [UInt8]()
        ValueEncoding.percentEncoded.append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The query string, checked: unknown parameters, bad numbers and ids are 400s naming the parameter.
    struct Query {
        var values: [String: String] = [:]

        init(_ parameters: [(String, String)], allowed: [String]) throws(APIError) {
            for (name, value) in parameters {
                guard allowed.contains(name) else {
                    throw APIError.badRequest(
                        "unknown query parameter '\(name)'; this listing takes \(allowed.joined(separator: ", "))",
                        field: name
                    )
                }
                values[name] = value
            }
            _ = try number("limit", 1...RecordQueries.maximumLimit)
            _ = try number("offset", 0...Int(Int32.max))
            _ = try number("beforeId", 1...Int(Int64.max))
        }

        /// Only rows older than this id (the cursor of `paging.next`).
        var beforeID: Int64? { values["beforeId"].flatMap(Int64.init) }

        var limit: Int { values["limit"].flatMap(Int.init) ?? RecordQueries.defaultLimit }
        var offset: Int { values["offset"].flatMap(Int.init) ?? 0 }

        func number(_ name: String, _ range: ClosedRange<Int>) throws(APIError) -> Int? {
            guard let text = values[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw APIError.badRequest(
                    "expected a whole number in \(range.lowerBound)...\(range.upperBound), found '\(text)'",
                    field: name
                )
            }
            return value
        }

        mutating func device() throws(APIError) -> String? {
            guard let text = values["device"] else { return nil }
            guard let id = DeviceID(hex: text) else {
                throw APIError.badRequest(
                    "expected a device id of up to 8 hex digits, found '\(text)'",
                    field: "device"
                )
            }
            return id.description
        }

        /// `since` (inclusive) and `before` (exclusive), simulation epoch milliseconds.
        func timeRange(
            column: String,
            into conditions: inout [String],
            _ arguments: inout StatementArguments
        )
            throws(APIError)
        {
            for (name, op) in [("since", ">="), ("before", "<")] {
                guard let text = values[name] else { continue }
                guard let value = Int64(text), value >= 0 else {
                    throw APIError.badRequest(
                        "expected epoch milliseconds (a whole number), found '\(text)'",
                        field: name
                    )
                }
                conditions.append("\(column) \(op) ?")
                arguments += [value]
            }
        }
    }
}
