import SigfoxModel

/// Turns triggers into deliveries: for each enabled callback of the trigger's device type and service,
/// the rendered request (URL, EMAIL) or a place in a BATCH_URL window (SIGFOX.md sections 2 and 4).
public struct CallbackEngine: Sendable {
    /// The callbacks of each device type, in their configured order.
    public let callbacks: [DeviceTypeID: [CallbackDefinition]]
    /// What a delivery of each callback keeps of its message's variables: those its templates use (for the
    /// batch line rendered later and the `parameters` of a not-delivered entry) and `{data}`.
    private let kept: [DeviceTypeID: [(standard: [StandardVariable], customData: Bool)]]

    public init(callbacks: [DeviceTypeID: [CallbackDefinition]]) {
        self.callbacks = callbacks
        kept = callbacks.mapValues { list in
            list.map { definition in
                let used = definition.usedVariables
                let standard = used.standard.contains(.data) ? used.standard : used.standard + [.data]
                return (standard, used.customData)
            }
        }
    }

    /// Whether `deviceType` has an enabled DATA/BIDIR callback to take downlinks from (section 5).
    public func hasDownlinkCallback(_ deviceType: DeviceTypeID) -> Bool {
        downlinkCallbackIndex(deviceType) != nil
    }

    /// The device type's downlink callback: the enabled BIDIR callback marked `downlinkHook`, or else
    /// the first enabled BIDIR callback (**emulator rule**).
    public func downlinkCallbackIndex(_ deviceType: DeviceTypeID) -> Int? {
        let list = callbacks[deviceType] ?? []
        let bidir = list.indices.filter { list[$0].enabled && list[$0].service == .dataBidir }
        return bidir.first(where: { list[$0].downlinkHook }) ?? bidir.first
    }

    /// Hands the trigger's deliveries to `scheduler`; returns how many callbacks it fired.
    ///
    /// A legacy duplicate trigger fires only callbacks with `sendDuplicate` (section 2). GEOLOC never
    /// fires. Only the device type's downlink callback carries the wait for a downlink.
    @discardableResult
    public func dispatch(_ trigger: CallbackTrigger, into scheduler: inout DeliveryScheduler) -> Int {
        guard let list = callbacks[trigger.deviceType], !trigger.service.neverFires else { return 0 }
        let downlinkIndex = trigger.expectsDownlink ? downlinkCallbackIndex(trigger.deviceType) : nil
        let keptList = kept[trigger.deviceType] ?? []
        var fired = 0
        for (index, definition) in list.enumerated() {
            guard definition.enabled, definition.service == trigger.service else { continue }
            if trigger.isLegacyDuplicate && !definition.sendDuplicate { continue }
            let reference = CallbackReference(
                deviceType: trigger.deviceType,
                index: index,
                id: definition.id,
                service: definition.service,
                channel: definition.channel
            )
            let message = CarriedMessage(
                device: trigger.device,
                deviceType: trigger.deviceType,
                time: trigger.firstReception,
                bindings: trigger.bindings.keeping(keptList[index].standard, payload: keptList[index].customData),
                awaitingDownlink: index == downlinkIndex ? trigger.message : nil
            )
            fired += 1
            if definition.channel == .batchURL {
                scheduler.addToBatch(message, callback: reference, definition: definition)
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
                    callback: reference,
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
