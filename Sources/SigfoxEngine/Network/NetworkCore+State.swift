import SigfoxModel

extension NetworkCore {
    /// A device type with the variable values every trigger repeats, made once; a class, so reading one
    /// costs a retain, not a copy.
    final class TypeProfile: Sendable {
        let type: DeviceType
        let idValue: VariableValue
        let nameValue: VariableValue
        /// Keep-alive in milliseconds; 0 is off.
        let keepAlive: Int64
        /// The variables that never change for this type: type id and name.
        let template: VariableBindings
        /// ``template`` with DATA's `{duplicate}` false.
        let dataTemplate: VariableBindings

        init(_ type: DeviceType) {
            self.type = type
            self.idValue = .text(type.id.description)
            self.nameValue = .text(type.name)
            self.keepAlive = type.keepAlive * 1000
            var template = VariableBindings()
            template[.deviceTypeId] = idValue
            template[.deviceTypeName] = nameValue
            self.template = template
            template[.duplicate] = .bool(false)
            self.dataTemplate = template
        }
    }

    /// A base station with its variable values made once; a class, so reading one costs a retain, not a copy.
    final class StationProfile: Sendable {
        let station: BaseStation
        let idValue: VariableValue
        /// `{lat}` / `{lng}`: the station's position rounded to integers (SIGFOX.md section 3).
        let latitudeValue: VariableValue
        let longitudeValue: VariableValue
        let operatorValue: VariableValue
        let countryValue: VariableValue

        init(_ station: BaseStation) {
            self.station = station
            self.idValue = .text(station.id.description)
            self.latitudeValue = .integer(Int64(station.position.latitude.rounded(.toNearestOrAwayFromZero)))
            self.longitudeValue = .integer(Int64(station.position.longitude.rounded(.toNearestOrAwayFromZero)))
            self.operatorValue = .text(station.operatorName)
            self.countryValue = .text(station.countryCode)
        }
    }

    /// What the network remembers about one device between messages.
    struct DeviceState: Sendable {
        var device: Device
        let idValue: VariableValue
        var type: Int32
        /// Where the device's stations in reach are in ``NetworkCore/links``.
        let links: Range<Int>
        var nextSequenceNumber: Int
        /// The UTC day (days since 1970) of ``uplinksToday``.
        var uplinkDay: Int64 = .min
        var uplinksToday = 0
        /// The UTC day of ``downlinksToday``.
        var downlinkDay: Int64 = .min
        var downlinksToday = 0
        /// Messages received so far (data and status); numbers the entries of ``NetworkCore/lastHeardOnLink``.
        var received: UInt32 = 0
        /// Data messages in the SNR ring, at most ``Configuration/averageSNRHistory``.
        var snrCount = 0
        var snrNext = 0
        /// First reception of the latest message received, or nil before the first.
        var lastHeard: SimulationTime?
        /// Whether a keep-alive check is in the timers.
        var keepAlivePending = false
        /// End of the listening window of the device's open downlink request, if any.
        var listeningUntil: SimulationTime?
        /// Scenario-injected: the next downlink of this device fails with NETWORK_ERROR.
        var failNextDownlink = false
        /// Removed from the fleet while the network runs (``NetworkCore/removeDevice(_:)``): it sends
        /// nothing more and its keep-alive no longer fires.
        var retired = false
        /// The cloud's view of its sequence and contract (SIGFOX.md section 8).
        var lifecycle = LifecycleState()

        init(device: Device, type: Int32, links: Range<Int>) {
            self.device = device
            self.idValue = .text(device.id.description)
            self.type = type
            self.links = links
            self.nextSequenceNumber = device.sequenceNumber
        }
    }

    /// The UTC day number of `time`, for the daily limits (SIGFOX.md section 1).
    static func day(of time: SimulationTime) -> Int64 {
        let seconds = time.epochSeconds
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// `yyyy-MM-dd HH:mm:ss` in UTC, the form of the keep-alive ERROR's `{info}` (SIGFOX.md section 2).
    static func utcText(_ time: SimulationTime) -> String {
        UTCDateTime(epochMilliseconds: time.epochSeconds * 1000).sigfoxText
    }
}
