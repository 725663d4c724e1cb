import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: downlinks and ACKNOWLEDGE")
struct NetworkAcknowledgeTests {
    typealias F = NetworkFixtures
    static let id = DeviceID(0x2C30EA)
    static let data: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

    /// Sends an uplink with ack at the start and advances past its DATA; returns the message id.
    private func request(_ network: inout NetworkCore, at time: SimulationTime = F.start) throws -> MessageID {
        let message = try #require(network.send(Uplink(device: Self.id, payload: [1], ack: true), at: time).message)
        _ = network.advance(to: message.firstReception)
        return message.id
    }

    private func acknowledgements(_ triggers: [CallbackTrigger]) -> [CallbackTrigger] {
        triggers.filter { $0.service == .acknowledge }
    }

    @Test("ACKED: a valid answer inside the window is emitted at once, acknowledged 35 s after the first frame")
    func ackedInWindow() throws {
        var network = try F.network()
        let message = try request(&network)
        _ = network.advance(to: F.start + .seconds(25))
        let acks = network.receiveDownlinkAnswer(.downlink(Self.data), for: message, at: F.start + .seconds(25))
        let ack = try #require(acks.first)
        #expect(ack.service == .acknowledge)
        #expect(ack.due == F.start + .seconds(35))
        #expect(ack.rendered(.infoCode) == "0")
        #expect(ack.rendered(.infoMessage) == "Acked")
        #expect(ack.rendered(.downlinkAck) == "true")
        #expect(ack.rendered(.downlinkOverusage) == "false")
        #expect(ack.rendered(.device) == "2C30EA")
        #expect(ack.rendered(.time) == "1700000003")
        #expect(ack.rendered(.deviceTypeName) == "SIGFOX_DevKit_1")
        #expect(
            network.takeEmittedDownlinks()
                == [
                    EmittedDownlink(
                        device: Self.id,
                        data: Self.data,
                        time: F.start + .seconds(25),
                        message: message,
                        station: BaseStationID(1)
                    )
                ]
        )
        #expect(acknowledgements(F.drain(&network)).isEmpty)
        #expect(network.counters.downlinksEmitted == 1)
        #expect(network.counters.triggers(for: .acknowledge) == 1)
    }

    @Test("an answer before the window opens is emitted when it opens, 20 s after the first frame")
    func ackedAtWindowStart() throws {
        var network = try F.network()
        let message = try request(&network)
        #expect(network.receiveDownlinkAnswer(.downlink(Self.data), for: message, at: F.start + .seconds(4)).isEmpty)
        let acks = acknowledgements(F.drain(&network))
        #expect(acks.map(\.due) == [F.start + .seconds(35)])
        #expect(acks.first?.rendered(.infoMessage) == "Acked")
    }

    @Test("DIRECT mode: the fixed data string, filled in, is emitted at the window start")
    func direct() throws {
        let type = try F.deviceType(mode: .direct, dataString: "{time}{tapId}{rssi}")
        var network = try F.network(type: type)
        let triggers =
            F.drain(&network)
            + {
                _ = network.send(Uplink(device: Self.id, payload: [], ack: true), at: F.start)
                return F.drain(&network)
            }()
        let acks = acknowledgements(triggers)
        #expect(acks.map(\.due) == [F.start + .seconds(35)])
        #expect(acks.first?.rendered(.infoCode) == "0")
        // 1700000003 = 0x6553F103, station 0001, -96 dBm = 0xFFA0.
        #expect(network.takeEmittedDownlinks().map(\.data) == [[0x65, 0x53, 0xF1, 0x03, 0x00, 0x01, 0xFF, 0xA0]])
    }

    @Test("a DIRECT data string that is not 8 bytes is a configuration error")
    func directValidation() {
        #expect(throws: NetworkSetupError.self) { try F.deviceType(mode: .direct, dataString: "{time}00") }
        #expect(throws: NetworkSetupError.self) { try F.deviceType(mode: .direct, dataString: nil) }
    }

    enum Failure: String, CaseIterable, Sendable {
        case nothing, noData, noAnswer, tooLate, invalidPayload, modeNone
    }

    @Test("failures are acknowledged at the window end, 45 s after the first frame", arguments: Failure.allCases)
    func failureAtWindowEnd(failure: Failure) throws {
        var network = try F.network(type: try F.deviceType(mode: failure == .modeNone ? .none : .callback))
        let message = try request(&network)
        let answerTime = F.start + .seconds(failure == .tooLate ? 46 : 30)
        var acks = acknowledgements(network.advance(to: answerTime))
        let answer: DownlinkAnswer? =
            switch failure {
            case .nothing, .modeNone: nil
            case .noData: .noData
            case .noAnswer: .noAnswer("timeout")
            case .tooLate: .downlink(Self.data)
            case .invalidPayload: .invalidPayload("downlinkData 'zz' is not 16 hex characters")
            }
        if let answer {
            #expect(network.receiveDownlinkAnswer(answer, for: message, at: answerTime).isEmpty)
        }
        acks += acknowledgements(network.advance(to: F.start + .seconds(45))) + acknowledgements(F.drain(&network))
        let ack = try #require(acks.first)
        #expect(acks.count == 1)
        #expect(ack.due == F.start + .seconds(45))
        let expected: AcknowledgeCode = failure == .invalidPayload ? .invalidPayload : .noAnswer
        #expect(ack.rendered(.infoCode) == String(expected.rawValue))
        #expect(ack.rendered(.infoMessage) == expected.name)
        #expect(ack.rendered(.downlinkAck) == "false")
        #expect(network.takeEmittedDownlinks().isEmpty)
    }

    @Test("OVERRUN_ERROR after the 4th downlink of the day, with downlinkOverusage")
    func overrun() throws {
        var network = try F.network()
        var codes: [String] = []
        for index in 0..<5 {
            let start = F.start + .minutes(Int64(index * 10))
            let message = try request(&network, at: start)
            _ = network.advance(to: start + .seconds(21))
            let now = network.receiveDownlinkAnswer(.downlink(Self.data), for: message, at: start + .seconds(21))
            let acks = now + acknowledgements(network.advance(to: start + .seconds(45)))
            codes += acks.map { $0.rendered(.infoMessage) + "/" + $0.rendered(.downlinkOverusage) }
        }
        #expect(codes == ["Acked/false", "Acked/false", "Acked/false", "Acked/false", "OVERRUN_ERROR/true"])
        #expect(network.counters.downlinksEmitted == 4)
    }

    enum NetworkFault: String, CaseIterable, Sendable {
        case injectedForDevice, globalFlag, stationsDown
    }

    @Test(
        "NETWORK_ERROR when injected or when no station that heard the message is up",
        arguments: NetworkFault.allCases
    )
    func networkError(fault: NetworkFault) throws {
        var network = try F.network()
        let message = try request(&network)
        switch fault {
        case .injectedForDevice: network.failNextDownlink(of: Self.id)
        case .globalFlag: network.downlinkNetworkFailure = true
        case .stationsDown:
            for station in 1...3 {
                network.setStation(BaseStationID(UInt32(station)), up: false, at: F.start + .seconds(10))
            }
        }
        _ = network.advance(to: F.start + .seconds(21))
        #expect(network.receiveDownlinkAnswer(.downlink(Self.data), for: message, at: F.start + .seconds(21)).isEmpty)
        let acks = acknowledgements(F.drain(&network))
        #expect(acks.map { $0.rendered(.infoMessage) } == ["NETWORK_ERROR"])
        #expect(acks.map(\.due) == [F.start + .seconds(45)])
        if fault == .injectedForDevice {
            // Only the next one fails.
            let second = try request(&network, at: F.start + .minutes(5))
            let acked = network.receiveDownlinkAnswer(
                .downlink(Self.data),
                for: second,
                at: F.start + .minutes(5) + .seconds(21)
            )
            #expect(acked.map { $0.rendered(.infoMessage) } == ["Acked"])
        }
    }

    @Test("NO_DOWNLINK_CONTRACT when the device's contract has no downlink")
    func noDownlinkContract() throws {
        let type = try F.deviceType()
        let device = try Device(
            id: Self.id,
            deviceType: type.id,
            position: F.device,
            contract: DeviceContract(downlink: false)
        )
        var network = try F.network(type: type, devices: [device])
        let message = try request(&network)
        #expect(network.receiveDownlinkAnswer(.downlink(Self.data), for: message, at: F.start + .seconds(21)).isEmpty)
        #expect(acknowledgements(F.drain(&network)).map { $0.rendered(.infoMessage) } == ["NO_DOWNLINK_CONTRACT"])
        #expect(network.counters.ignoredAnswers == 1)
    }

    @Test("TOO_MANY_REQUESTS when the device asks again before its listening window ended")
    func tooManyRequests() throws {
        var network = try F.network()
        let first = try request(&network)
        let second = try request(&network, at: F.start + .seconds(30))
        _ = network.advance(to: F.start + .seconds(31))
        #expect(network.receiveDownlinkAnswer(.downlink(Self.data), for: first, at: F.start + .seconds(31)).count == 1)
        let acks = acknowledgements(F.drain(&network))
        #expect(acks.map { $0.rendered(.infoMessage) } == ["TOO_MANY_REQUESTS"])
        #expect(acks.first?.message == second)
        #expect(acks.first?.due == F.start + .seconds(75))
        // After the window, asking again is fine.
        let third = try request(&network, at: F.start + .seconds(80))
        _ = network.advance(to: F.start + .seconds(101))
        #expect(network.receiveDownlinkAnswer(.noData, for: third, at: F.start + .seconds(101)).isEmpty)
        #expect(acknowledgements(F.drain(&network)).map { $0.rendered(.infoMessage) } == ["NO_ANSWER"])
    }

    @Test("INVALID_CONFIGURATION when the mode is CALLBACK but the type has no BIDIR callback")
    func invalidConfiguration() throws {
        var network = try F.network(type: try F.deviceType(hasBidir: false))
        _ = try request(&network)
        #expect(acknowledgements(F.drain(&network)).map { $0.rendered(.infoMessage) } == ["INVALID_CONFIGURATION"])
    }

    @Test("every ACKNOWLEDGE code is reachable")
    func everyCode() {
        // One test above per code; this keeps the list honest if a code is added.
        #expect(AcknowledgeCode.allCases.count == 8)
    }

    @Test("no ack, no ACKNOWLEDGE; expectsDownlink only on BIDIR with ack in CALLBACK mode")
    func noAck() throws {
        var network = try F.network()
        _ = network.send(Uplink(device: Self.id, payload: []), at: F.start)
        let triggers = F.drain(&network)
        #expect(acknowledgements(triggers).isEmpty)
        #expect(triggers.allSatisfy { !$0.expectsDownlink })
    }
}
