import CurateCore
import Validate

/// The findings a shaper makes while rows stream past, in memory bounded whatever the input: per
/// check, the first `ReportBuilder.findingsPerCheck` in full (the report lists no more) and a count
/// of the rest by severity; per stage, the lines that have a finding, as runs (a table where every
/// row fails is one run), for the stage's pass and fail counts. A file of a million unreadable
/// cells used to keep a million findings until the end of the read.
struct ShapeFindings {
    /// The spec's severity for a code, applied as each finding arrives.
    let severities: [IssueCode: Severity]
    private var kept: [Finding] = []
    private var keptPerCheck: [String: Int] = [:]
    /// Per check, in the order checks first had a finding past the cap.
    private var omitted: [(check: String, errors: Int, warnings: Int)] = []
    private var failingLines: [String: LineSet] = [:]
    private(set) var isEmpty = true

    init(severities: [IssueCode: Severity]) { self.severities = severities }

    mutating func append(_ finding: Finding) {
        isEmpty = false
        var finding = finding
        if let severity = severities[finding.code] { finding.severity = severity }
        if let line = finding.location?.row {
            // Lines arrive in order, so "already there" is the last run's look-up, not a search.
            if failingLines[finding.check]?.occurrences(of: line) ?? 0 == 0 { failingLines[finding.check, default: LineSet()].insert(line) }
        }
        let count = keptPerCheck[finding.check, default: 0]
        if count < ReportBuilder.findingsPerCheck {
            kept.append(finding)
            keptPerCheck[finding.check] = count + 1
            return
        }
        let index = omitted.firstIndex { $0.check == finding.check } ?? { omitted.append((finding.check, 0, 0)); return omitted.count - 1 }()
        if finding.severity == .error { omitted[index].errors += 1 } else { omitted[index].warnings += 1 }
    }

    mutating func append(contentsOf findings: [Finding]) { for finding in findings { append(finding) } }

    /// Rows of `rows` on a line with a finding of `stage`.
    func failingRows(of stage: String, in rows: LineSet) -> Int {
        failingLines[stage].map { rows.rows(onLinesOf: $0) } ?? 0
    }

    /// Rows of `rows` on a line with any finding.
    func failingRows(in rows: LineSet) -> Int {
        var all = LineSet()
        for lines in failingLines.values { lines.forEachLine { if all.occurrences(of: $0) == 0 { all.insert($0) } } }
        return rows.rows(onLinesOf: all)
    }

    /// Adds the findings to `report`, each under its own check (begun at error severity, as the
    /// stages are), or all under the current check with `intoCurrentCheck`.
    func add(to report: inout ReportBuilder, intoCurrentCheck: Bool = false) {
        for finding in kept {
            if !intoCurrentCheck { report.begin(finding.check, severity: .error) }
            report.add(finding)
        }
        for (check, errors, warnings) in omitted {
            if !intoCurrentCheck { report.begin(check, severity: .error) }
            report.addOmitted(errors, severity: .error)
            report.addOmitted(warnings, severity: .warning)
        }
    }
}
