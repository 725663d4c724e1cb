import SigfoxModel

/// A message as the real cloud recorded it (`GET /v2/devices/{id}/messages`), to be played as it was:
/// first received at its recorded time, by the recorded stations with their RSSI, SNR and repetitions,
/// with its sequence number, frame count, link quality, operator, country and computed location (SIGFOX.md
/// section 7).
///
/// A message listed without per-station data (`"rinfos": []`, a contract without the network-metadata
/// option, which is the common real case; WIRE.md) has no receptions: it is received all the same, and its
/// callbacks render the per-station variables as without the option (SIGFOX.md section 2).
public struct RecordedUplink: Sendable, Equatable {
    /// One station that heard it.
    public struct Reception: Sendable, Equatable {
        public var station: BaseStationID
        public var rssi: Double
        /// nil: the radio model's SNR for this RSSI.
        public var snr: Double?
        /// Frames this station heard (`rep`); nil: the message's frame count.
        public var repetitions: Int?

        public init(station: BaseStationID, rssi: Double, snr: Double? = nil, repetitions: Int? = nil) {
            self.station = station
            self.rssi = rssi
            self.snr = snr
            self.repetitions = repetitions
        }
    }

    /// The recorded `computedLocation`: latitude and longitude as recorded, the radius in metres and the
    /// source code when given.
    public struct Location: Sendable, Equatable {
        public var position: GeoPosition
        public var radius: Int?
        public var source: Int?

        public init(position: GeoPosition, radius: Int? = nil, source: Int? = nil) {
            self.position = position
            self.radius = radius
            self.source = source
        }
    }

    /// The recorded `computedLocation`: a place, or none (`"computedLocation": []`).
    public enum RecordedLocation: Sendable, Equatable {
        case located(Location)
        /// The cloud computed no location: DATA_ADVANCED says `{"status":0}`, whatever the device's options.
        case none
    }

    /// What DATA_ADVANCED gives as recorded rather than from the radio: the computed location, the operator
    /// (`{operatorName}`) and the country (`{countryCode}`, ISO 3166 numeric). A class, so a message carries
    /// one reference.
    public final class Details: Sendable, Equatable {
        public let location: RecordedLocation?
        public let operatorName: String?
        public let countryCode: String?

        public init(location: RecordedLocation?, operatorName: String?, countryCode: String?) {
            self.location = location
            self.operatorName = operatorName
            self.countryCode = countryCode
        }

        public static func == (lhs: Details, rhs: Details) -> Bool {
            lhs.location == rhs.location && lhs.operatorName == rhs.operatorName && lhs.countryCode == rhs.countryCode
        }
    }

    public var device: DeviceID
    public var payload: [UInt8]
    public var ack: Bool
    /// nil: the device's next number.
    public var seqNumber: Int?
    /// `nbFrames`, 1 to 3; nil: the device's setting.
    public var frames: Int?
    /// Empty: recorded without per-station data.
    public var receptions: [Reception]
    /// nil: the network's own estimate (with the geolocation option).
    public var location: RecordedLocation?
    /// The recorded `lqi`; nil: from the receptions, by the table of SIGFOX.md section 1 (NA without any).
    public var linkQuality: LinkQuality?
    /// The recorded `operator` (`SIGFOX_France`); nil: the best station's.
    public var operatorName: String?
    /// The recorded `country` as `{countryCode}` writes it (ISO 3166 numeric, `250`); nil: the best station's.
    public var countryCode: String?

    public init(
        device: DeviceID,
        payload: [UInt8],
        ack: Bool = false,
        seqNumber: Int? = nil,
        frames: Int? = nil,
        receptions: [Reception],
        location: RecordedLocation? = nil,
        linkQuality: LinkQuality? = nil,
        operatorName: String? = nil,
        countryCode: String? = nil
    ) {
        self.device = device
        self.payload = payload
        self.ack = ack
        self.seqNumber = seqNumber
        self.frames = frames
        self.receptions = receptions
        self.location = location
        self.linkQuality = linkQuality
        self.operatorName = operatorName
        self.countryCode = countryCode
    }
}

extension NetworkCore {
    /// Plays a recorded message at `time`, its recorded first reception: no radio and no network delay.
    ///
    /// **Emulator rules:** the first frame is sent at `time` as well (the downlink window counts from it);
    /// receptions at stations the fleet does not have are left out, and a message left with none is lost (one
    /// recorded with none is received, without per-station data, its `lqi` NA unless recorded);
    /// the receptions are sorted best RSSI first, as the network's own; the recorded sequence number becomes
    /// the device's (the next one follows it), so recorded gaps raise the events of SIGFOX.md section 8.
    /// The daily limit, the gap rule and the contract apply as for any uplink.
    public mutating func sendRecorded(_ recorded: RecordedUplink, at time: SimulationTime) -> UplinkOutcome {
        let device: Int
        switch sender(recorded.device, payloadBytes: recorded.payload.count, at: time) {
        case .success(let index): device = index
        case .failure(let refusal): return .refused(refusal)
        }
        if let number = recorded.seqNumber { devices[device].nextSequenceNumber = number & 4095 }
        let (isOverLimit, uplinkOfDay) = countUplinkOfDay(device: device, at: time)
        counters.uplinks += 1
        let seqNumber = devices[device].nextSequenceNumber
        devices[device].nextSequenceNumber = (seqNumber + 1) & 4095
        let state = devices[device]
        let frames = recorded.frames ?? state.device.framesPerMessage
        var receptions = [Reception]()
        for entry in recorded.receptions {
            guard let station = stationIndexByID[entry.station] else { continue }
            receptions.append(
                Reception(
                    station: entry.station,
                    rssi: RadioModel.hundredths(entry.rssi),
                    snr: RadioModel.hundredths(
                        entry.snr ?? radio.snr(rssi: entry.rssi, noiseFloor: radio.noiseFloor(of: entry.station))
                    ),
                    nbRep: max(1, min(3, entry.repetitions ?? frames)),
                    firstHeard: time,
                    stationIndex: station,
                    reachIndex: reachIndex(of: station, device: device)
                )
            )
        }
        receptions.sort { $0.rssi != $1.rssi ? $0.rssi > $1.rssi : $0.stationIndex < $1.stationIndex }
        if receptions.isEmpty && !recorded.receptions.isEmpty {
            counters.lost += 1
            noteLoss(device: device, reason: stationIDs.isEmpty ? .noStation : .recordedStationsAbsent)
            return .lost(device: recorded.device, seqNumber: seqNumber)
        }
        let type = types[Int(state.type)].type
        var message = Message(
            id: MessageID(device: recorded.device, seqNumber: seqNumber, firstReception: time),
            deviceType: type.id,
            sentAt: time,
            payload: recorded.payload,
            ack: recorded.ack,
            frames: frames,
            receptions: receptions,
            linkQuality: recorded.linkQuality
                ?? receptions.first.map {
                    LinkQuality(bestRSSI: $0.rssi, stationCount: receptions.count, zone: type.zone)
                } ?? .notAvailable,
            isOverLimit: isOverLimit,
            uplinkOfDay: uplinkOfDay
        )
        if recorded.location != nil || recorded.operatorName != nil || recorded.countryCode != nil {
            message.recorded = RecordedUplink.Details(
                location: recorded.location,
                operatorName: recorded.operatorName,
                countryCode: recorded.countryCode
            )
        }
        return accept(message, device: device)
    }
}
