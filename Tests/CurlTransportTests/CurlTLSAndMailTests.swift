import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxServices
import SigfoxTesting
import Testing

@Suite("libcurl transport: TLS verification and e-mail", .timeLimit(.minutes(1)))
struct CurlTLSAndMailTests {
    /// Makes the test CA and certificates, starts an HTTPS server with `certificate`, runs `body`.
    func withHTTPS(certificate: String, _ body: (_ port: Int, _ folder: URL) async throws -> Void) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let make = try ChildProcess(
            "/bin/bash",
            [fixtures.appendingPathComponent("make-test-certs.sh").path, folder.path]
        )
        let made = await offPool { make.waitForExit() }
        try #require(made && make.process.terminationStatus == 0, "openssl could not make the test certificates")
        let server = try ChildProcess(
            "/usr/bin/python3",
            [
                fixtures.appendingPathComponent("https_server.py").path,
                folder.appendingPathComponent("\(certificate).pem").path,
                folder.appendingPathComponent("\(certificate).key").path,
            ]
        )
        defer { server.stop() }
        try #require(await server.waitForOutput(containing: "\n"), "the HTTPS test server did not start")
        let port = try #require(Int(server.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        try await body(port, folder)
    }

    @Test("a certificate from a CA the user adds is trusted; without that CA it fails, as on the real cloud")
    func testCA() async throws {
        try await withHTTPS(certificate: "server") { port, folder in
            let trusting = CurlTransport(
                configuration: CurlConfiguration(caFile: folder.appendingPathComponent("ca.pem").path)
            )
            defer { trusting.shutdown() }
            let ok = await send(trusting, http(.post, "https://127.0.0.1:\(port)/tls", body: "x=1"))
            #expect(status(ok) == 200, "\(ok.outcome)")
            let plain = CurlTransport()
            defer { plain.shutdown() }
            let refused = await send(plain, http(.get, "https://127.0.0.1:\(port)/tls"))
            #expect(failureMessage(refused)?.hasPrefix("TLS error") == true, "\(refused.outcome)")
        }
    }

    @Test("a self-signed certificate fails even with a test CA added")
    func selfSigned() async throws {
        try await withHTTPS(certificate: "self") { port, folder in
            let transport = CurlTransport(
                configuration: CurlConfiguration(caFile: folder.appendingPathComponent("ca.pem").path)
            )
            defer { transport.shutdown() }
            let result = await send(transport, http(.get, "https://127.0.0.1:\(port)/tls"))
            #expect(failureMessage(result)?.hasPrefix("TLS error") == true, "\(result.outcome)")
        }
    }

    @Test("e-mail through the project's SMTP sink: headers, subject, body, two recipients")
    func mailToSink() async throws {
        let sink = try await SMTPSink.start()
        let transport = CurlTransport(
            configuration: CurlConfiguration(
                smtpURL: "smtp://127.0.0.1:\(sink.port)",
                mailFrom: "cloud@sigfox-sim.test"
            )
        )
        defer { transport.shutdown() }
        let mail = EmailMessage(
            recipient: "ops@example.com, dev@example.com",
            subject: "Device 2C30EA: température",
            body: "seq 12\n.dot line\nend"
        )
        let result = await send(transport, .email(mail))
        #expect(result.outcome == .mailSent, "\(result.outcome)")
        let mails = await sink.waitForMails(count: 1, timeout: .seconds(5))
        let received = try #require(mails.first)
        #expect(received.from == "cloud@sigfox-sim.test")
        #expect(received.recipients == ["ops@example.com", "dev@example.com"])
        #expect(received.subject == "=?UTF-8?B?\(Data("Device 2C30EA: température".utf8).base64EncodedString())?=")
        for name in ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"] {
            #expect(received.headers.contains { $0.name == name }, "missing header \(name)")
        }
        #expect(received.body.replacingOccurrences(of: "\r\n", with: "\n").hasPrefix("seq 12\n.dot line\nend"))
        try await sink.shutdown()
    }

    @Test("e-mail through an independent SMTP server (aiosmtpd)")
    func mailToAiosmtpd() async throws {
        let port = unusedPort()
        let server = try ChildProcess(
            "/usr/bin/python3",
            ["-u", "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Debugging", "-l", "127.0.0.1:\(port)"]
        )
        defer { server.stop() }
        try #require(await waitUntilListening(port), "aiosmtpd did not start (apt-get install python3-aiosmtpd)")
        let transport = CurlTransport(configuration: CurlConfiguration(smtpURL: "smtp://127.0.0.1:\(port)"))
        defer { transport.shutdown() }
        let result = await send(
            transport,
            .email(EmailMessage(recipient: "ops@example.com", subject: "Uplink 2C30EA", body: "data ff3842"))
        )
        #expect(result.outcome == .mailSent, "\(result.outcome)")
        #expect(await server.waitForOutput(containing: "data ff3842"))
        #expect(server.stdout.contains("Subject: Uplink 2C30EA"))
    }

    @Test("an e-mail the server refuses, or with no server, fails with 'Could not send email to …'")
    func mailFailures() async throws {
        let nowhere = CurlTransport(configuration: CurlConfiguration(smtpURL: "smtp://127.0.0.1:\(unusedPort())"))
        defer { nowhere.shutdown() }
        let mail = EmailMessage(recipient: "ops@example.com", subject: "s", body: "b")
        let refused = await send(nowhere, .email(mail))
        #expect(
            failureMessage(refused)?.hasPrefix("Could not send email to ops@example.com") == true,
            "\(refused.outcome)"
        )
        let unconfigured = CurlTransport()
        defer { unconfigured.shutdown() }
        let none = await send(unconfigured, .email(mail))
        #expect(failureMessage(none) == "Could not send email to ops@example.com: no SMTP server configured")
    }
}
