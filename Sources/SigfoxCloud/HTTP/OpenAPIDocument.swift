/// The OpenAPI (Swagger 2.0) document of everything `serve` offers, served at `GET /openapi.json`: the data
/// file `Resources/openapi.json`, which `scripts/openapi-document` writes from the Sigfox API v2 reference and
/// SwiftPM embeds in the binary.
enum OpenAPIDocument {
    static let json = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
