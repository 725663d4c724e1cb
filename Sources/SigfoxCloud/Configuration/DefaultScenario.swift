/// What `serve` starts with when no scenario is given: three base stations near Toulouse, one device type
/// with a DATA/UPLINK and a DATA_ADVANCED callback to the embedded receiver, three devices.
public enum DefaultScenario {
    public static let name = "serve-default"

    public static let yaml = """
        name: serve-default
        seed: 1
        baseStations:
          - { id: 1D44, lat: 43.61, lng: 1.45 }
          - { id: A9DC, lat: 43.59, lng: 1.43 }
          - { id: 0B2F, lat: 43.62, lng: 1.40 }
        deviceTypes:
          - id: 5f1d3a2b4c6e8f0a1b2c3d4e
            name: SIGFOX_DevKit_1
            payloadConfig: temp::int:16 hum::uint:8
            callbacks:
              - id: uplink
                service: DATA/UPLINK
                url: "{receiver}/sigfox/uplink"
                method: POST
                contentType: application/json
                body: '{"device":"{device}","time":{time},"seqNumber":{seqNumber},"data":"{data}","temp":{customData#temp}}'
              - id: advanced
                service: DATA_ADVANCED
                url: "{receiver}/sigfox/advanced"
                method: POST
                contentType: application/json
                body: '{"device":"{device}","time":{time},"seqNumber":{seqNumber},"lqi":"{lqi}","duplicates":{duplicates}}'
        devices:
          - { id: 2C30EA, deviceType: SIGFOX_DevKit_1, lat: 43.600, lng: 1.440 }
          - { id: 2C30EB, deviceType: SIGFOX_DevKit_1, lat: 43.605, lng: 1.435 }
          - { id: 2C30EC, deviceType: SIGFOX_DevKit_1, lat: 43.598, lng: 1.445 }
        receiver: embedded
        """
}
