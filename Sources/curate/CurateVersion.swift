/// What `curate --version` prints: the release number, and the build (a hash of the executable, the
/// same identity incremental runs use), so a cron log can say exactly which binary ran.
enum CurateVersion {
    static let number = "0.1.0"

    static var text: String { "curate \(number) (build \(CodeVersion.current))" }
}
