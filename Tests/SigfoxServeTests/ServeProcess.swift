import Foundation
import SigfoxCloud
import SigfoxModel
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real `sigfox-sim serve` process on an ephemeral loopback port, for the tests.
final class ServeProcess: Sendable {
    private let process: Process
    let port: Int
    let client: ServeClient
    private let stdoutText = TextBox()
    private let stderrText = TextBox()
    private let ended = DispatchSemaphore(value: 0)
    private let stdinPipe = Pipe()

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sigfox-sim")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts `sigfox-sim serve --port 0 ARGUMENTS` and waits (at most 60 s) for its banner.
    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--stop-on-stdin-eof"] + arguments
        process.currentDirectoryURL = Self.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Kept open while this process lives: when the tests end, serve sees the end of its input and stops.
        process.standardInput = stdinPipe
        try process.run()
        self.process = process
        let found = DispatchSemaphore(value: 0)
        let portBox = Mutex<Int?>(nil)
        let stdoutText = self.stdoutText
        let stderrText = self.stderrText
        let ended = self.ended
        Thread {
            let handle = out.fileHandleForReading
            while case let data = handle.availableData, !data.isEmpty {
                let text = stdoutText.append(String(decoding: data, as: UTF8.self))
                // The text banner, or the one JSON line of --json.
                if portBox.withLock({ $0 }) == nil,
                    let match = text.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/)
                        ?? text.firstMatch(of: /"port":(\d+)/)
                {
                    portBox.withLock { $0 = Int(match.1) }
                    found.signal()
                }
            }
            found.signal()
            ended.signal()
        }.start()
        Thread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            _ = stderrText.append(String(decoding: data, as: UTF8.self))
        }.start()
        _ = found.wait(timeout: .now() + 60)
        guard let port = portBox.withLock({ $0 }) else {
            process.terminate()
            throw ServeTestError("serve did not start: \(stdoutText.text) \(stderrText.text)")
        }
        self.port = port
        client = ServeClient(host: "127.0.0.1", port: port)
    }

    /// The embedded receiver's base URL, from the banner.
    var receiverURL: String {
        stdout.firstMatch(of: /embedded receiver (http:\/\/127\.0\.0\.1:\d+)/).map { String($0.1) } ?? ""
    }

    var stdout: String { stdoutText.text }
    var stderr: String { stderrText.text }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits (at most `seconds`) for the process to end; its exit status, or nil if it is still running.
    func waitForExit(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        _ = ended.wait(timeout: .now() + 5)
        return process.terminationStatus
    }

    /// SIGINT and the exit status (kills it if it does not stop in time).
    @discardableResult
    func stop() -> Int32? {
        signal(SIGINT)
        let status = waitForExit()
        if status == nil { signal(SIGKILL) }
        return status
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
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

/// Text a reader thread appends to while tests read it.
final class TextBox: Sendable {
    private let value = Mutex("")

    /// Appends and returns the whole text.
    func append(_ more: String) -> String {
        value.withLock { all in
            all += more
            return all
        }
    }

    var text: String { value.withLock { $0 } }
}
