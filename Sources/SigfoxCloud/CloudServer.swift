import Dispatch
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
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
    /// Your own server (`--target URL`): replaces `{receiver}` in every callback, and the embedded
    /// receiver is not started (as `run`, `load` and `replay` do).
    public var target: String?
    /// Whether the user gave the API password (then the banner does not print it).
    public var passwordGiven = false
    /// `--https PORT`: the same routes over TLS, with a certificate of the local CA (or `--tls-cert`).
    public var https: HTTPSOptions?
    /// The limits a service keeps (`--max-connections`, `--idle-timeout`, `--max-event-streams`).
    public var limits = ServeLimits()
    /// Host names accepted in the `Host` header besides IP addresses and `localhost` (`--allow-host`).
    public var allowedHosts: [String] = []
    /// `--api-rate-limits`: the API v2 answers `429` past its documented limits (``APIRateLimits``).
    public var apiRateLimits = false
    /// Where and how `serve` logs each try as it ends (``TryLogLine``); nil: no log.
    public var tryLog: TryLogOutput?
    /// The time mode as the user wrote it (`real`, `scaled:60`), for the banner and the ready file.
    public var timeText: String { time.text }

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

/// `serve --https`: where the TLS listener is and which certificate it shows.
public struct HTTPSOptions: Sendable {
    /// 0 picks a free port; 443 makes `https://api.sigfox.com/v2` reach it unchanged.
    public var port: Int
    /// `--tls-cert` and `--tls-key` (PEM), instead of the local CA's certificate.
    public var certificatePath: String?
    public var keyPath: String?

    public init(port: Int, certificatePath: String? = nil, keyPath: String? = nil) {
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}

/// What `serve` bounds, so slow or idle clients cannot take it over.
public struct ServeLimits: Sendable {
    /// Connections open at once; more wait in the listen backlog until one closes.
    public var connections = 1024
    /// A connection that sends nothing for this long between requests (or never finishes its request
    /// head: slowloris) is closed.
    public var idleSeconds: Int64 = 30
    /// `/sim/events` readers at once; one more is refused with 503.
    public var eventStreams = 100
    /// Deliveries waiting for a retry kept in memory; beyond, they wait in the store only.
    public var heldDeliveries = 20_000

    public init() {}
}

/// Where `serve` writes its per-try log, and in which form.
public struct TryLogOutput: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var format: Format
    /// Written with one `write` per line, so a pipe or a file sees each line as it happens.
    public var handle: FileHandle
    /// Statuses in colour (a terminal without `NO_COLOR`).
    public var colour: TerminalColour

