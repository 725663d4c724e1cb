import Foundation
import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/operators/{id}`: the network operators of the emulator's base stations.
///
/// **Emulator rule:** the operators are the distinct `operatorId`s the scenario gives its base stations
/// (`baseStations[].operatorId`); stations without one belong to the emulator's own operator,
/// ``defaultOperatorID``. An operator's details are read from the radio model (`minDb` the sensitivity, `maxDb`
/// the strongest RSSI reported, `transmitterPower` the devices' power in mW). Changing an operator
/// (`PUT`) is for the operator's own staff: the emulator answers 403, as the live API does to a customer.
extension APIv2 {
    var operatorRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("operators/:id") { request, context in
            _ = try V2Query(request, allowed: ["fields", "authorizations"])
            return JSONAnswer(try operatorRead(context))
        }
        routes.put("operators/:id") { _, context -> JSONAnswer in
            _ = try operatorRead(context)
            throw Self.forbidden("only the operator's staff can change an operator")
        }
        return routes
    }

    /// The emulator's own operator, that of every station the scenario gives no `operatorId`.
    static let defaultOperatorID = "000000000000000000000003"

    /// The ids of the operators of the scenario's stations.
    var operatorIDs: [String] {
        var ids = [String]()
        for station in configuration.scenario.baseStations {
            let id = station.operatorId?.lowercased() ?? Self.defaultOperatorID
            if !ids.contains(id) { ids.append(id) }
        }
        return ids.isEmpty ? [Self.defaultOperatorID] : ids
    }

    func operatorRead(_ context: BasicRequestContext) throws(APIError) -> OperatorRead {
        let id = (context.parameters.get("id") ?? "").lowercased()
        guard operatorIDs.contains(id) else {
            throw APIError(status: 404, message: "The requested resource was not found: no operator '\(id)'")
        }
        let network = configuration.scenario.network
        return OperatorRead(
            id: id,
            transmitterPower: Int(pow(10, network.transmitPower / 10).rounded()),
            minDb: Int(network.sensitivity.rounded()),
            maxDb: Int(network.maximumRSSI.rounded())
        )
    }
}

/// The API v2's `operatorRead`.
struct OperatorRead: Encodable, Sendable {
    var id: String
    var autoCloseCampaign = false
    var transmitterPower: Int
    var minDb: Int
    var maxDb: Int
    var alertTime = 3600
    var requestTrackerBaseUrl = ""
    var telecommunicationStandard = Standard()
    var antenna = Antenna()
    var warrantyMode = 0
    var networkType = 0
    var actions: [String] = []

    struct Standard: Encodable, Sendable {
        var id = "000000000000000000000004"
        var name = "ETSI"
    }

    struct Antenna: Encodable, Sendable {
        var model = "sigfox-sim"
    }
}
