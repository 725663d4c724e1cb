import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// What the command line may change in a scenario before it runs.
public struct RunOptions: Sendable {
    /// Where to write the journal (one JSON line per try), or nil.
    public var journalPath: String?
    /// Replaces the scenario's `time`.
    public var time: TimeMode?
    /// Replaces the scenario's `seed`.
    public var seed: UInt64?
    /// Writes the run's normalised journal to every `golden` file instead of comparing with it.
    public var updateGolden: Bool
    /// Kept up to date while the run goes, for a progress display.
    public var progress: RunProgress?
    /// Stops the run early when asked (a signal); the report says it was interrupted.
    public var stop: RunStop?
    /// A PEM file of extra CAs to trust (`--ca-file`), before the scenario's `tls.caFile`.
    public var caFile: String?
    /// Your own server (`--target URL`): replaces `{receiver}` in every callback, and the embedded receiver
    /// is not started.
    public var target: String?
    /// Keeps every try in ``RunResult/attempts`` (`--show-requests`, tests). Off, the run keeps counts and
    /// the first failures only, and its memory does not grow with its length.
    public var keepAttempts: Bool

    public init(
        journalPath: String? = nil,
        time: TimeMode? = nil,
        seed: UInt64? = nil,
        updateGolden: Bool = false,
        progress: RunProgress? = nil,
        stop: RunStop? = nil,
        caFile: String? = nil,
        target: String? = nil,
        keepAttempts: Bool = true
    ) {
        self.keepAttempts = keepAttempts
        self.caFile = caFile
        self.target = target
        self.journalPath = journalPath
        self.time = time
        self.seed = seed
        self.updateGolden = updateGolden
        self.progress = progress
        self.stop = stop
    }
}

/// Runs a scenario from start to end: sets it up on a ``SimulationHost`` (the embedded receiver, the network,
/// the callbacks), plays its traffic (``ScenarioTraffic``) on the host's delivery loop, keeps the journal and
/// the golden stream, then checks the expectations.
///
/// ``run()`` blocks its thread (the delivery loop waits on a semaphore): call it from a thread of its
/// own or the main thread, never from a task on Swift's cooperative pool.
public struct ScenarioRunner: Sendable {
    public let scenario: Scenario
    public let options: RunOptions

    public init(scenario: Scenario, options: RunOptions = RunOptions()) {
        var scenario = scenario
        if let seed = options.seed { scenario.seed = seed }
        if let time = options.time { scenario.time = time }
        for index in scenario.deviceTypes.indices { scenario.deviceTypes[index].fireOnlyWhatCallbacksUse() }
        self.scenario = scenario
        self.options = options
    }

    /// Loads the file at `path` and makes a runner for it.
    public init(path: String, options: RunOptions = RunOptions()) throws(ConfigError) {
        self.init(scenario: try Scenario.load(path: path), options: options)
    }

    /// Runs the scenario. Throws ``ScenarioRunError`` for problems that stop it before it starts
    /// (configuration, a receiver that cannot listen, a journal that cannot be written).
    public func run() throws(ScenarioRunError) -> RunResult {
        let clock = ContinuousClock()
        let started = clock.now
        let builder = ScenarioBuilder(scenario)
        var traffic: ScenarioTraffic
        options.progress?.setTotal(scenario.trafficPlan.plannedCount)
        do {
            traffic = try builder.traffic(progress: options.progress)
        } catch {
            throw .configuration(error)
        }
        let target = options.target.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        do {
            try scenario.checkReceiver(target: target)
            try scenario.checkReach()
        } catch {
            throw .configuration(error)
        }
        let host = try SimulationHost(
            scenario: scenario,
            options: SimulationOptions(
                target: target,
                caFile: options.caFile,
                mode: scenario.time,
                start: scenario.start
            )
        )
        defer { host.shutdown() }
        if let receiver = host.receiver { traffic.receiverChange = { receiver.setOverride($0) } }
        traffic.keepsOutcomes = false
        let engine: CallbackEngine
        do {
            engine = try host.callbackEngine()
        } catch {
            throw .configuration(error)
        }
        var journal: JournalWriter?
        if let path = options.journalPath {
            do {
                journal = try JournalWriter(path: path)
            } catch {
                throw .journal(error.description)
            }
        }
        defer { journal?.close() }
        let receiverURL = host.receiverURL
        var tally = RunTally(expectations: scenario.expectations, keepsAttempts: options.keepAttempts)
        // The normalised journal, in canonical order, for the golden checks: streamed to a file.
        let golden: GoldenStream? =
            scenario.expectations.contains { if case .golden = $0.kind { true } else { false } }
            ? try GoldenStream(receiverURL: receiverURL) : nil
        defer { golden?.remove() }
        let smtpURL = host.smtpURL
        let (loop, transport) = host.makeLoop(engine: engine)
        let progress = options.progress
        progress?.configureClock(start: scenario.start, end: scenario.trafficPlan.latestTime, mode: scenario.time)
        options.stop?.attach(loop)
        // A try can end at most its deadline after it was sent, and be due (a trigger fired late by a
        // downlink answer) a little before the loop's clock: lines due this far back are final.
        let settled = SimulationDuration.minutes(2)
        let ledger = loop.run(source: &traffic) { event in
            guard case .attempt(let attempt) = event else { return }
            tally.record(attempt)
            // One JSON line serves the journal and the golden comparison.
            let line = journal != nil || golden != nil ? attempt.jsonLine : ""
            journal?.write(line)
            if let golden {
                golden.add(attempt, line: line)
                if golden.wantsFlush {
                    let behind = loop.now + SimulationDuration(milliseconds: -settled.milliseconds)
                    golden.flush(before: min(loop.scheduler.earliestOpenDue ?? behind, behind))
                }
            }
            progress?.record(attempt, pending: loop.scheduler.ledger.pending)
        }
        golden?.finish()
        progress?.finish(pending: ledger.pending)
        _ = transport.shutdown()
        var network = traffic.network
        let downlinks = network.takeEmittedDownlinks()
        let mails = host.sink?.mails ?? []
        let folder = scenario.file.isEmpty ? "" : (scenario.file as NSString).deletingLastPathComponent
        let facts = RunFacts(
            tally: tally,
            ledger: ledger,
            downlinks: downlinks,
            acknowledgements: traffic.acknowledgements,
            network: network.counters,
            mails: mails,
            golden: GoldenJournal(
                runFile: golden?.path ?? "/dev/null",
                runCount: golden?.count ?? 0,
                folder: folder.isEmpty && !scenario.file.isEmpty ? "." : folder,
                update: options.updateGolden
            )
        )
        return RunResult(
            name: scenario.name,
            file: scenario.file,
            seed: scenario.seed,
            ledger: ledger,
            network: network.counters,
            losses: network.lostUplinks(),
            attempts: tally.attempts,
            tally: tally,
            downlinks: downlinks,
            acknowledgements: traffic.acknowledgements,
            mails: mails,
            smtpURL: smtpURL,
            receiverURL: receiverURL,
            expectations: scenario.expectations.map { expectation in
                let checking = clock.now
                var result = expectation.check(facts)
                result.seconds = (clock.now - checking).inSeconds
                return result
            },
            journalPath: options.journalPath,
            wallSeconds: (clock.now - started).inSeconds,
            interrupted: options.stop?.isRequested ?? false
        )
    }
}
