/// What a repeater device's status frame reports (SIGFOX.md section 2, SERVICE/REPEATER): how many devices
/// it repeats for (0: all), the messages it repeated since its last status frame, the counts of unwanted
/// devices and messages, wrong messages and messages held back by regulation, and its battery.
///
/// How each is written follows Sigfox's REPEATER page (https://support.sigfox.com/docs/repeater), which says
/// more than SIGFOX.md section 2: `unwantedDevices` is the count of devices itself, 0 to 15, 15 meaning more
/// than 14 (``unwantedDevicesCode(_:)``), not a range code; the three message counts are range codes
/// (``rangeCode(_:)``); `batt` is a float with two decimals, in volts.
public struct RepeaterStatus: Sendable, Equatable {
    public var whitelistDevices: Int
    public var repeatedMessages: Int
    public var unwantedDevices: Int
    public var unwantedMessages: Int
    public var wrongMessages: Int
    public var overRegulationMessages: Int
    /// `{batt}`, the battery in volts (written with two decimals).
    public var battery: Double

    public init(
        whitelistDevices: Int = 0,
        repeatedMessages: Int = 0,
        unwantedDevices: Int = 0,
        unwantedMessages: Int = 0,
        wrongMessages: Int = 0,
        overRegulationMessages: Int = 0,
        battery: Double = 0
    ) {
        self.whitelistDevices = whitelistDevices
        self.repeatedMessages = repeatedMessages
        self.unwantedDevices = unwantedDevices
        self.unwantedMessages = unwantedMessages
        self.wrongMessages = wrongMessages
        self.overRegulationMessages = overRegulationMessages
        self.battery = battery
    }

    /// `{unwantedDevices}`: the number of devices, 0 to 14, and 15 for more than 14.
    public static func unwantedDevicesCode(_ count: Int) -> Int {
        min(max(count, 0), 15)
    }

    /// The range code 0...15 of a count of messages: 0 → 0, under 5 → 1, under 10 → 2, under 50 → 3, then every 50
    /// up to 500 (4 … 12), under 800 → 13, under 1000 → 14, 1000 or more → 15.
    public static func rangeCode(_ count: Int) -> Int {
        let bounds = [1, 5, 10, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 800, 1000]
        return bounds.firstIndex { count < $0 } ?? 15
    }
}
