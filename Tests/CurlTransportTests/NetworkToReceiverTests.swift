import CurlTransport
import Foundation
import SigfoxEngine
import SigfoxModel
import SigfoxReceiverModel
import SigfoxServices
import SigfoxTesting
import Testing

@Suite("Network core to receiver: uplink, BIDIR answer, downlink, ACKNOWLEDGE", .timeLimit(.minutes(1)))
struct NetworkToReceiverTests {
    @Test("a downlink asked for, answered by the receiver, is emitted and acknowledged with infoCode 0")
    func downlinkRoundTrip() async throws {
        let receiver = try await EmbeddedReceiver.start(
            rules: ReceiverRules(default: .bidir(.fixed("0102030405060708")))
        )
        let base = receiver.baseURL
        let callbacks = try [
            #"{"service": "BIDIR", "url": "\#(base)/bidir", "method": "POST", "contentType": "application/json", "body": "{\"device\":\"{device}\",\"data\":\"{data}\",\"ack\":{ack},\"seq\":{seqNumber}}"}"#,
            #"{"service": "DATA_ADVANCED", "url": "\#(base)/advanced", "method": "POST", "contentType": "application/json", "body": "{\"device\":\"{device}\",\"lqi\":\"{lqi}\",\"duplicates\":{duplicates}}"}"#,
            #"{"service": "ACKNOWLEDGE", "url": "\#(base)/ack?device={device}&code={infoCode}&message={infoMessage}&ack={downlinkAck}"}"#,
        ].map { try CallbackDefinition(from: JSONParser.parse($0)) }
        let type = try DeviceType(
            id: deviceType,
            name: "SIGFOX_DevKit_1",
            downlinkMode: .callback,
            hasBidirCallback: true
        )
        let position = GeoPosition(latitude: 43.6, longitude: 1.44)
        let fleet = try Fleet(
            deviceTypes: [type],
            devices: [
                try Device(
                    id: DeviceID(0x2C30EA),
                    deviceType: deviceType,
                    position: position,
                    contract: DeviceContract()
                )
            ],
            baseStations: [
                BaseStation(id: BaseStationID(0x1D44), position: GeoPosition(latitude: 43.61, longitude: 1.45)),
                BaseStation(id: BaseStationID(0xA9DC), position: GeoPosition(latitude: 43.59, longitude: 1.43)),
            ]
        )
        var configuration = NetworkCore.Configuration()
        configuration.frameLossProbability = 0
        var network = try NetworkCore(configuration: configuration, fleet: fleet, seed: 7)
        let outcome = network.send(Uplink(device: DeviceID(0x2C30EA), payload: [0xFF, 0x38], ack: true), at: start)
        let message = try #require(outcome.message)
        let prepared = network
        let (events, ledger, downlinks) = await offPool { () -> ([DeliveryEvent], Ledger, [EmittedDownlink]) in
            var network = prepared
            let transport = PolledCurlTransport()
            defer { _ = transport.shutdown() }
            let loop = DeliveryLoop(
                engine: CallbackEngine(callbacks: [deviceType: callbacks]),
                configuration: DeliveryConfiguration(),
                transport: transport,
                mode: .virtual,
                start: start
            )
            var events = [DeliveryEvent]()
            let ledger = loop.run(source: &network) { events.append($0) }
            return (events, ledger, network.takeEmittedDownlinks())
        }
        #expect(ledger.delivered == 3 && ledger.balances)
        #expect(downlinks.map(\.data) == [[1, 2, 3, 4, 5, 6, 7, 8]])
        let tries = records(events)
        #expect(tries.map(\.callback.service) == [.dataBidir, .dataAdvanced, .acknowledge])
        // The downlink goes out when the window opens, 20 s after the first frame; DATA_ADVANCED comes 25 s
        // after the first reception, ACKNOWLEDGE 35 s after the first frame (network.acknowledgeDelay).
        #expect(downlinks.map(\.time) == [start + .seconds(20)])
        #expect(tries[1].scheduledAt == message.firstReception + .seconds(25))
        #expect(tries[2].scheduledAt == start + .seconds(35))
        let ack = try #require(receiver.requests.first { $0.path == "/ack" })
        #expect(ack.queryItem("code") == "0" && ack.queryItem("message") == "Acked" && ack.queryItem("ack") == "true")
        #expect(ack.queryItem("device") == "2C30EA")
        try await receiver.shutdown()
    }
}
