import SigfoxModel
import Testing

/// Configurations copied from real deployments that must load and render (issue 18).
@Suite("Real configurations: legacy variables, API v1 names, batches")
struct RealConfigurationTests {
    @Test("a SERVICE/GEOLOC callback carrying every legacy variable loads (GEOLOC never fires)")
    func geolocLegacyVariables() throws {
        let definition = try callback(
            #"""
            {"channel": "URL", "callbackType": 1, "callbackSubtype": 1, "httpMethod": "GET", "enabled": true,
             "url": "https://example.com/geo?d={device}&dup={duplicate}&snr={snr}&st={station}&avg={avgSnr}&rssi={rssi}&seq={seqNumber}&lat={lat}&lng={lng}&r={radius}"}
            """#
        )
        #expect(definition.service == .geoloc)
    }

    @Test("{avgSignal}, the old name of {avgSnr}, renders its value")
    func avgSignal() throws {
        let definition = try callback(
            #"{"service": "DATA/UPLINK", "url": "https://example.com/u?s={avgSignal}&t={avgSnr}"}"#
        )
        var bindings = VariableBindings()
        bindings[.avgSnr] = .decimal2(12.5)
        guard case .http(let request) = try definition.render(bindings) else {
            Issue.record("not HTTP")
            return
        }
        #expect(request.url == "https://example.com/u?s=12.50&t=12.50")
    }

    @Test("an API v1 export names the url urlPattern; both names at once is an error")
    func urlPattern() throws {
        let definition = try callback(
            #"""
            {"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "httpMethod": "GET",
             "urlPattern": "https://example.com/v1?d={device}", "enabled": true}
            """#
        )
        guard case .http(let request) = try definition.render(VariableBindings()) else {
            Issue.record("not HTTP")
            return
        }
        #expect(request.url.hasPrefix("https://example.com/v1?d="))
        let both = callbackError(
            #"{"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "url": "https://a/x", "urlPattern": "https://a/y"}"#
        )
        #expect(both?.path == "urlPattern" && both?.message.contains("two different URLs") == true)
        let bad = callbackError(
            #"{"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "urlPattern": "ftp://a"}"#
        )
        #expect(bad?.message.contains("must start with http:// or https://") == true, "\(String(describing: bad))")
    }

    @Test(
        "an empty urlPattern beside url (as the backend exports them) is ignored with a warning, and the reverse",
        arguments: [
            (#""url": "https://a/x", "urlPattern": """#, "urlPattern"),
            (#""urlPattern": "https://a/x", "url": """#, "url"),
        ]
    )
    func emptyLegacyURL(fields: String, ignored: String) throws {
        let definition = try callback(#"{"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "# + fields + "}")
        #expect(definition.url?.source == "https://a/x")
        let warning = try #require(definition.warnings.first { $0.path == ignored })
        #expect(warning.message.contains("ignored") && warning.location?.line == 1, "\(warning)")
        // The same URL under both names is one URL.
        let same = try callback(
            #"{"channel": "URL", "callbackType": 0, "callbackSubtype": 2, "url": "https://a/x", "urlPattern": "https://a/x"}"#
        )
        #expect(same.url?.source == "https://a/x" && same.warnings.isEmpty)
    }

    @Test("BATCH_URL: GET without {batch} would send no data (an error); {batch} with POST sends the lines once")
    func batchLines() throws {
        let get = callbackError(
            #"{"service": "DATA/UPLINK", "channel": "BATCH_URL", "method": "GET", "url": "https://a/b", "linePattern": "{device}"}"#
        )
        #expect(
            get?.path == "url" && get?.message.contains("put {batch} in its url") == true,
            "\(String(describing: get))"
        )
        let post = try callback(
            #"{"service": "DATA/UPLINK", "channel": "BATCH_URL", "method": "POST", "url": "https://a/b?lines={batch}", "linePattern": "{device}"}"#
        )
        var one = VariableBindings()
        one[.device] = .text("2C30EA")
        var two = VariableBindings()
        two[.device] = .text("2C30EB")
        guard case .http(let request) = try post.renderBatch([one, two]) else {
            Issue.record("not HTTP")
            return
        }
        #expect(request.url == "https://a/b?lines=2C30EA%0A2C30EB")
        #expect(request.body == "" && request.headers.isEmpty)
        // Without {batch} the lines are the body, as before.
        let body = try callback(
            #"{"service": "DATA/UPLINK", "channel": "BATCH_URL", "url": "https://a/b", "linePattern": "{device}"}"#
        )
        guard case .http(let plain) = try body.renderBatch([one, two]) else { return }
        #expect(plain.body == "2C30EA\n2C30EB")
    }

    @Test("a header whose value renders empty is shown as it goes on the wire, `Name:`")
    func emptyHeader() throws {
        let definition = try callback(
            #"{"service": "DATA/UPLINK", "url": "https://a/b", "headers": {"X-Empty": "", "X-Seq": "{seqNumber}"}}"#
        )
        var bindings = VariableBindings()
        bindings[.seqNumber] = .integer(7)
        let text = try definition.render(bindings).text
        #expect(text.contains("\nX-Empty:\n") && text.contains("\nX-Seq: 7"), "\(text)")
    }

    @Test("ACKNOWLEDGE's infoMessage: Acked as recorded by default, the code names as an option")
    func infoMessage() {
        #expect(AcknowledgeCode.acked.infoMessage(.recorded) == "Acked")
        #expect(AcknowledgeCode.acked.infoMessage(.names) == "ACKED")
        #expect(AcknowledgeCode.noAnswer.infoMessage(.recorded) == "NO_ANSWER")
    }
}
