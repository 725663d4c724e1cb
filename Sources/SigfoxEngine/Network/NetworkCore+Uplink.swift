import SigfoxModel

extension NetworkCore {
    /// Sends an uplink at `now`: decides which stations hear it and schedules its callbacks.
    ///
    /// - The payload may hold 0 to 12 bytes (SIGFOX.md section 1); a longer one, or an unknown device, is
    ///   refused without using a sequence number.
    /// - The message carries the device's next sequence number, which wraps from 4095 to 0.
    /// - DATA (UPLINK and BIDIR) is due at the first reception: the earliest frame any station heard plus a
    ///   seeded network delay (``Configuration/networkDelay``); DATA_ADVANCED ``Configuration/dataAdvancedDelay``
    ///   later (SIGFOX.md section 2).
    /// - A message no station heard is lost and counted.
    /// - Past the daily uplink limit the message is flagged and counted, and dropped only under
    ///   ``OverLimitPolicy/drop``. **Emulator rule:** every uplink the device sends counts toward its UTC
    ///   day, lost ones included (the limit is the device's duty cycle).
    public mutating func send(_ uplink: Uplink, at now: SimulationTime) -> UplinkOutcome {
        let device: Int
        switch sender(uplink.device, payloadBytes: uplink.payload.count, at: now) {
        case .success(let index): device = index
        case .failure(let refusal): return .refused(refusal)
        }
        let (isOverLimit, uplinkOfDay) = countUplinkOfDay(device: device, at: now)
        guard
            let message = transmit(
                device: device,
                payload: uplink.payload,
                ack: uplink.ack,
                frames: uplink.frames,
                at: now
            )
        else {
            return .lost(device: uplink.device, seqNumber: (devices[device].nextSequenceNumber + 4095) & 4095)
        }
        var received = message
        received.isOverLimit = isOverLimit
        received.uplinkOfDay = uplinkOfDay
        return accept(received, device: device)
    }

    /// The device's place, or why its uplink of `payloadBytes` at `now` is refused (counted): an unknown
    /// device, more than 12 bytes (SIGFOX.md section 1), or a device suspended or unsubscribed.
    mutating func sender(_ id: DeviceID, payloadBytes: Int, at now: SimulationTime) -> Result<Int, UplinkRefusal> {
        guard let index = deviceIndexByID[id] else {
            counters.refused += 1
            return .failure(.unknownDevice(id))
        }
        if let refusal = inactiveRefusal(device: Int(index), at: now) { return .failure(refusal) }
        guard payloadBytes <= Uplink.maximumPayload else {
            counters.refused += 1
            return .failure(.payloadTooLong(device: id, bytes: payloadBytes))
        }
        return .success(Int(index))
    }

    /// Why the cloud takes nothing from the device at `now` (counted): it is suspended or unsubscribed
    /// (``DeviceContract/refusal(of:at:)``).
    ///
    /// **Emulator rule:** the uplink is refused before the radio, as an unknown device's is: nothing is
    /// stored, no callback fires and no sequence number is used, so a resumed device goes on in sequence.
    mutating func inactiveRefusal(device index: Int, at now: SimulationTime) -> UplinkRefusal? {
        let device = devices[index].device
        guard let refusal = device.contract.refusal(of: device.id, at: now) else { return nil }
        counters.refused += 1
        counters.refusedInactive += 1
        return refusal
    }

    /// Where `station` is in the device's list of stations in reach (for the station warning history), or
    /// -1 when the device cannot reach it (a recorded or restored reception).
    func reachIndex(of station: Int32, device: Int) -> Int32 {
        let range = devices[device].links
        return links[range].firstIndex { $0.station == station }.map { Int32($0 - range.lowerBound) } ?? -1
    }

    /// Counts an uplink toward the device's UTC day: whether it is past the daily limit, and which of the
    /// day it is (SIGFOX.md section 1).
    mutating func countUplinkOfDay(device: Int, at now: SimulationTime) -> (isOverLimit: Bool, uplinkOfDay: Int) {
        let limit = types[Int(devices[device].type)].type.dailyUplinkLimit
        let today = Self.day(of: now)
        if devices[device].uplinkDay != today {
            devices[device].uplinkDay = today
            devices[device].uplinksToday = 0
        }
        devices[device].uplinksToday += 1
        let uplinkOfDay = devices[device].uplinksToday
        let isOverLimit = uplinkOfDay > limit
        if isOverLimit { counters.overLimit += 1 }
        return (isOverLimit, uplinkOfDay)
    }

