import SigfoxModel
import Testing

/// Loads a callback from JSON text.
func callback(_ json: String) throws -> CallbackDefinition {
    try CallbackDefinition(from: JSONParser.parse(json))
}

/// The configuration error a callback's JSON text gives, or nil when it loads.
func callbackError(_ json: String) -> ConfigError? {
    do {
        _ = try CallbackDefinition(from: JSONParser.parse(json))
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Callback definitions (SIGFOX.md sections 2, 4 and 7)")
struct CallbackDefinitionTests {
    @Test("the API v2 object and the readable form give the same value")
    func bothForms() throws {
        let api = try callback(
            #"""
            {"channel": "URL", "callbackType": 0, "callbackSubtype": 3, "payloadConfig": "t::int:16",
             "enabled": false, "url": "https://example.com/{device}", "httpMethod": "PUT",
             "headers": {"Authorization": "Basic abc", "X-Seq": "{seqNumber}"}, "sendSni": true,
             "bodyTemplate": "{\"t\":{customData#t},\"ack\":{ack}}", "contentType": "application/json",
             "downlinkHook": true, "id": "cb1", "dead": false}
            """#
        )
        let readable = try callback(
            #"""
            {"id": "cb1", "service": "DATA/BIDIR", "enabled": false, "url": "https://example.com/{device}",
             "method": "PUT", "headers": {"Authorization": "Basic abc", "X-Seq": "{seqNumber}"}, "sendSni": true,
             "body": "{\"t\":{customData#t},\"ack\":{ack}}", "contentType": "application/json",
             "payloadConfig": "t::int:16", "downlinkHook": true}
            """#
        )
        #expect(api == readable)
        #expect(api.service == .dataBidir)
        #expect(api.httpMethod == .put)
        #expect(api.headers.map(\.name) == ["Authorization", "X-Seq"])
        #expect(api.payloadConfig?.fieldNames == ["t"])
    }

    @Test(
        "API v2 numbers map to services",
        arguments: [
            (0, 2, CallbackService.dataUplink), (0, 3, .dataBidir), (1, 0, .status), (1, 1, .geoloc),
            (1, 4, .acknowledge), (1, 5, .repeater), (1, 6, .dataAdvanced), (2, 0, .error),
        ]
    )
    func serviceNumbers(_ type: Int, _ subtype: Int, _ service: CallbackService) throws {
        let definition = try callback(
            #"{"callbackType": \#(type), "callbackSubtype": \#(subtype), "channel": "URL", "url": "http://h/", "httpMethod": "GET"}"#
        )
        #expect(definition.service == service)
        #expect(service.callbackType == type)
        #expect(CallbackService(name: service.rawValue) == service)
    }

    @Test(
        "readable service names",
        arguments: [
            ("DATA/UPLINK", CallbackService.dataUplink), ("uplink", .dataUplink), ("BIDIR", .dataBidir),
            ("SERVICE/DATA_ADVANCED", .dataAdvanced), ("data-advanced", .dataAdvanced), ("STATUS", .status),
            ("SERVICE/ACKNOWLEDGE", .acknowledge), ("ERROR", .error), ("REPEATER", .repeater), ("GEOLOC", .geoloc),
        ]
    )
    func serviceNames(_ name: String, _ service: CallbackService) {
        #expect(CallbackService(name: name) == service)
    }

    @Test(
        "validation errors name the field and say why",
        arguments: [
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "method": "DELETE"}"#, "method",
                "'DELETE' is not allowed"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "method": "GET", "body": "x"}"#, "body",
                "GET request has no body"
            ),
            (#"{"service": "DATA/UPLINK", "url": "http://h/", "body": "x"}"#, "body", "needs httpMethod POST or PUT"),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "headers": {"User-Agent": "x"}}"#,
                "headers.User-Agent", "only Authorization"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "headers": {"a": "1", "A": "2"}}"#, "headers.A",
                "repeated"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "headers": {"X-{device}": "1"}}"#,
                "headers.X-{device}", "not allowed in header names"
            ),
            (#"{"service": "DATA/UPLINK", "method": "GET"}"#, "url", "needs a url"),
            (#"{"service": "DATA/UPLINK", "url": "ftp://h/"}"#, "url", "must start with http:// or https://"),
            (#"{"service": "DATA/UPLINK", "url": "http:///x"}"#, "url", "has no host"),
            (#"{"service": "EMAIL-ish", "url": "http://h/"}"#, "service", "is not a callback service"),
            (
                #"{"service": "DATA/UPLINK", "channel": "EMAIL", "subject": "s", "message": "m"}"#, "recipient",
                "needs a recipient"
            ),
            (#"{"service": "DATA/UPLINK", "recipient": "a@b", "message": "m"}"#, "subject", "needs a subject"),
            (
                #"{"service": "DATA/UPLINK", "recipient": "nobody", "subject": "s", "message": "m"}"#, "recipient",
                "not an e-mail address"
            ),
            (
                #"{"service": "DATA/UPLINK", "recipient": "a@b", "subject": "s", "message": "m", "url": "http://h/"}"#,
                "url", "does not apply to EMAIL"
            ),
            (
                #"{"service": "DATA/UPLINK", "channel": "BATCH_URL", "url": "http://h/"}"#, "linePattern",
                "needs a linePattern"
            ),
            (
                #"{"service": "DATA/UPLINK", "linePattern": "{device}", "url": "http://h/{device}"}"#, "url",
                "may only use {batch}"
            ),
            (
                #"{"service": "DATA/UPLINK", "linePattern": "{device}", "url": "http://h/", "body": "x"}"#, "body",
                "BATCH_URL callbacks have no"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/{lqi}"}"#, "url",
                "{lqi} at line 1, column 10 is not available for DATA/UPLINK"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/{foo}"}"#, "url",
                "unknown variable {foo} at line 1, column 10"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/{batch}"}"#, "url",
                "{batch} at line 1, column 10 is only available"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/{customData#t}"}"#, "url",
                "needs a payloadConfig defining 't'"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/{customData#u}", "payloadConfig": "t::uint:8"}"#, "url",
                "defines no field 'u'"
            ),
            (
                #"{"service": "STATUS", "url": "http://h/{customData#t}", "payloadConfig": "t::uint:8"}"#, "url",
                "not available for SERVICE/STATUS"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "payloadConfig": "t::foo:8"}"#, "payloadConfig",
                "unknown type 'foo'"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "method": "POST", "contentType": "application/xml"}"#,
                "contentType", "is not supported"
            ),
            (
                #"{"service": "STATUS", "url": "http://h/", "sendDuplicate": true}"#, "sendDuplicate",
                "legacy mode of DATA callbacks"
            ),
            (
                #"{"service": "DATA/UPLINK", "url": "http://h/", "downlinkHook": true}"#, "downlinkHook",
                "only a DATA/BIDIR"
            ),
            (#"{"service": "DATA/UPLINK", "url": "http://h/", "urll": "x"}"#, "urll", "did you mean 'url'"),
            (#"{"service": "DATA/UPLINK", "url": "http://h/", "enabled": "yes"}"#, "enabled", "expected true or false"),
            (
                #"{"callbackType": 1, "callbackSubtype": 9, "url": "http://h/"}"#, "callbackSubtype",
                "no callback service"
            ),
            (
                #"{"callbackType": 0, "callbackSubtype": 2, "channel": "FAX", "url": "http://h/"}"#, "channel",
                "is not a channel"
            ),
            (#"{"service": "DATA/UPLINK", "callbackType": 0, "url": "http://h/"}"#, "service", "not both"),
            (#"{"url": "http://h/"}"#, "", "needs 'service'"),
            (#"{"service": "DATA/UPLINK", "url": "http://h/", "url": "http://i/"}"#, "url", "written twice"),
        ]
    )
    func validation(_ json: String, _ field: String, _ fragment: String) throws {
        let error = try #require(callbackError(json))
        #expect(error.path == field)
        #expect(error.message.contains(fragment), "message was: \(error.message)")
        #expect(error.location != nil)
    }

    @Test("legacy and service variables of real configurations load")
    func legacyVariables() throws {
        let cases: [(String, String)] = [
            (
                "DATA/UPLINK",
                "{device}{time}{duplicate}{snr}{station}{avgSnr}{lat}{lng}{rssi}{seqNumber}{signal}{ack}{reception}{deviceTypeId}{deviceTypeName}{data}"
            ),
            ("DATA/BIDIR", "{longPolling}{ack}"),
            ("SERVICE/STATUS", "{device}{time}{temp}{batt}{seqNumber}{duplicate}{avgSnr}{lat}{lng}{signal}"),
            ("SERVICE/ACKNOWLEDGE", "{infoCode}{infoMessage}{downlinkAck}{downlinkOverusage}{duplicate}{avgSnr}"),
            ("SERVICE/GEOLOC", "{device}{time}{radius}{geolocSource}{lat}{lng}"),
            (
                "SERVICE/DATA_ADVANCED",
                "{lqi}{linkQuality}{operatorName}{countryCode}{fixedLat}{fixedLng}{duplicates}{computedLocation}{data}{seqNumber}"
            ),
            ("ERROR", "{device}{time}{info}{severity}{deviceTypeName}"),
            (
                "SERVICE/REPEATER",
                "{whitelistDevices}{repeatedMsg}{unwantedDevices}{unwantedMsg}{wrongMsg}{overRegulMsg}{batt}"
            ),
        ]
        for (service, body) in cases {
            let definition = try callback(
                #"{"service": "\#(service)", "url": "http://h/", "method": "POST", "contentType": "text/plain", "body": "\#(body)"}"#
            )
            #expect(definition.bodyTemplate?.references.allSatisfy { $0.variable != nil } == true)
        }
    }

    @Test("unknown API v2 fields load with a warning; the readable form refuses them")
    func unknownFields() throws {
        let definition = try callback(
            #"{"callbackType": 0, "callbackSubtype": 2, "channel": "URL", "url": "http://h/", "httpMethod": "GET", "cbCreatedAt": 1}"#
        )
        #expect(definition.warnings.map(\.path) == ["cbCreatedAt"])
        #expect(callbackError(#"{"service": "UPLINK", "url": "http://h/", "cbCreatedAt": 1}"#) != nil)
    }

    @Test("defaults: GET for URL, POST for BATCH_URL, form encoding for POST bodies, enabled")
    func defaults() throws {
        let get = try callback(#"{"service": "UPLINK", "url": "http://h/"}"#)
        #expect(get.httpMethod == .get && get.enabled && get.contentType == nil && !get.sendSni)
        let batch = try callback(#"{"service": "UPLINK", "url": "http://h/", "linePattern": "{device}"}"#)
        #expect(batch.channel == .batchURL && batch.httpMethod == .post)
        let post = try callback(#"{"service": "UPLINK", "url": "http://h/", "method": "POST", "body": "a={data}"}"#)
        #expect(post.contentType == .formURLEncoded)
        let mail = try callback(#"{"service": "UPLINK", "recipient": "a@b.c, d@e.f", "subject": "s", "message": "m"}"#)
        #expect(mail.channel == .email)
    }
}
