import Foundation
import SigfoxCloud
import SigfoxModel
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("sigfox-sim serve: stops, kills and restarts", .serialized, .timeLimit(.minutes(3)))
struct ServeRestartTests {
    @Test("kill -9 in the middle of traffic loses nothing acknowledged; a restart resumes the retries")
    func killAndRestart() throws {
        let data = NSTemporaryDirectory() + "sigfox-serve-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scenario = try scenarioFile(oneDeviceScenario(status: 500))
        let first = try ServeProcess([scenario, "--data", data, "--time", "scaled:30"])
        // Follow the tries on the event stream while uplinks are posted; kill the process mid-way.
        let seenAttempts = Mutex<[String: String]>([:])
        let acknowledged = Mutex<[String]>([])
        let poster = Thread {
            for index in 0..<200 {
                guard
                    let answer = try? first.post(
                        "/sim/devices/2C30EA/uplinks",
                        "{\"payload\":\"\(String(format: "%04x", index))\"}"
                    ), answer.status == 201,
                    let id = try? JSONParser.parse(answer.body)["id"]?.scalarText
                else { return }
                acknowledged.withLock { $0.append(id) }
                usleep(10_000)
            }
        }
        let streamDone = DispatchSemaphore(value: 0)
        Thread {
            try? first.client.events("/sim/events?types=attempt", timeoutSeconds: 30) {
            } onEvent: { _, json in
                if let node = try? JSONParser.parse(json), let id = node["id"]?.scalarText {
                    seenAttempts.withLock { $0[id] = json }
                }
                return true
            }
            streamDone.signal()
        }.start()
        poster.start()
        // Kill once tries have been recorded and retries are due (try 2 of the first ones).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !seenAttempts.withLock({ $0.values.contains { $0.contains("\"attempt\":2") } }) {
            usleep(20_000)
        }
        first.signal(SIGKILL)
        #expect(first.waitForExit(seconds: 10) != nil)
        _ = streamDone.wait(timeout: .now() + 10)
        let acked = acknowledged.withLock { $0 }
        let attemptsBefore = seenAttempts.withLock { $0 }
        #expect(acked.count >= 5)
        #expect(!attemptsBefore.isEmpty)

        let second = try ServeProcess([scenario, "--data", data, "--time", "scaled:30"])
        defer { second.stop() }
        #expect(second.stdout.contains("resumed"))
        // Every acknowledged message is there: listed once received (those still on their way at the kill
        // are received after the restart, a few simulated seconds on).
        var stored = Set<String>()
        let listedBy = Date().addingTimeInterval(30)
        repeat {
            if !stored.isEmpty { usleep(100_000) }
            stored.removeAll()
            var path: String? = "/sim/messages?limit=1000"
            while let next = path {
                let page = try second.json(next)
                stored.formUnion(page.listed.compactMap { $0["id"]?.scalarText })
                path = page["paging"]?["next"]?.scalarText
            }
        } while !Set(acked).isSubset(of: stored) && Date() < listedBy
        #expect(Set(acked).isSubset(of: stored), "missing: \(Set(acked).subtracting(stored).sorted())")
        // Every try the stream reported is recorded, as it was reported.
        let after = try second.json("/sim/attempts?limit=1000").listed
        var byID = [String: ConfigNode]()
        for attempt in after { if let id = attempt["id"]?.scalarText { byID[id] = attempt } }
        for (id, json) in attemptsBefore {
            let recorded = try #require(byID[id], "try \(id) was reported before the kill but is not recorded")
            let reported = try JSONParser.parse(json).jsonText
            #expect(recorded.jsonText == reported, "try \(id)")
        }
        // The retries resume: later tries of deliveries begun before the kill appear.
        let maxDeliveryBefore =
            attemptsBefore.values.compactMap {
                (try? JSONParser.parse($0))?["delivery"]?.scalarText.flatMap(Int.init)
            }.max() ?? 0
        let resumed = try second.waitFor("/sim/attempts?limit=1000") { listing in
            listing.listed.contains { attempt in
                guard let delivery = attempt["delivery"]?.scalarText.flatMap(Int.init),
                    let id = attempt["id"]?.scalarText
                else { return false }
                return delivery <= maxDeliveryBefore && attemptsBefore[id] == nil
            }
        }
        #expect(resumed.listed.count > attemptsBefore.count)
        // New messages continue the sequence numbers.
        let next = try JSONParser.parse(try second.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}").body)
        let nextSeq = next["seqNumber"]?.scalarText.flatMap(Int.init)
        // Listed once received; the one before it is the last message of before the restart.
        let listed = try second.waitFor("/sim/messages?device=2C30EA&limit=2") {
            $0.listed.first?["seqNumber"]?.scalarText.flatMap(Int.init) == nextSeq
        }.listed
        let lastSeq = listed.last?["seqNumber"]?.scalarText.flatMap(Int.init)
        #expect(nextSeq == lastSeq.map { ($0 + 1) & 4095 })
    }

    @Test("SIGINT: stops taking work, lets tries in flight end, exits 0; the state is kept for a restart")
    func gracefulStop() throws {
        let data = NSTemporaryDirectory() + "sigfox-serve-stop-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scenario = try scenarioFile(oneDeviceScenario(status: 503))
        let serve = try ServeProcess([scenario, "--data", data, "--time", "scaled:10"])
        _ = try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}")
        try serve.waitFor("/sim/attempts") { !$0.listed.isEmpty }
        serve.signal(SIGINT)
        #expect(serve.waitForExit() == 0)
        #expect(serve.stdout.contains("sigfox-sim serve: stopped"))
        #expect(serve.stderr.contains("stopping"))
        // The delivery waiting for its retry was kept, and the restart tries it.
        let again = try ServeProcess([scenario, "--data", data, "--time", "scaled:10"])
        defer { again.stop() }
        #expect(again.stdout.contains("resumed 1 unfinished deliveries"))
        try again.waitFor("/sim/attempts") { $0.listed.contains { $0["attempt"]?.scalarText == "2" } }
    }

    @Test("a second SIGINT stops at once and records what is left as cancelled")
    func secondSignal() throws {
        let scenario = try scenarioFile(
            oneDeviceScenario(status: 200).replacingOccurrences(of: "{ status: 200 }", with: "{ hang: true }")
        )
        let serve = try ServeProcess([scenario])
        _ = try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}")
        // Wait until the try is on the wire (first reception is 2.5 to 4.5 s after the uplink), as the metrics
        // say, then until serve says it drains.
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, !(try serve.get("/metrics").body.contains("sigfox_sim_tries_in_flight 1")) {
            usleep(50_000)
        }
        serve.signal(SIGINT)
        serve.child.waitForOutput(seconds: 10, inErrors: true) { $0.contains("stopping (tries in flight") }
        serve.signal(SIGINT)
        let started = Date()
        #expect(serve.waitForExit(seconds: 8) == 0)
        #expect(Date().timeIntervalSince(started) < 8)
    }
}
