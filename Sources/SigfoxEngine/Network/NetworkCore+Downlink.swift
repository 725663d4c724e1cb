import SigfoxModel

extension NetworkCore {
    /// One message's downlink request, from its first reception to the end of the listening window.
    struct DownlinkRequest: Sendable {
        var record: MessageRecord
        var windowStart: SimulationTime
        var windowEnd: SimulationTime
        /// The ACKNOWLEDGE code already decided, to be sent at the window end; nil while undecided.
        var failure: AcknowledgeCode?
        /// The BIDIR answer, when it came before the window opened.
        var answer: DownlinkAnswer?
        /// ACKED was sent: nothing happens at the window end.
        var acknowledged = false
    }

    /// Makes the next downlink of `device` fail with NETWORK_ERROR (SIGFOX.md section 5, scenario-injected).
    public mutating func failNextDownlink(of device: DeviceID) {
        guard let index = deviceIndexByID[device] else { return }
        devices[Int(index)].failNextDownlink = true
    }

    /// Hands the network a BIDIR answer for `message` at `now`; returns the ACKNOWLEDGE due now, if any.
    ///
    /// SIGFOX.md section 5: the device listens from ``Configuration/downlinkWindowStart`` to
    /// ``Configuration/downlinkWindowEnd`` after its first frame. An answer before the window opens is
    /// kept and transmitted when it opens (its ACKNOWLEDGE then comes from ``advance(to:)``); an answer
    /// inside the window is transmitted now and its ACKED trigger returned here; a later one is too late
    /// and ignored, so NO_ANSWER fires at the window end. Failures (NO_ANSWER for 204/noData/no answer,
    /// INVALID_PAYLOAD, OVERRUN_ERROR, NETWORK_ERROR) are acknowledged at the window end. Only the first
    /// answer counts; others, and answers for no open CALLBACK request, are counted as ignored. Call
    /// ``advance(to:)`` up to `now` first so triggers come out in time order.
    public mutating func receiveDownlinkAnswer(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime
    ) -> [CallbackTrigger] {
        guard var request = downlinkRequests[message], request.failure == nil, request.answer == nil,
            !request.acknowledged, request.record.type(in: self).downlinkMode == .callback, now <= request.windowEnd
        else {
            counters.ignoredAnswers += 1
            return []
        }
        guard now >= request.windowStart else {
            request.answer = answer
            downlinkRequests[message] = request
            return []
        }
        var output: [CallbackTrigger] = []
        transmit(answer, for: message, at: now, into: &output)
        for trigger in output { counters.countTrigger(trigger.service) }
        return output
    }

    /// Opens a request when a message with `ack` is first received, or decides its failure at once.
    ///
    /// Checked in this order (SIGFOX.md section 5): no downlink in the contract (NO_DOWNLINK_CONTRACT);
    /// CALLBACK mode without an enabled BIDIR callback (INVALID_CONFIGURATION); the device's previous
    /// listening window not over when this message was sent (TOO_MANY_REQUESTS). **Emulator rule:** modes
    /// NONE and MANAGED have nothing to send, so the device hears nothing: NO_ANSWER at the window end.
    mutating func requestDownlink(_ record: MessageRecord, into output: inout [CallbackTrigger]) {
        let message = record.message
        let device = Int(record.device)
        let type = record.type(in: self)
        var request = DownlinkRequest(
            record: record,
            windowStart: message.sentAt + configuration.downlinkWindowStart,
            windowEnd: message.sentAt + configuration.downlinkWindowEnd
        )
        if !devices[device].device.contract.downlink {
            request.failure = .noDownlinkContract
        } else if type.downlinkMode == .callback && !type.hasBidirCallback {
            request.failure = .invalidConfiguration
        } else if let listening = devices[device].listeningUntil, message.sentAt < listening {
            request.failure = .tooManyRequests
        } else {
            devices[device].listeningUntil = request.windowEnd
            switch type.downlinkMode {
            case .none, .managed:
                request.failure = .noAnswer
            case .direct, .callback:
                schedule(.downlinkWindowStart(message.id), at: max(request.windowStart, message.firstReception))
            }
        }
        downlinkRequests[message.id] = request
        schedule(.downlinkWindowEnd(message.id), at: max(request.windowEnd, message.firstReception))
    }

    /// The window opens: DIRECT data, or a BIDIR answer that came early, is transmitted now.
    mutating func openDownlinkWindow(_ message: MessageID, at now: SimulationTime, into output: inout [CallbackTrigger])
    {
        guard let request = downlinkRequests[message], request.failure == nil else { return }
        let type = request.record.type(in: self)
        if type.downlinkMode == .direct, let text = type.downlinkDataString {
            let (station, rssi) = downlinkStation(request.record).map { ($0.id, $0.rssi) } ?? (BaseStationID(0), 0)
            let data = DirectDownlink.bytes(text, time: message.firstReception, station: station, rssi: rssi)
            transmit(.downlink(data), for: message, at: now, into: &output)
        } else if let answer = request.answer {
            transmit(answer, for: message, at: now, into: &output)
        }
    }

