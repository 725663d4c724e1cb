import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// A contract of the emulator, as `GET /v2/contract-infos/` gives it: every field the live API sends
/// (`../shared/reference/WIRE.md`, the fields `sigfox-manager` requires), the premium options that decide what
/// the callbacks carry (SIGFOX.md section 2, "Contract options"), and token counts taken from the emulator's
/// state.
///
/// **Emulator rule:** a scenario gives contract options per device (`downlink`, `networkMetadata`,
/// `geolocation`, ``DeviceContract``); each distinct set of them is one contract. The set of the defaults
/// (downlink and network metadata on, geolocation off) is the **default contract**,
/// `000000000000000000000002` (the `{contractId}` of the contract events, ``ContractDetails/defaultContractID``),
/// always listed, even without devices; another set is the contract `0000000000000000000000c` followed by a hex
/// digit of its options (1 downlink, 2 network metadata, 4 geolocation).
struct ContractInfo: Encodable, Sendable {
    var name: String
    var activationEndTime: Int64
    var communicationEndTime: Int64
    var bidir: Bool
    var highPriorityDownlink = false
    var maxUplinkFrames = 140
    var maxDownlinkFrames = 4
    var maxTokens = 0
    var automaticRenewal = true
    var renewalDuration = 12
    var options: [Option]
    var id: String
    var contractId: String
    var userId = ContractInfo.userID
    var group = ContractInfo.Group()
    var pricingModel = 2
    var createdBy = ContractInfo.userID
    var lastEditionTime: Int64
    var creationTime: Int64
    var lastEditedBy = ContractInfo.userID
    var startTime: Int64
    var timezone = "UTC"
    var subscriptionPlan = 1
    var tokenDuration = 12
    var blacklistedTerritories: [Group] = []
    var tokensInUse: Int
    var tokensUsed: Int

    /// A premium option (`{"id": "networkMetadata"}`).
    struct Option: Encodable, Sendable {
        var id: String
    }

    /// The `minGroup` every entity of the emulator belongs to (the API v2's device and device type say it too).
    struct Group: Encodable, Sendable {
        var id = "000000000000000000000001"
        var name = "sigfox-sim"
        var type = 2
        var level = 0
    }

    /// The user who "created" the emulator's contracts.
    static let userID = "000000000000000000000001"
    /// Ten years after the scenario's start: activation and communication end there.
    static let lifetime: Int64 = 10 * 365 * 86_400_000

    /// The options a contract is made of, the key that groups devices onto it.
    struct Terms: Hashable, Sendable, Comparable {
        var downlink: Bool
        var networkMetadata: Bool
        var geolocation: Bool

        init(_ contract: DeviceContract) {
            downlink = contract.downlink
            networkMetadata = contract.networkMetadata
            geolocation = contract.geolocation
        }

        static let defaults = Terms(DeviceContract())

        var bits: Int { (downlink ? 1 : 0) | (networkMetadata ? 2 : 0) | (geolocation ? 4 : 0) }

        var id: String {
            self == .defaults
                ? ContractDetails.defaultContractID : "0000000000000000000000c" + String(bits, radix: 16)
        }

        var name: String {
            guard self != .defaults else { return "sigfox-sim default" }
            var words = [downlink ? "downlink" : "no downlink"]
            words.append(networkMetadata ? "network metadata" : "no network metadata")
            if geolocation { words.append("geolocation") }
            return "sigfox-sim " + words.joined(separator: ", ")
        }

        /// The premium options of the live API this contract has.
        var options: [Option] {
            (networkMetadata ? [Option(id: "networkMetadata")] : []) + (geolocation ? [Option(id: "geolocation")] : [])
        }

        static func < (lhs: Terms, rhs: Terms) -> Bool {
            // The default contract first, then by the options' bits.
            (lhs == .defaults ? 0 : 1, lhs.bits) < (rhs == .defaults ? 0 : 1, rhs.bits)
        }
    }

    /// Every contract of `scenario`, the default one first, with the devices on each.
    static func contracts(of scenario: Scenario) -> [(terms: Terms, devices: [Device])] {
        var byTerms: [Terms: [Device]] = [.defaults: []]
        for device in scenario.devices { byTerms[Terms(device.contract), default: []].append(device) }
        return byTerms.keys.sorted().map { ($0, byTerms[$0] ?? []) }
    }

    /// The contract with these terms: `tokensInUse` the devices on it, `tokensUsed` those of them whose token
    /// has been activated (the cloud received a message from them: `activated`).
    init(terms: Terms, devices: Int, activated: Int, start: SimulationTime) {
        let start = start.milliseconds
        name = terms.name
        activationEndTime = start + Self.lifetime
        communicationEndTime = start + Self.lifetime
        bidir = terms.downlink
        options = terms.options
        id = terms.id
        contractId = terms.id
        lastEditionTime = start
        creationTime = start
        startTime = start
        tokensInUse = devices
        tokensUsed = activated
    }
}
