import SigfoxModel
import Testing

/// Bindings for a typical uplink.
func uplinkBindings() -> VariableBindings {
    var bindings = VariableBindings()
    bindings[.device] = .text("2C30EA")
    bindings[.time] = .integer(1_763_805_600)
    bindings[.data] = .text("ff3842")
    bindings[.seqNumber] = .integer(1204)
    bindings[.deviceTypeName] = .text("Dev Kit & co")
    bindings[.rssi] = .decimal2(-123)
    bindings.payload = [0xFF, 0x38, 0x42]
    return bindings
}

@Suite("Rendering callbacks (SIGFOX.md sections 3 and 4)")
struct CallbackRenderingTests {
    @Test("e-mail: a line break that a variable puts into the subject fails the try instead of adding headers")
    func subjectInjection() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "recipient": "ops@example.com", "subject": "Alert {deviceTypeName}", "message": "m"}"#
        )
        var bindings = uplinkBindings()
        bindings[.deviceTypeName] = .text("x\r\nBcc: thief@example.com")
        #expect {
            try definition.render(bindings)
        } throws: { error in
            (error as? RenderError)?.reason == .lineBreakInSubject
        }
        bindings[.deviceTypeName] = .text("fine")
        #expect(
            try definition.render(bindings)
                == .email(EmailMessage(recipient: "ops@example.com", subject: "Alert fine", body: "m"))
        )
    }

    @Test("a NUL that a payload puts into a header fails the try: the wire would cut the value the record keeps")
    func nulInHeader() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://127.0.0.1:9/x", "httpMethod": "POST", "contentType": "text/plain", "#
                + #""bodyTemplate": "b", "headers": {"X-Type": "{deviceTypeName}"}}"#
        )
        var bindings = uplinkBindings()
        bindings[.deviceTypeName] = .text("A\u{0}B")
        #expect {
            try definition.render(bindings)
        } throws: { error in
            (error as? RenderError)?.reason == .lineBreakInHeader("X-Type")
                && "\(error)".contains("a line break or a NUL")
        }
        bindings[.deviceTypeName] = .text("AB")
        #expect(throws: Never.self) { try definition.render(bindings) }
    }

    @Test("e-mail: a recipient with a line break or a control character is refused when the callback loads")
    func recipientInjection() {
        // Written as JSON escapes, so the loaded recipient holds the real control characters.
        for recipient in [#"ops@example.com\r\nRSET"#, #"ops@example.com\nRCPT TO:x@y"#, #"a@b.c\u007f"#, "<a@b.c>"] {
            let json = #"{"service": "UPLINK", "recipient": "\#(recipient)", "subject": "s", "message": "m"}"#
            #expect(throws: ConfigError.self, "\(recipient)") { try callback(json) }
        }
    }

    @Test("GET: values in the URL are percent-encoded, unknown values are null")
    func get() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://u:p@h:8080/s/{device}?n={deviceTypeName}&r={rssi}&s={snr}&ack={ack}", "headers": {"Authorization": "Bearer {device}"}}"#
        )
        let request = try #require(httpRequest(try definition.render(uplinkBindings())))
        #expect(request.method == .get)
        #expect(request.url == "http://u:p@h:8080/s/2C30EA?n=Dev%20Kit%20%26%20co&r=-123.00&s=null&ack=null")
        #expect(request.headers == [HTTPHeader(name: "Authorization", value: "Bearer 2C30EA")])
        #expect(request.body == nil)
    }

    @Test("POST form body: values are form-encoded")
    func form() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "method": "POST", "body": "name={deviceTypeName}&t={customData#t}", "payloadConfig": "t::int:16"}"#
        )
        let request = try #require(httpRequest(try definition.render(uplinkBindings())))
        #expect(request.body == "name=Dev+Kit+%26+co&t=-200")
        #expect(request.header("content-type") == "application/x-www-form-urlencoded")
    }

    @Test("PUT JSON body: values inserted as they are; quoting is the user's")
    func json() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "method": "PUT", "contentType": "application/json", "body": "{\"t\":{time},\"ts\":\"{time}\",\"h\":{customData#h},\"n\":\"{deviceTypeName}\"}", "payloadConfig": "t::int:16 h::uint:8 x::uint:8"}"#
        )
        let request = try #require(httpRequest(try definition.render(uplinkBindings())))
        #expect(request.method == .put)
        #expect(request.body == #"{"t":1763805600,"ts":"1763805600","h":66,"n":"Dev Kit & co"}"#)
        #expect(request.header("Content-Type") == "application/json")
    }

    @Test("a field past the end of the payload renders null")
    func pastEnd() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "method": "POST", "contentType": "text/plain", "body": "{customData#x}|{customData#t}", "payloadConfig": "t::int:16 h::uint:8 x::uint:8"}"#
        )
        let request = try #require(httpRequest(try definition.render(uplinkBindings())))
        #expect(request.body == "null|-200")
    }

    @Test("a JSON body that is not JSON after rendering is not sent")
    func invalidJSON() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "method": "POST", "contentType": "application/json", "body": "{\"d\":{device}}"}"#
        )
        #expect(throws: RenderError.self) { try definition.render(uplinkBindings()) }
        do {
            _ = try definition.render(uplinkBindings())
        } catch {
            #expect(error.description == "JSON body could not be evaluated")
            #expect(error.rendered == #"{"d":2C30EA}"#)
        }
    }

    @Test("a header value that a variable breaks over lines is refused")
    func headerInjection() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "url": "http://h/", "headers": {"X-Name": "{deviceTypeName}"}}"#
        )
        var bindings = uplinkBindings()
        bindings[.deviceTypeName] = .text("a\r\nEvil: 1")
        #expect(throws: RenderError.self) { try definition.render(bindings) }
    }

    @Test("BATCH_URL: lines joined with \\n; {batch} percent-encoded in the URL; text/plain body")
    func batch() throws {
        let post = try callback(#"{"service": "UPLINK", "url": "http://h/b", "linePattern": "{device};{data}"}"#)
        var second = uplinkBindings()
        second[.device] = .text("B92A4")
        second[.data] = .text("")
        let request = try #require(httpRequest(try post.renderBatch([uplinkBindings(), second])))
        #expect(request.method == .post)
        #expect(request.body == "2C30EA;ff3842\nB92A4;")
        #expect(request.header("Content-Type") == "text/plain")

        let get = try callback(
            #"{"service": "UPLINK", "url": "http://h/b?lines={batch}", "method": "GET", "linePattern": "{device};{data}"}"#
        )
        let getRequest = try #require(httpRequest(try get.renderBatch([uplinkBindings(), second])))
        #expect(getRequest.url == "http://h/b?lines=2C30EA%3Bff3842%0AB92A4%3B")
        #expect(getRequest.body == nil)
        #expect(throws: RenderError.self) { try get.renderBatch([]) }
    }

    @Test("EMAIL: subject and message as they are")
    func email() throws {
        let definition = try callback(
            #"{"service": "UPLINK", "recipient": "ops@example.com", "subject": "Device {device} said {data}", "message": "seq {seqNumber}\nname {deviceTypeName}"}"#
        )
        let rendered = try definition.render(uplinkBindings())
        #expect(
            rendered
                == .email(
                    EmailMessage(
                        recipient: "ops@example.com",
                        subject: "Device 2C30EA said ff3842",
                        body: "seq 1204\nname Dev Kit & co"
                    )
                )
        )
        #expect(
            rendered.text == "To: ops@example.com\nSubject: Device 2C30EA said ff3842\n\nseq 1204\nname Dev Kit & co"
        )
    }

    @Test("message values are typed and written the Sigfox way")
    func messageValues() throws {
        let node = try JSONParser.parse(
            #"{"device": "002c30ea", "time": 1700000000, "data": "FF38", "seqNumber": 7, "station": "a9", "rssi": -120.456, "snr": 12, "ack": true, "reception": [{"id": "A9DC", "RSSI": -113.0}], "lqi": "GOOD", "temp": 21.5}"#
        )
        let data = try VariableBindings(from: node, service: .dataUplink)
        #expect(data[.device] == .text("2C30EA"))
        #expect(data[.data] == .text("ff38"))
        #expect(data[.station] == .text("00A9"))
        #expect(data[.rssi]?.renderedText == "-120.46")
        #expect(data[.snr]?.renderedText == "12.00")
        #expect(data[.reception]?.renderedText == #"[{"id":"A9DC","RSSI":-113.0}]"#)
        #expect(data[.lqi] == nil)
        #expect(data.payload == [0xFF, 0x38])
        let advanced = try VariableBindings(from: node, service: .dataAdvanced)
        #expect(advanced[.lqi] == .text("Good"))
        let status = try VariableBindings(from: node, service: .status)
        #expect(status[.temp]?.renderedText == "21.50")
        #expect(throws: ConfigError.self) {
            try VariableBindings(from: JSONParser.parse(#"{"device": "XYZ"}"#), service: .dataUplink)
        }
        #expect(throws: ConfigError.self) {
            try VariableBindings(from: JSONParser.parse(#"{"seqNumber": "7x"}"#), service: .dataUplink)
        }
    }
}

func httpRequest(_ rendered: RenderedCallback) -> HTTPRequest? {
    if case .http(let request) = rendered { return request }
    return nil
}