    /// The window closes: the failure decided earlier, or NO_ANSWER when nothing usable came.
    mutating func closeDownlinkWindow(
        _ message: MessageID,
        at now: SimulationTime,
        into output: inout [CallbackTrigger]
    ) {
        guard let request = downlinkRequests.removeValue(forKey: message) else { return }
        let device = Int(request.record.device)
        if devices[device].listeningUntil == request.windowEnd { devices[device].listeningUntil = nil }
        guard !request.acknowledged else { return }
        let code = request.failure ?? .noAnswer
        output.append(acknowledgeTrigger(request.record, code: code, confirmed: false, at: now))
    }

    /// The station that transmits a message's downlink, with the RSSI it heard: the best one still up among
    /// those that heard the message. **Emulator rule:** for a message recorded without per-station data, the
    /// station of the device's strongest radio link that is up. Nil when none is up (NETWORK_ERROR).
    private func downlinkStation(_ record: MessageRecord) -> (id: BaseStationID, rssi: Double)? {
        let message = record.message
        if !message.receptions.isEmpty {
            return message.receptions.first { stationUp[Int($0.stationIndex)] }.map { ($0.station, $0.rssi) }
        }
        let link = links[devices[Int(record.device)].links].filter { stationUp[Int($0.station)] }
            .max { $0.meanRSSI < $1.meanRSSI }
        return link.map { (stationIDs[Int($0.station)], RadioModel.hundredths($0.meanRSSI)) }
    }

    /// Transmits an answer now, or records why it cannot be: OVERRUN_ERROR past the daily downlink limit,
    /// NETWORK_ERROR when injected or when no station that heard the message is up.
    private mutating func transmit(
        _ answer: DownlinkAnswer,
        for message: MessageID,
        at now: SimulationTime,
        into output: inout [CallbackTrigger]
    ) {
        guard var request = downlinkRequests[message] else { return }
        let device = Int(request.record.device)
        switch answer {
        case .noData, .noAnswer:
            request.failure = .noAnswer
        case .invalidPayload:
            request.failure = .invalidPayload
        case .downlink(let data) where data.count != 8:
            request.failure = .invalidPayload
        case .downlink(let data):
            let today = Self.day(of: now)
            if devices[device].downlinkDay != today {
                devices[device].downlinkDay = today
                devices[device].downlinksToday = 0
            }
            let station = downlinkStation(request.record)
            if devices[device].failNextDownlink || downlinkNetworkFailure || station == nil {
                devices[device].failNextDownlink = false
                request.failure = .networkError
            } else if devices[device].downlinksToday >= request.record.type(in: self).dailyDownlinkLimit {
                request.failure = .overrunError
            } else {
                devices[device].downlinksToday += 1
                counters.downlinksEmitted += 1
                emittedDownlinks.append(
                    EmittedDownlink(
                        device: message.device,
                        data: data,
                        time: now,
                        message: message,
                        station: station!.id
                    )
                )
                let confirmationOdds = configuration.downlinkConfirmationProbability
                let confirmed = confirmationOdds >= 1 || generator.nextUnit() < confirmationOdds
                request.acknowledged = true
                output.append(acknowledgeTrigger(request.record, code: .acked, confirmed: confirmed, at: now))
            }
        }
        downlinkRequests[message] = request
    }

    /// ACKNOWLEDGE for a message (SIGFOX.md section 5): `{infoCode}`, `{infoMessage}` (the code's name),
    /// `{downlinkAck}` (ACKED and confirmed by a station), `{downlinkOverusage}` (true with OVERRUN_ERROR),
    /// plus the message's device, time, type name, sequence number and legacy radio variables.
    private func acknowledgeTrigger(
        _ record: MessageRecord,
        code: AcknowledgeCode,
        confirmed: Bool,
        at now: SimulationTime
    ) -> CallbackTrigger {
        let message = record.message
        let device = Int(record.device)
        let profile = types[Int(devices[device].type)]
        var bindings = VariableBindings()
        bindings[.device] = devices[device].idValue
        bindings[.time] = .integer(message.firstReception.epochSeconds)
        bindings[.deviceTypeName] = profile.nameValue
        bindings[.seqNumber] = .integer(Int64(message.seqNumber))
        bindings[.infoCode] = .integer(Int64(code.rawValue))
        bindings[.infoMessage] = .text(code.infoMessage(configuration.infoMessageStyle))
        bindings[.downlinkAck] = .bool(code == .acked && confirmed)
        bindings[.downlinkOverusage] = .bool(code == .overrunError)
        bindings[.duplicate] = .bool(false)
        setLegacyRadio(&bindings, message: message, device: device)
        return CallbackTrigger(
            service: .acknowledge,
            deviceType: profile.type.id,
            device: message.device,
            due: max(now, message.sentAt + configuration.acknowledgeDelay),
            firstReception: message.firstReception,
            bindings: bindings,
            message: message.id
        )
    }
}

extension NetworkCore.MessageRecord {
    /// The device type of the record's device.
    func type(in network: NetworkCore) -> DeviceType {
        network.types[Int(network.devices[Int(device)].type)].type
    }
}
