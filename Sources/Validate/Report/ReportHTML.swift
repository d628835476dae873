import Foundation
import CurateCore

extension ValidationReport {
    /// One self-contained HTML page (no scripts, no external assets): the verdict, the checks with
    /// failing ones first, every listed finding, and a small SVG chart per series with the points
    /// that a finding names circled in red. Deterministic, like the other reports.
    public func html(table: CuratedTable, periodField: String?, title: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8">
            <title>\(esc(title)): validation report</title>
            <style>
            body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;margin:2rem;color:#222;max-width:72rem}
            h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
            .verdict{padding:.6rem 1rem;border-radius:.4rem;font-weight:600}
            .ok{background:#e6f4ea;color:#1e6b34}.bad{background:#fdecea;color:#8a1c13}
            table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
            th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .error{color:#b3261e;font-weight:600}.warning{color:#8a5a00;font-weight:600}
            tr.failing td{background:#fff6f5}
            .charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #ddd;padding:.5rem}
            code{font-size:.85em}
            </style></head><body>
            <h1>\(esc(title))</h1>

            """
        let verdict = valid ? "Valid: published." : "Not valid: not published; the previous release stays."
        out += "<p class=\"verdict \(valid ? "ok" : "bad")\">\(esc(verdict)) \(stats.rows) rows, \(stats.errors) errors, \(stats.warnings) warnings.</p>\n"
        out += "<h2>Checks</h2>\n<table><tr><th>check</th><th>severity</th><th>items</th><th>passes</th><th>fails</th><th>missing</th></tr>\n"
        for check in orderedChecks {
            out += "<tr\(check.fails > 0 ? " class=\"failing\"" : "")><td>\(esc(check.name))</td><td class=\"\(check.severity.rawValue)\">\(check.severity.rawValue)</td>"
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
        let charts = SeriesChart.charts(table: table, periodField: periodField, flagged: Set(findings.compactMap(\.location).map(Self.cellKey)))
        if !charts.isEmpty {
            out += "<h2>Series</h2>\n<p>Each measure over time; a red ring marks a value that a finding names.</p>\n<div class=\"charts\">\n"
            for chart in charts { out += chart + "\n" }
            out += "</div>\n"
        }
        return out + "</body></html>\n"
    }

    /// A cell's identity, to match findings with the rows they name.
    static func cellKey(_ place: SourceLocation) -> String { "\(place.file):\(place.row ?? 0):\(place.column ?? 0)" }
}

func esc(_ text: String) -> String {
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

/// Small inline SVG line charts, one per measure.
enum SeriesChart {
    static let width = 340.0, height = 170.0, left = 64.0, right = 12.0, top = 24.0, bottom = 28.0
    static let maxPoints = 200

    static func charts(table: CuratedTable, periodField: String?, flagged: Set<String>) -> [String] {
        guard let periodField, let period = table.schema.index(of: periodField), let measure = table.schema.index(of: "measure"),
              let value = table.schema.index(of: "value") else { return [] }
        var series: [String: [(x: Int, y: Double, flagged: Bool)]] = [:]
        var order: [String] = []
        var tooMany = Set<String>()
        for row in table.rows {
            guard case .integer(let x) = row.values[period], case .string(let m) = row.values[measure],
                  let v = row.values[value].decimal else { continue }
            if series[m] == nil { order.append(m) }
            if tooMany.contains(m) { continue }
            series[m, default: []].append((x, NSDecimalNumber(decimal: v).doubleValue, flagged.contains(ValidationReport.cellKey(row.lineage.source))))
            if series[m]!.count > maxPoints { tooMany.insert(m) }
        }
        // A chart is for a series a person can read: a measure with more points than that (other
        // dimensions besides the period) is left out rather than drawn as a blot.
        return order.filter { series[$0]!.count <= maxPoints }.map { svg(name: $0, points: series[$0]!.sorted { $0.x < $1.x }) }
    }

    static func svg(name: String, points: [(x: Int, y: Double, flagged: Bool)]) -> String {
        let xs = points.map(\.x), ys = points.map(\.y)
        let x0 = xs.min()!, x1 = max(xs.max()!, x0 + 1)
        let y0 = min(0, ys.min()!), y1 = max(ys.max()!, y0 + 1)
        func px(_ x: Int) -> Double { left + Double(x - x0) / Double(x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg class=\"chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(esc(name))\">"
        s += "<text x=\"\(f(left))\" y=\"14\" font-size=\"12\" font-weight=\"600\">\(esc(name))</text>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(py(y0)))\" x2=\"\(f(width - right))\" y2=\"\(f(py(y0)))\" stroke=\"#999\"/>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(py(y0)))\" stroke=\"#999\"/>"
        s += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 4))\" font-size=\"10\" text-anchor=\"end\">\(compact(y1))</text>"
        s += "<text x=\"\(f(left - 4))\" y=\"\(f(py(y0)))\" font-size=\"10\" text-anchor=\"end\">\(compact(y0))</text>"
        s += "<text x=\"\(f(left))\" y=\"\(f(height - 8))\" font-size=\"10\">\(x0)</text>"
        s += "<text x=\"\(f(width - right))\" y=\"\(f(height - 8))\" font-size=\"10\" text-anchor=\"end\">\(x1)</text>"
        // Lines join consecutive years only: a gap in the data stays a gap in the chart.
        for (a, b) in zip(points, points.dropFirst()) where b.x - a.x == 1 {
            s += "<line x1=\"\(f(px(a.x)))\" y1=\"\(f(py(a.y)))\" x2=\"\(f(px(b.x)))\" y2=\"\(f(py(b.y)))\" stroke=\"#1a73e8\" stroke-width=\"1.5\"/>"
        }
        for p in points {
            s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"#1a73e8\"><title>\(p.x): \(compact(p.y))</title></circle>"
            if p.flagged { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"7\" fill=\"none\" stroke=\"#d93025\" stroke-width=\"2\"/>" }
        }
        return s + "</svg>"
    }

    /// 102800000000 → 102.8B; 16925 → 16.9k.
    static func compact(_ v: Double) -> String {
        let a = abs(v)
        for (limit, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] where a >= limit {
            return String(format: "%.1f", v / limit) + suffix
        }
        return a == a.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }
}
