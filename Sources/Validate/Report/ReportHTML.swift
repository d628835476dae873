import Foundation
import CurateCore

extension ValidationReport {
    /// One self-contained HTML page (no scripts, no external assets): the verdict, the checks with
    /// failing ones first, every listed finding, and a chart per measure with one series per
    /// category (see `SeriesChart`), the points a finding names circled in red. Deterministic,
    /// like the other reports.
    public func html(table: CuratedTable, periodField: String?, title: String) -> String {
        var summary = SeriesSummary(schema: table.schema, periodField: periodField)
        for row in table.rows { summary.add(row) }
        return html(series: summary, title: title)
    }

    /// The same page from a summary of the series gathered while the rows streamed past.
    public func html(series summary: SeriesSummary, title: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title)): validation report</title>
            <style>
            \(ReportStyle.css)
            </style></head><body>
            <p class="nav"><a href="../index.html">All datasets</a></p>
            <h1>\(esc(title))</h1>

            """
        let verdict = valid ? "Valid: published." : "Not valid: not published; the previous release stays."
        out += "<p class=\"verdict \(valid ? "ok" : "bad")\">\(esc(verdict)) \(stats.rows) rows, \(stats.errors) errors, \(stats.warnings) warnings.</p>\n"
        out += "<h2>Checks</h2>\n<table class=\"checks\"><tr><th>check</th><th>result</th><th>severity</th><th>items</th><th>passes</th><th>fails</th><th>missing</th></tr>\n"
        for check in orderedChecks {
            let result = check.result
            out += "<tr class=\"\(result.cssClass)\(result == .failed ? " sev-" + check.severity.rawValue : "")\"><td>\(esc(check.name))</td>"
            out += "<td class=\"result\">\(result.rawValue)</td><td class=\"severity\">\(check.severity.rawValue)</td>"
            out += "<td class=\"n\">\(check.items)</td><td class=\"n\">\(check.passes)</td><td class=\"n\">\(check.fails)</td><td class=\"n\">\(check.missing)</td></tr>\n"
        }
        out += "</table>\n"
        if !findings.isEmpty {
            out += "<h2>Findings</h2>\n<table><tr><th>code</th><th>severity</th><th>check</th><th>file</th><th>row</th><th>column</th><th>raw</th><th>expected</th><th>actual</th></tr>\n"
            for f in findings {
                let p = f.location
                let column = [p?.column.map(String.init), p?.field].compactMap { $0 }.joined(separator: " ")
                out += "<tr><td><code>\(f.code.rawValue)</code></td><td class=\"\(f.severity.rawValue)\">\(f.severity.rawValue)</td><td>\(esc(f.check))</td>"
                out += "<td>\(esc(p?.file ?? ""))</td><td class=\"n\">\(p?.row.map(String.init) ?? "")</td><td>\(esc(column))</td>"
                out += "<td>\(esc(p?.raw ?? ""))</td><td>\(esc(f.expected ?? ""))</td><td>\(esc(f.actual ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
            let omitted = checks.reduce(0) { $0 + $1.omitted }
            if omitted > 0 { out += "<p>\(omitted) more findings not listed (\(ReportBuilder.findingsPerCheck) kept per check).</p>\n" }
        }
        switch SeriesChart.build(summary, flagged: Set(findings.compactMap(\.location).map(Self.cellKey))) {
        case .charts(let charts) where !charts.isEmpty:
            out += "<h2>Series</h2>\n<p>Each measure over the dataset's periods, one line per category; a red ring marks a value that a finding names. Hover a point for its value as curated and as printed.</p>\n<div class=\"charts\">\n"
            for chart in charts { out += chart.html() + "\n" }
            out += "</div>\n"
        case .tooMany(let series, let points, let capped):
            out += "<h2>Series</h2>\n<p class=\"charts-omitted\" data-series=\"\(series)\"\(capped ? " data-series-capped=\"true\"" : "")>\(capped ? "more than " : "")\(series) series with \(points) values in all: too many to draw here; query them in Curated/curate.sqlite.</p>\n"
        default: break
        }
        return out + "</body></html>\n"
    }

    /// A cell's identity, to match findings with the rows they name.
    static func cellKey(_ place: SourceLocation) -> String { "\(place.file):\(place.row ?? 0):\(place.column ?? 0)" }
}

extension ValidationReport.CheckSummary {
    /// What a check's row says, apart from its severity (which is what a failure would weigh).
    enum Result: String {
        case failed
        /// Not one item passed or failed: the check judged nothing, which is never a pass.
        case checkedNothing = "checked nothing"
        case passed

        var cssClass: String { self == .checkedNothing ? "nothing" : rawValue }
    }

    var result: Result { fails > 0 ? .failed : passes == 0 ? .checkedNothing : .passed }
}

/// The pages' one stylesheet. The font stack names a Japanese face on each system (Hiragino on
/// macOS, Yu Gothic and Meiryo on Windows, Noto CJK or IPA on Linux) so labels such as 億円 never
/// fall back to boxes.
public enum ReportStyle {
    public static let fontStack = "system-ui,-apple-system,\"Segoe UI\",\"Hiragino Sans\",\"Hiragino Kaku Gothic ProN\",\"Yu Gothic UI\",\"Yu Gothic\",YuGothic,Meiryo,\"Noto Sans CJK JP\",\"Noto Sans JP\",\"IPAexGothic\",\"IPAGothic\",sans-serif"

    public static let css = """
        body{font-family:\(fontStack);margin:2rem;color:#222;max-width:76rem;line-height:1.4}
        h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
        a{color:#0b57d0}.nav{font-size:.85rem;margin:0}
        .verdict{padding:.6rem 1rem;border-radius:.4rem;font-weight:600}
        .ok{background:#e6f4ea;color:#1e6b34}.bad{background:#fdecea;color:#8a1c13}
        table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
        th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .error{color:#b3261e;font-weight:600}.warning{color:#8a5a00;font-weight:600}
        tr.failing td{background:#fff6f5}
        .checks td.severity{color:#555}
        .checks tr.passed td.result{color:#1e6b34;font-weight:600}
        .checks tr.failed td{background:#fff6f5}.checks tr.failed td.result{font-weight:700}
        .checks tr.failed.sev-error td.result{color:#b3261e}.checks tr.failed.sev-warning td.result{color:#8a5a00}
        .checks tr.nothing td{background:#fff8e1}.checks tr.nothing td.result{color:#8a5a00;font-weight:700}
        .status-published{color:#1e6b34;font-weight:600}.status-failed-validation{color:#b3261e;font-weight:600}
        .status-awaiting-source{color:#555}
        table.catalog td:nth-child(2),table.catalog td:nth-child(4),table.catalog td:nth-child(7){white-space:nowrap}
        .charts{display:flex;flex-wrap:wrap;gap:1rem}
        figure.chart{border:1px solid #ddd;padding:.5rem;margin:0;max-width:560px}
        figcaption{font-weight:600;font-size:.9rem}.unit{font-weight:400;color:#555}
        svg text{fill:#333}
        ul.legend{list-style:none;padding:0;margin:.3rem 0;font-size:.8rem}
        ul.legend li{margin:.1rem 0}
        .swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.35rem;vertical-align:-.1rem;border-radius:.15rem}
        details{font-size:.8rem}
        code{font-size:.85em}
        """
}

func esc(_ text: String) -> String { HTMLText.escape(text) }

/// Text for the pages curate writes (reports, the catalogue page).
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `89300000000` → `89,300,000,000`; `-1234.5` → `-1,234.5`. Exact: works on the decimal's digits.
    public static func grouped(_ value: Decimal) -> String {
        let text = value.canonicalText
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var out = ""
        while integer.count > 3 {
            out = "," + integer.suffix(3) + out
            integer.removeLast(3)
        }
        out = integer + out
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }
}
