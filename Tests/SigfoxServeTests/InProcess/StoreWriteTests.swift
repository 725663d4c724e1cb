import Foundation
import GRDB
import SigfoxEngine
import SigfoxModel
import Testing

@testable import SigfoxCloud

/// What makes serve's per-uplink work cheap keeps its promises: the JSON encoder that writes as it encodes
/// gives the bytes the tree encoder gave, events nobody hears still take their ids, and the store's
/// checkpoints, beside the writer, leave the write-ahead log bounded.
@Suite("the store's writes and the engine's texts")
struct StoreWriteTests {
    struct Empty: Encodable {}
    struct Inner: Encodable {
        var name: String
        var values: [Int]
    }
    struct Outer: Encodable {
        var id: Int64
        var text: String
        var missing: String?
        var inner: Inner
        var list: [Inner]
        var none: [Int]
        var empty: Empty
        var flag: Bool
        var ratio: Double
        var whole: Double
        var optionalNull: Int?

        enum CodingKeys: String, CodingKey {
            case id, text, missing, inner, list, none, empty, flag, ratio, whole, optionalNull
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(text, forKey: .text)
            try container.encodeIfPresent(missing, forKey: .missing)
            try container.encode(inner, forKey: .inner)
            try container.encode(list, forKey: .list)
            try container.encode(none, forKey: .none)
            try container.encode(empty, forKey: .empty)
            try container.encode(flag, forKey: .flag)
            try container.encode(ratio, forKey: .ratio)
            try container.encode(whole, forKey: .whole)
            try container.encode(optionalNull, forKey: .optionalNull)
        }
    }

    @Test("the encoder writes keys in order, nested values, escapes, empty containers and nulls")
    func encoderBytes() throws {
        let value = Outer(
            id: 42,
            text: "a \"quoted\" \\ line\nnext\u{01}/",
            missing: nil,
            inner: Inner(name: "x", values: [1, 2]),
            list: [Inner(name: "p", values: []), Inner(name: "q", values: [3])],
            none: [],
            empty: Empty(),
            flag: true,
            ratio: 2.5,
            whole: 7,
            optionalNull: nil
        )
        let text = try OrderedJSONEncoder().encode(value)
        #expect(
            text
                == #"{"id":42,"text":"a \"quoted\" \\ line\nnext\u0001/","inner":{"name":"x","values":[1,2]},"#
                + #""list":[{"name":"p","values":[]},{"name":"q","values":[3]}],"none":[],"empty":{},"flag":true,"#
                + #""ratio":2.5,"whole":7,"optionalNull":null}"#
        )
        #expect(try OrderedJSONEncoder().encode([Empty(), Empty()]) == "[{},{}]")
        #expect(try OrderedJSONEncoder().encode(["a": 1]) == #"{"a":1}"#)
        #expect(try OrderedJSONEncoder().encode(SwiftDouble(43)) == "43.0")
        #expect(JSONText.quoted("plain") == "\"plain\"")
        #expect(JSONText.quoted("tab\there") == #""tab\there""#)
    }

    @Test("events nobody hears are not written but take their ids; a listener gets the next ones")
    func unheardEventsKeepTheirIDs() async throws {
        let hub = EventHub()
        #expect(!hub.isHeard)
        hub.publish([], unheard: 3)
        let stream = hub.subscribe()
        #expect(hub.isHeard)
        hub.publish([("message", "{}")])
        var iterator = stream.makeAsyncIterator()
        let batch = try #require(await iterator.next())
        #expect(batch.map(\.id) == [4])
        hub.close()
        #expect(!hub.isHeard)
    }

    @Test("a commit is copied into the database beside the writer and the log cut when quiet; many stay bounded")
    func checkpointsBesideTheWriter() throws {
        let folder = InProcessServe.newFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/sigfox-sim.sqlite"
        let store = try CloudStore(path: path)
        func walBytes() -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
        }
        var batch = StoreBatch()
        batch.state = [("document", String(repeating: "x", count: 200_000))]
        try store.write(batch)
        #expect(walBytes() > 200_000)
        store.checkpointer.settle()
        #expect(!store.checkpointer.hasFailed)
        #expect(walBytes() == 0, "a log copied whole in a quiet moment is cut to nothing")
        #expect(try store.state("document")?.count == 200_000)
        // Sustained writes (no pause longer than the checkpoint interval): the log never passes its bound
        // by much, whatever was written (here about 6 times the bound).
        var largest = 0
        for round in 0..<600 {
            var next = StoreBatch()
            next.state = [("round \(round % 50)", String(repeating: "y", count: 400_000))]
            try store.write(next)
            largest = max(largest, walBytes())
        }
        store.checkpointer.settle()
        #expect(!store.checkpointer.hasFailed)
        #expect(largest < 4 * StoreCheckpointer.restartFrames * 4_096, "\(largest) bytes of log")
        #expect(try store.state("round 49")?.count == 400_000)
    }
}
