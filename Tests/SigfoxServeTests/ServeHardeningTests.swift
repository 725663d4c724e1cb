import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxReceiverModel
import SigfoxScenario
import SigfoxServices
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` as a service: one owner per data folder, nothing sent that is not recorded, no web page
/// driving it, the simulation clock across a restart, paging that holds while it writes.
@Suite("serve holds up as a service", .serialized, .timeLimit(.minutes(3)))
struct ServeHardeningTests {
    static func folder(_ name: String) -> String {
        NSTemporaryDirectory() + "sigfox-serve-\(name)-\(UUID().uuidString)"
    }

    @Test("a second serve on the same --data exits 2 naming the owner's pid, and the first loses nothing")
    func oneOwnerPerFolder() throws {
        let data = Self.folder("owner")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scenario = try scenarioFile(oneDeviceScenario(status: 500))
        let first = try ServeProcess([scenario, "--data", data, "--time", "scaled:10"])
        defer { first.stop() }
        #expect(try first.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}").status == 201)
        try first.waitFor("/sim/attempts") { $0.listed.count >= 1 }
        let pid = try #require(Int32(String(contentsOfFile: data + "/sigfox-sim.lock", encoding: .utf8).trimmed))
        // On the first one's port (it would fail to listen) and on a free port (it would run beside it).
        for port in ["\(first.port)", "0"] {
            let second = try ToolProcess.run(["serve", scenario, "--data", data, "--port", port], seconds: 30)
            #expect(second.status == 2, "\(second.stdout) \(second.stderr)")
            #expect(
                second.stderr.contains("the data folder \(data) is in use by another sigfox-sim serve (pid \(pid))")
            )
            #expect(!second.stdout.contains("listening"))
        }
        // The first one's delivery is still waiting for its retry, and nothing was cancelled.
        let attempts = try first.json("/sim/attempts?limit=1000").listed
        #expect(!attempts.contains { $0["outcome"]?.scalarText == "cancelled" })
        let retried = try first.waitFor("/sim/attempts?limit=1000", seconds: 30) { listing in
            listing.listed.contains { $0["attempt"]?.scalarText == "2" }
        }
        #expect(retried.listed.contains { $0["attempt"]?.scalarText == "2" })
        #expect(try first.get("/health").status == 200)
    }

    @Test(
        "a full disk: nothing is sent unrecorded, /health and uplinks say 503 once, and it resumes by itself",
        .enabled(if: getuid() == 0, "mounting a small tmpfs needs root; run the suite as root to check a full disk")
    )
    func fullDisk() async throws {
        let data = Self.folder("full")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let mount = try ToolProcess.launch(
            URL(fileURLWithPath: "/bin/mount"),
            ["-t", "tmpfs", "-o", "size=3m", "tmpfs", data],
            input: nil,
            seconds: 30
        )
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer {
            _ = try? ToolProcess.launch(URL(fileURLWithPath: "/bin/umount"), ["-l", data], input: nil, seconds: 30)
        }
        let received = Mutex(0)
        let receiver = try await EmbeddedReceiver.start { _ in received.withLock { $0 += 1 } }
        try await withShutdown(receiver) {
            let serve = try ServeProcess(["--data", data, "--time", "scaled:60", "--target", receiver.baseURL])
            defer { serve.stop() }
            let uplink = "{\"payload\":\"01\"}"
            #expect(try serve.post("/sim/devices/2C30EA/uplinks", uplink).status == 201)
            try serve.waitFor("/sim/attempts") { $0.listed.count >= 2 }
            // Fill the disk.
            let filler = data + "/filler"
            _ = FileManager.default.createFile(atPath: filler, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: filler))
            let block = Data(count: 64 << 10)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
            // An uplink whose turn cannot be recorded waits for the store (its answer comes after the commit);
            // the next ones are refused at once.
            let held = Mutex<ServeClient.Answer?>(nil)
            let heldDone = DispatchSemaphore(value: 0)
            Thread {
                let answer = try? serve.client.request(
                    "POST",
                    "/sim/devices/2C30EB/uplinks",
                    body: uplink,
                    timeoutSeconds: 60
                )
                held.withLock { $0 = answer }
                heldDone.signal()
            }.start()
            var health = try serve.get("/health")
            let deadline = Date().addingTimeInterval(20)
            while health.status == 200, Date() < deadline {
                usleep(50_000)
                health = try serve.get("/health")
            }
            #expect(health.status == 503)
            #expect(health.body.contains("database or disk is full"), "\(health.body)")
            let refused = try serve.post("/sim/devices/2C30EC/uplinks", uplink)
            #expect(refused.status == 503)
            #expect(refused.body.contains("the store cannot write"), "\(refused.body)")
            let sentDuringOutage = received.withLock { $0 }
            usleep(1_000_000)
            #expect(received.withLock { $0 } == sentDuringOutage, "callbacks went out while the store could not write")
            // Room again: it resumes by itself, answers the held uplink, and delivers what waited.
            try FileManager.default.removeItem(atPath: filler)
            #expect(heldDone.wait(timeout: .now() + 30) == .success)
            #expect(held.withLock { $0 }?.status == 201)
            try serve.waitFor("/health") { _ in true }
            #expect(try serve.get("/health").status == 200)
            #expect(try serve.post("/sim/devices/2C30EC/uplinks", uplink).status == 201)
            let attempts = try serve.waitFor("/sim/attempts?limit=1000") { listing in
                listing.listed.count >= 6 && received.withLock { $0 } >= 6
            }.listed
            // Every request the receiver got is a try on record.
            #expect(
                attempts.count == received.withLock { $0 },
                "\(attempts.count) recorded, \(received.withLock { $0 }) received"
            )
            // Said once when it failed, once when it came back (standard error is read at exit).
            #expect(serve.stop() == 0)
            #expect(serve.stderr.components(separatedBy: "cannot write the store").count == 2, "\(serve.stderr)")
            #expect(serve.stderr.contains("the store writes again"))
        }
    }

    @Test("a damaged database says what to do; a write-ahead log cut short is reported")
    func damagedStore() throws {
        let data = Self.folder("damaged")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(
            to: URL(fileURLWithPath: data + "/sigfox-sim.sqlite")
        )
        let damaged = try ToolProcess.run(["serve", "--data", data, "--port", "0"], seconds: 30)
        #expect(damaged.status == 2)
        #expect(damaged.stderr.contains("is damaged"), "\(damaged.stderr)")
        #expect(damaged.stderr.contains("move it aside"))

        let wal = Self.folder("wal")
        defer { try? FileManager.default.removeItem(atPath: wal) }
        let first = try ServeProcess(["--data", wal, "--quiet"])
        for index in 0..<5 {
            #expect(try first.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"0\(index)\"}").status == 201)
        }
        first.signal(SIGKILL)
        _ = first.waitForExit(seconds: 10)
        let log = wal + "/sigfox-sim.sqlite-wal"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        try #require(size > 1000, "the kill left no write-ahead log to cut")
        let truncate = try #require(FileHandle(forWritingAtPath: log))
        try truncate.truncate(atOffset: UInt64(size - 100))
        try truncate.close()
        let second = try ServeProcess(["--data", wal, "--quiet"])
        #expect(try second.get("/health").status == 200)
        #expect(second.stop() == 0)
        #expect(second.stderr.contains("sigfox-sim.sqlite-wal is cut short"), "\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: log + ".cut-short"))
    }

    @Test("a web page cannot drive it: foreign Host, cross-origin writes, form bodies; the page holds no password")
    func noPageDrivesIt() throws {
        let serve = try ServeProcess(["--api-password", "s3cret-given", "--allow-host", "sim.test"])
        defer { serve.stop() }
        let body = "{\"payload\":\"01\"}"
        // DNS rebinding: the page's own name in Host.
        let rebound = try serve.client.request(
            "GET",
            "/sim/attempts",
            headers: [("Host", "evil.example:\(serve.port)")]
        )
        #expect(rebound.status == 421)
        #expect(rebound.body.contains("--allow-host evil.example"))
        #expect(try serve.client.request("GET", "/health", headers: [("Host", "sim.test")]).status == 200)
        #expect(
            try serve.client.request("GET", "/health", headers: [("Host", "localhost:\(serve.port)")]).status == 200
        )
        // An HTML form (urlencoded) or a no-cors fetch (text/plain) from another origin.
        let form = try serve.client.request(
            "POST",
            "/sim/device-types",
            body: "name=X",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "http://evil.example")]
        )
        #expect(form.status == 403)
        let plain = try serve.client.request(
            "POST",
            "/sim/devices/2C30EA/uplinks",
            body: body,
            headers: [("Content-Type", "text/plain")]
        )
        #expect(plain.status == 415, "\(plain.body)")
        let reset = try serve.client.request("POST", "/sim/reset", headers: [("Origin", "http://evil.example")])
        #expect(reset.status == 403)
        #expect(try serve.json("/sim/device-types").listed.count == 1)
        #expect(try serve.json("/sim/messages").listed.isEmpty)
        // The page's own origin may write (the dashboard's forms).
        let own = try serve.client.request(
            "POST",
            "/sim/devices/2C30EA/uplinks",
            body: body,
            headers: [("Origin", "http://127.0.0.1:\(serve.port)")]
        )
        #expect(own.status == 201)
        // The dashboard: framing refused, no API password in it; its own token works on /v2.
        let page = try serve.get("/")
        #expect(page.headers.contains { $0.0.lowercased() == "x-frame-options" && $0.1 == "DENY" })
        #expect(page.headers.contains { $0.0.lowercased() == "content-security-policy" })
        #expect(!page.body.contains("s3cret-given"))
        #expect(!page.body.contains(Data("sigfox-sim:s3cret-given".utf8).base64EncodedString()))
        let token = try #require(page.body.firstMatch(of: /name="sigfox-sim-dashboard" content="([0-9a-f]+)"/)?.1)
        #expect(
            try serve.client.request("GET", "/v2/device-types/", headers: [("X-Sigfox-Sim-Dashboard", String(token))])
                .status == 200
        )
        // A password the user gave is not printed.
        #expect(!serve.stdout.contains("s3cret-given"))
        #expect(serve.stdout.contains("password as given"))
    }

    @Test("scaled time resumes where it stopped after a restart: times go on, a due retry comes at once")
    func scaledRestart() throws {
        let data = Self.folder("scaled")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scenario = try scenarioFile(oneDeviceScenario(status: 500))
        let first = try ServeProcess([scenario, "--data", data, "--time", "scaled:60", "--quiet"])
        let receipt = try JSONParser.parse(try first.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"01\"}").body)
        let firstTime = try #require(receipt["time"]?.scalarText.flatMap(Int64.init))
        try first.waitFor("/sim/attempts") { $0.listed.count >= 1 }
        #expect(first.stop() == 0)
        // Wall time moves on (at 60 times, a minute of simulation); the clock must not jump with it.
        usleep(1_500_000)
        let second = try ServeProcess([scenario, "--data", data, "--time", "scaled:60", "--quiet"])
        defer { second.stop() }
        let restarted = Date()
        // The retry due a minute (one real second) after the failure goes within seconds, not a minute.
        try second.waitFor("/sim/attempts", seconds: 20) { listing in
            listing.listed.contains { $0["attempt"]?.scalarText == "2" }
        }
        #expect(Date().timeIntervalSince(restarted) < 10)
        let next = try JSONParser.parse(try second.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"02\"}").body)
        let secondTime = try #require(next["time"]?.scalarText.flatMap(Int64.init))
        #expect(secondTime > firstTime)
        #expect(secondTime - firstTime < 30 * 60_000, "the clock jumped by \(secondTime - firstTime) ms")
    }

    @Test("a receiver that hangs holds only its share of the in-flight cap: another's try goes out at once")
    func hangingReceiverBesideAHealthyOne() async throws {
        let hanging = try await EmbeddedReceiver.start(rules: ReceiverRules(default: .hang))
        let healthy = try await EmbeddedReceiver.start()
        try await withShutdown(hanging, healthy) {
            let slow = (0..<6).map {
                "  - { id: \(String(format: "1%05X", $0)), deviceType: Slow, lat: 43.600, lng: 1.440 }"
            }
            let yaml = """
                name: two-receivers
                baseStations:
                  - { id: 1D44, lat: 43.61, lng: 1.45 }
                deviceTypes:
                  - id: 5f1d3a2b4c6e8f0a1b2c3d4e
                    name: Slow
                    callbacks:
                      - { id: slow, service: DATA/UPLINK, url: "\(hanging.baseURL)/hang", method: GET }
                  - id: 5f1d3a2b4c6e8f0a1b2c3d4f
                    name: Fast
                    callbacks:
                      - { id: fast, service: DATA/UPLINK, url: "\(healthy.baseURL)/ok", method: GET }
                devices:
                \(slow.joined(separator: "\n"))
                  - { id: 2C30EA, deviceType: Fast, lat: 43.600, lng: 1.440 }
                """
            let serve = try ServeProcess([try scenarioFile(yaml), "--time", "scaled:60", "--quiet"])
            defer {
                serve.signal(SIGINT)
                serve.stop()
            }
            // More hanging tries than the whole cap (256).
            for index in 0..<300 {
                let device = String(format: "1%05X", index % 6)
                #expect(try serve.post("/sim/devices/\(device)/uplinks", "{\"payload\":\"01\"}").status == 201)
            }
            let deadline = Date().addingTimeInterval(20)
            while hanging.openConnectionCount < 64, Date() < deadline { usleep(20_000) }
            #expect(
                hanging.openConnectionCount == 64,
                "the hanging receiver holds \(hanging.openConnectionCount) tries"
            )
            #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"02\"}").status == 201)
            let requests = await healthy.waitForRequests(count: 1, timeout: .seconds(30))
            #expect(requests.count == 1)
            let delivered = try serve.waitFor("/sim/attempts?device=2C30EA") { !$0.listed.isEmpty }.listed
            let attempt = try #require(delivered.first)
            #expect(attempt["outcome"]?.scalarText == "delivered")
            let due = try #require(attempt["time"]?.scalarText.flatMap(Int64.init))
            let sent = attempt["sentAt"]?.scalarText.flatMap(Int64.init) ?? due
            // Not behind the hanging tries: it went out before the first of them reached its 10 s deadline (on
            // the simulation clock, whatever the machine's speed); behind them, it would wait for their timeouts.
            let timedOut = try serve.waitFor("/sim/attempts?outcome=retry&limit=1000", seconds: 30) {
                !$0.listed.isEmpty
            }.listed
            let hangingTimes = timedOut.compactMap { attempt in attempt["time"]?.scalarText.flatMap(Int64.init) }
            let firstHanging = try #require(hangingTimes.min())
            #expect(sent < firstHanging + 10_000, "sent \(sent - firstHanging) ms after the first hanging try")
            let metrics = try serve.get("/metrics").body
            #expect(metrics.contains("sigfox_sim_tries_waiting_for_host_share"))
            #expect(metrics.contains("sigfox_sim_try_start_delay_seconds_count"))
        }
    }

    @Test("after the process stood still (SIGSTOP), tries answered meanwhile are judged on their answer, not a timeout")
    func stoppedProcess() async throws {
        let receiver = try await EmbeddedReceiver.start(
            rules: ReceiverRules(
                default: ReceiverResponse(.status(200, body: "", contentType: "text/plain"), delay: .seconds(1))
            )
        )
        try await withShutdown(receiver) {
            let yaml = oneDeviceScenario().replacingOccurrences(of: "receiver:\n  embedded: { status: 200 }", with: "")
            let serve = try ServeProcess([try scenarioFile(yaml), "--target", receiver.baseURL, "--quiet"])
            defer { serve.stop() }
            for index in 0..<5 {
                #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"0\(index)\"}").status == 201)
            }
            // The tries are on the wire (the receiver holds each for a second): stop serve for 12 s, past the 10 s.
            let requests = await receiver.waitForRequests(count: 5, timeout: .seconds(20))
            #expect(requests.count == 5)
            serve.signal(SIGSTOP)
            usleep(12_000_000)
            serve.signal(SIGCONT)
            let attempts = try serve.waitFor("/sim/attempts?limit=100") { $0.listed.count >= 5 }.listed
            #expect(attempts.count == 5, "tries were sent again: \(attempts.count)")
            for attempt in attempts {
                #expect(attempt["outcome"]?.scalarText == "delivered", "\(attempt.jsonText)")
                let latency = attempt["latencyMs"]?.scalarText.flatMap(Double.init) ?? 0
                #expect(latency < 10_000, "latency \(latency) ms counts the time serve stood still")
            }
        }
    }

    @Test("idle and slowloris connections are closed, connections are capped, event readers are bounded")
    func limits() throws {
        let serve = try ServeProcess([
            "--quiet", "--idle-timeout", "2s", "--max-connections", "8", "--max-event-streams", "2",
        ])
        defer { serve.stop() }
        // One connection that says nothing, one that never finishes its request head.
        let idle = try RawConnection(port: serve.port)
        let slow = try RawConnection(port: serve.port)
        slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        #expect(idle.waitUntilClosed(seconds: 10), "an idle connection stayed open")
        #expect(slow.waitUntilClosed(seconds: 10), "a connection that never finished its request stayed open")
        // More connections than the cap: /health still answers once the idle ones are closed.
        let crowd = try (0..<8).map { _ in try RawConnection(port: serve.port) }
        let started = Date()
        #expect(try serve.client.request("GET", "/health", timeoutSeconds: 20).status == 200)
        #expect(Date().timeIntervalSince(started) < 15)
        _ = crowd
        // Event readers: two at most; a third is refused, and the service answers while they read.
        let events = Mutex(0)
        let opened = Mutex(0)
        for _ in 0..<2 {
            Thread {
                try? serve.client.events("/sim/events", timeoutSeconds: 5) {
                    opened.withLock { $0 += 1 }
                } onEvent: { _, _ in
                    events.withLock { $0 += 1 }
                    return true
                }
            }.start()
        }
        let deadline = Date().addingTimeInterval(10)
        while opened.withLock({ $0 }) < 2, Date() < deadline { usleep(20_000) }
        let third = try serve.get("/sim/events")
        #expect(third.status == 503)
        #expect(third.body.contains("--max-event-streams"))
        for index in 0..<20 {
            #expect(
                try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"\(String(format: "%02x", index))\"}")
                    .status == 201
            )
        }
        #expect(try serve.get("/health").status == 200)
        let eventsDeadline = Date().addingTimeInterval(10)
        while events.withLock({ $0 }) < 40, Date() < eventsDeadline { usleep(50_000) }
        #expect(events.withLock { $0 } >= 40, "each reader gets every message")
    }

    @Test("past --max-held-deliveries, retries wait in the store only and are read back when due")
    func heldDeliveriesBounded() throws {
        let scenario = try scenarioFile(oneDeviceScenario(status: 500))
        let serve = try ServeProcess([scenario, "--time", "scaled:60", "--quiet", "--max-held-deliveries", "5"])
        defer { serve.stop() }
        for index in 0..<30 {
            #expect(
                try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"\(String(format: "%02x", index))\"}")
                    .status == 201
            )
        }
        // Every first try failed: all but five wait in the store only.
        var spilled = 0.0
        let deadline = Date().addingTimeInterval(20)
        while spilled < 20, Date() < deadline {
            let metrics = try serve.get("/metrics").body
            spilled =
                metrics.split(separator: "\n").first { $0.hasPrefix("sigfox_sim_deliveries_in_store_only ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            usleep(50_000)
        }
        #expect(spilled >= 20, "\(spilled) deliveries in the store only")
        // Their retries come (a minute later, a second here), read back from the store, each as try 2.
        let retried = try serve.waitFor("/sim/attempts?limit=1000", seconds: 30) { listing in
            listing.listed.filter { $0["attempt"]?.scalarText == "2" }.count >= 30
        }.listed
        let second = retried.filter { $0["attempt"]?.scalarText == "2" }
        #expect(second.count == 30)
        #expect(Set(second.compactMap { $0["delivery"]?.scalarText }).count == 30)
        #expect(second.allSatisfy { $0["request"]?["body"] != nil })
    }

    @Test("paging by the cursor in paging.next never repeats a row while serve writes")
    func cursorPaging() throws {
        let serve = try ServeProcess(["--time", "scaled:60", "--quiet"])
        defer { serve.stop() }
        for index in 0..<5 {
            #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"0\(index)\"}").status == 201)
        }
        try serve.waitFor("/sim/messages?limit=1000") { $0.listed.count == 5 }
        var seen = [String]()
        var path: String? = "/sim/messages?limit=2"
        var written = 0
        while let next = path {
            let page = try serve.json(next)
            seen += page.listed.compactMap { $0["id"]?.scalarText }
            path = page["paging"]?["next"]?.scalarText
            #expect(path.map { $0.contains("beforeId=") && !$0.contains("offset=") } ?? true)
            // New rows arrive between pages (newest first: an offset would shift onto rows already seen).
            if written < 3 {
                #expect(try serve.post("/sim/devices/2C30EA/uplinks", "{\"payload\":\"ff\"}").status == 201)
                written += 1
                try serve.waitFor("/sim/messages?limit=1000") { $0.listed.count == 5 + written }
            }
        }
        #expect(seen.count == Set(seen).count, "repeated rows: \(seen)")
        #expect(seen.count == 5)
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A plain TCP connection to serve, for the tests of idle and half-sent requests.
final class RawConnection: Sendable {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ServeTestError("cannot connect to 127.0.0.1:\(port)") }
    }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server closed the connection within `seconds`.
    func waitUntilClosed(seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    deinit { close(socket) }
}

/// Runs `body`, then shuts the receivers down, whether it threw or not.
func withShutdown(_ receivers: EmbeddedReceiver..., body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        for receiver in receivers { try? await receiver.shutdown(gracePeriod: .milliseconds(200)) }
        throw error
    }
    for receiver in receivers { try? await receiver.shutdown(gracePeriod: .milliseconds(200)) }
}
