import SigfoxModel

extension NetworkCore {
    /// DATA at the first reception: one trigger for UPLINK and one for BIDIR, plus the legacy duplicates
    /// (SIGFOX.md sections 2 and 3).
    ///
    /// `{station}`, `{rssi}` and `{snr}` are the best station's, and only with the network-metadata
    /// contract; otherwise they stay unset and render `null`. **Emulator rule:** `expectsDownlink` is set
    /// on the BIDIR trigger only (UPLINK callbacks cannot answer with a downlink). Both triggers share one
    /// bindings value, BIDIR's `{longPolling}` (false) included: the catalogue does not let an UPLINK
    /// template name it, and sharing saves a copy of the bindings per message.
    mutating func receiveData(_ record: MessageRecord, into output: inout [CallbackTrigger]) {
        let message = record.message
        let device = Int(record.device)
        noteReceived(message, device: device, into: &output)
        if let best = message.best { pushSNR(best.snr, device: device) }
        let state = devices[device]
        let profile = types[Int(state.type)]
        var bindings = messageBindings(record, state: state, template: profile.dataTemplate)
        bindings[.ack] = .bool(message.ack)
        // Per-station data is the network-metadata contract option's (SIGFOX.md section 2): without it, or for
        // a message recorded without it, `{reception}` has no value and renders `null`, as `{station}`,
        // `{rssi}` and `{snr}` do.
        if state.device.contract.networkMetadata && !message.receptions.isEmpty {
            bindings[.reception] = record.receptionValue
        }
        bindings[.longPolling] = .bool(false)
        setLegacyRadio(&bindings, message: message, device: device)
        // DATA/UPLINK, then DATA/BIDIR from the same values (SIGFOX.md section 3).
        func uplinkTrigger(duplicate: Bool) -> CallbackTrigger {
            var trigger = CallbackTrigger(
                service: .dataUplink,
                deviceType: profile.type.id,
                device: message.device,
                due: message.firstReception,
                firstReception: message.firstReception,
                bindings: bindings,
                message: message.id,
                isLegacyDuplicate: duplicate
            )
            trigger.isOverLimit = message.isOverLimit
            return trigger
        }
        var trigger = uplinkTrigger(duplicate: false)
        output.append(trigger)
        trigger.service = .dataBidir
        trigger.expectsDownlink = message.ack && profile.type.downlinkMode == .callback
        output.append(trigger)
        if profile.type.usesSendDuplicate && message.receptions.count > 1 {
            bindings[.duplicate] = .bool(true)
            for reception in message.receptions.dropFirst() {
                var duplicate = uplinkTrigger(duplicate: true)
                setStation(&duplicate.bindings, reception)
                output.append(duplicate)
                duplicate.service = .dataBidir
                output.append(duplicate)
            }
        }
        if message.ack { requestDownlink(record, into: &output) }
    }

