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
    /// Lifecycle events of a device (SIGFOX.md section 8), configured apart from the device type's callback
    /// list: each event callback is bound to one ``DeviceEventType``.
    case event = "EVENT"

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
        case .event: return 8
        }
    }

    /// The API v2 `callbackType`.
    public var callbackType: Int {
        switch self {
        case .dataUplink, .dataBidir: return 0
        case .status, .geoloc, .acknowledge, .repeater, .dataAdvanced: return 1
        case .error: return 2
        // Not an API v2 callback type: event callbacks are configured apart (SIGFOX.md section 8), and
        // ``init(callbackType:callbackSubtype:)`` never reads this number.
        case .event: return 3
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
        case .error, .event: return nil
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
                $0 != .event && $0.callbackType == callbackType && $0.callbackSubtype == callbackSubtype
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
        case "EVENT": self = .event
        default: return nil
        }
    }

    /// Whether this is a DATA service (UPLINK or BIDIR), which fires at the first reception.
    public var isData: Bool { self == .dataUplink || self == .dataBidir }

    /// GEOLOC is deprecated: configurations keep it, the emulator never fires it (SIGFOX.md section 2).
    public var neverFires: Bool { self == .geoloc }
}

/// The lifecycle events an EVENT callback is bound to (SIGFOX.md section 8).
///
/// **Emulator rule:** the out-of-sequence event has no documented `eventType`; it is `OUT_OF_SEQUENCE`.
public enum DeviceEventType: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// A minor gap in the device's sequence numbers: the message is accepted (WARN).
    case invalidSequenceNumber = "INVALID_SEQ_NUMBER"
    /// A major gap: the message is rejected, and later ones too until the sequence is disengaged (ERROR).
    case outOfSequence = "OUT_OF_SEQUENCE"
    /// The device's token ended (ERROR).
    case offContract = "OFF_CONTRACT"
    /// The subscription was prolonged (INFO).
    case tokenRenewal = "TOKEN_RENEWAL"

    public var description: String { rawValue }

    /// `{severity}` of the event.
    public var severity: String {
        switch self {
        case .invalidSequenceNumber: return "WARN"
        case .outOfSequence, .offContract: return "ERROR"
        case .tokenRenewal: return "INFO"
        }
    }

    /// Reads `INVALID_SEQ_NUMBER`, `OUT_OF_SEQUENCE`, `OFF_CONTRACT`, `TOKEN_RENEWAL`, and the names the
    /// Sigfox UI shows (`Break in message sequence`, `Out of message sequence`, `Off contract`, `Renewal`), in
    /// any case.
    public init?(name: String) {
        let key = String(name.trimmedASCIIWhitespace.uppercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        switch key {
        case "INVALID_SEQ_NUMBER", "BREAK_IN_MESSAGE_SEQUENCE": self = .invalidSequenceNumber
        case "OUT_OF_SEQUENCE", "OUT_OF_MESSAGE_SEQUENCE": self = .outOfSequence
        case "OFF_CONTRACT": self = .offContract
        case "TOKEN_RENEWAL", "RENEWAL": self = .tokenRenewal
        default: return nil
        }
    }
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
