/// sigfox-sim's version: what `--version`, `serve`'s `/health` and ready file, the release archive, the
/// `.deb` and the man page all say (`scripts/package` reads it from the built binary's `--version`).
public enum ToolVersion {
    public static let current = "0.1.0"
}