    /// DATA_ADVANCED, ``Configuration/dataAdvancedDelay`` after the first reception, with every
    /// reception gathered (SIGFOX.md sections 2 and 3).
    func dataAdvancedTrigger(_ record: MessageRecord) -> CallbackTrigger {
        let message = record.message
        let state = devices[Int(record.device)]
        let profile = types[Int(state.type)]
        let best = message.best.map { stations[Int($0.stationIndex)] }
        let recorded = message.recorded
        var bindings = messageBindings(record, state: state, template: profile.template)
        bindings[.lqi] = .text(message.linkQuality.word(configuration.lqiStyle))
        bindings[.linkQuality] = .integer(Int64(message.linkQuality.rawValue))
        // A recording's operator and country are the cloud's word for it: they win over the best station's.
        bindings[.operatorName] = recorded?.operatorName.map(VariableValue.text) ?? best?.operatorValue ?? .null
        bindings[.countryCode] = recorded?.countryCode.map(VariableValue.text) ?? best?.countryValue ?? .null
        bindings[.fixedLat] = .float(state.device.fixedLocation?.latitude ?? 0)
        bindings[.fixedLng] = .float(state.device.fixedLocation?.longitude ?? 0)
        if state.device.contract.networkMetadata && !message.receptions.isEmpty {
            bindings[.duplicates] = record.duplicatesValue
        }
        switch recorded?.location {
        case _ where !state.device.contract.geolocation, .none?:
            bindings[.computedLocation] = .json(#"{"status":0}"#)
        case .located(let location)?:
            bindings[.computedLocation] = .json(Self.recordedLocationJSON(location))
        case nil where message.receptions.isEmpty:
            bindings[.computedLocation] = .json(#"{"status":0}"#)
        case nil:
            bindings[.computedLocation] = .json(computedLocationJSON(message.receptions, device: state.device.position))
        }
        var trigger = CallbackTrigger(
            service: .dataAdvanced,
            deviceType: profile.type.id,
            device: message.device,
            due: message.firstReception + configuration.dataAdvancedDelay,
            firstReception: message.firstReception,
            bindings: bindings,
            message: message.id
        )
        trigger.isOverLimit = message.isOverLimit
        return trigger
    }

    /// An out-of-band frame was received: the device's bookkeeping, and the variables every such trigger
    /// has (device, time, device type name).
    private mutating func receiveOutOfBand(
        _ record: MessageRecord,
        into output: inout [CallbackTrigger]
    ) -> VariableBindings {
        let device = Int(record.device)
        noteReceived(record.message, device: device, into: &output)
        let state = devices[device]
        var bindings = VariableBindings()
        bindings[.device] = state.idValue
        bindings[.time] = .integer(record.message.firstReception.epochSeconds)
        bindings[.deviceTypeName] = types[Int(state.type)].nameValue
        return bindings
    }

    /// STATUS at the first reception of an out-of-band message (SIGFOX.md sections 2 and 3).
    mutating func receiveStatus(_ record: MessageRecord, reading: StatusReading, into output: inout [CallbackTrigger]) {
        let message = record.message
        let device = Int(record.device)
        var bindings = receiveOutOfBand(record, into: &output)
        bindings[.seqNumber] = .integer(Int64(message.seqNumber))
        bindings[.temp] = .decimal2(reading.temperature)
        bindings[.batt] = .decimal2(reading.battery)
        bindings[.duplicate] = .bool(false)
        setLegacyRadio(&bindings, message: message, device: device)
        output.append(
            CallbackTrigger(
                service: .status,
                deviceType: types[Int(devices[device].type)].type.id,
                device: message.device,
                due: message.firstReception,
                firstReception: message.firstReception,
                bindings: bindings,
                message: message.id
            )
        )
    }

    /// SERVICE/REPEATER at the first reception of a repeater's status frame (SIGFOX.md section 2, and
    /// Sigfox's REPEATER page, see ``RepeaterStatus``): `{whitelistDevices}` and `{repeatedMsg}` as given,
    /// `{unwantedDevices}` as the count 0...15 (15: more than 14), the three message counts as range codes and
    /// `{batt}` in volts with two decimals.
    mutating func receiveRepeaterStatus(
        _ record: MessageRecord,
        status: RepeaterStatus,
        into output: inout [CallbackTrigger]
    ) {
        let message = record.message
        var bindings = receiveOutOfBand(record, into: &output)
        bindings[.whitelistDevices] = .integer(Int64(status.whitelistDevices))
        bindings[.repeatedMsg] = .integer(Int64(status.repeatedMessages))
        bindings[.unwantedDevices] = .integer(Int64(RepeaterStatus.unwantedDevicesCode(status.unwantedDevices)))
        bindings[.unwantedMsg] = .integer(Int64(RepeaterStatus.rangeCode(status.unwantedMessages)))
        bindings[.wrongMsg] = .integer(Int64(RepeaterStatus.rangeCode(status.wrongMessages)))
        bindings[.overRegulMsg] = .integer(Int64(RepeaterStatus.rangeCode(status.overRegulationMessages)))
        bindings[.batt] = .decimal2(status.battery)
        output.append(
            CallbackTrigger(
                service: .repeater,
                deviceType: types[Int(devices[Int(record.device)].type)].type.id,
                device: message.device,
                due: message.firstReception,
                firstReception: message.firstReception,
                bindings: bindings,
                message: message.id
            )
        )
    }

    /// The variables DATA and DATA_ADVANCED share: device, time, data, sequence number, payload, on top of
    /// the type's `template` (type id and name).
    private func messageBindings(
        _ record: MessageRecord,
        state: DeviceState,
        template: VariableBindings
    ) -> VariableBindings {
        let message = record.message
        var bindings = template
        bindings[.device] = state.idValue
        bindings[.time] = .integer(message.firstReception.epochSeconds)
        bindings[.data] = record.dataValue
        bindings[.seqNumber] = .integer(Int64(message.seqNumber))
        bindings.payload = message.payload
        return bindings
    }

    /// The legacy per-message radio variables of DATA, STATUS and ACKNOWLEDGE (SIGFOX.md section 3):
    /// `{avgSnr}`, `{lat}`/`{lng}` of the best station, and `{station}`, `{rssi}`,
    /// `{snr}`, `{signal}` of the best station with the network-metadata contract only.
    /// A message recorded without per-station data leaves them all unset (`null`) but `{avgSnr}`.
    func setLegacyRadio(_ bindings: inout VariableBindings, message: Message, device: Int) {
        bindings[.avgSnr] = averageSNR(device: device)
        guard let reception = message.best else { return }
        if devices[device].device.contract.networkMetadata {
            setStation(&bindings, reception)
        } else {
            let best = stations[Int(reception.stationIndex)]
            bindings[.lat] = best.latitudeValue
            bindings[.lng] = best.longitudeValue
        }
    }

    /// `{station}`, `{rssi}`, `{snr}`, `{signal}`, `{lat}`, `{lng}` of one reception.
    private func setStation(_ bindings: inout VariableBindings, _ reception: Reception) {
        let station = stations[Int(reception.stationIndex)]
        bindings[.station] = station.idValue
        bindings[.rssi] = .decimal2(reception.rssi)
        bindings[.snr] = .decimal2(reception.snr)
        bindings[.signal] = .decimal2(reception.snr)
        bindings[.lat] = station.latitudeValue
        bindings[.lng] = station.longitudeValue
    }

    /// Adds a data message's best SNR to the device's ring for `{avgSnr}`.
    private mutating func pushSNR(_ snr: Double, device: Int) {
        let size = configuration.averageSNRHistory
        snrHistory[device * size + devices[device].snrNext] = snr
        devices[device].snrNext = (devices[device].snrNext + 1) % size
        devices[device].snrCount = min(devices[device].snrCount + 1, size)
    }

    /// `{avgSnr}`: the mean SNR of the device's last 25 data messages, or `N/A` before the first.
    func averageSNR(device: Int) -> VariableValue {
        let count = devices[device].snrCount
        guard count > 0 else { return .text("N/A") }
        let base = device * configuration.averageSNRHistory
        var sum = 0.0
        for slot in 0..<count { sum += snrHistory[base + slot] }
        return .decimal2(sum / Double(count))
    }
}