    public init(format: Format, handle: FileHandle, colour: TerminalColour = .off) {
        self.format = format
        self.handle = handle
        self.colour = colour
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
    /// `--data`'s lock, held while this server lives.
    let lock: DataFolderLock?
    public let resumed: String?
    /// What the user should know about the data folder (a write-ahead log cut short), said at start.
    public let storeWarnings: [String]
    public let summary: String
    /// What the banner warns about: devices no base station can hear (no silent loss).
    public let warnings: [String]
    /// What `{receiver}` is: `--target`, else the embedded receiver's base URL (empty without either).
    public let receiverURL: String
    private let shutdownBegun = Atomic<Int>(0)
    /// What the dashboard's pages authenticate with on `/v2` (made anew each start, never the password).
    let dashboardToken = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
    /// The per-try log's subscription, taken before the engine starts.
    private let tryLogStream: AsyncStream<[EventHub.Event]>?
    /// `--https`: the server's TLS configuration, and the local CA that signed its certificate (nil with
    /// `--tls-cert`).
    let tls: TLSConfiguration?
    public let certificateAuthority: LocalCertificateAuthority?
    /// `--api-rate-limits`: one count for both ports.
    let rateLimiter: APIRateLimiter?

    /// Opens the store, starts the receiver and the engine. The HTTP server starts with ``run(onListening:)``.
    public init(options: ServeOptions) throws {
        self.options = options
        rateLimiter = options.apiRateLimits ? APIRateLimiter() : nil
        let directory: String
        if let data = options.dataDirectory {
            do {
                try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            } catch {
                throw ServeError("cannot create the data directory \(data): \(error.localizedDescription)")
            }
            directory = data
            temporaryDirectory = nil
            // One owner per folder, before anything in it is read or written.
            lock = try DataFolderLock(folder: data)
        } else {
            directory = NSTemporaryDirectory() + "sigfox-sim-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            temporaryDirectory = directory
            lock = nil
        }
        let store: CloudStore
        let database = directory + "/sigfox-sim.sqlite"
        var storeWarnings = [String]()
        if let warning = StoreFiles.checkWriteAheadLog(of: database) { storeWarnings.append(warning) }
        do {
            store = try CloudStore(path: database)
        } catch {
            throw StoreFiles.openingError(error, database: database, folder: directory)
        }
        self.storeWarnings = storeWarnings
        (tls, certificateAuthority) = try Self.tlsSetup(options: options)
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
            try scenario.checkReceiver(target: options.target)
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
            throw ServeError(error.inFile(playTraffic ? file : directory + "/sigfox-sim.sqlite").description)
        }
        self.configuration = configuration
        var live = configuration.scenario
        live.traffic = scenario.traffic
        live.start = scenario.start
        live.mail = scenario.mail
        // The embedded receiver, on the port a previous run used when it is free; none with --target.
        let previousReceiver = (try? store.state("receiverURL")) ?? nil
        let metrics = CloudMetrics()
        let hub = EventHub()
        // Real time is the wall clock; scaled time resumes where the simulation clock stopped (kept in the
        // store), so a restart neither moves the clock back nor turns a retry due in a second into a minute.
        var start = SimulationTime.wallClock
        if case .scaled = options.time, let stored = (try? store.state(Self.clockKey)) ?? nil,
            let milliseconds = Int64(stored)
        {
            start = SimulationTime(milliseconds: milliseconds)
        }
        let host: SimulationHost
        do {
            host = try SimulationHost(
                scenario: live,
                options: LiveEngine.hostOptions(
                    target: options.target,
                    caFile: options.caFile ?? scenario.resolvedCAFile,
                    mode: options.time,
                    start: start,
                    receiverPort: previousReceiver.flatMap { URLComponents(string: $0)?.port }
                )
            )
        } catch {
            throw ServeError(error.description)
        }
        receiver = host.receiver
        sink = host.sink
        let target = options.target.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let receiverURL = host.receiverURL ?? ""
        self.receiverURL = receiverURL
        let setup = LiveEngine.Setup(
            host: host,
            playTraffic: playTraffic,
            previousReceiverURL: previousReceiver,
            heldDeliveries: options.limits.heldDeliveries
        )
        do {
            (engine, resumed) = try LiveEngine.make(setup: setup, store: store, hub: hub, metrics: metrics)
            try store.write(
                StoreBatch(state: [
                    ("document", current.jsonText), ("initial", initial.jsonText), ("receiverURL", receiverURL),
                ])
            )
        } catch let error as ConfigError {
            throw ServeError(error.inFile(playTraffic ? file : directory + "/sigfox-sim.sqlite").description)
        } catch {
            throw ServeError("cannot start the engine: \(error)")
        }
        summary =
            "\(live.name): " + Self.counted(live.baseStations.count, "base station") + ", "
            + Self.counted(live.deviceTypes.count, "device type") + ", " + Self.counted(live.devices.count, "device")
            + (receiver.map { "; embedded receiver \($0.baseURL)" } ?? "")
            + (target.map { "; callbacks to \($0)" } ?? "")
            + (playTraffic && !live.traffic.isEmpty ? "; playing \(live.traffic.count) traffic events" : "")
        // Positions in the scenario file hold for a configuration read from it, not for one kept in --data.
        warnings = configuration.scenario.reachWarnings(sendersOnly: false).map { warning in
            playTraffic
                ? warning.inFile(file).description
                : ConfigError(location: nil, path: warning.path, message: warning.message).description
        }
        tryLogStream = options.tryLog == nil ? nil : hub.subscribe()
    }

    /// The store's key for the simulation clock, written every turn and at the stop.
    static let clockKey = "clock"

    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// A device to show in the first `curl` line.
    public var exampleDevice: String? { configuration.scenario.devices.first?.id.description }

