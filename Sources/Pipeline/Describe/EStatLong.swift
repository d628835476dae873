import CurateCore
import Ingest
import Normalize

/// e-Stat's long download (the API's CSV, the database's column form): each value on its own row,
/// every classification as a `*_code` column with its label in the next column, `time_code` for
/// the period, `unit` and `value`:
/// `tab_code, 表章項目, cat01_code, 男女, area_code, 地域, time_code, 時間軸（調査年）, unit, value`.
/// The measure is the label beside `tab_code`; the other codes are dimensions; the period is the
/// time code (`YYYY000000` a calendar year, `YYYY100000` a fiscal year).
enum EStatLong {
    static let valueHeaders: Set<String> = ["value", "値", "VALUE"]
    static let unitHeaders: Set<String> = ["unit", "単位", "UNIT"]

    /// The plan for a long table, or nil when the header is not e-Stat's long form. Reads every
    /// record once more for the measure labels and units (a long file lists them far apart).
    static func plan(labels: [String], sample: [RawRecord], source: () throws -> any RecordSource, headerLine: Int) throws -> TableDescription.Long? {
        let header = labels.map(\.trimmingWhitespace)
        guard let value = header.firstIndex(where: valueHeaders.contains),
              let time = header.firstIndex(where: { $0 == "time_code" || $0 == "time" }) else { return nil }
        let codeColumns = header.indices.filter { header[$0].hasSuffix("_code") && $0 != time }
        let tab = header.firstIndex(of: "tab_code")
        guard !codeColumns.isEmpty else { return nil }
        // The measure's label: beside tab_code, else a 表章項目 column.
        let labelColumn = tab.flatMap { $0 + 1 < header.count && !header[$0 + 1].hasSuffix("_code") ? $0 + 1 : nil }
            ?? header.firstIndex(of: "表章項目")
        guard let labelColumn else { return nil }
        let unit = header.firstIndex(where: unitHeaders.contains)

        var measures: [(label: String, unit: String)] = []
        var seenMeasures = Set<String>()
        var kind = "calendar"
        let dimensions = codeColumns.filter { $0 != tab }
        var codesByDimension: [Int: [(code: String, label: String)]] = [:]
        var seenCodes: [Int: Set<String>] = [:]
        try source().forEachRecord { record in
            guard record.line > headerLine, record.fields.count > max(value, labelColumn) else { return }
            let label = record.fields[labelColumn].trimmingWhitespace
            if !label.isEmpty, seenMeasures.count < 1000, seenMeasures.insert(label).inserted {
                measures.append((label, unit.map { $0 < record.fields.count ? record.fields[$0].trimmingWhitespace : "" } ?? ""))
            }
            if time < record.fields.count, case .success(let p)? = Optional(PeriodParser().parse(record.fields[time])) { kind = p.kind.rawValue }
            for column in dimensions where column < record.fields.count {
                let code = record.fields[column].trimmingWhitespace
                if (seenCodes[column]?.count ?? 0) < 200, seenCodes[column, default: []].insert(code).inserted {
                    let name = column + 1 < record.fields.count ? record.fields[column + 1].trimmingWhitespace : ""
                    codesByDimension[column, default: []].append((code, name))
                }
            }
        }
        var plan = TableDescription.Long(
            labelColumn: labels[labelColumn], valueColumn: labels[value], unitColumn: unit.map { labels[$0] },
            periodColumn: labels[time], periodKind: kind,
            dimensions: dimensions.map { .init(column: labels[$0], field: String(header[$0].dropLast(5))) },
            measures: measures.map { .init(label: $0.label, unit: $0.unit) })
        // A classification whose first code is labelled 総数 / 全国 / 計: a total of the others.
        for column in dimensions {
            let codes = codesByDimension[column] ?? []
            // A region total (全国) equals its parts only when every region is listed: left to the steward.
            guard codes.count >= 3, header[column] != "area_code",
                  let total = codes.first(where: { CategoryColumns.totalLabels.contains($0.label) }) else { continue }
            plan.totalDimension = String(header[column].dropLast(5))
            plan.totalCode = total.code
            plan.partCodes = codes.map(\.code).filter { $0 != total.code }
            break
        }
        return plan
    }
}
