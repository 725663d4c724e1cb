import SigfoxEngine
import SigfoxModel
import Testing

@Suite("Network core: receptions, link quality and DATA variables")
struct NetworkReceptionTests {
    typealias F = NetworkFixtures

    struct LQIVector: Sendable, CustomTestStringConvertible {
        var rssi: Double
        var stations: Int
        var zone: RadioConfiguration
        var expected: LinkQuality
        var testDescription: String { "\(rssi) dBm, \(stations) stations, \(zone.rawValue) -> \(expected)" }
    }

    /// SIGFOX.md section 1, every boundary on both sides, with 1, 2, 3 and 4 stations.
    static let lqiVectors: [LQIVector] = {
        var vectors: [LQIVector] = []
        for zone in [RadioConfiguration.rc1, .rc2] {
            let upper = zone.upperThreshold
            let lower = zone.lowerThreshold
            for stations in 1...4 {
                let many = stations >= 3
                vectors += [
                    LQIVector(
                        rssi: (upper * 100 + 1) / 100,
                        stations: stations,
                        zone: zone,
                        expected: many ? .excellent : .good
                    ),
                    LQIVector(rssi: upper, stations: stations, zone: zone, expected: many ? .good : .average),
                    LQIVector(
                        rssi: (lower * 100 + 1) / 100,
                        stations: stations,
                        zone: zone,
                        expected: many ? .good : .average
                    ),
                    LQIVector(rssi: lower, stations: stations, zone: zone, expected: .limit),
                ]
            }
        }
        return vectors
    }()

    @Test("LQI matches the table at every boundary, through the message path", arguments: lqiVectors)
    func linkQuality(vector: LQIVector) throws {
        let stations = (0..<vector.stations).map { index in
            BaseStation(id: BaseStationID(UInt32(index + 1)), position: F.north(of: F.device, by: 1000))
        }
        var network = try F.network(
            type: try F.deviceType(zone: vector.zone),
            stations: stations,
            configuration: F.flat(rssi: vector.rssi)
        )
        let message = try #require(network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start).message)
        #expect(message.receptions.count == vector.stations)
        #expect(message.best?.rssi == vector.rssi)
        let advanced = try #require(F.drain(&network).last)
        #expect(advanced.rendered(.lqi) == vector.expected.word())
        #expect(advanced.rendered(.linkQuality) == String(vector.expected.rawValue))
    }

