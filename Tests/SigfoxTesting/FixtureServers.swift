import Foundation

/// An SMTP server of `Tests/Fixtures/smtp_server.py` (aiosmtpd, independent of this project) on a port it
/// chose and printed: no test guesses a free port.
public struct SMTPServerProcess: Sendable {
    public let process: TestProcess
    public let port: Int

    /// Prints each message whole; with `slow`, answers the first message's DATA after that many seconds.
    public init(slow: Double? = nil) throws {
        let script = TestProcess.fixtures.appendingPathComponent("smtp_server.py").path
        process = try TestProcess(
            ["-u", script] + (slow.map { ["--slow", "\($0)"] } ?? []),
            executable: URL(fileURLWithPath: "/usr/bin/python3")
        )
        var found: Int?
        process.waitForOutput { text in
            found = text.firstMatch(of: /listening (\d+)/).flatMap { Int($0.1) }
            return found != nil
        }
        guard let found else {
            process.kill()
            throw FixtureServerError(
                "the SMTP test server did not start (apt-get install python3-aiosmtpd): \(process.stderr)"
            )
        }
        port = found
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }
    public var stdout: String { process.stdout }

    public func waitForOutput(containing text: String, timeout: Duration = .seconds(10)) async -> Bool {
        await process.waitForOutput(containing: text, timeout: timeout)
    }
}

public struct FixtureServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
