import SigfoxEngine
import SigfoxModel

extension Scenario {
    /// The `baseStations` list: each station with its id, position, whether it is up, and its operator
    /// (`operatorName` and `countryCode` for DATA_ADVANCED, `operatorId` for the contract events of SIGFOX.md
    /// section 8), or `count` stations generated in an `area`.
    static func stations(_ node: ConfigNode?, random: inout SeededGenerator) throws(ConfigError) -> [BaseStation] {
        var result = [BaseStation]()
        for (item, path) in try items(node, path: "baseStations") {
            var object = try ConfigObject(item, path: path)
            let operatorName = try object.string("operatorName") ?? "SIGFOX_France"
            let countryCode = try object.string("countryCode") ?? "250"
            let operatorId = try object.string("operatorId")
            if let operatorId, operatorId.isEmpty || !operatorId.utf8.allSatisfy({ Hex.nibble($0) != nil }) {
                throw object.error("operatorId", "expected the operator's id in hex, found '\(operatorId)'")
            }
            if let count = try object.integer("count") {
                guard count >= 1 else { throw object.error("count", "must be at least 1") }
                let first = try object.string("firstId") ?? "1000"
                guard let firstID = UInt32(first, radix: 16), Int(firstID) + count - 1 <= 0xFFFF_FFFF else {
                    throw object.error("firstId", "expected a hex base station id with room for \(count) ids")
                }
                let area = try Area(object.node("area"), in: object)
                for index in 0..<count {
                    result.append(
                        BaseStation(
                            id: BaseStationID(firstID + UInt32(index)),
                            position: area.point(&random),
                            operatorName: operatorName,
                            countryCode: countryCode,
                            operatorId: operatorId
                        )
                    )
                }
                try object.rejectUnknownFields(allowed: [
                    "count", "firstId", "area", "operatorName", "countryCode", "operatorId",
                ])
            } else {
                let text = try required(object.string("id"), object, "id", "hex digits (1D44), or count to generate")
                guard let id = BaseStationID(hex: text) else {
                    throw object.error("id", "expected a base station id of 1 to 8 hex digits, found '\(text)'")
                }
                let position = try position(&object)
                let isUp = try object.bool("up") ?? true
                result.append(
                    BaseStation(
                        id: id,
                        position: position,
                        isUp: isUp,
                        operatorName: operatorName,
                        countryCode: countryCode,
                        operatorId: operatorId
                    )
                )
                try object.rejectUnknownFields(allowed: [
                    "id", "lat", "lng", "up", "operatorName", "countryCode", "operatorId",
                ])
            }
        }
        return result
    }

}
