import Dispatch
import Foundation
import Hummingbird
import Logging
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import Synchronization

/// How `sigfox-sim serve` runs.
public struct ServeOptions: Sendable {
    /// The scenario file whose configuration (and traffic) it starts from, or nil for ``DefaultScenario``.
    public var scenarioPath: String?
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Where the SQLite database lives; nil: a fresh temporary one, removed at exit.
    public var dataDirectory: String?
    public var time: TimeMode
    public var caFile: String?
    /// The Sigfox API v2's HTTP Basic credentials.
    public var credentials: APICredentials = .defaults

    /// The documented default port.
    public static let defaultPort = 8790

    public init(
        scenarioPath: String? = nil,
        host: String = "127.0.0.1",
        port: Int = defaultPort,
        dataDirectory: String? = nil,
        time: TimeMode = .real,
        caFile: String? = nil
    ) {
        self.scenarioPath = scenarioPath
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.time = time
        self.caFile = caFile
    }
}

/// Why `serve` could not start.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The running service: store, embedded receiver, live engine and HTTP server on one port.
public final class CloudServer: Sendable {
    public let options: ServeOptions
    public let engine: LiveEngine
    let configuration: CloudConfiguration
    let receiver: EmbeddedReceiver?
    let sink: SMTPSink?
    let accepting = Atomic<Bool>(true)
    let temporaryDirectory: String?
    public let resumed: String?
    public let summary: String
    private let shutdownBegun = Atomic<Int>(0)

    /// Opens the store, starts the receiver and the engine. The HTTP server starts with ``run(onListening:)``.
    public init(options: ServeOptions) throws {
        self.options = options
        let directory: String
        if let data = options.dataDirectory {
            do {
                try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            } catch {
                throw ServeError("cannot create the data directory \(data): \(error.localizedDescription)")
            }
            directory = data
            temporaryDirectory = nil
        } else {
            directory = NSTemporaryDirectory() + "sigfox-sim-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            temporaryDirectory = directory
        }
        let store: CloudStore
        do {
            store = try CloudStore(path: directory + "/sigfox-sim.sqlite")
        } catch {
            throw ServeError("cannot open the store in \(directory): \(error)")
        }
        // The configuration: the one a previous run of this --data left, else the scenario's.
        let root: ConfigNode
        let file = options.scenarioPath ?? "(default scenario)"
        do {
            if let path = options.scenarioPath {
                root = try ConfigDocument.load(path: path)
            } else {
                root = try ConfigDocument.parse(DefaultScenario.yaml, file: file, syntax: .yaml)
            }
        } catch {
            throw ServeError(error.description)
        }
        var scenario: Scenario
        let initial: CloudDocument
        do {
            scenario = try Scenario(from: root)
            scenario.file = options.scenarioPath ?? ""
            initial = try CloudDocument(scenarioRoot: root)
        } catch {
            throw ServeError(error.inFile(file).description)
        }
        let storedDocument = try? store.state("document")
        var current = initial
        var playTraffic = true
        if let text = storedDocument ?? nil {
            do {
                current = try CloudDocument(scenarioRoot: try ConfigDocument.parse(text, file: "store", syntax: .json))
                playTraffic = false
            } catch {
                throw ServeError("the configuration kept in \(directory) no longer loads: \(error)")
            }
        }
        let configuration: CloudConfiguration
        do {
            configuration = try CloudConfiguration(current: current, initial: initial)
        } catch {
            throw ServeError(error.description)
        }
        self.configuration = configuration
        var live = configuration.scenario
        live.traffic = scenario.traffic
        live.start = scenario.start
        live.mail = scenario.mail
        // The embedded receiver, on the port a previous run used when it is free.
        let previousReceiver = (try? store.state("receiverURL")) ?? nil
        var receiver: EmbeddedReceiver?
        if let rules = live.receiver {
            let previousPort = previousReceiver.flatMap { URLComponents(string: $0)?.port }
            receiver =
                (try? ScenarioRunner.blocking {
                    try await EmbeddedReceiver.start(port: previousPort ?? 0, rules: rules, recordLimit: 100)
                })
            if receiver == nil {
                receiver = try? ScenarioRunner.blocking {
                    try await EmbeddedReceiver.start(rules: rules, recordLimit: 100)
                }
            }
            guard receiver != nil else { throw ServeError("cannot start the embedded receiver") }
        }
        self.receiver = receiver
        do {
            sink = try ScenarioRunner.startMailSink(for: live)
        } catch {
            throw ServeError(error.description)
        }
        let metrics = CloudMetrics()
        let hub = EventHub()
        let start = SimulationTime.wallClock
        let receiverURL = receiver?.baseURL ?? ""
        let setup = LiveEngine.Setup(
            scenario: live,
            receiverURL: receiverURL,
            smtpURL: live.mail.smtpURL ?? sink.map { "smtp://\($0.host):\($0.port)" },
            mode: options.time,
            start: start,
            playTraffic: playTraffic,
            previousReceiverURL: previousReceiver,
            caFile: options.caFile ?? scenario.resolvedCAFile
        )
        do {
            (engine, resumed) = try LiveEngine.make(setup: setup, store: store, hub: hub, metrics: metrics)
            try store.write(
                StoreBatch(state: [
                    ("document", current.jsonText), ("initial", initial.jsonText), ("receiverURL", receiverURL),
                ])
            )
        } catch {
            throw ServeError("cannot start the engine: \(error)")
        }
        summary =
            "\(live.name): " + Self.counted(live.baseStations.count, "base station") + ", "
            + Self.counted(live.deviceTypes.count, "device type") + ", " + Self.counted(live.devices.count, "device")
            + (receiver.map { "; embedded receiver \($0.baseURL)" } ?? "")
            + (playTraffic && !live.traffic.isEmpty ? "; playing \(live.traffic.count) traffic events" : "")
        engine.start()
    }

    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// A device to show in the first `curl` line.
    public var exampleDevice: String? { configuration.scenario.devices.first?.id.description }

