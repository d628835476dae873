import Foundation
import CurateCore

/// The report's charts: one per measure, one series (line, colour, legend entry) per combination of
/// the table's category dimensions — the primary-key fields other than the period and the measure —
/// so that the USA and Japan, or TOTAL and NATIONAL, are never joined into one line.
///
/// Every chart spans the dataset's whole period range with a tick per year (or per 2, 5, 10 years
/// when the range is long). Values are printed exactly, with thousands separators and their unit,
/// and with the form the source printed (`893億円`) when lineage has it. The page's Chromium check
/// (Tests/Browser) counts `g.series` per `data-measure` against data.csv, so the grouping here and
/// there must agree: measure × primary-key categories, rows with an integer period and a number.
struct SeriesChart {
    struct Point {
        var x: Int
        var y: Double
        var value: Decimal
        var unit: String?
        var printed: String?
        var place: SourceLocation
        var flagged: Bool
    }

    struct Series {
        var label: String
        var points: [Point]
    }

    var measure: String
    /// `1/3` when a measure's series are split over several charts.
    var part: String?
    var series: [Series]
    var periods: ClosedRange<Int>

    static let width = 560.0, height = 240.0, left = 64.0, right = 16.0, top = 16.0, bottom = 28.0
    /// Series per chart: more would need colours no one can tell apart.
    static let seriesPerChart = 10
    /// Colour-blind-safe (Okabe–Ito, then Tol's muted); red is kept for the rings around flagged values.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#999933", "#882255", "#44AA99", "#6F4E37"]
    /// Past this many points in all, the report says how many series there are instead of drawing them.
    static let maxPoints = 20_000

    /// The fields that make a series: measure (optional), period, value, unit, and the categories.
    struct Layout {
        var period: Int, value: Int, measure: Int?, unit: Int?, categories: [Int]

        init?(schema: TableSchema, periodField: String?) {
            guard let periodField, let period = schema.index(of: periodField), let value = schema.index(of: "value") else { return nil }
            self.period = period; self.value = value
            measure = schema.index(of: "measure"); unit = schema.index(of: "unit")
            categories = schema.primaryKey.filter { $0 != periodField && $0 != "measure" }.compactMap { schema.index(of: $0) }
        }
    }

    enum Outcome {
        case charts([SeriesChart])
        /// Too many points to draw: the number of series there would have been.
        /// `capped`: there are more series than `series` (counting stopped there).
        case tooMany(series: Int, points: Int, capped: Bool)
    }

    static func build(table: CuratedTable, periodField: String?, flagged: Set<String>) -> Outcome {
        var summary = SeriesSummary(schema: table.schema, periodField: periodField)
        for row in table.rows { summary.add(row) }
        return build(summary, flagged: flagged)
    }

    /// The charts of a summary; a point is flagged when a finding names its cell.
    static func build(_ summary: SeriesSummary, flagged: Set<String>) -> Outcome {
        guard summary.count > 0 else { return .charts([]) }
        if summary.count > maxPoints { return .tooMany(series: summary.seriesCount, points: summary.count, capped: summary.seriesCountIsCapped) }
        var charts: [SeriesChart] = []
        for measure in summary.measureOrder {
            let byLabel = summary.byMeasure[measure]!
            let all = byLabel.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
                .map { label in
                    Series(label: label, points: byLabel[label]!.map { point in
                        var p = point
                        p.flagged = flagged.contains(ValidationReport.cellKey(p.place))
                        return p
                    }.sorted { $0.x < $1.x })
                }
            let parts = stride(from: 0, to: all.count, by: seriesPerChart).map { Array(all[$0..<min($0 + seriesPerChart, all.count)]) }
            for (i, series) in parts.enumerated() {
                charts.append(SeriesChart(measure: measure, part: parts.count > 1 ? "\(i + 1)/\(parts.count)" : nil,
                                          series: series, periods: summary.low...summary.high))
            }
        }
        return .charts(charts)
    }

    /// The value as the source printed it, when that differs from the curated number: `893億円`.
    static func printed(_ lineage: Lineage, value: Decimal) -> String? {
        guard let raw = lineage.source.raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        let unit = lineage.sourceUnit ?? ""
        let text = raw.hasSuffix(unit) ? raw : raw + unit
        return text == value.canonicalText ? nil : text
    }

    static func grouped(_ value: Decimal) -> String { HTMLText.grouped(value) }

    /// The full text of a value: `89,300,000,000 JPY (printed 893億円)`.
    static func valueText(_ p: Point) -> String {
        grouped(p.value) + (p.unit.map { " " + $0 } ?? "") + (p.printed.map { " (printed \($0))" } ?? "")
    }

    /// `raw.csv:13:3`: the cell to open.
    static func cell(_ place: SourceLocation) -> String {
        place.file + (place.row.map { ":\($0)" } ?? "") + (place.column.map { ":\($0)" } ?? "")
    }

    var units: [String] {
        var seen: [String] = []
        for s in series { for p in s.points { if let u = p.unit, !seen.contains(u) { seen.append(u) } } }
        return seen
    }

