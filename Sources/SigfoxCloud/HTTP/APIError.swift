import Foundation
import HTTPTypes
import Hummingbird
import SigfoxModel

/// An error the APIs answer with: the HTTP status, what went wrong, and the field it concerns. Handlers
/// throw it; Hummingbird's router turns it into the answer (``response(from:context:)``), in the body the
/// API that raised it promises (``Dialect``).
public struct APIError: Error, Sendable, Equatable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var message: String
    /// The field, as a path (`payload`, `callbacks[0].url`), when one is to blame.
    public var field: String?
    /// Where in the request body, when known.
    public var location: SourceLocation?
    /// Which API's error body it is answered with.
    public var dialect = Dialect.control

    /// The error bodies of the two APIs of `serve`.
    public enum Dialect: Sendable, Equatable {
        /// The control API's `{"message", "field", "line", "column"}`.
        case control
        /// The API v2 reference's `ErrorContent` for 400, `{"message"}` otherwise (SIGFOX.md section 7).
        case apiV2
    }

    public init(status: Int, message: String, field: String? = nil, location: SourceLocation? = nil) {
        self.status = HTTPResponse.Status(code: status)
        self.message = message
        self.field = field
        self.location = location
    }

    public static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: 400, message: message, field: field)
    }

    /// A configuration error of the scenario loader, as a 400 naming the field and position.
    public init(_ error: ConfigError) {
        self.init(
            status: 400,
            message: error.message,
            field: error.path.isEmpty ? nil : error.path,
            location: error.location
        )
    }

    /// The error as the API v2 answers it.
    func inAPIv2() -> APIError {
        var error = self
        error.dialect = .apiV2
        return error
    }

    /// The body, in the error's dialect.
    public var json: String {
        switch dialect {
        case .control: return controlJSON
        case .apiV2: return apiV2JSON
        }
    }

    /// The control API's body.
    private var controlJSON: String {
        ControlErrorBody(message: message, field: field, line: location?.line, column: location?.column).apiJSON
    }

    /// The API v2's body: `ErrorContent` for 400, where the field's prefix (`body:`, `query:`, `path:`) is the
    /// error's type; `{"message"}` otherwise.
    private var apiV2JSON: String {
        guard status == .badRequest else { return V2ErrorBody(message: message).apiJSON }
        var type = "body"
        var field = self.field ?? ""
        if let colon = field.firstIndex(of: ":"), ["body", "query", "path"].contains(String(field[..<colon])) {
            type = String(field[..<colon])
            field = String(field[field.index(after: colon)...])
        }
        var message = self.message
        if let location { message += " (line \(location.line), column \(location.column))" }
        return V2ErrorBody(
            message: "bad request",
            errors: [V2ErrorBody.Item(type: type, field: field, message: message)]
        ).apiJSON
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// The answer: the status and the body in the error's dialect.
    public func response() -> Response { JSONAnswer(status: status, text: json).response() }
}

/// An answer of the APIs whose body is JSON: every one has the content type `application/json` (the
/// OpenAPI document names no other).
struct JSONAnswer: ResponseGenerator, Sendable {
    var status: HTTPResponse.Status
    var text: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status = .ok, text: String, headers: HTTPFields = [:]) {
        self.status = status
        self.text = text
        self.headers = headers
    }

    /// A value encoded as the APIs encode bodies: keys in the order the type encodes them, slashes as
    /// they are.
    init(status: HTTPResponse.Status = .ok, _ value: some Encodable, headers: HTTPFields = [:]) {
        self.init(status: status, text: value.apiJSON, headers: headers)
    }

    /// 204, with the JSON content type every answer of these APIs has.
    static let noContent = JSONAnswer(status: .noContent, text: "")

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    func response() -> Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: headers)
        return Response(
            status: status,
            headers: fields,
            body: text.isEmpty ? .init() : .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// The control API's error body: `message`, the `field` to blame, and the `line` and `column` in the request
/// body when known (absent otherwise).
struct ControlErrorBody: Encodable {
    var message: String
    var field: String?
    var line: Int?
    var column: Int?
}

/// The API v2 reference's `ErrorContent` (SIGFOX.md section 7): `message`, and for a 400 one `errors` item
/// naming where (`body`, `query`, `path`), the field and what is wrong.
struct V2ErrorBody: Encodable {
    struct Item: Encodable {
        var type: String
        var field: String
        var message: String
    }

    var message: String
    var errors: [Item]?
}

extension Encodable {
    /// The value as the APIs' bodies (``OrderedJSONEncoder``): keys in the order the type encodes them.
    var apiJSON: String { (try? OrderedJSONEncoder().encode(self)) ?? "{}" }
}
