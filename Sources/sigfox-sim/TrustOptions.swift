import ArgumentParser

/// `--ca-file`, the same for every command that plays a scenario (`run`, `load`, `serve`): the CA file
/// given here comes first, then the scenario's `tls.caFile`, then `$CURL_CA_BUNDLE`, then `$SSL_CERT_FILE`.
struct TrustOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Also trust the certificate authorities of this PEM file (a test CA); before the scenario's "
                + "tls.caFile, $CURL_CA_BUNDLE and $SSL_CERT_FILE.",
            valueName: "file"
        )
    )
    var caFile: String?
}
