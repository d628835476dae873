import ArgumentParser
import Logging
import CurateCore
import Pipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run pipelines: read, normalise, check, and publish what passes.",
        discussion: """
            A dataset that fails validation at error severity is not published: its previous release stays in Curated/ and its report (Curated/<dataset>/report.md) says what is wrong and where.

            EXAMPLES:
              curate run                              every pipeline
              curate run mext-joint-research          one pipeline
              curate run --dry-run                    check only, write nothing
              curate run --fail-on warning            warnings block publishing too
              curate run --wait                       queue behind a run already going
              curate run --force                      redo datasets whose inputs are unchanged
              curate run --fetch                      fetch the sources first (yearly refresh, cron)
              curate run --log-format json 2>> run.log   events for cron

            \(ExitStatus.helpText)
            """)

    @Argument(help: "Datasets to run (pipeline names); all when none given.")
    var datasets: [String] = []

    @OptionGroup var project: ProjectOptions

    @Flag(name: .long, help: "Read and check, but write nothing to Curated/.")
    var dryRun = false

    @OptionGroup var checks: CheckOptions

    @Flag(help: "If another run holds the lock on Curated/, wait for it instead of exiting with 75.")
    var wait = false

    @Flag(help: "Redo every dataset, even those whose inputs are unchanged since their last run.")
    var force = false

    @Flag(help: "First fetch the sources that declare source.fetch (as `curate fetch`), then run: what changed is published; one exit code for cron.")
    var fetch = false

    func run() throws {
        // Named datasets without source.fetch are simply run: cron can name any mix.
        let fetched = fetch ? try fetchSources(datasets: datasets, root: project.root, logFormat: checks.logFormat, onlyThoseWithFetch: true) : .ok
        try runPipelines(datasets: datasets, root: project.root, dryRun: dryRun, checks: checks, wait: wait, force: force, status: fetched)
    }
}

/// `curate validate`: the checks of `run`, writing nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipelines without publishing: read, normalise and run every check; write nothing.",
        discussion: """
            Prints each dataset's verdict and its errors with file, row, column and raw text. The exit code says whether publishing would succeed.

            EXAMPLES:
              curate validate
              curate validate mext-joint-research --fail-on warning

            \(ExitStatus.helpText)
            """)

    @Argument(help: "Datasets to check (pipeline names); all when none given.")
    var datasets: [String] = []

    @OptionGroup var project: ProjectOptions
    @OptionGroup var checks: CheckOptions

    func run() throws {
        try runPipelines(datasets: datasets, root: project.root, dryRun: true, checks: checks)
    }
}

enum FailLevel: String, CaseIterable, ExpressibleByArgument { case error, warning }

struct CheckOptions: ParsableArguments {
    @Option(help: "Fail a dataset (exit 1, not published) on findings of this severity or worse: error (default) or warning.")
    var failOn: FailLevel = .error

    @Option(help: "Structured events on stderr: none (default), text, or json (one object per line, for cron).")
    var logFormat: LogFormat = .none
}

/// Runs or checks pipelines and maps the outcome to the documented exit codes.
func runPipelines(datasets: [String], root: String, dryRun: Bool, checks: CheckOptions, wait: Bool = false, force: Bool = false,
                  status initial: ExitStatus = .ok) throws {
    let failOn = checks.failOn
    do {
        var runner = Runner(project: try Project(root: root), codeVersion: CodeVersion.current, force: force)
        if checks.logFormat != .none {
            runner.logger = Logger(label: "curate", factory: { _ in StderrLogHandler(format: checks.logFormat) })
        }
        let bar = ProgressBar()
        if checks.logFormat == .none && ProgressBar.isTerminal {
            runner.progress = { bar.update(dataset: $0, read: $1, total: $2, rows: $3) }
        }
        let results = try runner.run(datasets: datasets, dryRun: dryRun, failOnWarning: failOn == .warning, waitForLock: wait)
        bar.clear()
        var status = initial
        for result in results {
            print(RunSummary.line(result))
            let shown: Severity = failOn == .warning ? .warning : .error
            let blocking = result.report?.findings.filter({ $0.severity >= shown }) ?? []
            for finding in blocking.prefix(20) {
                print("    " + RunSummary.finding(finding))
            }
            // The refresh preview of a dry run: what publishing would change against the latest release.
            for line in result.preview?.lines(heading: "    would change \(result.name): release \(result.preview!.from) → \(result.preview!.to)", limit: 50) ?? [] {
                print(line.hasPrefix("    ") ? line : "      " + line)
            }
            if checks.logFormat == .json {
                for finding in blocking { RunSummary.logFinding(finding, dataset: result.name) }
            }
            switch result.status {
            case .published, .skipped, .awaitingSource: break
            case .checked(let valid): if !valid { status = max(status, .invalid) }
            case .failedValidation: status = max(status, .invalid)
            case .failed(let error):
                // Under --log-format json the runner's `dataset not run` event carries the error.
                if checks.logFormat != .json { printError("curate: \(error)") }
                status = max(status, ExitStatus(error))
            }
        }
        if status != .ok { throw status.exitCode }
    } catch let error where !(error is CurateError || error is ExitCode) {
        // Foundation's file errors (permission denied, no space) are input/output failures too.
        throw CurateError(.ioError, Runner.describe(error))
    }
}

extension ExitStatus: Comparable {
    /// Which code wins when datasets end differently: lock and I/O over spec over validation.
    private var rank: Int { [.ok: 0, .invalid: 1, .usage: 2, .io: 3, .locked: 4][self]! }
    static func < (a: ExitStatus, b: ExitStatus) -> Bool { a.rank < b.rank }
}

enum RunSummary {
    static func line(_ result: DatasetResult) -> String {
        let counts = result.report.map { " (\($0.stats.rows) rows, \($0.stats.errors) errors, \($0.stats.warnings) warnings)" } ?? ""
        switch result.status {
        case .published(let release, let changed):
            return "\(result.name): published release \(release)\(changed ? "" : ", unchanged")\(counts)"
        case .failedValidation(let previous):
            return "\(result.name): FAILED validation, not published; " + (previous.map { "release \($0) kept" } ?? "nothing published yet") + counts
        case .checked(let valid):
            return "\(result.name): \(valid ? "valid" : "NOT valid") (dry run, nothing written)\(counts)"
        case .failed(let error):
            return "\(result.name): not run: [\(error.code.rawValue)]"
        case .skipped(let release):
            return "\(result.name): inputs unchanged, release \(release) kept (--force to redo)"
        case .awaitingSource:
            return "\(result.name): awaiting its source (no raw file yet; nothing published)"
        }
    }

    /// A finding as one JSON event on stderr, with its code and place, for cron's log.
    static func logFinding(_ f: Finding, dataset: String) {
        var fields: [String: JSONLine.Value] = [
            "level": .string(f.severity.rawValue), "message": .string("finding: " + f.message), "dataset": .string(dataset),
            "code": .string(f.code.rawValue), "check": .string(f.check),
        ]
        if let place = f.location { fields.merge(JSONLine.place(place), uniquingKeysWith: { a, _ in a }) }
        if let expected = f.expected { fields["expected"] = .string(expected) }
        if let actual = f.actual { fields["actual"] = .string(actual) }
        JSONLine.write(fields)
    }

    static func finding(_ f: Finding) -> String {
        "[\(f.code.rawValue)] " + (f.location.map { "\($0): " } ?? "") + f.message
    }
}
