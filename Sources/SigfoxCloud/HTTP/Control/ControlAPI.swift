import Foundation
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// sigfox-sim's own control API (`/sim/...`): JSON over HTTP, documented in `docs/serve.md` with a `curl`
/// example each, one ``RouteCollection`` per resource (uplinks, stations, configuration, records, events).
/// Bad input is an ``APIError`` whose body names the field; nothing here touches the engine's state but
/// through its command inbox.
struct ControlAPI: Sendable {
    let engine: LiveEngine
    let configuration: CloudConfiguration
    /// False once a shutdown began: new work is refused with 503.
    let accepting: @Sendable () -> Bool
    /// `real` or `scaled:N`: `GET /health` says it, so a client can tell how long callbacks take.
    var time = "real"
    /// At most this many `/sim/events` readers at once (the try log counts as one).
    var maximumEventStreams = 100
    static let maximumBody = 1 << 20

    /// Adds `/sim/...` to `router`.
    func addRoutes(to router: RouteTable) {
        for collection in [uplinkRoutes, stationRoutes, configurationRoutes, recordRoutes, eventRoutes] {
            router.addRoutes(collection, atPath: "/sim")
        }
    }

    // MARK: Shared pieces

    /// The simulation's "now": the engine's clock at its last turn (wall time under `--time real`, the
    /// scaled clock under `--time scaled:N`), so what a client dates (a lifecycle `until`) lines up with
    /// the times of the messages. Before the first turn, the wall clock.
    var now: SimulationTime {
        let clock = engine.metrics.simulationNow.load(ordering: .relaxed)
        return clock > 0 ? SimulationTime(milliseconds: clock) : .wallClock
    }

    /// Hands a command to the engine and waits for its answer; a refusal becomes its ``APIError``.
    func perform(_ make: (@escaping Reply) -> EngineCommand) async throws(APIError) -> EngineAnswer {
        switch await engine.perform(make) {
        case .success(let answer): return answer
        case .failure(let refusal): throw refusal.apiError
        }
    }

    /// Checks a configuration change and waits until the engine applied it.
    func reconfigure<T: Sendable>(
        _ change: (CloudDocument) throws(ConfigError) -> (CloudDocument, T)
    ) async throws(APIError) -> T {
        try checkAccepting()
        let outcome = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, APIError>, Never>) in
            // The change's own result, set before the engine can answer.
            let value = Mutex<T?>(nil)
            do throws(APIError) {
                _ = try configuration.change(
                    { document throws(ConfigError) in
                        let changed = try change(document)
                        value.withLock { $0 = changed.1 }
                        return changed
                    },
                    post: { document, scenario in
                        engine.inbox.post(
                            .configure(
                                document,
                                scenario,
                                reply: { result in
                                    continuation.resume(
                                        returning: result.map { _ in value.withLock { $0! } }.mapError(\.apiError)
                                    )
                                }
                            )
                        )
                    }
                )
            } catch {
                continuation.resume(returning: .failure(error))
            }
            engine.wakeEngine()
        }
        return try outcome.get()
    }

    func checkAccepting() throws(APIError) {
        guard accepting() else {
            throw APIError(status: 503, message: "sigfox-sim serve is shutting down")
        }
        if let problem = engine.store.health.problem {
            throw APIError(
                status: 503,
                message: "the store cannot write (\(problem)): uplinks are refused until it can; it resumes by itself"
            )
        }
    }

    /// The `{id}` of the path, a device id.
    static func deviceID(_ context: BasicRequestContext) throws(APIError) -> DeviceID {
        let text = context.parameters.get("id") ?? ""
        guard let id = DeviceID(hex: text) else {
            throw APIError(
                status: 400,
                message: "expected a device id of up to 8 hex digits, found '\(text)'",
                field: "id"
            )
        }
        return id
    }

    /// The query string's parameters, decoded, in order.
    static func query(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// The request's JSON body, parsed; errors name the line and column.
    static func body(_ request: Request, context: BasicRequestContext) async throws(APIError) -> ConfigNode {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBody)
        } catch {
            throw APIError(status: 413, message: "the request body is larger than \(maximumBody) bytes")
        }
        let text = String(buffer: buffer)
        guard !text.allSatisfy(\.isWhitespace) else { throw APIError.badRequest("expected a JSON object in the body") }
        do {
            return try ConfigDocument.parse(text, file: nil, syntax: .json)
        } catch {
            throw APIError(
                status: 400,
                message: "the body is not valid JSON: " + error.message,
                location: error.location
            )
        }
    }

    static func object(_ node: ConfigNode) throws(APIError) -> ConfigObject {
        do {
            return try ConfigObject(node, path: "")
        } catch {
            throw APIError(error)
        }
    }
}
