import Foundation
import SigfoxCloud
import SigfoxModel
import SigfoxTesting
import Testing

/// Runs a command of the machine's (curl, openssl) with the kit's runner: its status and output (standard
/// output, then standard error).
private func command(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let run = try TestProcess.run(arguments, executable: URL(fileURLWithPath: executable), timeout: 60)
    return (run.status, run.stdout + run.stderr)
}

private func folder() throws -> String {
    let path = NSTemporaryDirectory() + "sigfox-https-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("serve --https: the local CA and its certificate")
struct LocalCertificateAuthorityTests {
    @Test("the CA is made once and kept; the server certificate names api.sigfox.com, localhost and the loopbacks")
    func madeOnce() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try LocalCertificateAuthority(folder: path + "/tls")
        let ca = try String(contentsOfFile: first.caPath, encoding: .utf8)
        let server = try String(contentsOfFile: first.certificatePath, encoding: .utf8)
        let again = try LocalCertificateAuthority(folder: path + "/tls")
        #expect(try String(contentsOfFile: again.caPath, encoding: .utf8) == ca)
        #expect(try String(contentsOfFile: again.certificatePath, encoding: .utf8) == server)
        let text = try command("/usr/bin/openssl", ["x509", "-in", first.certificatePath, "-noout", "-text"]).output
        #expect(text.contains("DNS:api.sigfox.com, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
        #expect(text.contains("TLS Web Server Authentication"))
        // The chain verifies against the CA alone, and against the bundle (the system's CAs and it).
        for trust in [first.caPath, first.bundlePath] {
            let verified = try command("/usr/bin/openssl", ["verify", "-CAfile", trust, first.certificatePath])
            #expect(verified.status == 0, "\(verified.output)")
        }
        // The keys are for their owner only.
        for key in [first.caKeyPath, first.keyPath] {
            let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("a new --allow-host name gets a new server certificate from the same CA")
    func newHost() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try LocalCertificateAuthority(folder: path)
        let ca = try String(contentsOfFile: first.caPath, encoding: .utf8)
        let second = try LocalCertificateAuthority(folder: path, extraHosts: ["sigfox.test"])
        #expect(try String(contentsOfFile: second.caPath, encoding: .utf8) == ca)
        let text = try command("/usr/bin/openssl", ["x509", "-in", second.certificatePath, "-noout", "-text"]).output
        #expect(text.contains("DNS:sigfox.test"))
    }

    @Test("a CA key that is not the certificate's is refused with both files named")
    func mismatchedKey() throws {
        let path = try folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let one = try LocalCertificateAuthority(folder: path + "/one")
        _ = try LocalCertificateAuthority(folder: path + "/two")
        try FileManager.default.removeItem(atPath: one.caKeyPath)
        try FileManager.default.copyItem(atPath: path + "/two/ca-key.pem", toPath: one.caKeyPath)
        #expect {
            _ = try LocalCertificateAuthority(folder: path + "/one")
        } throws: { error in
            "\(error)".contains("\(one.caPath) and \(one.caKeyPath) do not belong together")
        }
    }

    @Test("without --data the CA lives in $XDG_DATA_HOME/sigfox-sim/tls, else ~/.local/share/sigfox-sim/tls")
    func defaultFolder() {
        #expect(LocalCertificateAuthority.defaultFolder(environment: ["XDG_DATA_HOME": "/x"]) == "/x/sigfox-sim/tls")
        #expect(
            LocalCertificateAuthority.defaultFolder(environment: ["HOME": "/home/u"])
                == "/home/u/.local/share/sigfox-sim/tls"
        )
    }
}

@Suite("serve --https: the same routes over TLS", .serialized, .timeLimit(.minutes(2)))
struct HTTPSServeTests {
    @Test("curl reaches /health and /v2 over TLS as api.sigfox.com with the printed CA, and not without it")
    func overTLS() throws {
        let data = try folder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ready = data + "/ready.json"
        let serve = try ServeProcess(["--https", "0", "--data", data, "--ready-file", ready, "--quiet"])
        defer { serve.stop() }
        // Written once /health answers, just after the banner.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready), Date() < deadline { usleep(10_000) }
        let readiness = try JSONDecoder().decode(
            ServeReadiness.self,
            from: Data(contentsOf: URL(fileURLWithPath: ready))
        )
        let port = try #require(readiness.httpsPort)
        let caFile = try #require(readiness.caFile)
        #expect(readiness.caBundle == data + "/tls/ca-bundle.pem")
        #expect(readiness.httpsApiUrl == "https://api.sigfox.com:\(port)/v2")
        let health = try command(
            "/usr/bin/curl",
            ["-sS", "--cacert", caFile, "https://localhost:\(port)/health"]
        )
        #expect(health.status == 0 && health.output.contains("\"status\":\"ok\""), "\(health.output)")
        let devices = try command(
            "/usr/bin/curl",
            [
                "-sS", "--cacert", caFile, "--resolve", "api.sigfox.com:\(port):127.0.0.1", "-u",
                "sigfox-sim:sigfox-sim",
                "https://api.sigfox.com:\(port)/v2/devices",
            ]
        )
        #expect(devices.status == 0 && devices.output.contains("\"id\":\"2C30EA\""), "\(devices.output)")
        // Without the CA, the certificate is not trusted.
        let untrusted = try command("/usr/bin/curl", ["-sS", "https://localhost:\(port)/health"])
        #expect(untrusted.status == 60, "\(untrusted.output)")
        // The banner's variables, as exec gives them to its command.
        let exec = try command(
            ServeProcess.binary.path,
            [
                "exec", "--https", "0", "--data", data + "/exec", "--quiet", "--", "/bin/sh", "-c",
                "echo $SSL_CERT_FILE $REQUESTS_CA_BUNDLE $NODE_EXTRA_CA_CERTS $SIGFOX_SIM_API_HTTPS_URL",
            ]
        )
        #expect(exec.status == 0)
        #expect(
            exec.output.contains(
                "\(data)/exec/tls/ca-bundle.pem \(data)/exec/tls/ca-bundle.pem \(data)/exec/tls/ca.pem https://api.sigfox.com:"
            ),
            "\(exec.output)"
        )
    }

    @Test("--tls-cert without --tls-key, or without --https, is a usage error")
    func usage() throws {
        let alone = try command(ServeProcess.binary.path, ["serve", "--https", "0", "--tls-cert", "/nope.pem"])
        #expect(alone.status == 2)
        #expect(alone.output.contains("--tls-cert and --tls-key go together"), "\(alone.output)")
        let withoutHTTPS = try command(
            ServeProcess.binary.path,
            ["serve", "--tls-cert", "/nope.pem", "--tls-key", "/nope.key"]
        )
        #expect(withoutHTTPS.status == 2)
        #expect(withoutHTTPS.output.contains("--tls-cert and --tls-key go with --https PORT"), "\(withoutHTTPS.output)")
        let missing = try command(
            ServeProcess.binary.path,
            ["serve", "--port", "0", "--https", "0", "--tls-cert", "/nope.pem", "--tls-key", "/nope.key"]
        )
        #expect(missing.status == 2)
        #expect(
            missing.output.contains("cannot load the certificate /nope.pem or its key /nope.key"),
            "\(missing.output)"
        )
    }
}
