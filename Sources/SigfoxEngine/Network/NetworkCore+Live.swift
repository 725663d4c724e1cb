import SigfoxModel

/// Changes to the fleet while the network runs (`serve`): a device type or device added, changed or
/// removed takes effect for the next message; what the network already scheduled keeps what it had.
extension NetworkCore {
    /// Adds a device type, or replaces the one with the same id (its devices keep their state).
    public mutating func upsertDeviceType(_ type: DeviceType) {
        if let index = typeIndexByID[type.id] {
            types[Int(index)] = TypeProfile(type)
        } else {
            typeIndexByID[type.id] = Int32(types.count)
            types.append(TypeProfile(type))
        }
    }

    /// Adds a device whose type is known; an existing device with the same id is changed instead (its
    /// sequence number, counters and keep-alive state are kept unless the change sets a sequence number).
    public mutating func upsertDevice(_ device: Device) throws(NetworkSetupError) {
        guard let type = typeIndexByID[device.deviceType] else {
            throw NetworkSetupError("device \(device.id): device type \(device.deviceType) is not defined")
        }
        if let index = deviceIndexByID[device.id].map(Int.init) {
            let old = devices[index].device
            devices[index].device = device
            devices[index].type = type
            devices[index].retired = false
            if device.sequenceNumber != old.sequenceNumber {
                devices[index].nextSequenceNumber = device.sequenceNumber
            }
            // The radio links stay those of the device's first position: moving a device in place would
            // renumber every station's audience. **Emulator rule**, documented in the README.
            return
        }
        let start = links.count
        for link in radio.reach(from: device.position, device: device.id, stations: fleetStations) {
            audience[Int(link.station)].append(Int32(links.count))
            links.append(link)
            lastHeardOnLink.append(0)
        }
        let index = Int32(devices.count)
        devices.append(DeviceState(device: device, type: type, links: start..<links.count))
        deviceIndexByID[device.id] = index
        snrHistory.append(contentsOf: repeatElement(0, count: configuration.averageSNRHistory))
        armTokenEnd(device: Int(index))
    }

    /// Removes a device: its uplinks are refused from now on and its keep-alive stops. What it sent
    /// before keeps its scheduled callbacks.
    public mutating func removeDevice(_ id: DeviceID) {
        guard let index = deviceIndexByID.removeValue(forKey: id) else { return }
        devices[Int(index)].retired = true
    }

    /// Whether the device is part of the fleet now.
    public func knowsDevice(_ id: DeviceID) -> Bool { deviceIndexByID[id] != nil }

    /// A message that was received before a restart, scheduled again for the triggers it had not fired:
    /// DATA at its first reception and DATA_ADVANCED after it (past times fire at the next advance).
    /// Receptions at stations the fleet no longer has are dropped. Returns false for an unknown device.
    @discardableResult
    public mutating func restore(_ stored: StoredMessage, data: Bool, dataAdvanced: Bool) -> Bool {
        guard let index = deviceIndexByID[stored.device].map(Int.init) else { return false }
        let state = devices[index]
        var receptions = [Reception]()
        for reception in stored.receptions {
            guard let station = stationIndexByID[reception.station] else { continue }
            receptions.append(
                Reception(
                    station: reception.station,
                    rssi: reception.rssi,
                    snr: reception.snr,
                    nbRep: reception.nbRep,
                    firstHeard: reception.firstHeard,
                    stationIndex: station,
                    reachIndex: reachIndex(of: station, device: index)
                )
            )
        }
        // A message stored with receptions at stations all gone is dropped; one stored without any (recorded
        // without per-station data) comes back as it was.
        guard !receptions.isEmpty || stored.receptions.isEmpty else { return false }
        let type = types[Int(state.type)].type
        let message = Message(
            id: MessageID(device: stored.device, seqNumber: stored.seqNumber, firstReception: stored.firstReception),
            deviceType: type.id,
            sentAt: stored.sentAt,
            payload: stored.payload,
            ack: stored.ack,
            frames: stored.frames,
            receptions: receptions,
            linkQuality: receptions.first.map {
                LinkQuality(bestRSSI: $0.rssi, stationCount: receptions.count, zone: type.zone)
            } ?? .notAvailable,
            isOverLimit: stored.isOverLimit,
            uplinkOfDay: stored.uplinkOfDay
        )
        if devices[index].nextSequenceNumber == stored.seqNumber {
            devices[index].nextSequenceNumber = (stored.seqNumber + 1) & 4095
        }
        let record = MessageRecord(message: message, device: Int32(index), receptionLists: type.writesReceptionLists)
        if data { schedule(.firstReception(record), at: message.firstReception) }
        if dataAdvanced && type.firesDataAdvanced {
            schedule(.dataAdvanced(record), at: message.firstReception + configuration.dataAdvancedDelay)
        }
        return true
    }

    /// Sets the sequence number the device's next message carries (a restart continues where it was).
    public mutating func setNextSequenceNumber(_ number: Int, of device: DeviceID) {
        guard let index = deviceIndexByID[device].map(Int.init) else { return }
        devices[index].nextSequenceNumber = number & 4095
    }
}

/// A received message as a store keeps it: enough to schedule its callbacks again after a restart.
public struct StoredMessage: Sendable, Equatable {
    public struct StoredReception: Sendable, Equatable {
        public var station: BaseStationID
        public var rssi: Double
        public var snr: Double
        public var nbRep: Int
        public var firstHeard: SimulationTime

        public init(station: BaseStationID, rssi: Double, snr: Double, nbRep: Int, firstHeard: SimulationTime) {
            self.station = station
            self.rssi = rssi
            self.snr = snr
            self.nbRep = nbRep
            self.firstHeard = firstHeard
        }
    }

    public var device: DeviceID
    public var seqNumber: Int
    public var firstReception: SimulationTime
    public var sentAt: SimulationTime
    public var payload: [UInt8]
    public var ack: Bool
    public var frames: Int
    public var receptions: [StoredReception]
    public var isOverLimit: Bool
    public var uplinkOfDay: Int

    public init(
        device: DeviceID,
        seqNumber: Int,
        firstReception: SimulationTime,
        sentAt: SimulationTime,
        payload: [UInt8],
        ack: Bool,
        frames: Int,
        receptions: [StoredReception],
        isOverLimit: Bool,
        uplinkOfDay: Int
    ) {
        self.device = device
        self.seqNumber = seqNumber
        self.firstReception = firstReception
        self.sentAt = sentAt
        self.payload = payload
        self.ack = ack
        self.frames = frames
        self.receptions = receptions
        self.isOverLimit = isOverLimit
        self.uplinkOfDay = uplinkOfDay
    }
}
