import ArgumentParser
import CurateCore
import Pipeline

/// The documented exit codes, mapped in one place (README and `--help` list the same).
enum ExitStatus: Int32 {
    /// Every dataset valid (and published, unless a dry run).
    case ok = 0
    /// A dataset failed validation at error severity: not published, previous release kept.
    case invalid = 1
    /// Usage or pipeline-spec error.
    case usage = 2
    /// Input/output error: a missing, unreadable or undecodable file, or unwritable output.
    case io = 3
    /// Another run holds the lock on Curated/ (EX_TEMPFAIL: try again later).
    case locked = 75

    init(_ error: CurateError) {
        switch error.code {
        case .specError, .unitError: self = .usage
        case .lockHeld: self = .locked
        default: self = .io
        }
    }

    var exitCode: ExitCode { ExitCode(rawValue) }

    static let helpText = """
        EXIT CODES:
          0   every dataset valid
          1   a dataset failed validation (not published; previous release stays)
          2   usage or pipeline-spec error
          3   input/output error (missing, unreadable or undecodable file)
          75  another curate run holds the lock on Curated/
        """
}

/// Prints an operational failure as `curate: [code] place: message` (or, under `--log-format json`,
/// as one JSON object) and exits with its code.
func fail(_ error: CurateError, json: Bool = false) -> ExitCode {
    let status = ExitStatus(error)
    if json { JSONLine.write(error, exitCode: status.rawValue) } else { printError("curate: \(error)") }
    return status.exitCode
}

func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleOutput.stderr(string)
    }
}

/// A broken spec does not stop `list` or `status` (its dataset shows `spec-error`), but its error is
/// said on stderr so the steward sees where to mend it.
func reportBrokenSpecs(_ listings: [DatasetListing]) {
    for listing in listings { if let error = listing.specError { printError("curate: \(error)") } }
}
