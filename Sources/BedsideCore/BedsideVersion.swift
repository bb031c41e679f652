/// The release this build is: `bedside --version` prints it and `/metrics` reports it as
/// `bedside_build_info{version="…"}`, so a dashboard shows which release each instance runs.
public enum BedsideVersion {
    /// The release, as semantic versioning: raised with every release that changes behaviour.
    public static let current = "0.9.0"
}