    /// A heard data message: judged by the contract and the gap rule, dropped past the limit under
    /// ``OverLimitPolicy/drop``, otherwise counted and scheduled (DATA at its first reception, DATA_ADVANCED
    /// after the delay).
    mutating func accept(_ received: Message, device: Int) -> UplinkOutcome {
        if let rejection = admit(received, device: device) { return .rejected(received, rejection) }
        if received.isOverLimit && configuration.overLimitPolicy == .drop {
            counters.droppedOverLimit += 1
            return .droppedOverLimit(received)
        }
        counters.messages += 1
        let type = types[Int(devices[device].type)].type
        let record = MessageRecord(message: received, device: Int32(device), receptionLists: type.writesReceptionLists)
        schedule(.firstReception(record), at: received.firstReception)
        if type.firesDataAdvanced {
            schedule(.dataAdvanced(record), at: received.firstReception + configuration.dataAdvancedDelay)
        }
        return .received(received)
    }

    /// Sends an out-of-band status message (temperature in °C, battery in volts) at `now`.
    ///
    /// It travels like an uplink (same radio, a sequence number of its own) and fires STATUS at its first
    /// reception (SIGFOX.md section 2). **Emulator rule:** it resets the keep-alive and counts for the
    /// station warning history, but not toward the daily uplink limit nor `{avgSnr}`.
    public mutating func sendStatus(
        device id: DeviceID,
        temperature: Double,
        battery: Double,
        at now: SimulationTime
    ) -> UplinkOutcome {
        sendOutOfBand(device: id, at: now) { .status($0, StatusReading(temperature: temperature, battery: battery)) }
    }

    /// A repeater device sends its status frame (SIGFOX.md section 2): a radio message like any other,
    /// which fires SERVICE/REPEATER at its first reception. Counted with the status messages.
    public mutating func sendRepeaterStatus(
        device id: DeviceID,
        status: RepeaterStatus,
        at now: SimulationTime
    ) -> UplinkOutcome {
        sendOutOfBand(device: id, at: now) { .repeater($0, status) }
    }

    /// An out-of-band frame (status, repeater status): a radio message without payload, counted with the
    /// status messages, whose `event` fires at its first reception.
    private mutating func sendOutOfBand(
        device id: DeviceID,
        at now: SimulationTime,
        event: (MessageRecord) -> Event
    ) -> UplinkOutcome {
        guard let index = deviceIndexByID[id] else {
            counters.refused += 1
            return .refused(.unknownDevice(id))
        }
        if let refusal = inactiveRefusal(device: Int(index), at: now) { return .refused(refusal) }
        counters.statusMessages += 1
        guard let message = transmit(device: Int(index), payload: [], ack: false, at: now) else {
            return .lost(device: id, seqNumber: (devices[Int(index)].nextSequenceNumber + 4095) & 4095)
        }
        if let rejection = admit(message, device: Int(index)) { return .rejected(message, rejection) }
        counters.messages += 1
        schedule(
            event(MessageRecord(message: message, device: index, receptionLists: false)),
            at: message.firstReception
        )
        return .received(message)
    }

    /// Takes the device's next sequence number and runs the radio; nil (and counted) when nobody heard it.
    private mutating func transmit(
        device: Int,
        payload: [UInt8],
        ack: Bool,
        frames: Int? = nil,
        at now: SimulationTime
    ) -> Message? {
        counters.uplinks += 1
        let state = devices[device]
        let seqNumber = state.nextSequenceNumber
        devices[device].nextSequenceNumber = (seqNumber + 1) & 4095
        let frameCount = frames ?? state.device.framesPerMessage
        let (receptions, earliest) = radio.receive(
            frames: frameCount,
            sentAt: now,
            links: links[state.links],
            stationUp: stationUp,
            stationIDs: stationIDs,
            generator: &generator
        )
        guard !receptions.isEmpty else {
            counters.lost += 1
            noteLoss(device: device, reason: lossReason(device: device))
            return nil
        }
        let firstReception =
            earliest + SimulationDuration(milliseconds: generator.nextInt64(in: configuration.networkDelay))
        let type = types[Int(state.type)].type
        return Message(
            id: MessageID(device: state.device.id, seqNumber: seqNumber, firstReception: firstReception),
            deviceType: type.id,
            sentAt: now,
            payload: payload,
            ack: ack,
            frames: frameCount,
            receptions: receptions,
            linkQuality: LinkQuality(bestRSSI: receptions[0].rssi, stationCount: receptions.count, zone: type.zone),
            isOverLimit: false,
            uplinkOfDay: 0
        )
    }

    /// Records a received message for the station warning history and the keep-alive (SIGFOX.md section 2).
    mutating func noteReceived(_ message: Message, device: Int, into output: inout [CallbackTrigger]) {
        devices[device].received &+= 1
        let number = devices[device].received
        let base = devices[device].links.lowerBound
        for reception in message.receptions where reception.reachIndex >= 0 {
            lastHeardOnLink[base + Int(reception.reachIndex)] = number
        }
        noteKeepAlive(device: device, heardAt: message.firstReception)
    }
}
