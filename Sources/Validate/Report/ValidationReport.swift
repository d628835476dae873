import CurateCore

/// The outcome of checking one dataset, shaped like a Frictionless report: `valid`, `stats`, one
/// summary per check, and the findings (capped per check, with the full count kept).
public struct ValidationReport: Codable, Sendable, Equatable {
    public struct Stats: Codable, Sendable, Equatable {
        public var rows: Int
        public var errors: Int
        public var warnings: Int
    }

    public struct CheckSummary: Codable, Sendable, Equatable {
        public var name: String
        public var severity: Severity
        /// Items the check looked at (rows, periods, groups).
        public var items: Int
        public var passes: Int
        public var fails: Int
        /// Items the check could not judge because a value was absent.
        public var missing: Int
        /// Findings of this check left out of `findings` because of the cap.
        public var omitted: Int
    }

    public var dataset: String
    public var valid: Bool
    public var stats: Stats
    public var checks: [CheckSummary]
    public var findings: [Finding]
}

/// Collects checks and findings while a dataset is checked.
public struct ReportBuilder: Sendable {
    /// Findings kept per check; the rest are counted, so a million bad rows still give a readable report.
    public static let findingsPerCheck = 100

    private var checks: [ValidationReport.CheckSummary] = []
    private var findings: [Finding] = []
    private var current = -1

    public init() {}

    /// Starts the summary of a check; later `add` and `count` calls belong to it.
    public mutating func begin(_ name: String, severity: Severity) {
        // Per-row checks call this for every row: the current check is the usual answer.
        if current >= 0 && checks[current].name == name { return }
        if let existing = checks.firstIndex(where: { $0.name == name }) { current = existing; return }
        checks.append(.init(name: name, severity: severity, items: 0, passes: 0, fails: 0, missing: 0, omitted: 0))
        current = checks.count - 1
    }

    /// The summary of a check so far (how many items it judged), nil before it begins.
    public func summary(of name: String) -> ValidationReport.CheckSummary? { checks.first { $0.name == name } }

    public mutating func count(passed: Bool) {
        checks[current].items += 1
        if passed { checks[current].passes += 1 } else { checks[current].fails += 1 }
    }

    /// Counts many items at once (a stage's rows, summed while they streamed).
    public mutating func count(passes: Int, fails: Int) {
        checks[current].items += passes + fails
        checks[current].passes += passes
        checks[current].fails += fails
    }

    public mutating func countMissing() {
        checks[current].items += 1
        checks[current].missing += 1
    }

    /// Adds a finding to the current check, at the check's severity unless the finding says otherwise.
    public mutating func add(_ finding: Finding) {
        if findings.count(where: { $0.check == finding.check }) >= Self.findingsPerCheck {
            checks[current].omitted += 1
            tally(finding.severity)
            return
        }
        var f = finding
        if f.severity == .error && checks[current].severity == .warning { f.severity = .warning }
        findings.append(f)
        tally(f.severity)
    }

    /// Counts `n` findings of the current check left out before they were made (a streaming rule
    /// keeps only as many as the report lists), at the severity `add` would have given them.
    public mutating func addOmitted(_ n: Int, severity: Severity) {
        guard n > 0 else { return }
        checks[current].omitted += n
        let s: Severity = severity == .error && checks[current].severity == .warning ? .warning : severity
        if s == .error { errors += n } else { warnings += n }
    }

    /// Takes in what another builder collected (a check made on another thread): its checks' counts
    /// join this one's, its findings follow this one's under the same cap per check.
    public mutating func merge(_ other: ReportBuilder) {
        for check in other.checks {
            begin(check.name, severity: check.severity)
            checks[current].items += check.items; checks[current].passes += check.passes
            checks[current].fails += check.fails; checks[current].missing += check.missing
            checks[current].omitted += check.omitted
        }
        for finding in other.findings {
            begin(finding.check, severity: other.checks.first { $0.name == finding.check }?.severity ?? finding.severity)
            if findings.count(where: { $0.check == finding.check }) >= Self.findingsPerCheck { checks[current].omitted += 1 } else { findings.append(finding) }
        }
        errors += other.errors; warnings += other.warnings
    }

    private var errors = 0, warnings = 0
    private mutating func tally(_ severity: Severity) { if severity == .error { errors += 1 } else { warnings += 1 } }

    public func build(dataset: String, rows: Int) -> ValidationReport {
        ValidationReport(dataset: dataset, valid: errors == 0, stats: .init(rows: rows, errors: errors, warnings: warnings),
                         checks: checks, findings: findings)
    }
}
