import Foundation
import SigfoxModel

/// What a program needs to talk to a running `serve`, once it answers: `serve --ready-file PATH` writes it
/// as a JSON object, `serve --json` prints it as the banner's one line, and `exec` puts it in the
/// command's environment (`SIGFOX_SIM_URL`, `SIGFOX_SIM_API_URL`, `SIGFOX_SIM_API_LOGIN`,
/// `SIGFOX_SIM_API_PASSWORD`, `SIGFOX_SIM_RECEIVER_URL`).
public struct ServeReadiness: Codable, Sendable, Equatable {
    /// The base URL of the control API, `/health` and the dashboard: `http://127.0.0.1:8790`.
    public var url: String
    public var port: Int
    /// The Sigfox API v2's base URL (`<url>/v2`) and its HTTP Basic credentials.
    public var apiUrl: String
    public var apiLogin: String
    public var apiPassword: String
    /// What `{receiver}` is in the callbacks: `--target`, or the embedded receiver (nil without either).
    public var receiverUrl: String?
    /// The data folder (`--data`), or nil for an ephemeral store removed at exit.
    public var data: String?
    /// `real` or `scaled:N`.
    public var time: String
    public var pid: Int32
    public var version: String
    /// `--https`: the Sigfox API v2 over TLS as client code calls it (`https://api.sigfox.com[:PORT]/v2`),
    /// the TLS port, the local CA that signed the certificate and the bundle (the system's CAs and it).
    public var httpsApiUrl: String?
    public var httpsPort: Int?
    public var caFile: String?
    public var caBundle: String?

    /// The object for a server listening on `ports`.
    public init(server: CloudServer, ports: ListeningPorts) {
        let port = ports.http
        let options = server.options
        let host = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
        url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.port = port
        apiUrl = url + "/v2"
        apiLogin = options.credentials.login
        apiPassword = options.credentials.password
        receiverUrl = server.receiverURL.isEmpty ? nil : server.receiverURL
        data = options.dataDirectory
        time = options.timeText
        pid = getpid()
        version = ToolVersion.current
        if let https = ports.https {
            httpsPort = https
            httpsApiUrl = "https://api.sigfox.com" + (https == 443 ? "" : ":\(https)") + "/v2"
            caFile = server.certificateAuthority?.caPath
            caBundle = server.certificateAuthority?.bundlePath
        }
    }

    /// One line of JSON, keys in a fixed order.
    public var jsonLine: String { sortedJSONLine }

    /// The variables `exec` gives its command.
    public var environment: [String: String] {
        var variables = [
            "SIGFOX_SIM_URL": url, "SIGFOX_SIM_API_URL": apiUrl, "SIGFOX_SIM_API_LOGIN": apiLogin,
            "SIGFOX_SIM_API_PASSWORD": apiPassword,
        ]
        if let receiverUrl { variables["SIGFOX_SIM_RECEIVER_URL"] = receiverUrl }
        if let httpsApiUrl { variables["SIGFOX_SIM_API_HTTPS_URL"] = httpsApiUrl }
        // The runtimes' own variables: OpenSSL (Python's ssl, Ruby, Go, curl's OpenSSL build) and requests
        // read the bundle (the system's CAs and the local one, so other HTTPS calls still verify); Node adds
        // the CA to its own.
        if let caBundle, let caFile {
            variables["SSL_CERT_FILE"] = caBundle
            variables["REQUESTS_CA_BUNDLE"] = caBundle
            variables["NODE_EXTRA_CA_CERTS"] = caFile
        }
        return variables
    }

    /// Writes the object to `path` whole or not at all (a temporary file renamed into place), so a reader
    /// that sees the file can parse it.
    public func write(to path: String) throws {
        let temporary = path + ".\(getpid()).tmp"
        do {
            try Data((jsonLine + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            // It holds the API password: for its owner only.
            chmod(temporary, 0o600)
            guard rename(temporary, path) == 0 else {
                throw ServeError(String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw ServeError("cannot write the ready file \(path): \(error)")
        }
    }
}
