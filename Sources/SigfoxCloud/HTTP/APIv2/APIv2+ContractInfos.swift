import Hummingbird
import SigfoxEngine
import SigfoxModel
import SigfoxScenario

/// `/v2/contract-infos`: the emulator's contracts (``ContractInfo``), one of them, and the devices on one.
///
/// **Emulator rule:** restarting a contract's devices (`POST /contract-infos/{id}/bulk/restart` and its job)
/// has no meaning where tokens never run out on their own; both answer 403, as the live API does to a user
/// without the right (docs/serve.md).
extension APIv2 {
    var contractInfoRoutes: RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.get("contract-infos") { request, _ in try listContractInfos(request) }
        routes.get("contract-infos/:id") { _, context in
            let (terms, devices) = try contract(context)
            return JSONAnswer(try contractInfo(terms, devices))
        }
        routes.get("contract-infos/:id/devices") { request, context in try listContractDevices(request, context) }
        routes.post("contract-infos/:id/bulk/restart") { _, context -> JSONAnswer in
            _ = try contract(context)
            throw Self.forbidden("restarting a contract's devices is not possible in the emulator")
        }
        routes.get("contract-infos/bulk/restart/:jobId") { _, _ -> JSONAnswer in
            throw Self.forbidden("restarting a contract's devices is not possible in the emulator")
        }
        return routes
    }

    /// 403, `{"message"}`: what the live API answers a user without the right for an operation.
    static func forbidden(_ why: String) -> APIError {
        APIError(status: 403, message: "Forbidden: " + why)
    }

    func listContractInfos(_ request: Request) throws(APIError) -> JSONAnswer {
        let query = try V2Query(
            request,
            allowed: [
                "name", "groupId", "groupType", "deep", "up", "orderIds", "contractIds", "fromTime", "toTime",
                "tokenDuration", "pricingModel", "subscriptionPlan", "geolocationMode", "fields", "limit", "offset",
                "pageId", "authorizations",
            ]
        )
        var contracts = ContractInfo.contracts(of: configuration.scenario)
        if let name = query.values["name"] {
            contracts = contracts.filter { $0.terms.name.localizedCaseInsensitiveContains(name) }
        }
        if let ids = query.values["contractIds"] {
            let wanted = Set(ids.split(separator: ",").map { $0.lowercased() })
            contracts = contracts.filter { wanted.contains($0.terms.id) }
        }
        let page = Array(contracts.dropFirst(query.offset).prefix(query.limit))
        let items = try page.map { contract throws(APIError) in try contractInfo(contract.terms, contract.devices) }
        let more = contracts.count > query.offset + query.limit
        return query.listing(items, request, more: more)
    }

    /// The contract `:id` with its devices; 404 when there is none.
    func contract(_ context: BasicRequestContext) throws(APIError) -> (ContractInfo.Terms, [Device]) {
        let id = (context.parameters.get("id") ?? "").lowercased()
        guard let found = ContractInfo.contracts(of: configuration.scenario).first(where: { $0.terms.id == id }) else {
            throw APIError(status: 404, message: "The requested resource was not found: no contract '\(id)'")
        }
        return found
    }

    func contractInfo(_ terms: ContractInfo.Terms, _ devices: [Device]) throws(APIError) -> ContractInfo {
        let activated = try Self.reading { try engine.store.lastMessages(of: devices.map(\.id.description)) }.count
        return ContractInfo(
            terms: terms,
            devices: devices.count,
            activated: activated,
            start: configuration.scenario.start
        )
    }

    /// The devices on a contract, paged by `pageId` (the offset of the page, as `paging.next` gives it).
    func listContractDevices(_ request: Request, _ context: BasicRequestContext) throws(APIError) -> JSONAnswer {
        let query = try V2Query(request, allowed: ["deviceTypeId", "fields", "limit", "pageId"])
        var (_, devices) = try contract(context)
        if let type = query.values["deviceTypeId"] {
            devices = devices.filter { $0.deviceType.description == type.lowercased() }
        }
        var offset = 0
        if let text = query.values["pageId"] {
            guard let value = Int(text), value >= 0 else {
                throw V2Error.invalid("query", "pageId", "expected the pageId of a paging.next, found '\(text)'")
            }
            offset = value
        }
        let page = Array(devices.dropFirst(offset).prefix(query.limit))
        let items = try page.map { device throws(APIError) in try deviceBody(device) }
        var paging: Paging?
        if devices.count > offset + query.limit {
            // Paged by `pageId`, as the reference says for this listing (the next offset).
            var parameters = [("limit", String(query.limit)), ("pageId", String(offset + query.limit))]
            if let type = query.values["deviceTypeId"] { parameters.append(("deviceTypeId", type)) }
            paging = Paging(next: request.absoluteURL(request.uri.path, query: parameters))
        }
        return JSONAnswer(Listing.v2(items, next: paging))
    }
}