    /// Serves HTTP until ``shutdown(immediately:)``, or, with `stopSignals`, until SIGINT or SIGTERM (the
    /// first drains, a second stops at once); `onListening` gets the bound port.
    public func run(stopSignals: Bool = false, onListening: @escaping @Sendable (ListeningPorts) -> Void) async throws {
        let router = makeRouter()
        let listening = Mutex(ListeningPorts.Pending(expectsHTTPS: tls != nil))
        var logger = Logger(label: "sigfox-sim-serve")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(options.limits.idleSeconds))),
            configuration: .init(
                address: .hostname(options.host, port: options.port),
                serverName: "sigfox-sim",
                availableConnectionsDelegate: MaximumAvailableConnections(options.limits.connections)
            ),
            onServerRunning: { channel in
                if let ports = listening.withLock({ $0.set(http: channel.localAddress?.port ?? 0) }) {
                    onListening(ports)
                }
            },
            logger: logger
        )
        // --https: the same router behind TLS, on a listener of its own.
        let secure = try tls.map { tls in
            try Application(
                responder: SchemeResponder(inner: router.buildResponder(), scheme: "https"),
                server: .tls(
                    .http1(configuration: .init(idleTimeout: .seconds(options.limits.idleSeconds))),
                    tlsConfiguration: tls
                ),
                configuration: .init(
                    address: .hostname(options.host, port: options.https?.port ?? 0),
                    serverName: "sigfox-sim",
                    availableConnectionsDelegate: MaximumAvailableConnections(options.limits.connections)
                ),
                onServerRunning: { channel in
                    if let ports = listening.withLock({ $0.set(https: channel.localAddress?.port ?? 0) }) {
                        onListening(ports)
                    }
                },
                logger: logger
            )
        }
        // Shut down last started first: the engine drains while the HTTP server still answers (uplinks get
        // 503) and the receiver still receives; then the HTTP server, the per-try log and the receivers.
        var services = [ServiceGroupConfiguration.ServiceConfiguration]()
        if let receiver { services.append(.init(service: receiver)) }
        if let sink { services.append(.init(service: sink)) }
        if let tryLogStream, let output = options.tryLog {
            services.append(.init(service: TryLogService(output: output, stream: tryLogStream)))
        }
        // A server that cannot listen (a port in use) cancels the group: the engine stops at once with it.
        services.append(.init(service: app))
        if let secure { services.append(.init(service: secure)) }
        services.append(
            .init(service: EngineService(server: self), successTerminationBehavior: .gracefullyShutdownGroup)
        )
        try await SignalledServices.run(
            services,
            signals: stopSignals ? [.sigint, .sigterm] : [],
            onSignal: { _, count in
                guard count == 1 else { return }
                FileHandle.standardError.write(
                    Data(
                        "sigfox-sim serve: stopping (tries in flight get their deadline; Ctrl-C again to stop at once)\n"
                            .utf8
                    )
                )
            }
        )
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

    /// Writes every message and every try so far to `path` as one JSON object, oldest first, in the
    /// shapes of `GET /sim/messages` and `GET /sim/attempts` (`exec --export-on-exit`).
    public func export(to path: String) throws {
        do {
            try RecordQueries(store: engine.store).export(to: path)
        } catch {
            throw ServeError("cannot write \(path): \(error)")
        }
    }

    /// After ``run(onListening:)`` returned: closes the event streams and the receivers, removes an
    /// ephemeral store.
    public func close() async {
        await engine.finish()
        let clock = engine.metrics.simulationNow.load(ordering: .relaxed)
        if clock > 0 { try? engine.store.write(StoreBatch(state: [(Self.clockKey, "\(clock)")])) }
        engine.hub.close()
        // Stopped with the group already; a server that never ran stops here.
        try? await receiver?.shutdown(gracePeriod: .milliseconds(200))
        try? await sink?.shutdown()
        if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
    }
}

extension SimulationTime {
    /// The wall clock now, in whole milliseconds: `serve`'s simulation time in real time.
    static var wallClock: SimulationTime {
        SimulationTime(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
