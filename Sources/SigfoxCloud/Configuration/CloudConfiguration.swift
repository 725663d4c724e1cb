import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import Synchronization

/// The configuration `serve` runs with now, and the one it started with (for `POST /sim/reset`).
///
/// Changes are serialised here: each is checked against the current document by the scenario loader and
/// handed to the engine in order, so two clients changing the configuration at once never lose one.
final class CloudConfiguration: Sendable {
    private struct State {
        var document: CloudDocument
        var scenario: Scenario
    }

    private let state: Mutex<State>
    let initial: CloudDocument

    init(current: CloudDocument, initial: CloudDocument) throws(ConfigError) {
        state = Mutex(State(document: current, scenario: try current.scenario()))
        self.initial = initial
    }

    var document: CloudDocument { state.withLock { $0.document } }
    var scenario: Scenario { state.withLock { $0.scenario } }

    /// Applies `change` to the current document; on success posts the new configuration to the engine
    /// (through `post`, inside the lock, so changes reach the engine in the order they were checked).
    func change<T: Sendable>(
        _ change: (CloudDocument) throws(ConfigError) -> (CloudDocument, T),
        post: (CloudDocument, Scenario) -> Void
    ) throws(APIError) -> T {
        try state.withLock { (state: inout State) throws(APIError) -> T in
            do throws(ConfigError) {
                let (document, result) = try change(state.document)
                let scenario = try document.scenario()
                state = State(document: document, scenario: scenario)
                post(document, scenario)
                return result
            } catch {
                throw APIError(error)
            }
        }
    }

    /// Back to the initial configuration.
    func reset(post: (CloudDocument, Scenario) -> Void) throws(APIError) {
        try state.withLock { (state: inout State) throws(APIError) in
            do throws(ConfigError) {
                let scenario = try initial.scenario()
                state = State(document: initial, scenario: scenario)
                post(initial, scenario)
            } catch {
                throw APIError(error)
            }
        }
    }
}
