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

    /// The control API's body: `{"message": ..., "field": ..., "line": .., "column": ..}`.
    private var controlJSON: String {
        var fields = ["\"message\":" + JSONText.quoted(message)]
        if let field { fields.append("\"field\":" + JSONText.quoted(field)) }
        if let location { fields.append("\"line\":\(location.line),\"column\":\(location.column)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The API v2's body: `ErrorContent` (`message`, `errors[{type, field, message}]`) for 400, where the
    /// field's prefix (`body:`, `query:`, `path:`) is the error's type; `{"message"}` otherwise.
    private var apiV2JSON: String {
        guard status == .badRequest else { return "{\"message\":" + JSONText.quoted(message) + "}" }
        var type = "body"
        var field = self.field ?? ""
        if let colon = field.firstIndex(of: ":"), ["body", "query", "path"].contains(String(field[..<colon])) {
            type = String(field[..<colon])
            field = String(field[field.index(after: colon)...])
        }
        var message = self.message
        if let location { message += " (line \(location.line), column \(location.column))" }
        return "{\"message\":\"bad request\",\"errors\":[{\"type\":" + JSONText.quoted(type) + ",\"field\":"
            + JSONText.quoted(field) + ",\"message\":" + JSONText.quoted(message) + "}]}"
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

extension Encodable {
    /// The value as the APIs' bodies (``OrderedJSONEncoder``): keys in the order the type encodes them.
    var apiJSON: String { (try? OrderedJSONEncoder().encode(self)) ?? "{}" }
}
