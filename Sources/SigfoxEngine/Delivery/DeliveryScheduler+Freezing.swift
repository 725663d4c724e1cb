import SigfoxModel

/// Deliveries waiting for a retry kept small (``FrozenDelivery``) and rendered again when due.
extension DeliveryScheduler {
    /// Keeps a delivery that waits for a retry as bytes, when its callback's definition is known.
    mutating func freeze(_ id: UInt64) {
        guard freezesWaitingDeliveries, let delivery = deliveries[id],
            let callback = callbackTable.index(of: delivery.callback)
        else { return }
        frozen[id] = FrozenDelivery(
            callback: callback,
            tries: delivery.tries,
            sendSni: delivery.sendSni,
            firstDue: delivery.firstDue,
            messages: delivery.messages,
            deviceTypes: &deviceTypeTable
        )
        deliveries[id] = nil
    }

    /// A frozen delivery back as a value, its request rendered again from the same variables; nil when
    /// `id` is not frozen.
    mutating func thaw(_ id: UInt64) -> Delivery? {
        guard let stored = frozen.removeValue(forKey: id) else { return nil }
        let (index, tries, sendSni, firstDue, messages) = stored.decode(deviceTypes: deviceTypeTable)
        let definition = callbackTable.definitions[index]
        let rendered: Result<RenderedCallback, RenderError>
        do {
            if definition.channel == .batchURL {
                rendered = .success(try definition.renderBatch(messages.map(\.bindings)))
            } else {
                rendered = .success(try definition.render(messages[0].bindings))
            }
        } catch {
            rendered = .failure(error)
        }
        var delivery = Delivery(
            id: id,
            callback: callbackTable.references[index],
            rendered: rendered,
            messages: messages,
            sendSni: sendSni,
            due: firstDue
        )
        delivery.tries = tries
        deliveries[id] = delivery
        return delivery
    }

}
