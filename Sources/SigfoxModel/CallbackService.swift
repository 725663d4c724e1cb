/// The service of a callback: what makes it fire (SIGFOX.md section 2).
///
/// The API v2 numbers are `callbackType` / `callbackSubtype`: DATA is 0 (UPLINK 2, BIDIR 3), SERVICE
/// is 1 (STATUS 0, GEOLOC 1, ACKNOWLEDGE 4, REPEATER 5, DATA_ADVANCED 6) and ERROR is 2.
public enum CallbackService: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case dataUplink = "DATA/UPLINK"
    case dataBidir = "DATA/BIDIR"
    case status = "SERVICE/STATUS"
    /// Deprecated and read-only: accepted in imported configuration, never fires.
    case geoloc = "SERVICE/GEOLOC"
    case acknowledge = "SERVICE/ACKNOWLEDGE"
    case repeater = "SERVICE/REPEATER"
    case dataAdvanced = "SERVICE/DATA_ADVANCED"
    case error = "ERROR"

    /// `DATA/UPLINK`, `SERVICE/DATA_ADVANCED`, `ERROR`.
    public var description: String { rawValue }

    /// Position in `allCases`, for array-backed tables (trigger counts, callbacks by service). A switch, not
    /// a search: it runs for every trigger.
    public var ordinal: Int {
        switch self {
        case .dataUplink: return 0
        case .dataBidir: return 1
        case .status: return 2
        case .geoloc: return 3
        case .acknowledge: return 4
        case .repeater: return 5
        case .dataAdvanced: return 6
        case .error: return 7
        }
    }

    /// The API v2 `callbackType`.
    public var callbackType: Int {
        switch self {
        case .dataUplink, .dataBidir: return 0
        case .status, .geoloc, .acknowledge, .repeater, .dataAdvanced: return 1
        case .error: return 2
        }
    }

    /// The API v2 `callbackSubtype`; ERROR has none.
    public var callbackSubtype: Int? {
        switch self {
        case .dataUplink: return 2
        case .dataBidir: return 3
        case .status: return 0
        case .geoloc: return 1
        case .acknowledge: return 4
        case .repeater: return 5
        case .dataAdvanced: return 6
        case .error: return nil
        }
    }

    /// The service of API v2 numbers, or nil. ERROR ignores the subtype.
    public init?(callbackType: Int, callbackSubtype: Int?) {
        if callbackType == 2 {
            self = .error
            return
        }
        guard
            let match = Self.allCases.first(where: {
                $0.callbackType == callbackType && $0.callbackSubtype == callbackSubtype
            })
        else { return nil }
        self = match
    }

    /// Reads the names people write: `DATA/UPLINK`, `UPLINK`, `BIDIR`, `SERVICE/DATA_ADVANCED`,
    /// `DATA_ADVANCED`, `STATUS`, `ERROR`; any case, `_`, `-` or space between words.
    public init?(name: String) {
        let key = String(name.trimmedASCIIWhitespace.uppercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        let bare = key.hasPrefix("SERVICE/") ? String(key.dropFirst(8)) : key
        switch bare {
        case "DATA/UPLINK", "UPLINK": self = .dataUplink
        case "DATA/BIDIR", "BIDIR": self = .dataBidir
        case "STATUS": self = .status
        case "GEOLOC": self = .geoloc
        case "ACKNOWLEDGE": self = .acknowledge
        case "REPEATER": self = .repeater
        case "DATA_ADVANCED", "DATAADVANCED", "ADVANCED": self = .dataAdvanced
        case "ERROR": self = .error
        default: return nil
        }
    }

    /// Whether this is a DATA service (UPLINK or BIDIR), which fires at the first reception.
    public var isData: Bool { self == .dataUplink || self == .dataBidir }

    /// GEOLOC is deprecated: configurations keep it, the emulator never fires it (SIGFOX.md section 2).
    public var neverFires: Bool { self == .geoloc }
}

/// How a callback is delivered (SIGFOX.md section 4).
public enum CallbackChannel: String, CaseIterable, Hashable, Sendable {
    case url = "URL"
    case batchURL = "BATCH_URL"
    case email = "EMAIL"

    /// Reads `URL`, `BATCH_URL` (or `BATCH`), `EMAIL` in any case.
    public init?(name: String) {
        switch String(name.trimmedASCIIWhitespace.uppercased().map { $0 == "-" ? "_" : $0 }) {
        case "URL": self = .url
        case "BATCH_URL", "BATCH", "BATCHURL": self = .batchURL
        case "EMAIL", "E_MAIL", "MAIL": self = .email
        default: return nil
        }
    }
}

/// The HTTP methods a Sigfox callback may use (SIGFOX.md section 4).
public enum HTTPMethod: String, CaseIterable, Hashable, Sendable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"

    /// Whether requests of this method carry a body.
    public var hasBody: Bool { self != .get }
}

/// The content types of a POST or PUT callback's body (SIGFOX.md section 4).
public enum ContentType: String, CaseIterable, Hashable, Sendable {
    /// The default when none is given.
    case formURLEncoded = "application/x-www-form-urlencoded"
    case json = "application/json"
    case text = "text/plain"

    /// Reads the media type, ignoring parameters such as `; charset=UTF-8` and case.
    public init?(mediaType: String) {
        let bare = mediaType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let trimmed = bare.trimmedASCIIWhitespace.lowercased()
        guard let match = Self(rawValue: trimmed) else { return nil }
        self = match
    }

    /// How variable values are written into a body of this type.
    public var valueEncoding: ValueEncoding {
        self == .formURLEncoded ? .formEncoded : .asIs
    }
}