    /// Serves HTTP until ``shutdown(immediately:)``; `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router(context: BasicRequestContext.self)
        let table = RouteTable(router)
        router.add(middleware: JSONErrorMiddleware(table: table))
        let control = ControlAPI(
            engine: engine,
            configuration: configuration,
            accepting: { [self] in accepting.load(ordering: .relaxed) }
        )
        control.register(on: table)
        APIv2(control: control, credentials: options.credentials, receiverURL: receiver?.baseURL ?? "")
            .register(on: table)
        table.get("/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
        Dashboard(control: control, credentials: options.credentials).register(on: table)
        var logger = Logger(label: "sigfox-sim-serve")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "sigfox-sim"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                do {
                    try await app.run()
                } catch {
                    // The server could not start (a port in use) or failed: the engine stops with it.
                    shutdown(immediately: true)
                    throw error
                }
            }
            group.addTask { [self] in
                // Ends when the engine has stopped (after a shutdown): then the HTTP server stops too.
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().async {
                        self.engine.waitUntilFinished()
                        // Open event streams end, so the server's connections can close.
                        self.engine.hub.close()
                        continuation.resume()
                    }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// The first call drains (tries in flight get their deadline, waiting retries stay in the store); a
    /// later one, or `immediately`, stops at once and records what is left as cancelled.
    public func shutdown(immediately: Bool = false) {
        accepting.store(false, ordering: .relaxed)
        let count = shutdownBegun.add(1, ordering: .relaxed).newValue
        if immediately || count > 1 {
            engine.stopNow()
        } else {
            engine.drain()
        }
    }

    /// After ``run(onListening:)`` returned: closes the event streams and the receivers, removes an
    /// ephemeral store.
    public func close() {
        engine.waitUntilFinished()
        engine.hub.close()
        if let receiver {
            _ = try? ScenarioRunner.blocking { try await receiver.shutdown(gracePeriod: .milliseconds(200)) }
        }
        if let sink { _ = try? ScenarioRunner.blocking { try await sink.shutdown() } }
        if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
    }
}

extension SimulationTime {
    /// The wall clock now, in whole milliseconds: `serve`'s simulation time in real time.
    static var wallClock: SimulationTime {
        SimulationTime(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
