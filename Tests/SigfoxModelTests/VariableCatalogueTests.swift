import SigfoxModel
import Testing

@Suite("Variable catalogue (SIGFOX.md section 3)")
struct VariableCatalogueTests {
    /// The table of SIGFOX.md section 3: each variable and the services that must offer it.
    static let table: [(StandardVariable, [CallbackService])] =
        [
            (.device, CallbackService.allCases), (.time, CallbackService.allCases),
            (.deviceTypeName, CallbackService.allCases),
            (.deviceTypeId, [.dataUplink, .dataBidir, .dataAdvanced]),
            (.data, [.dataUplink, .dataBidir, .dataAdvanced]),
            (.seqNumber, [.dataUplink, .dataBidir, .dataAdvanced, .status]), (.ack, [.dataUplink, .dataBidir]),
            (.longPolling, [.dataBidir]), (.station, [.dataUplink, .dataBidir]), (.rssi, [.dataUplink, .dataBidir]),
            (.snr, [.dataUplink, .dataBidir]), (.reception, [.dataUplink, .dataBidir]),
            (.duplicate, [.dataUplink, .dataBidir, .status, .acknowledge]),
            (.avgSnr, [.dataUplink, .dataBidir, .status, .acknowledge]),
            (.lat, [.dataUplink, .dataBidir, .status, .acknowledge]),
            (.lng, [.dataUplink, .dataBidir, .status, .acknowledge]),
            (.signal, [.dataUplink, .dataBidir, .status, .acknowledge]), (.radius, [.geoloc]),
            (.geolocSource, [.geoloc]),
            (.lqi, [.dataAdvanced]), (.linkQuality, [.dataAdvanced]), (.operatorName, [.dataAdvanced]),
            (.countryCode, [.dataAdvanced]), (.fixedLat, [.dataAdvanced]), (.fixedLng, [.dataAdvanced]),
            (.duplicates, [.dataAdvanced]), (.computedLocation, [.dataAdvanced]), (.temp, [.status]),
            (.batt, [.status, .repeater]), (.infoCode, [.acknowledge]), (.infoMessage, [.acknowledge]),
            (.downlinkAck, [.acknowledge]), (.downlinkOverusage, [.acknowledge]), (.info, [.error]),
            (.severity, [.error]),
            (.whitelistDevices, [.repeater]), (.repeatedMsg, [.repeater]), (.unwantedDevices, [.repeater]),
            (.unwantedMsg, [.repeater]), (.wrongMsg, [.repeater]), (.overRegulMsg, [.repeater]),
            // SIGFOX.md section 8: every event variable in every event callback.
            (.severity, [.event]), (.deviceTypeId, [.event]),
        ] + eventVariables.map { ($0, [CallbackService.event]) }

    static let eventVariables: [StandardVariable] = [
        .sourceId, .sourceType, .eventType, .groupId, .deviceMessageSeqnumber, .deviceMessageTime,
        .deviceExpectedSeqnumber, .deviceLastSeqnumber, .deviceInfo, .contractId, .contractIds, .subscriptionState,
        .networkOperatorId, .businessOperatorId, .deviceShortCause, .deviceCause, .expectedSubscriptionDurationEndTime,
        .expectedTokenEndTime,
    ]

    @Test("every variable is offered by every service the table lists")
    func offered() {
        for (variable, services) in Self.table {
            for service in services {
                #expect(VariableCatalogue.kind(of: variable, for: service) != nil, "\(variable) for \(service)")
            }
        }
        #expect(Set(Self.table.map(\.0)) == Set(StandardVariable.allCases))
    }

    @Test(
        "variables of other services are refused",
        arguments: [
            (StandardVariable.lqi, CallbackService.dataUplink), (.temp, .dataUplink), (.infoCode, .status),
            (.data, .error), (.duplicates, .dataBidir), (.info, .dataAdvanced), (.longPolling, .dataUplink),
        ]
    )
    func refused(_ variable: StandardVariable, _ service: CallbackService) {
        #expect(VariableCatalogue.kind(of: variable, for: service) == nil)
    }

    @Test("formats follow the sections: batt is 2 decimals in STATUS and in REPEATER (Sigfox's REPEATER page)")
    func kinds() {
        #expect(VariableCatalogue.kind(of: .batt, for: .status) == .decimal2)
        #expect(VariableCatalogue.kind(of: .batt, for: .repeater) == .decimal2)
        #expect(VariableCatalogue.kind(of: .rssi, for: .dataUplink) == .decimal2)
        #expect(VariableCatalogue.kind(of: .lat, for: .dataUplink) == .integer)
        #expect(VariableCatalogue.kind(of: .lqi, for: .dataAdvanced) == .lqiWord)
        #expect(VariableCatalogue.offersCustomData(.dataAdvanced) && !VariableCatalogue.offersCustomData(.status))
    }
}

@Suite("Standard variables")
struct StandardVariableTests {
    @Test("ordinals are the positions in allCases")
    func ordinals() {
        #expect(StandardVariable.allCases.map(\.ordinal) == Array(StandardVariable.allCases.indices))
    }
}

@Suite("Callback services")
struct CallbackServiceTests {
    @Test("ordinals are the positions in allCases")
    func ordinals() {
        #expect(CallbackService.allCases.map(\.ordinal) == Array(CallbackService.allCases.indices))
    }
}
