import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real `sigfox-sim serve` process on an ephemeral loopback port, for the tests: the shared kit's
/// ``TestProcess``, with serve's port read from its banner and a client of its control API.
final class ServeProcess: Sendable {
    let child: TestProcess
    let port: Int
    let client: ServeClient

    static var binary: URL { TestProcess.sigfoxSim }
    static var repositoryRoot: URL { TestProcess.repositoryRoot }

    /// Starts `sigfox-sim serve --port 0 ARGUMENTS` and waits (at most 60 s) for its banner. Its standard
    /// input stays open while this value lives: when the tests end, serve sees its end and stops.
    init(_ arguments: [String]) throws {
        child = try TestProcess(["serve", "--port", "0", "--stop-on-stdin-eof"] + arguments, keepInputOpen: true)
        var found: Int?
        child.waitForOutput(seconds: 60) { text in
            // The text banner, or the one JSON line of --json.
            found =
                (text.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/) ?? text.firstMatch(of: /"port":(\d+)/))
                .flatMap { Int($0.1) }
            return found != nil
        }
        guard let found else {
            child.kill()
            throw ServeTestError("serve did not start: \(child.stdout) \(child.stderr)")
        }
        port = found
        client = ServeClient(host: "127.0.0.1", port: found)
    }

    /// The embedded receiver's base URL, from the banner.
    var receiverURL: String {
        stdout.firstMatch(of: /embedded receiver (http:\/\/127\.0\.0\.1:\d+)/).map { String($0.1) } ?? ""
    }

    var stdout: String { child.stdout }
    var stderr: String { child.stderr }

    func signal(_ number: Int32) { child.signal(number) }

    /// Waits (at most `seconds`) for the process to end; its exit status, or nil if it is still running.
    func waitForExit(seconds: Double = 30) -> Int32? { child.waitForExit(seconds: seconds) }

    /// SIGINT and the exit status (kills it if it does not stop in time).
    @discardableResult
    func stop() -> Int32? {
        signal(SIGINT)
        let status = waitForExit()
        if status == nil { child.kill() }
        return status
    }

    // MARK: Requests

    func get(_ path: String) throws -> ServeClient.Answer { try client.request("GET", path) }

    func post(_ path: String, _ body: String? = nil) throws -> ServeClient.Answer {
        try client.request("POST", path, body: body)
    }

    /// The JSON body of `GET path`.
    func json(_ path: String) throws -> ConfigNode {
        let answer = try get(path)
        #expect(answer.status == 200, "GET \(path): \(answer.body)")
        return try JSONParser.parse(answer.body)
    }

    /// Polls `GET path` (at most `seconds`) until `condition` holds for its JSON; the last JSON.
    @discardableResult
    func waitFor(_ path: String, seconds: Double = 30, _ condition: (ConfigNode) -> Bool) throws -> ConfigNode {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try json(path)
        while !condition(last), Date() < deadline {
            usleep(50_000)
            last = try json(path)
        }
        return last
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes a scenario file for a test and returns its path.
func scenarioFile(_ yaml: String, name: String = UUID().uuidString) throws -> String {
    let folder = NSTemporaryDirectory() + "sigfox-serve-tests"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/\(name).yaml"
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A scenario with one device whose DATA/UPLINK callback goes to the embedded receiver, which answers with
/// `status` (200 or a failure).
func oneDeviceScenario(status: Int = 200) -> String {
    """
    name: one-device
    baseStations:
      - { id: 1D44, lat: 43.61, lng: 1.45 }
    deviceTypes:
      - id: 5f1d3a2b4c6e8f0a1b2c3d4e
        name: T
        callbacks:
          - id: up
            service: DATA/UPLINK
            url: "{receiver}/up"
            method: POST
            contentType: application/json
            body: '{"device":"{device}","seq":{seqNumber},"data":"{data}"}'
    devices:
      - { id: 2C30EA, deviceType: T, lat: 43.600, lng: 1.440 }
    receiver:
      embedded: { status: \(status) }
    """
}

extension ConfigNode {
    /// The `data` array of a listing.
    var listed: [ConfigNode] { self["data"]?.items ?? [] }
}
