/// The certificates of the emulator's devices, as the API v2 shows them (`GET /devices/{id}/certificate/modem`,
/// `.../certificate/product`, `.../product-certificate`, and the device's `modemCertificate` and
/// `productCertificate`).
///
/// **Emulator rule:** every device has the same two certificates, the emulator's own modem and product
/// (`sigfox-sim`, finalized, RC1, uplink and downlink), whatever its device type: a virtual device has no
/// hardware to certify. A prototype device's product certificate is a development kit's (`devKit` true).
enum DeviceCertificates {
    static let modemID = "000000000000000000000005"
    static let modemKey = "M_0000_0000_01"
    static let productID = "000000000000000000000006"
    static let productKey = "P_0000_0000_01"
}

/// A certificate as a device names it: `id` and `key`.
struct V2CertificateReference: Encodable {
    var id: String
    var key: String

    static let modem = V2CertificateReference(id: DeviceCertificates.modemID, key: DeviceCertificates.modemKey)
    static let product = V2CertificateReference(id: DeviceCertificates.productID, key: DeviceCertificates.productKey)
}

/// A radio configuration of a certificate: `id` 0 is RC1.
struct V2RadioConfiguration: Encodable {
    var id = 0
}

/// The reference's `modemCertificate`.
struct V2ModemCertificate: Encodable {
    var id = DeviceCertificates.modemID
    var name = "sigfox-sim modem"
    var status = 1
    var key = DeviceCertificates.modemKey
    var manufacturer = V2Group()
    var version = "1.0"
    var description = "The emulator's virtual modem"
    var modes = [1]
    var inputSensitivity = -142
    var radioConfigurations = [RadioConfiguration()]
    var repeaterFunction = false

    /// RC1 at 14 dBm conducted.
    struct RadioConfiguration: Encodable {
        var id = 0
        var outputPower = SwiftDouble(14)
        var balancedLinkBudget = false
    }
}

/// The reference's `productCertificate`.
struct V2ProductCertificate: Encodable {
    var id = DeviceCertificates.productID
    var name = "sigfox-sim product"
    var status = 1
    var key = DeviceCertificates.productKey
    var manufacturer = V2Group()
    var version = "1.0"
    var description = "The emulator's virtual product"
    var modes = [1]
    var inputSensitivity = -142
    var radioConfigurations = [RadioConfiguration()]
    var devKit: Bool

    /// RC1, uplink class 0 (U0), 16 dBm EIRP.
    struct RadioConfiguration: Encodable {
        var id = 0
        var uplinkClass = 0
        var maxEirp = SwiftDouble(16)
    }
}

/// The reference's `productCertificateWithPacResponse` (`GET /devices/{id}/product-certificate?pac=`).
struct V2ProductCertificateWithPac: Encodable {
    var id = DeviceCertificates.productID
    var name = "sigfox-sim product"
    var status = 1
    var key = DeviceCertificates.productKey
    var manufacturer = V2Group()
    var version = "1.0"
    var description = "The emulator's virtual product"
    var externalId = DeviceCertificates.productKey
    var certificateCode = 0
    var certificateIndex = 1
    var qualificationTime: Int64
    var reportNumber = "sigfox-sim"
    var inputSensitivity = -142
    var encryptionPayload = false
    var devKit: Bool
    var modes = [1]
    var standards = [V2RadioConfiguration()]
    var standardCfgs = [V2ProductCertificate.RadioConfiguration()]
}

/// The reference's `deviceConsumption`: `id` the device and the period (`2C30EA_2026`, `2C30EA_202612`), one
/// entry per day of the period.
struct V2DeviceConsumption: Encodable {
    var id: String
    var deviceConsumptions: [Day]

    /// One day: uplinks (`frameCount`) and downlinks; no roaming in the emulator.
    struct Day: Encodable {
        var frameCount: Int
        var downlinkFrameCount: Int
        var roamingFrameCount = 0
        var roamingDownlinkFrameCount = 0
        var roamingDetails: [String] = []
    }
}

/// The reference's `deviceLocation_2` (`GET /devices/{id}/locations`): a message's computed location, `valid`
/// false (no position) when no station the scenario knows heard it.
struct V2DeviceLocation: Encodable {
    var lat: SwiftDouble?
    var lng: SwiftDouble?
    var radius: Int?
    var source: Int?
    var time: Int64
    var valid: Bool
}
