import SigfoxModel

/// What a bulk operation on devices did, item by item: how many it was given, how many it changed, and why
/// each of the others was not (the reference's `jobError`s).
struct DeviceBulkOutcome: Sendable, Equatable {
    var total = 0
    var success = 0
    var errors = [JobError]()

    /// One more item done.
    mutating func succeeded() {
        total += 1
        success += 1
    }

    /// One more item not done: `entity` (the device id as given) and the field and reason of `error`.
    mutating func failed(_ entity: String, _ error: ConfigError) {
        total += 1
        let field = error.path.isEmpty ? "" : error.path + ": "
        errors.append(JobError(entity: entity, message: field + error.message))
    }
}

/// The device operations of the API v2 whose status is an `actionJob`, each read back by its own route.
enum DeviceAction: String, Sendable {
    case restart, suspend, resume, unsubscribe
    /// `POST /device-types/{id}/bulk/restart`, read back by `GET /device-types/bulk/restart/{jobId}`.
    case deviceTypeRestart
}

/// The reference's `jobError`: the hex id of the entity and why; `type` 0 (ENTITY), the only kind the
/// emulator has.
struct JobError: Encodable, Sendable, Equatable {
    var entity: String
    var message: String
    var type = 0
}

/// `POST /devices/bulk`, `PUT /devices/bulk` and `POST /devices/bulk/transfer`'s answer: the devices given
/// and the job's id.
struct StartedDeviceJob: Encodable, Sendable {
    var total: Int
    var jobId: String
}

/// The reference's `registrationJobStatus` (`GET /devices/bulk/{jobId}`): a bulk creation, edition or
/// transfer.
struct RegistrationJobStatus: Encodable, Sendable {
    struct Status: Encodable, Sendable {
        var errors: [JobError]
        var success: Int
    }

    var jobDone = true
    var total: Int
    var status: Status

    init(_ outcome: DeviceBulkOutcome) {
        total = outcome.total
        status = Status(errors: outcome.errors, success: outcome.success)
    }
}

/// The reference's `replaceResponse` (`POST /devices/bulk/replace`, answered at once).
struct ReplaceResponse: Encodable, Sendable {
    var total: Int
    var status: RegistrationJobStatus.Status

    init(_ outcome: DeviceBulkOutcome) {
        total = outcome.total
        status = RegistrationJobStatus.Status(errors: outcome.errors, success: outcome.success)
    }
}

/// The reference's `actionJob` (restart, suspend, resume, unsubscribe): the counts inside `status`.
struct ActionJobStatus: Encodable, Sendable {
    struct Status: Encodable, Sendable {
        var total: Int
        var nbSuccess: Int
        var nbErrors: Int
        var errors: [JobError]
    }

    var jobDone = true
    var status: Status

    init(_ outcome: DeviceBulkOutcome) {
        status = Status(
            total: outcome.total,
            nbSuccess: outcome.success,
            nbErrors: outcome.errors.count,
            errors: outcome.errors
        )
    }
}
