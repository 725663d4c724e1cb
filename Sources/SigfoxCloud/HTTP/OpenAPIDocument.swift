/// The OpenAPI (Swagger 2.0) document of everything `serve` offers, served at `GET /openapi.json`: the data
/// file `Resources/openapi.json`, SwiftPM embeds it in the binary. Its `/v2` part is the Sigfox API v2
/// reference's (`scripts/openapi-document` writes it in); what sigfox-sim adds (the control API, `/health`,
/// `/metrics`, the disengage operations) is described there once, and `OpenAPIRoutesTests` checks that the
/// routes registered are exactly the operations described.
enum OpenAPIDocument {
    static let json = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
