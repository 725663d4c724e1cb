import Foundation
import NIOSSL

/// The ports `serve` listens on, once every listener is up.
public struct ListeningPorts: Sendable, Equatable {
    public var http: Int
    /// `--https`'s port, or nil without it.
    public var https: Int?

    /// The listeners reported so far: complete once HTTP (and HTTPS, when asked for) are up.
    struct Pending: Sendable {
        let expectsHTTPS: Bool
        var http: Int?
        var https: Int?

        /// Notes a port; the ports once every listener is up, exactly once.
        mutating func set(http: Int? = nil, https: Int? = nil) -> ListeningPorts? {
            let wasComplete = complete != nil
            if let http { self.http = http }
            if let https { self.https = https }
            return wasComplete ? nil : complete
        }

        private var complete: ListeningPorts? {
            guard let http, !expectsHTTPS || https != nil else { return nil }
            return ListeningPorts(http: http, https: https)
        }
    }
}

extension CloudServer {
    /// `--https`'s TLS configuration: `--tls-cert` and `--tls-key` when given, else a certificate of the
    /// local CA (in `--data`'s `tls/` folder, else the user's data folder), made when missing.
    static func tlsSetup(options: ServeOptions) throws -> (TLSConfiguration?, LocalCertificateAuthority?) {
        guard let https = options.https else { return (nil, nil) }
        var authority: LocalCertificateAuthority?
        let certificatePath: String
        let keyPath: String
        switch (https.certificatePath, https.keyPath) {
        case (let certificate?, let key?):
            (certificatePath, keyPath) = (certificate, key)
        case (nil, nil):
            var folder = options.dataDirectory.map { $0 + "/tls" } ?? LocalCertificateAuthority.defaultFolder()
            // Absolute, so the paths printed for SSL_CERT_FILE and the rest hold from any folder.
            if !folder.hasPrefix("/") { folder = FileManager.default.currentDirectoryPath + "/" + folder }
            do {
                let made = try LocalCertificateAuthority(folder: folder, extraHosts: options.allowedHosts)
                authority = made
                (certificatePath, keyPath) = (made.certificatePath, made.keyPath)
            } catch {
                throw ServeError("--https: \(error)")
            }
        default:
            throw ServeError("--tls-cert and --tls-key go together: give both, or neither for the local CA's")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain,
                privateKey: .privateKey(key)
            )
            return (configuration, authority)
        } catch {
            throw ServeError("--https: cannot load the certificate \(certificatePath) or its key \(keyPath): \(error)")
        }
    }
}
