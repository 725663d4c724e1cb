import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxScenario
import SigfoxServices
import SigfoxSimulation
import SigfoxTesting
import Testing

@Suite("E-mail in scenarios: the embedded SMTP sink or the user's own server", .timeLimit(.minutes(2)))
struct ScenarioMailTests {
    static func scenario(mail: String, receiver: String, expect: String = "") -> String {
        """
        name: mail
        seed: 2
        network: { frameLossProbability: 0 }
        baseStations: [{ id: 1D44, lat: 43.6, lng: 1.44 }]
        deviceTypes:
          - name: T
            callbacks:
              - { service: DATA/UPLINK, recipient: team@example.com, subject: "up {device}", message: "{data}" }
        devices: [{ id: 2C30EA, deviceType: T, lat: 43.6, lng: 1.44 }]
        traffic:
          - { every: 1m, devices: all, count: 2, payload: "0a" }
        \(mail)
        \(receiver)
        \(expect)
        """
    }

    @Test("mail.smtp sends the scenario's e-mails to the user's own server, with mail.from as sender")
    func ownServer() async throws {
        let server = try await SMTPSink.start()
        let text = Self.scenario(
            mail: "mail: { smtp: \"smtp://127.0.0.1:\(server.port)\", from: alerts@example.org }",
            receiver: "",
            expect: "expect:\n  - { channel: EMAIL, delivered: 2 }"
        )
        let scenario = try Scenario.parse(text)
        #expect(
            scenario.mail.smtpURL == "smtp://127.0.0.1:\(server.port)" && scenario.mail.from == "alerts@example.org"
        )
        let result = try await offPool { () -> Result<RunResult, ScenarioRunError> in
            Result { () throws(ScenarioRunError) in try ScenarioRunner(scenario: scenario).run() }
        }.get()
        let mails = await server.waitForMails(count: 2, timeout: .seconds(5))
        try await server.shutdown()
        #expect(result.passed, "\(result.text)")
        #expect(result.mails.isEmpty && result.smtpURL == "smtp://127.0.0.1:\(server.port)")
        #expect(mails.count == 2)
        #expect(mails.allSatisfy { $0.from == "alerts@example.org" && $0.recipients == ["team@example.com"] })
        #expect(mails.map { $0.header("Subject") } == ["up 2C30EA", "up 2C30EA"])
    }

    @Test("an e-mail's Date and Message-ID come from the simulation clock: two runs send the same e-mails")
    func deterministicHeaders() async throws {
        let scenario = try Scenario.parse(Self.scenario(mail: "", receiver: "receiver: embedded"))
        func headers() async throws -> [[String?]] {
            let result = try await offPool { () -> Result<RunResult, ScenarioRunError> in
                Result { () throws(ScenarioRunError) in try ScenarioRunner(scenario: scenario).run() }
            }.get()
            return result.mails.map { [$0.header("Date"), $0.header("Message-ID")] }
                .sorted { ($0[1] ?? "") < ($1[1] ?? "") }
        }
        let first = try await headers()
        let second = try await headers()
        #expect(first.count == 2 && first == second)
        // The uplinks at 00:00 and 00:01 (plus the network's delay of a few seconds), 1 January 2026.
        #expect(first.compactMap { $0[0] }.allSatisfy { $0.hasPrefix("Thu, 01 Jan 2026 00:0") }, "\(first)")
        #expect(first.compactMap { $0[1] }.allSatisfy { $0.hasSuffix(".1@sigfox-sim.local>") }, "\(first)")
    }

    @Test("with receiver: embedded the SMTP sink records the mails the expectations count")
    func embeddedSink() async throws {
        let text = Self.scenario(
            mail: "",
            receiver: "receiver: embedded",
            expect: "expect:\n  - mail: { count: 2, to: TEAM@example.com, subject: up }\n  - mail: { count: 3 }"
        )
        let scenario = try Scenario.parse(text, file: "mail.yaml")
        let result = try await offPool { () -> Result<RunResult, ScenarioRunError> in
            Result { () throws(ScenarioRunError) in try ScenarioRunner(scenario: scenario).run() }
        }.get()
        #expect(result.mails.count == 2 && result.smtpURL?.hasPrefix("smtp://127.0.0.1:") == true)
        #expect(result.expectations.map(\.passed) == [true, false])
        #expect(result.expectations[1].actual == "2 e-mails (2 received in all)")
        #expect(result.text.contains("e-mails: 2 received by the embedded SMTP sink (smtp://127.0.0.1:"))
        #expect(result.json.contains("\"mails\":[{\"from\":\"sigfox-sim@localhost\",\"to\":[\"team@example.com\"]"))
    }

    @Test("e-mail without an SMTP server or embedded receiver is a configuration error")
    func noServer() throws {
        let scenario = try Scenario.parse(Self.scenario(mail: "", receiver: ""), file: "mail.yaml")
        #expect {
            _ = try ScenarioRunner(scenario: scenario).run()
        } throws: { error in
            "\(error)".hasPrefix("mail.yaml: mail: the scenario sends e-mail but names no SMTP server")
        }
    }

    @Test(
        "mail mistakes name the file, line, column and field",
        arguments: [
            ("mail: { smtp: \"http://x\" }", "", "mail.yaml:12:15: mail.smtp: expected smtp://host:port"),
            ("mail: { from: nobody }", "", "mail.yaml:12:15: mail.from: expected an address such as"),
            ("mail: { host: x }", "", "mail.yaml:12:9: mail.host: unknown field 'host'"),
            (
                "", "receiver: { embedded: { smtpReject: [42] } }",
                "mail.yaml:13:38: receiver.embedded.smtpReject: expected an e-mail address"
            ),
            ("", "", "mail.yaml:15:3: expect[0]: a mail expectation counts what the embedded SMTP sink received"),
        ]
    )
    func errors(mail: String, receiver: String, message: String) {
        do {
            _ = try Scenario.parse(
                Self.scenario(mail: mail, receiver: receiver, expect: "expect:\n  - mail: { count: 1 }"),
                file: "mail.yaml"
            )
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}
