import SigfoxEngine

/// The time and duration syntax of scenario files.
///
/// Durations: a number and a unit, `250ms`, `10s`, `2m`, `1h`, `1d`. Times: an offset from the scenario's
/// start (`+10s`, `+2m`), an ISO-8601 UTC time (`2026-01-01T00:00:10Z`, fractions of a second allowed), or
/// epoch seconds.
public enum ScenarioTime {
    /// The longest duration a scenario may write: 1,000 years, in milliseconds.
    public static let longestDuration: Int64 = 1000 * 366 * 86_400_000
    /// The factors `scaled:N` takes: a thousandth (a second lasts 17 minutes) to a million.
    public static let scales: ClosedRange<Double> = 0.001...1_000_000

    /// Milliseconds of `text` (`250ms`, `10s`, `2m`, `1h`, `1d`, or parts in a row such as `1h25m`), or nil.
    public static func duration(_ text: String) -> SimulationDuration? {
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let scales: [Substring: Double] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
            guard let value = Double(number), value.isFinite, let scale = scales[unit] else { return nil }
            // Past 1,000 years a duration means nothing here and would overflow the clock's milliseconds.
            let milliseconds = (value * scale).rounded()
            guard milliseconds <= Double(Self.longestDuration), total + Int64(milliseconds) <= Self.longestDuration
            else {
                return nil
            }
            total += Int64(milliseconds)
        }
        return SimulationDuration(milliseconds: total)
    }

    /// The simulation time of `text`: `+DURATION` after `start`, ISO-8601 UTC, or epoch seconds.
    public static func time(_ text: String, start: SimulationTime) -> SimulationTime? {
        if text.hasPrefix("+") {
            return duration(String(text.dropFirst())).map { start + $0 }
        }
        if let seconds = Double(text), seconds.isFinite {
            // Epoch seconds within ±100,000 years: beyond, the milliseconds would overflow.
            guard abs(seconds) < 3.15e12 else { return nil }
            return SimulationTime(milliseconds: Int64((seconds * 1000).rounded()))
        }
        return iso8601(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, UTC only.
    public static func iso8601(_ text: String) -> SimulationTime? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                guard (48...57).contains(bytes[index]) else { return nil }
                value = value * 10 + Int64(bytes[index] - 48)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds: Int64 = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, let fraction = number(20..<(bytes.count - 1))
            else { return nil }
            var digits = bytes.count - 21
            var value = fraction
            while digits > 3 {
                value /= 10
                digits -= 1
            }
            while digits < 3 {
                value *= 10
                digits += 1
            }
            milliseconds = value
        } else if bytes.count != 20 {
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return SimulationTime(milliseconds: seconds * 1000 + milliseconds)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `2026-01-01T00:00:10Z` (with `.fff` when there are milliseconds).
    public static func format(_ time: SimulationTime) -> String {
        let total = time.milliseconds
        let millis = ((total % 1000) + 1000) % 1000
        let seconds = (total - millis) / 1000
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        // civil from days (Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text =
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):"
            + "\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))"
        if millis != 0 { text += "." + pad(millis, 3) }
        return text + "Z"
    }

    /// `virtual`, `real` or `scaled:N` (N > 0).
    public static func mode(_ text: String) -> TimeMode? {
        switch text {
        case "virtual": return .virtual
        case "real": return .real
        default:
            guard text.hasPrefix("scaled:"), let factor = Double(text.dropFirst(7)), Self.scales.contains(factor)
            else { return nil }
            return .scaled(factor)
        }
    }
}

extension TimeMode {
    /// The mode as `--time` takes it: `virtual`, `real`, `scaled:60`.
    public var text: String {
        switch self {
        case .virtual: return "virtual"
        case .real: return "real"
        case .scaled(let factor):
            return "scaled:" + (factor == factor.rounded() && abs(factor) < 1e15 ? "\(Int64(factor))" : "\(factor)")
        }
    }
}
