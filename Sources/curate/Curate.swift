import ArgumentParser
import CurateCore
import CurateSystem
#if canImport(Glibc)
import Glibc
#endif

@main
struct Curate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest, normalise, check and publish official innovation statistics.",
        discussion: """
            Reads the raw files in Raw/ as the pipeline specs in Pipelines/ declare, converts units, periods and numbers, checks schemas and consistency rules, and writes curated packages (CSV + Frictionless datapackage.json + reports) to Curated/.

            EXAMPLES:
              curate run                       run every pipeline
              curate validate                  check every pipeline, publish nothing
              curate list                      show each pipeline and its status
              curate status                    one screen on every dataset
              curate diff mext-joint-research   what changed since the previous release
              curate read Raw/mext/joint-research/joint-research-private-companies.csv
              curate --version

            \(ExitStatus.helpText)
            """,
        subcommands: [RunCommand.self, FetchCommand.self, ValidateCommand.self, ListCommand.self, StatusCommand.self, StoreCommand.self, DiffCommand.self, ReadCommand.self, DescribeCommand.self, ErrorsCommand.self])

    @Flag(help: "Print curate's version and build, then exit.")
    var version = false

    /// `curate --version`; `curate` alone prints the help.
    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(CurateVersion.text)
    }

    /// ArgumentParser exits 64 on a usage error; curate documents 2 for usage errors, so map it here.
    /// Under `--log-format json` every error is one JSON object on stderr, like the run's events.
    static func main() {
        // A file-size limit (ulimit -f) or a full disk must surface as a write error (exit 3), not
        // as SIGXFSZ killing the run halfway.
        signal(SIGXFSZ, SIG_IGN)
        // Two allocator arenas, set before any thread starts: with one per thread, a 1 GB run's
        // peak memory grew with the worker threads the run went through (113 MB against 97 MB,
        // measured; no time lost). Rows are not allocated per row, so the shared arena is not contended.
        _ = curate_limit_malloc_arenas(2)
        let json = LogFormat.requested() == .json
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CurateError {
            // Every command's failures take one path: `curate: [code] place: message`, documented code.
            exit(withError: fail(error, json: json))
        } catch {
            if exitCode(for: error) == .validationFailure {
                if json {
                    JSONLine.write(CurateError(.usageError, fullMessage(for: error).trimmingCharacters(in: .whitespacesAndNewlines)),
                                   exitCode: ExitStatus.usage.rawValue)
                } else {
                    printError(fullMessage(for: error))
                }
                exit(withError: ExitStatus.usage.exitCode)
            }
            exit(withError: error)
        }
    }
}

/// Options every command that works on the project shares.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Project root (holding Pipelines/, Raw/, Curated/).", valueName: "dir"))
    var root: String = "."
}
