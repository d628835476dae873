import Foundation
import CurateCore

extension ValidationReport {
    /// Deterministic JSON (sorted keys, no timestamps): two runs on the same input give the same bytes.
    public func jsonData() throws -> Data {
        try CanonicalJSON.encode(self)
    }

    /// Markdown for a pull request or an e-mail: the verdict, failing checks first, then each finding.
    public func markdown() -> String {
        var out = "# Validation report: \(dataset)\n\n"
        out += valid ? "**Valid.** " : "**Not valid: not published; the previous release stays.** "
        out += "\(stats.rows) rows, \(stats.errors) errors, \(stats.warnings) warnings.\n\n"
        out += "| check | severity | items | passes | fails | missing | result |\n|---|---|---:|---:|---:|---:|---|\n"
        for check in orderedChecks {
            out += "| \(check.name) | \(check.severity.rawValue) | \(check.items) | \(check.passes) | \(check.fails) | \(check.missing) | \(check.result.rawValue) |\n"
        }
        if findings.isEmpty { return out + "\nNo findings.\n" }
        out += "\n## Findings\n\n| code | severity | check | file | row | column | raw | expected | actual |\n|---|---|---|---|---:|---|---|---|---|\n"
        for f in findings {
            let place = f.location
            let column = [place?.column.map(String.init), place?.field].compactMap { $0 }.joined(separator: " ")
            out += "| \(f.code.rawValue) | \(f.severity.rawValue) | \(f.check) | \(cell(place?.file)) | \(place?.row.map(String.init) ?? "") | \(cell(column)) | \(cell(place?.raw)) | \(cell(f.expected)) | \(cell(f.actual)) |\n"
        }
        let omitted = checks.reduce(0) { $0 + $1.omitted }
        if omitted > 0 { out += "\n\(omitted) more findings not listed (\(ReportBuilder.findingsPerCheck) kept per check).\n" }
        return out
    }

    /// Failing checks first, errors before warnings, then those that checked nothing, then the
    /// passing ones; by name within each.
    var orderedChecks: [CheckSummary] {
        func rank(_ c: CheckSummary) -> Int {
            switch c.result {
            case .failed: c.severity == .error ? 0 : 1
            case .checkedNothing: 2
            case .passed: 3
            }
        }
        return checks.sorted { (rank($0), $0.name) < (rank($1), $1.name) }
    }

    private func cell(_ text: String?) -> String {
        (text ?? "").replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}
