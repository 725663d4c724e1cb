import SigfoxModel

extension NetworkCore {
    /// The `{info}` of the station-down warning (SIGFOX.md section 2).
    public static let stationWarningInfo =
        "Sigfox network experiencing issues that could cause message loss or delay for some devices."

    /// Puts a station up or down at `now`; returns how many devices will get an ERROR/WARN.
    ///
    /// A station going down sends ERROR with severity `WARN` to every device whose last 5 received
    /// messages (``Configuration/stationWarningHistory``) include one the station heard (SIGFOX.md
    /// section 2); the triggers are due at `now`, in fleet order. A station that is down hears nothing
    /// and transmits no downlink. Setting the state it already has does nothing.
    @discardableResult
    public mutating func setStation(_ id: BaseStationID, up: Bool, at now: SimulationTime) -> Int {
        guard let index = stationIndexByID[id].map(Int.init), stationUp[index] != up else { return 0 }
        stationUp[index] = up
        guard !up else { return 0 }
        let history = UInt32(configuration.stationWarningHistory)
        var warned = 0
        for link in audience[index] {
            let heard = lastHeardOnLink[Int(link)]
            guard heard > 0 else { continue }
            let device = deviceOwning(link: Int(link))
            if devices[device].received - heard < history {
                schedule(.stationWarning(device: Int32(device)), at: now)
                warned += 1
            }
        }
        return warned
    }

    /// The ERROR/WARN trigger for one device.
    func stationWarningTrigger(device: Int, at now: SimulationTime) -> CallbackTrigger {
        errorTrigger(device: device, at: now, severity: "WARN", info: Self.stationWarningInfo)
    }

    /// Notes a message first received at `time` and arms the keep-alive check (SIGFOX.md section 2).
    ///
    /// One check at a time sits in the timers per device: when it comes due and a later message moved the
    /// deadline, it re-arms itself instead of firing.
    mutating func noteKeepAlive(device: Int, heardAt time: SimulationTime) {
        let previous = devices[device].lastHeard
        if previous == nil || previous! < time { devices[device].lastHeard = time }
        let keepAlive = types[Int(devices[device].type)].keepAlive
        guard keepAlive > 0, !devices[device].keepAlivePending else { return }
        devices[device].keepAlivePending = true
        schedule(
            .keepAliveCheck(device: Int32(device)),
            at: devices[device].lastHeard! + SimulationDuration(milliseconds: keepAlive)
        )
    }

    /// ERROR (severity `ERROR`) once per keep-alive breach: `keepAlive` seconds after the last message
    /// with no newer one (SIGFOX.md section 2). It fires again only after a new message and a new silence.
    mutating func checkKeepAlive(device: Int, at now: SimulationTime, into output: inout [CallbackTrigger]) {
        devices[device].keepAlivePending = false
        guard !devices[device].retired, let last = devices[device].lastHeard else { return }
        let deadline = last + SimulationDuration(milliseconds: types[Int(devices[device].type)].keepAlive)
        if deadline > now {
            devices[device].keepAlivePending = true
            schedule(.keepAliveCheck(device: Int32(device)), at: deadline)
            return
        }
        let info = "No message received since " + Self.utcText(last)
        output.append(errorTrigger(device: device, at: now, severity: "ERROR", info: info))
    }

    private func errorTrigger(device: Int, at now: SimulationTime, severity: String, info: String) -> CallbackTrigger {
        let state = devices[device]
        let profile = types[Int(state.type)]
        var bindings = VariableBindings()
        bindings[.device] = state.idValue
        bindings[.time] = .integer(now.epochSeconds)
        bindings[.deviceTypeName] = profile.nameValue
        bindings[.severity] = .text(severity)
        bindings[.info] = .text(info)
        return CallbackTrigger(
            service: .error,
            deviceType: profile.type.id,
            device: state.device.id,
            due: now,
            firstReception: now,
            bindings: bindings
        )
    }

    /// The device whose reach list holds `link` (binary search over the devices' link ranges).
    private func deviceOwning(link: Int) -> Int {
        var low = 0
        var high = devices.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if devices[middle].links.lowerBound <= link { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