    @Test("upper-case LQI words on request")
    func upperCaseLQI() throws {
        var configuration = F.certain
        configuration.lqiStyle = .upperCase
        var network = try F.network(configuration: configuration)
        _ = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: F.start)
        #expect(F.drain(&network).last?.rendered(.lqi) == "EXCELLENT")
    }

    @Test(
        "network metadata: station, rssi, snr, reception and duplicates only with the contract option",
        arguments: [true, false]
    )
    func networkMetadata(enabled: Bool) throws {
        let type = try F.deviceType()
        let device = try Device(
            id: DeviceID(0x1FD48BE),
            deviceType: type.id,
            position: F.device,
            contract: DeviceContract(networkMetadata: enabled)
        )
        var network = try F.network(type: type, devices: [device])
        _ = network.send(Uplink(device: device.id, payload: [7]), at: F.start)
        let triggers = F.drain(&network)
        let data = try #require(triggers.first)
        #expect(data.rendered(.station) == (enabled ? "0001" : "null"))
        #expect(data.rendered(.rssi) == (enabled ? "-96.00" : "null"))
        #expect(data.rendered(.snr) == (enabled ? "21.99" : "null"))
        #expect(enabled ? data.rendered(.reception).hasPrefix(#"[{"id":"0001""#) : data.rendered(.reception) == "null")
        let advanced = try #require(triggers.first { $0.service == .dataAdvanced })
        #expect(enabled ? advanced.rendered(.duplicates).hasPrefix("[{") : advanced.rendered(.duplicates) == "null")
    }

    @Test("legacy send-duplicate: one more DATA per extra station, with that station's values")
    func legacyDuplicates() throws {
        var network = try F.network(type: try F.deviceType(sendDuplicate: true))
        _ = network.send(Uplink(device: DeviceID(0x2C30EA), payload: [1], ack: true), at: F.start)
        let data = network.advance(to: F.start + .seconds(3)).filter { $0.service.isData }
        #expect(data.map(\.service) == [.dataUplink, .dataBidir, .dataUplink, .dataBidir, .dataUplink, .dataBidir])
        #expect(data.map(\.isLegacyDuplicate) == [false, false, true, true, true, true])
        #expect(data.map { $0.rendered(.duplicate) } == ["false", "false", "true", "true", "true", "true"])
        #expect(data.map { $0.rendered(.station) } == ["0001", "0001", "0002", "0002", "0003", "0003"])
        #expect(data.map { $0.rendered(.rssi) } == ["-96.00", "-96.00", "-126.00", "-126.00", "-135.03", "-135.03"])
        #expect(data.map(\.expectsDownlink) == [false, true, false, false, false, false])
        #expect(data.map { $0.rendered(.longPolling) } == Array(repeating: "false", count: 6))
        #expect(Set(data.map(\.due)) == [F.start + .seconds(3)])
    }

    @Test("without send-duplicate, one DATA per service")
    func noDuplicates() throws {
        var network = try F.network()
        _ = network.send(Uplink(device: DeviceID(0x2C30EA), payload: [1]), at: F.start)
        #expect(F.drain(&network).filter { $0.service.isData }.count == 2)
    }

    @Test("over the daily limit: flagged and counted, delivered by default, dropped on request")
    func overLimit() throws {
        for policy in NetworkCore.OverLimitPolicy.allCases {
            var configuration = F.certain
            configuration.overLimitPolicy = policy
            var network = try F.network(type: try F.deviceType(dailyUplinkLimit: 2), configuration: configuration)
            let id = DeviceID(0x2C30EA)
            let outcomes = (0..<3).map {
                network.send(Uplink(device: id, payload: []), at: F.start + .minutes(Int64($0)))
            }
            #expect(outcomes.map { $0.message?.isOverLimit } == [false, false, true])
            #expect(outcomes.map { $0.message?.uplinkOfDay } == [1, 2, 3])
            #expect(network.counters.overLimit == 1)
            let data = F.drain(&network).filter { $0.service == .dataUplink }
            if policy == .deliver {
                guard case .received = outcomes[2] else {
                    Issue.record("expected .received")
                    continue
                }
                #expect(data.count == 3)
                #expect(network.counters.droppedOverLimit == 0)
            } else {
                guard case .droppedOverLimit = outcomes[2] else {
                    Issue.record("expected .droppedOverLimit")
                    continue
                }
                #expect(data.count == 2)
                #expect(network.counters.droppedOverLimit == 1)
            }
            // A new UTC day starts a new count.
            let nextDay = network.send(Uplink(device: id, payload: []), at: F.start + .seconds(86_400))
            #expect(nextDay.message?.isOverLimit == false)
            #expect(nextDay.message?.uplinkOfDay == 1)
        }
    }

    @Test("avgSnr averages the SNR of the device's last 25 messages")
    func averageSNR() throws {
        var configuration = F.certain
        configuration.rssiNoise = 4
        var network = try F.network(configuration: configuration, seed: 3)
        var snrs: [Double] = []
        var reported: [String] = []
        for index in 0..<30 {
            let time = F.start + .minutes(Int64(index * 10))
            let message = try #require(network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: time).message)
            snrs.append(try #require(message.best).snr)
            reported += network.advance(to: message.firstReception).filter { $0.service == .dataUplink }
                .map { $0.rendered(.avgSnr) }
        }
        for index in snrs.indices {
            let window = snrs[max(0, index - 24)...index]
            let mean = window.reduce(0, +) / Double(window.count)
            #expect(reported[index] == VariableValue.twoDecimals(mean), "message \(index)")
        }
        #expect(Set(snrs).count > 1)
    }

    @Test("a status message fires STATUS with temperature and battery")
    func status() throws {
        var network = try F.network()
        let outcome = network.sendStatus(device: DeviceID(0x2C30EA), temperature: 21.456, battery: 3.3, at: F.start)
        #expect(outcome.message?.seqNumber == 0)
        let triggers = F.drain(&network)
        #expect(triggers.map(\.service) == [.status])
        let status = try #require(triggers.first)
        #expect(status.rendered(.temp) == "21.46")
        #expect(status.rendered(.batt) == "3.30")
        #expect(status.rendered(.seqNumber) == "0")
        #expect(status.rendered(.time) == "1700000003")
        #expect(status.rendered(.device) == "2C30EA")
        #expect(network.counters.statusMessages == 1)
    }
}

@Suite("Network core: JSON variables")
struct NetworkJSONTests {
    typealias F = NetworkFixtures

    @Test("reception and duplicates write numbers as Swift's shortest form does, over many noisy messages")
    func numbersMatchShortestForm() throws {
        var configuration = F.certain
        configuration.rssiNoise = 6
        var network = try F.network(configuration: configuration, seed: 11)
        var messages: [Message] = []
        for index in 0..<200 {
            let time = F.start + .minutes(Int64(index))
            if let message = network.send(Uplink(device: DeviceID(0x2C30EA), payload: []), at: time).message {
                messages.append(message)
            }
        }
        let triggers = F.drain(&network)
        let receptions = triggers.filter { $0.service == .dataUplink }.map { $0.rendered(.reception) }
        let duplicates = triggers.filter { $0.service == .dataAdvanced }.map { $0.rendered(.duplicates) }
        let shortest = VariableValue.shortest
        #expect(
            receptions
                == messages.map { message in
                    "["
                        + message.receptions.map {
                            #"{"id":""# + $0.station.description + #"","RSSI":"# + shortest($0.rssi) + #","SNR":"#
                                + shortest($0.snr) + "}"
                        }.joined(separator: ",") + "]"
                }
        )
        #expect(
            duplicates
                == messages.map { message in
                    "["
                        + message.receptions.map {
                            #"{"bsId":""# + $0.station.description + #"","rssi":"# + shortest($0.rssi) + #","snr":"#
                                + shortest($0.snr) + #","nbRep":"# + String($0.nbRep) + "}"
                        }.joined(separator: ",") + "]"
                }
        )
        #expect(messages.count == 200)
    }
}
