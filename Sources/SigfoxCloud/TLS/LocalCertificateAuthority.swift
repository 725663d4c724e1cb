import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate authority `serve --https` signs its server certificate with, so that code calling
/// `https://api.sigfox.com/v2` reaches the emulator once it trusts one file, as it would trust mkcert's.
///
/// The CA is made once and kept (`ca.pem`, `ca-key.pem`, mode 0600 for the key) in the folder given: the
/// data folder with `--data`, else `$XDG_DATA_HOME/sigfox-sim/tls` (`~/.local/share/sigfox-sim/tls`), so a
/// user trusts it once and not at every start. The server certificate (`server.pem`, `server-key.pem`) is
/// made anew when missing, when it does not name every host asked for, or when it ends within 30 days;
/// it names `api.sigfox.com`, `localhost`, `127.0.0.1` and `::1` (and any `--allow-host`). `ca-bundle.pem`
/// is the system's trusted CAs followed by this one: the file `SSL_CERT_FILE` and `REQUESTS_CA_BUNDLE`
/// point at, so the command's other HTTPS calls keep working.
public struct LocalCertificateAuthority: Sendable {
    public let folder: String
    public var caPath: String { folder + "/ca.pem" }
    public var caKeyPath: String { folder + "/ca-key.pem" }
    public var certificatePath: String { folder + "/server.pem" }
    public var keyPath: String { folder + "/server-key.pem" }
    public var bundlePath: String { folder + "/ca-bundle.pem" }

    /// The host names the server certificate always names.
    public static let hostNames = ["api.sigfox.com", "localhost"]

    /// Where the CA lives without `--data`: `$XDG_DATA_HOME/sigfox-sim/tls`, else
    /// `~/.local/share/sigfox-sim/tls`.
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/sigfox-sim/tls"
    }

    /// Opens the CA in `folder`, making it (and the folder) when missing, and makes the server certificate
    /// when it is missing, ends within 30 days, or does not name all of `extraHosts`.
    public init(folder: String, extraHosts: [String] = [], now: Date = Date()) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            let (ca, caKey) = try Self.authority(certificatePath: caPath, keyPath: caKeyPath, now: now)
            let hosts = Self.hostNames + extraHosts.filter { !Self.hostNames.contains($0) }
            if try !Self.serverCertificateHolds(at: certificatePath, keyPath: keyPath, hosts: hosts, now: now) {
                try Self.issueServerCertificate(
                    hosts: hosts,
                    ca: ca,
                    caKey: caKey,
                    now: now,
                    certificatePath: certificatePath,
                    keyPath: keyPath
                )
            }
            try Self.writeBundle(ca: caPath, to: bundlePath)
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError("cannot set up the local CA in \(folder): \(error)")
        }
    }

    /// The CA kept in the folder, or a new one (ECDSA P-256, ten years).
    private static func authority(
        certificatePath: String,
        keyPath: String,
        now: Date
    ) throws -> (Certificate, Certificate.PrivateKey) {
        let manager = FileManager.default
        if manager.fileExists(atPath: certificatePath), manager.fileExists(atPath: keyPath) {
            let certificate = try Certificate(pemEncoded: try String(contentsOfFile: certificatePath, encoding: .utf8))
            let key = try Certificate.PrivateKey(pemEncoded: try String(contentsOfFile: keyPath, encoding: .utf8))
            guard certificate.publicKey == key.publicKey else {
                throw TLSSetupError(
                    "\(certificatePath) and \(keyPath) do not belong together; remove both to make a new CA"
                )
            }
            return (certificate, key)
        }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("sigfox-sim")
            CommonName("sigfox-sim local CA \(Self.shortIdentifier())")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name,
            subject: name,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key
        )
        try write(try key.serializeAsPEM().pemString, to: keyPath, mode: 0o600)
        try write(try certificate.serializeAsPEM().pemString, to: certificatePath, mode: 0o644)
        return (certificate, key)
    }

    /// Whether the server certificate in the folder names every host and lasts 30 more days.
    private static func serverCertificateHolds(
        at certificatePath: String,
        keyPath: String,
        hosts: [String],
        now: Date
    ) throws -> Bool {
        // The file holds the server's certificate, then the CA's: the first is the one to check.
        guard let text = try? String(contentsOfFile: certificatePath, encoding: .utf8),
            FileManager.default.fileExists(atPath: keyPath),
            let end = text.range(of: "-----END CERTIFICATE-----"),
            let certificate = try? Certificate(pemEncoded: String(text[..<end.upperBound]))
        else { return false }
        guard certificate.notValidAfter > now.addingTimeInterval(30 * 86_400) else { return false }
        let names: SubjectAlternativeNames? = (try? certificate.extensions.subjectAlternativeNames) ?? nil
        var dnsNames = Set<String>()
        for name in names.map(Array.init) ?? [] {
            if case .dnsName(let value) = name { dnsNames.insert(value) }
        }
        return hosts.allSatisfy { host in dnsNames.contains(host) || IPAddressBytes(host) != nil }
    }

    /// A server certificate for `hosts`, `127.0.0.1` and `::1`, signed by the CA (397 days, the most
    /// browsers accept).
    private static func issueServerCertificate(
        hosts: [String],
        ca: Certificate,
        caKey: Certificate.PrivateKey,
        now: Date,
        certificatePath: String,
        keyPath: String
    ) throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        var alternativeNames: [GeneralName] = hosts.filter { IPAddressBytes($0) == nil }.map { .dnsName($0) }
        let addresses = ["127.0.0.1", "::1"] + hosts.filter { IPAddressBytes($0) != nil }
        for address in Set(addresses).sorted() {
            if let bytes = IPAddressBytes(address) {
                alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(397 * 86_400),
            issuer: ca.subject,
            subject: try DistinguishedName {
                OrganizationName("sigfox-sim")
                CommonName("api.sigfox.com")
            },
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
                SubjectKeyIdentifier(hash: key.publicKey)
                if let identifier = try? ca.extensions.subjectKeyIdentifier?.keyIdentifier {
                    AuthorityKeyIdentifier(keyIdentifier: identifier)
                }
            },
            issuerPrivateKey: caKey
        )
        try write(try key.serializeAsPEM().pemString, to: keyPath, mode: 0o600)
        try write(
            try certificate.serializeAsPEM().pemString + "\n" + ca.serializeAsPEM().pemString,
            to: certificatePath,
            mode: 0o644
        )
    }

    /// The system's CA bundle (Debian's, else none) followed by the local CA.
    private static func writeBundle(ca: String, to path: String) throws {
        let system =
            ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"].lazy
            .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.first ?? ""
        let local = try String(contentsOfFile: ca, encoding: .utf8)
        try write(system + (system.hasSuffix("\n") || system.isEmpty ? "" : "\n") + local, to: path, mode: 0o644)
    }

    private static func write(_ text: String, to path: String, mode: Int) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary,
                contents: Data(text.utf8),
                attributes: [
                    .posixPermissions: mode
                ]
            )
        else {
            throw TLSSetupError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TLSSetupError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Eight hex digits telling one machine's CA from another's in a trust store.
    private static func shortIdentifier() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}

/// The bytes of an IPv4 or IPv6 address written as text, or nil for a host name.
func IPAddressBytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    return nil
}

/// Why `--https` could not start: a CA that cannot be made or read, a certificate or key that does not load.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