    /// The chart, its legend and a table of its values, as one `<figure>`.
    func html() -> String {
        let name = measure + (part.map { " (\($0))" } ?? "")
        var out = "<figure class=\"chart\" data-measure=\"\(esc(measure))\">\n<figcaption>\(esc(name))"
        if !units.isEmpty { out += " <span class=\"unit\">\(esc(units.joined(separator: ", ")))</span>" }
        out += "</figcaption>\n" + svg(title: name) + "\n<ul class=\"legend\">\n"
        for (i, s) in series.enumerated() {
            let last = s.points.last!
            out += "<li><span class=\"swatch\" style=\"background:\(Self.palette[i % Self.palette.count])\"></span>"
            out += "\(esc(s.label.isEmpty ? measure : s.label)): \(esc(Self.valueText(last))) in \(last.x)"
            out += s.points.count > 1 ? " (\(s.points.count) values)</li>\n" : "</li>\n"
        }
        out += "</ul>\n<details><summary>Values</summary>\n<table><tr><th>period</th><th>series</th><th>value</th><th>printed</th><th>source</th></tr>\n"
        for s in series {
            for p in s.points {
                out += "<tr\(p.flagged ? " class=\"failing\"" : "")><td>\(p.x)</td><td>\(esc(s.label.isEmpty ? measure : s.label))</td>"
                out += "<td class=\"n\">\(esc(Self.grouped(p.value) + (p.unit.map { " " + $0 } ?? "")))</td><td>\(esc(p.printed ?? ""))</td>"
                out += "<td>\(esc(Self.cell(p.place)))</td></tr>\n"
            }
        }
        return out + "</table>\n</details>\n</figure>"
    }

    private func svg(title: String) -> String {
        typealias C = SeriesChart
        let x0 = Double(periods.lowerBound) - 0.5, x1 = Double(periods.upperBound) + 0.5
        let ys = series.flatMap { $0.points.map(\.y) }
        let scale = YScale(low: min(0, ys.min()!), high: max(0, ys.max()!))
        func px(_ x: Int) -> Double { C.left + (Double(x) - x0) / (x1 - x0) * (C.width - C.left - C.right) }
        func py(_ y: Double) -> Double { C.top + (1 - (y - scale.low) / (scale.high - scale.low)) * (C.height - C.top - C.bottom) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let bottomY = C.height - C.bottom
        var s = "<svg width=\"\(Int(C.width))\" height=\"\(Int(C.height))\" viewBox=\"0 0 \(Int(C.width)) \(Int(C.height))\" role=\"img\" aria-label=\"\(esc(title))\">"
        for tick in scale.ticks {
            s += "<line x1=\"\(f(C.left))\" y1=\"\(f(py(tick)))\" x2=\"\(f(C.width - C.right))\" y2=\"\(f(py(tick)))\" stroke=\"\(tick == 0 ? "#888" : "#e4e4e4")\"/>"
            s += "<text x=\"\(f(C.left - 4))\" y=\"\(f(py(tick) + 3))\" font-size=\"10\" text-anchor=\"end\">\(YScale.label(tick))</text>"
        }
        s += "<line x1=\"\(f(C.left))\" y1=\"\(f(C.top))\" x2=\"\(f(C.left))\" y2=\"\(f(bottomY))\" stroke=\"#888\"/>"
        for year in Self.yearTicks(periods) {
            s += "<line x1=\"\(f(px(year)))\" y1=\"\(f(bottomY))\" x2=\"\(f(px(year)))\" y2=\"\(f(bottomY + 4))\" stroke=\"#888\"/>"
            s += "<text x=\"\(f(px(year)))\" y=\"\(f(bottomY + 15))\" font-size=\"10\" text-anchor=\"middle\">\(year)</text>"
        }
        for (i, series) in series.enumerated() {
            let colour = C.palette[i % C.palette.count]
            let label = series.label.isEmpty ? measure : series.label
            s += "<g class=\"series\" data-series=\"\(esc(label))\" stroke=\"\(colour)\" fill=\"\(colour)\">"
            // Lines join consecutive years only: a gap in the data stays a gap in the chart.
            for (a, b) in zip(series.points, series.points.dropFirst()) where b.x - a.x == 1 {
                s += "<line x1=\"\(f(px(a.x)))\" y1=\"\(f(py(a.y)))\" x2=\"\(f(px(b.x)))\" y2=\"\(f(py(b.y)))\" stroke-width=\"2\"/>"
            }
            for p in series.points {
                s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" stroke=\"none\"><title>\(esc("\(label) \(p.x): \(C.valueText(p))"))</title></circle>"
                if p.flagged { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"8\" fill=\"none\" stroke=\"#d93025\" stroke-width=\"2\"/>" }
            }
            s += "</g>"
        }
        return s + "</svg>"
    }

    /// Every year when the range is short, else every 2, 5, 10… years, on round years.
    static func yearTicks(_ periods: ClosedRange<Int>) -> [Int] {
        let span = periods.upperBound - periods.lowerBound + 1
        let step = [1, 2, 5, 10, 20, 50, 100].first { span / $0 <= 12 } ?? 100
        return periods.filter { $0 % step == 0 || step == 1 }
    }
}

