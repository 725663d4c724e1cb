import CurlTransport
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxScenario
import SigfoxServices

/// What a command chooses about the simulation it hosts; the rest comes from the scenario.
public struct SimulationOptions: Sendable {
    /// Your own server (`--target URL`): replaces `{receiver}` in every callback, and the embedded receiver
    /// is not started. A trailing `/` is dropped, so `{receiver}/path` has one slash.
    public var target: String?
    /// A PEM file of extra CAs to trust (`--ca-file`), before the scenario's `tls.caFile`.
    public var caFile: String?
    /// How the loop's clock moves.
    public var mode: TimeMode
    /// The simulation time the loop starts at.
    public var start: SimulationTime
    /// How the loop paces and judges deliveries (in-flight caps, the transport's timeout margin).
    public var delivery = DeliveryConfiguration()
    /// Each try's message is the answer's status line as received (`204 No Content`), as journals record it.
    public var recordsReasonPhrase = true
    /// Each try keeps the request as sent and the answer's headers (the dashboard and event stream of `serve`).
    public var recordsHeaders = false
    /// Requests the embedded receiver keeps (counters count them all): a run's memory must not grow with its
    /// length.
    public var receiverRecordLimit = 1
    /// The port the embedded receiver tries first (the one a previous `serve` of the same data used); a
    /// free one when it is taken.
    public var receiverPort: Int?

    public init(target: String? = nil, caFile: String? = nil, mode: TimeMode, start: SimulationTime) {
        self.target = target
        self.caFile = caFile
        self.mode = mode
        self.start = start
    }
}

/// The one place a simulation is set up for `run`, `load` and `serve`: starts the embedded receiver and
/// SMTP sink when the scenario wants them, works out `{receiver}` and the SMTP URL, the libcurl settings,
/// the network (with the scenario's `network` settings, `downlinkFailure` included) and the callback engine,
/// and builds delivery loops on them. The commands only choose their ``TriggerSource`` and their extras
/// (journal, store, spill).
public final class SimulationHost: Sendable {
    public let scenario: Scenario
    public let options: SimulationOptions
    /// The embedded receiver, when the scenario has `receiver:` and no `--target` was given.
    public let receiver: EmbeddedReceiver?
    /// The embedded SMTP sink, when the scenario sends e-mail with `receiver: embedded` and no `mail.smtp`.
    public let sink: SMTPSink?
    /// What `{receiver}` is: the target, else the embedded receiver's base URL; nil without either.
    public let receiverURL: String?
    /// Where e-mail callbacks go: the scenario's `mail.smtp`, else the embedded sink.
    public let smtpURL: String?
    /// The libcurl settings every loop's transport uses.
    public let curl: CurlConfiguration

    /// Starts the servers the scenario needs. Throws ``ScenarioRunError/receiver(_:)`` when one cannot
    /// listen, ``ScenarioRunError/configuration(_:)`` when e-mail has nowhere to go.
    public init(scenario: Scenario, options: SimulationOptions) throws(ScenarioRunError) {
        let target = options.target.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var receiver: EmbeddedReceiver?
        if let rules = scenario.receiver, target == nil {
            let limit = options.receiverRecordLimit
            if let port = options.receiverPort {
                receiver = try? EmbeddedReceiver.startWaiting(port: port, rules: rules, recordLimit: limit)
            }
            if receiver == nil {
                do {
                    receiver = try EmbeddedReceiver.startWaiting(rules: rules, recordLimit: limit)
                } catch {
                    throw .receiver("cannot start the embedded receiver: \(error)")
                }
            }
        }
        let sink: SMTPSink?
        do {
            sink = try Self.startMailSink(for: scenario)
        } catch {
            try? receiver?.shutdownWaiting()
            throw error
        }
        let smtpURL = scenario.mail.smtpURL ?? sink.map { "smtp://\($0.host):\($0.port)" }
        var curl = CurlConfiguration(
            caFile: options.caFile ?? scenario.resolvedCAFile,
            smtpURL: smtpURL,
            mailFrom: scenario.mail.from
        )
        curl.recordsReasonPhrase = options.recordsReasonPhrase
        curl.recordsRequestHeaders = options.recordsHeaders
        curl.recordsResponseHeaders = options.recordsHeaders
        self.scenario = scenario
        self.options = options
        self.receiver = receiver
        self.sink = sink
        self.receiverURL = target ?? receiver?.baseURL
        self.smtpURL = smtpURL
        self.curl = curl
    }

    /// The network core of `part` (the host's scenario when nil; a load shard's share of it), with the
    /// scenario's network settings.
    public func network(for part: Scenario? = nil) throws(ConfigError) -> NetworkCore {
        try ScenarioBuilder(part ?? scenario).network()
    }

    /// The callback engine of `part` (the host's scenario when nil), `{receiver}` replaced.
    public func callbackEngine(for part: Scenario? = nil) throws(ConfigError) -> CallbackEngine {
        try ScenarioBuilder(part ?? scenario).callbackEngine(receiverURL: receiverURL ?? "")
    }

    /// A delivery loop on `engine` that drives a libcurl engine of its own on the thread that runs it, so
    /// a try past its deadline leaves libcurl at once and answers never cross threads. `delivery` and
    /// `start` replace the options' for this loop (a load shard's share of the in-flight cap).
    public func makeLoop(
        engine: CallbackEngine,
        delivery: DeliveryConfiguration? = nil,
        start: SimulationTime? = nil
    ) -> (loop: DeliveryLoop, transport: PolledCurlTransport) {
        let transport = PolledCurlTransport(configuration: curl)
        let loop = DeliveryLoop(
            engine: engine,
            configuration: delivery ?? options.delivery,
            transport: transport,
            mode: options.mode,
            start: start ?? options.start
        )
        return (loop, transport)
    }

    /// Stops the embedded receiver and SMTP sink.
    public func shutdown() {
        try? receiver?.shutdownWaiting()
        try? sink?.shutdownWaiting()
    }

    /// The embedded SMTP sink, when the scenario sends e-mail, has `receiver: embedded` and names no SMTP
    /// server of its own (`mail.smtp`); a scenario that sends e-mail with neither is a configuration error.
    private static func startMailSink(for scenario: Scenario) throws(ScenarioRunError) -> SMTPSink? {
        guard ScenarioBuilder(scenario).sendsMail, scenario.mail.smtpURL == nil else { return nil }
        guard scenario.receiver != nil else {
            throw .configuration(
                ConfigError(
                    file: scenario.file,
                    location: nil,
                    path: "mail",
                    message: "the scenario sends e-mail but names no SMTP server: add 'mail: {smtp: "
                        + "smtp://host:port}' or 'receiver: embedded' (which starts an SMTP sink)"
                )
            )
        }
        let rules = SMTPSinkRules(rejectedRecipients: Set(scenario.mail.rejectedRecipients))
        do {
            return try SMTPSink.startWaiting(rules: rules)
        } catch {
            throw .receiver("cannot start the embedded SMTP sink: \(error)")
        }
    }
}
