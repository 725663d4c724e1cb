import Foundation
import GRDB
import SigfoxEngine
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// The store's record types read and write their tables' columns as the schema has them (no migration:
/// a data folder of the previous version opens).
@Suite("the store's records")
struct StoreRecordsTests {
    static func store() throws -> CloudStore {
        let folder = InProcessServe.newFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try CloudStore(path: folder + "/sigfox-sim.sqlite")
    }

    @Test("a waiting delivery, a resend and a device's state round-trip; the queries read them back")
    func roundTrip() throws {
        let store = try Self.store()
        let reference = CallbackReference(
            deviceType: DeviceTypeID("5f1d3a2b4c6e8f0a1b2c3d4e")!,
            index: 1,
            id: nil,
            service: .dataUplink,
            channel: .url
        )
        let callback = PersistedDelivery.callbackJSON(reference)
        #expect(
            callback
                == #"{"deviceType":"5f1d3a2b4c6e8f0a1b2c3d4e","index":1,"id":null,"service":"DATA/UPLINK","#
                + #""channel":"URL"}"#
        )
        let request = RenderedCallback.http(HTTPRequest(method: .get, url: "http://h/x", headers: [], body: nil))
        let kept = [
            KeptDelivery(
                id: 4,
                callback: callback,
                request: request.json,
                messages: "[]",
                sendSni: false,
                tries: 0,
                due: 20,
                resentFrom: nil
            ),
            KeptDelivery(
                id: 3,
                callback: callback,
                request: request.json,
                messages: "[]",
                sendSni: true,
                tries: 2,
                due: 10,
                resentFrom: 9
            ),
        ]
        try store.pool.write { db in
            for delivery in kept { try delivery.insert(db) }
            try KeptResend(try: 9, delivery: 3, time: 5).insert(db)
            try KeptDeviceState(device: "2C30EA", nextSeq: 12).insert(db)
        }
        let (delivery, resends) = try store.read { db in
            (try KeptDelivery.fetchOne(db, key: 3), try KeptResend.fetchAll(db))
        }
        #expect(delivery == kept[1])
        #expect(resends == [KeptResend(try: 9, delivery: 3, time: 5)])
        let (whole, rest) = try store.unfinishedDeliveries(limit: 1)
        #expect(whole.map(\.delivery.id) == [3])
        #expect(whole.first?.tries == 2)
        #expect(whole.first?.delivery.callback == reference)
        #expect(rest.map(\.0) == [4])
        #expect(rest.map(\.1) == [SimulationTime(milliseconds: 20)])
        #expect(try store.unfinishedDelivery(id: 4)?.delivery.sendSni == false)
        #expect(try store.resentDeliveries() == [3: 9])
        #expect(try store.highestDeliveryID() == 4)
        #expect(try store.sequenceNumbers() == [DeviceID(hex: "2C30EA")!: 12])
    }

    @Test("rollover counters count a device's sequence number going down; consumption counts per day in SQL")
    func rolloversAndConsumption() throws {
        let store = try Self.store()
        let day: Int64 = 86_400_000
        let rows = [(1, "A", 4094, 0), (2, "A", 4095, 1), (3, "B", 7, 1), (4, "A", 0, 2), (5, "A", 1, day + 3)]
            .map { id, device, seqNumber, time in
                var message = BodyBytesTests.message
                message.id = Int64(id)
                message.kind = "uplink"
                message.device = device
                message.seqNumber = seqNumber
                message.time = Int64(time)
                message.downlinkData = id == 4 ? "0011223344556677" : nil
                return message
            }
        try store.pool.write { db in
            for row in rows { try row.insert(db) }
        }
        #expect(try store.rolloverCounters(of: rows) == [1: 0, 2: 0, 3: 0, 4: 1, 5: 1])
        #expect(try store.rolloverCounters(of: [rows[4]]) == [5: 1])
        let days = try store.dailyConsumption(of: "A", from: 0, to: 2 * day, by: 3 * day)
        #expect(days[0]?.uplinks == 3)
        #expect(days[0]?.downlinks == 1)
        #expect(days[1]?.uplinks == 1)
        #expect(days[1]?.downlinks == 0)
        #expect(try store.dailyConsumption(of: "A", from: day, to: 2 * day, by: 3 * day).keys.sorted() == [1])
    }

    @Test("rollover counters taken up from the last counted agree with counting from the start, in any order asked")
    func rolloverMarks() throws {
        let store = try Self.store()
        // Device A wraps every 5 messages (seq 4093...4095, 0, 1, ...), device B never.
        var next: Int64 = 0
        func add(_ count: Int) throws -> [KeptMessage] {
            let rows = (0..<count).flatMap { _ -> [KeptMessage] in
                next += 1
                var a = BodyBytesTests.message
                a.id = 2 * next
                a.device = "A"
                a.seqNumber = Int((4093 + next) % 4096) * 819 % 4096
                var b = a
                b.id = 2 * next + 1
                b.device = "B"
                b.seqNumber = Int(next)
                return [a, b]
            }
            try store.pool.write { db in for row in rows { try row.insert(db) } }
            return rows
        }
        func fresh(_ rows: [KeptMessage]) throws -> [Int64: Int] {
            store.rolloverMarks.withLock { $0.removeAll() }
            return try store.rolloverCounters(of: rows)
        }
        let first = try add(40)
        let page = Array(first.suffix(10))
        let expected = try fresh(page)
        #expect(try store.rolloverCounters(of: page) == expected, "from the mark, the same page")
        let second = try add(40)
        let newest = Array(second.suffix(10))
        let expectedNewest = try fresh(newest)
        _ = try fresh(page)
        #expect(try store.rolloverCounters(of: newest) == expectedNewest, "a newer page, from an older mark")
        #expect(try store.rolloverCounters(of: Array(first.prefix(6))) == (try fresh(Array(first.prefix(6)))))
        #expect(expectedNewest.values.contains { $0 > 0 }, "device A wrapped")
        // The store emptied and filled again: the marks are not trusted.
        try store.pool.write { db in _ = try KeptMessage.deleteAll(db) }
        next = 0
        let again = try add(3)
        #expect(try store.rolloverCounters(of: again) == (try fresh(again)))
    }
}