/// A value axis from zero (or the lowest negative value) with four to eight round ticks.
struct YScale {
    var low: Double, high: Double, ticks: [Double]

    init(low: Double, high: Double) {
        let span = high - low > 0 ? high - low : max(abs(high), 1)
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        self.low = floor(low / step) * step
        self.high = max(ceil(high / step) * step, self.low + step)
        ticks = stride(from: self.low, through: self.high + step / 2, by: step).map { ($0 / step).rounded() * step }
    }

    /// 300000000000 → 300B; 2500 → 2.5k; 0.25 → 0.25.
    static func label(_ v: Double) -> String {
        let a = abs(v)
        for (limit, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] where a >= limit {
            return trimmed(v / limit) + suffix
        }
        return trimmed(v)
    }

    private static func trimmed(_ v: Double) -> String {
        var text = String(format: "%.2f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

/// What the report's charts need of a table, gathered a row at a time in bounded memory: the
/// points while there are at most `SeriesChart.maxPoints` of them (past that the report draws
/// nothing and only the number of series and points is kept), the period range and the series.
public struct SeriesSummary: Sendable {
    let layout: SeriesChart.Layout?
    var byMeasure: [String: [String: [SeriesChart.Point]]] = [:]
    var measureOrder: [String] = []
    /// Series seen once points are no longer kept (a hash of measure and categories), to count
    /// them, up to `seriesCountCap`: a table of millions of series is then "more than" that.
    private var seriesPastCap = Set<Int>()
    static let seriesCountCap = 10_000
    /// More series than `seriesCountCap`: the count stopped there.
    var seriesCountIsCapped: Bool { seriesPastCap.count >= Self.seriesCountCap }
    var low = Int.max, high = Int.min
    /// Rows with an integer period and a number: the points there would be.
    private(set) var count = 0

    public init(schema: TableSchema, periodField: String?) {
        layout = SeriesChart.Layout(schema: schema, periodField: periodField)
        hasLayout = layout != nil
    }

    /// `layout != nil`, kept: asked for every row of a large table, where copying the layout to
    /// ask retained and released its arrays each time.
    private let hasLayout: Bool

    var seriesCount: Int {
        count > SeriesChart.maxPoints ? seriesPastCap.count : byMeasure.values.reduce(0) { $0 + $1.count }
    }

    private static func seriesHash(_ measure: String, _ label: String) -> Int {
        var hasher = Hasher()
        hasher.combine(measure); hasher.combine(label)
        return hasher.finalize()
    }

    /// Whether `add` still needs whole rows: while points are kept, and while series are counted.
    /// Past both caps only the period and whether the value is a number matter (`add(period:…)`).
    public var wantsRows: Bool { hasLayout && !(count > SeriesChart.maxPoints && seriesCountIsCapped) }

    /// The period and value fields `add(period:valueIsNumber:)` needs, by index; nil without a layout.
    public var fields: (period: Int, value: Int)? { layout.map { ($0.period, $0.value) } }

    /// A row once `wantsRows` is false: only the range and the count move.
    public mutating func add(period: Value, valueIsNumber: Bool) {
        guard hasLayout, case .integer(let x) = period, valueIsNumber else { return }
        precondition(!wantsRows, "rows are still wanted")
        low = min(low, x); high = max(high, x); count += 1
    }

    public mutating func add(_ row: CuratedRow) {
        guard let layout, case .integer(let x) = row.values[layout.period], let v = row.values[layout.value].decimal else { return }
        low = min(low, x); high = max(high, x); count += 1
        if count > SeriesChart.maxPoints + 1 && seriesCountIsCapped { return }
        let measure = layout.measure.map { row.values[$0].description } ?? "value"
        let label = layout.categories.map { row.values[$0].description }.joined(separator: " · ")
        if count > SeriesChart.maxPoints {
            if count == SeriesChart.maxPoints + 1 {
                // The points are no longer needed: keep only which series they belong to.
                for (m, labels) in byMeasure { for l in labels.keys { seriesPastCap.insert(Self.seriesHash(m, l)) } }
                byMeasure = [:]
            }
            if !seriesCountIsCapped { seriesPastCap.insert(Self.seriesHash(measure, label)) }
            return
        }
        if byMeasure[measure] == nil { measureOrder.append(measure) }
        let unit = layout.unit.map { row.values[$0].description }.flatMap { $0.isEmpty ? nil : $0 }
        let point = SeriesChart.Point(x: x, y: NSDecimalNumber(decimal: v).doubleValue, value: v, unit: unit,
                                      printed: SeriesChart.printed(row.lineage, value: v), place: row.lineage.source, flagged: false)
        byMeasure[measure, default: [:]][label, default: []].append(point)
    }
}
