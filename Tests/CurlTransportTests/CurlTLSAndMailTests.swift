import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
import SigfoxTesting
import Testing

@Suite("libcurl transport: TLS verification and e-mail", .timeLimit(.minutes(1)))
struct CurlTLSAndMailTests {
    /// Makes the test CA and certificates, starts an HTTPS server with `certificate`, runs `body`.
    func withHTTPS(
        certificate: String,
        arguments: [String] = [],
        _ body: (_ port: Int, _ folder: URL, _ server: TestProcess) async throws -> Void
    ) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = await offPool {
            try? TestProcess.run(
                [TestProcess.fixtures.appendingPathComponent("make-test-certs.sh").path, folder.path],
                executable: URL(fileURLWithPath: "/bin/bash"),
                timeout: 30
            )
        }
        try #require(made?.status == 0, "openssl could not make the test certificates: \(made?.stderr ?? "")")
        let server = try TestProcess(
            [
                "-u", TestProcess.fixtures.appendingPathComponent("https_server.py").path,
                folder.appendingPathComponent("\(certificate).pem").path,
                folder.appendingPathComponent("\(certificate).key").path,
            ] + arguments,
            executable: URL(fileURLWithPath: "/usr/bin/python3")
        )
        defer { server.kill() }
        try #require(await server.waitForOutput(containing: "\n"), "the HTTPS test server did not start")
        let port = try #require(Int(server.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        try await body(port, folder, server)
    }

    @Test(
        "sendSni: false leaves the server name out of the handshake to a host name; true sends it; no reuse across"
    )
    func serverNameIndication() async throws {
        try await withHTTPS(certificate: "server", arguments: ["--report-sni"]) { port, folder, server in
            let transport = CurlTransport(
                configuration: CurlConfiguration(caFile: folder.appendingPathComponent("ca.pem").path, environment: [:])
            )
            defer { transport.shutdown() }
            // Alternating on one transport: each kind of connection is made once and reused by its own kind
            // only (the second try finds the first connection idle and still makes its own, without SNI).
            for (index, sendSni) in [true, false, true, false].enumerated() {
                let result = await send(
                    transport,
                    http(.post, "https://localhost:\(port)/sni", body: "x=1"),
                    id: UInt64(index + 1),
                    sendSni: sendSni
                )
                // The certificate is still checked against the URL's host without SNI.
                #expect(status(result) == 200, "\(result.outcome)")
            }
            try #require(await server.waitForOutput(containing: "sni localhost\nsni -\n"), "\(server.stdout)")
            let handshakes = server.stdout.split(separator: "\n").filter { $0.hasPrefix("sni ") }
            #expect(handshakes == ["sni localhost", "sni -"], "\(server.stdout)")
            // To an IP address libcurl sends no name anyway, whatever sendSni says.
            let byAddress = await send(transport, http(.get, "https://127.0.0.1:\(port)/sni"), id: 9, sendSni: true)
            #expect(status(byAddress) == 200, "\(byAddress.outcome)")
            try #require(await server.waitForOutput(containing: "sni -\nsni -\n"), "\(server.stdout)")
        }
    }

    @Test("a certificate from a CA the user adds is trusted; without that CA it fails, as on the real cloud")
    func testCA() async throws {
        try await withHTTPS(certificate: "server") { port, folder, _ in
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
        try await withHTTPS(certificate: "self") { port, folder, _ in
            let transport = CurlTransport(
                configuration: CurlConfiguration(caFile: folder.appendingPathComponent("ca.pem").path)
            )
            defer { transport.shutdown() }
            let result = await send(transport, http(.get, "https://127.0.0.1:\(port)/tls"))
            #expect(failureMessage(result)?.hasPrefix("TLS error") == true, "\(result.outcome)")
        }
    }

    @Test(
        "a TLS failure says why: expired, another host's, unknown issuer, self-signed",
        arguments: [
            ("expired", true, "the certificate has expired"),
            ("elsewhere", true, "the certificate is not for this host"),
            ("server", false, "the certificate's issuer is unknown"),
            ("self", true, "the certificate is self-signed"),
        ]
    )
    func tlsReasons(certificate: String, trustCA: Bool, reason: String) async throws {
        try await withHTTPS(certificate: certificate) { port, folder, _ in
            let transport = CurlTransport(
                configuration: CurlConfiguration(
                    caFile: trustCA ? folder.appendingPathComponent("ca.pem").path : nil,
                    environment: [:]
                )
            )
            defer { transport.shutdown() }
            let result = await send(transport, http(.get, "https://127.0.0.1:\(port)/tls"))
            #expect(failureMessage(result)?.hasPrefix("TLS error: \(reason)") == true, "\(result.outcome)")
        }
    }

    @Test("a scenario's tls.caFile trusts its test CA; RunOptions.caFile (--ca-file) does too")
    func scenarioCAFile() async throws {
        try await withHTTPS(certificate: "server") { port, folder, _ in
            let scenario = """
                name: tls
                baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
                deviceTypes:
                  - name: T
                    callbacks: [{ id: up, service: DATA/UPLINK, url: "https://127.0.0.1:\(port)/up" }]
                devices: [{ id: 1, deviceType: T, lat: 43.6, lng: 1.44 }]
                traffic: [{ at: +1s, device: 1 }]
                tls: { caFile: ca.pem }
                expect: [{ service: DATA/UPLINK, delivered: 1 }]
                """
            let path = folder.appendingPathComponent("tls.yaml").path
            try scenario.write(toFile: path, atomically: true, encoding: .utf8)
            let trusted = await offPool { try? ScenarioRunner(path: path).run() }
            #expect(trusted?.passed == true, "\(trusted?.text ?? "did not run")")
            let without = folder.appendingPathComponent("plain.yaml").path
            try scenario.replacingOccurrences(of: "tls: { caFile: ca.pem }\n", with: "")
                .write(toFile: without, atomically: true, encoding: .utf8)
            let refused = await offPool { try? ScenarioRunner(path: without).run() }
            #expect(
                refused?.attempts.first?.message.hasPrefix("TLS error: the certificate's issuer is unknown") == true
            )
            let ca = folder.appendingPathComponent("ca.pem").path
            let flag = await offPool { try? ScenarioRunner(path: without, options: RunOptions(caFile: ca)).run() }
            #expect(flag?.passed == true)
        }
    }

    @Test("CURL_CA_BUNDLE (or SSL_CERT_FILE) names a CA file to trust when none is given")
    func caFromEnvironment() async throws {
        try await withHTTPS(certificate: "server") { port, folder, _ in
            let ca = folder.appendingPathComponent("ca.pem").path
            for name in ["CURL_CA_BUNDLE", "SSL_CERT_FILE"] {
                let transport = CurlTransport(configuration: CurlConfiguration(environment: [name: ca]))
                defer { transport.shutdown() }
                let result = await send(transport, http(.get, "https://127.0.0.1:\(port)/tls"))
                #expect(status(result) == 200, "\(name): \(result.outcome)")
            }
            #expect(CurlConfiguration(caFile: "/given.pem", environment: ["CURL_CA_BUNDLE": ca]).caFile == "/given.pem")
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
        let server = try SMTPServerProcess()
        defer { server.process.kill() }
        let transport = CurlTransport(configuration: CurlConfiguration(smtpURL: server.url))
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
        let closed = RefusingPort()
        let nowhere = CurlTransport(configuration: CurlConfiguration(smtpURL: "smtp://127.0.0.1:\(closed.port)"))
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

@Suite("A slow SMTP server delays nothing but its own e-mails", .timeLimit(.minutes(1)))
struct SlowMailTests {
    @Test(
        "an SMTP server that answers DATA after 12 s: the HTTP callback is on time, the e-mail times out, its retry goes"
    )
    func slowSMTP() async throws {
        let server = try SMTPServerProcess(slow: 12)
        defer { server.process.kill() }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("slow-mail.yaml").path
        try """
        name: slow-mail
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks:
              - { id: mail, service: DATA/UPLINK, recipient: ops@example.com, subject: "up {device}", message: "m" }
              - { id: http, service: DATA/UPLINK, url: "{receiver}/up" }
        devices: [{ id: 1, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic: [{ at: +1s, device: 1 }]
        mail: { smtp: "\(server.url)" }
        receiver:
          embedded: { delay: 1s }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try #require(await offPool { try? ScenarioRunner(path: path).run() })
        let http = result.attempts.filter { $0.callback.id == "http" }
        let mail = result.attempts.filter { $0.callback.id == "mail" }
        #expect(http.count == 1)
        #expect(http.first?.outcome == .delivered, "\(http)")
        #expect((http.first?.latencyMilliseconds ?? 99_999) < 5_000)
        #expect(mail.count == 2, "\(mail.map(\.message))")
        #expect(mail.first?.message == "Timeout: no answer within 10 s", "\(mail.map(\.message))")
        #expect(mail.last?.outcome == .delivered, "\(mail.map(\.message))")
        #expect(result.ledger.balances)
    }
}
