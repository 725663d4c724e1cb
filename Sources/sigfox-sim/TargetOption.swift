import ArgumentParser

/// `--target URL`, the same for `run` and `serve` (and so `exec`): your own server stands for `{receiver}`
/// in every callback, and the embedded receiver is not started.
struct TargetOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Send the callbacks to your own server: this URL replaces {receiver} (the embedded receiver is "
                + "not started).",
            valueName: "url"
        )
    )
    var target: String?

    func validate() throws {
        if let target, !(target.hasPrefix("http://") || target.hasPrefix("https://")) {
            throw ValidationError("--target must be an http:// or https:// URL, not '\(target)'")
        }
    }
}
