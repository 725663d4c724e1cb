import SigfoxModel

/// Turns triggers into deliveries: for each enabled callback of the trigger's device type and service,
/// the rendered request (URL, EMAIL) or a place in a BATCH_URL window (SIGFOX.md sections 2 and 4).
public struct CallbackEngine: Sendable {
    /// The callbacks of each device type, in their configured order.
    public let callbacks: [DeviceTypeID: [CallbackDefinition]]
    /// What dispatching needs of each device type, prepared once: one lookup per trigger.
    private let prepared: [DeviceTypeID: PreparedType]

    public init(callbacks: [DeviceTypeID: [CallbackDefinition]]) {
        self.callbacks = callbacks
        var prepared = [DeviceTypeID: PreparedType]()
        for (type, list) in callbacks { prepared[type] = PreparedType(type, list) }
        self.prepared = prepared
    }

    /// Whether `deviceType` has an enabled DATA/BIDIR callback to take downlinks from (section 5).
    public func hasDownlinkCallback(_ deviceType: DeviceTypeID) -> Bool {
        downlinkCallbackIndex(deviceType) != nil
    }

    /// The device type's downlink callback: the enabled BIDIR callback marked `downlinkHook`, or else
    /// the first enabled BIDIR callback (**emulator rule**).
    public func downlinkCallbackIndex(_ deviceType: DeviceTypeID) -> Int? {
        prepared[deviceType]?.downlinkIndex
    }

    /// The services whose callbacks a message fires: a data message DATA/UPLINK, DATA/BIDIR and
    /// DATA_ADVANCED, and ACKNOWLEDGE when it asked for a downlink (`ack`); a status message STATUS
    /// (SIGFOX.md sections 2, 4 and 5).
    public static func servicesFired(ack: Bool, status: Bool) -> [CallbackService] {
        status ? [.status] : [.dataUplink, .dataBidir, .dataAdvanced] + (ack ? [.acknowledge] : [])
    }

    /// The callbacks a message of `deviceType` fires, in configured order: the enabled ones of
    /// ``servicesFired(ack:status:)``. `serve`'s answer to an uplink lists them.
    public func callbacksFired(byMessageOf deviceType: DeviceTypeID, ack: Bool, status: Bool) -> [CallbackReference] {
        guard let type = prepared[deviceType] else { return [] }
        return Self.servicesFired(ack: ack, status: status).flatMap { type.enabled[$0.ordinal] }.sorted().map {
            type.references[$0]
        }
    }

    /// Hands the trigger's deliveries to `scheduler`; returns how many callbacks it fired.
    ///
    /// A legacy duplicate trigger fires only callbacks with `sendDuplicate` (section 2). GEOLOC never
    /// fires. Only the device type's downlink callback carries the wait for a downlink.
    @discardableResult
    public func dispatch(_ trigger: CallbackTrigger, into scheduler: inout DeliveryScheduler) -> Int {
        guard !trigger.service.neverFires, let type = prepared[trigger.deviceType] else { return 0 }
        let indexes = type.enabled[trigger.service.ordinal]
        guard !indexes.isEmpty else { return 0 }
        let downlinkIndex = trigger.expectsDownlink ? type.downlinkIndex : nil
        var fired = 0
        for index in indexes {
            let definition = type.definitions[index]
            if trigger.isLegacyDuplicate && !definition.sendDuplicate { continue }
            if definition.eventType != trigger.eventType { continue }
            let kept = type.kept[index]
            let message = CarriedMessage(
                device: trigger.device,
                deviceType: trigger.deviceType,
                time: trigger.firstReception,
                bindings: trigger.bindings.keeping(kept.standard, payload: kept.customData),
                awaitingDownlink: index == downlinkIndex ? trigger.message : nil,
                isOverLimit: trigger.isOverLimit
            )
            fired += 1
            if definition.channel == .batchURL {
                scheduler.addToBatch(message, callback: type.references[index], definition: definition)
                continue
            }
            let rendered: Result<RenderedCallback, RenderError>
            do {
                rendered = .success(try definition.render(trigger.bindings))
            } catch {
                rendered = .failure(error)
            }
            scheduler.submit(
                Delivery(
                    id: scheduler.makeDeliveryID(),
                    callback: type.references[index],
                    rendered: rendered,
                    messages: [message],
                    sendSni: definition.sendSni,
                    due: trigger.due
                ),
                definition: definition
            )
        }
        return fired
    }
}

/// One device type's callbacks with what each delivery of them needs, worked out once.
private final class PreparedType: Sendable {
    let definitions: [CallbackDefinition]
    let references: [CallbackReference]
    /// What a delivery of each callback keeps of its message's variables: those its templates use (for the
    /// batch line rendered later and the `parameters` of a not-delivered entry) and `{data}`.
    let kept: [(standard: [StandardVariable], customData: Bool)]
    /// The enabled callbacks of each service (by ``CallbackService/ordinal``), in configured order.
    let enabled: [[Int]]
    let downlinkIndex: Int?

    init(_ type: DeviceTypeID, _ list: [CallbackDefinition]) {
        definitions = list
        references = list.indices.map { index in
            CallbackReference(
                deviceType: type,
                index: index,
                id: list[index].id,
                service: list[index].service,
                channel: list[index].channel
            )
        }
        kept = list.map { definition in
            let used = definition.usedVariables
            let standard = used.standard.contains(.data) ? used.standard : used.standard + [.data]
            // In catalogue order: ``VariableBindings/keeping(_:payload:)`` then walks both lists once.
            return (standard.sorted { $0.ordinal < $1.ordinal }, used.customData)
        }
        enabled = CallbackService.allCases.map { service in
            list.indices.filter { list[$0].enabled && list[$0].service == service }
        }
        let bidir = enabled[CallbackService.dataBidir.ordinal]
        downlinkIndex = bidir.first(where: { list[$0].downlinkHook }) ?? bidir.first
    }
}
