import ArgumentParser
import CurateCore
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

            \(ExitStatus.helpText)
            """,
        subcommands: [RunCommand.self, FetchCommand.self, ValidateCommand.self, ListCommand.self, StatusCommand.self, DiffCommand.self, ReadCommand.self, DescribeCommand.self, ErrorsCommand.self])

    /// ArgumentParser exits 64 on a usage error; curate documents 2 for usage errors, so map it here.
    static func main() {
        // A file-size limit (ulimit -f) or a full disk must surface as a write error (exit 3), not
        // as SIGXFSZ killing the run halfway.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CurateError {
            // Every command's failures take one path: `curate: [code] place: message`, documented code.
            exit(withError: fail(error))
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
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
