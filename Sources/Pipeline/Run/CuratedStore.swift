import Foundation
import CurateCore
import Ingest
import Validate

/// Reads a release back from Curated/<dataset>/ (data.csv typed by the schema, with the lineage
/// of each row from lineage.csv), so that rules can compare a new run with what is published.
struct CuratedStore {
    let curatedRoot: String

    /// The published release of `dataset` (or the kept release `release`), or nil when there is none.
    func load(_ dataset: String, release: String? = nil, schema: TableSchema) throws -> CuratedTable? {
        let dir = curatedRoot + "/" + dataset + (release.map { "/releases/" + $0 } ?? "")
        guard FileManager.default.fileExists(atPath: dir + "/data.csv") else { return nil }
        let lineage = try loadLineage(dir + "/lineage.csv", keys: schema.primaryKey)
        var header: [String] = []
        var rows: [CuratedRow] = []
        try CSVReader(path: dir + "/data.csv", encoding: .utf8, delimiter: ",").forEachRecord { record in
            if header.isEmpty { header = record.fields; return }
            let cells = Dictionary(zip(header, record.fields), uniquingKeysWith: { a, _ in a })
            let values: [Value] = schema.fields.map { field in Self.value(cells[field.name] ?? "", type: field.type) }
            let key = PrimaryKeyText.join(schema.primaryKey.map { cells[$0] ?? "" })
            let place = SourceLocation(file: String(dir.dropFirst(curatedRoot.count - "Curated".count)) + "/data.csv", row: record.line)
            rows.append(CuratedRow(values: values, lineage: lineage[key] ?? Lineage(source: place)))
        }
        return CuratedTable(schema: schema, rows: rows)
    }

    static func value(_ text: String, type: Field.FieldType) -> Value {
        if text.isEmpty { return .null }
        switch type {
        case .integer, .year: return Int(text).map(Value.integer) ?? .string(text)
        case .number: return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map(Value.number) ?? .string(text)
        case .string: return .string(text)
        }
    }

    private func loadLineage(_ path: String, keys: [String]) throws -> [String: Lineage] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        var header: [String] = []
        var out: [String: Lineage] = [:]
        try CSVReader(path: path, encoding: .utf8, delimiter: ",").forEachRecord { record in
            if header.isEmpty { header = record.fields; return }
            let c = Dictionary(zip(header, record.fields), uniquingKeysWith: { a, _ in a })
            let place = SourceLocation(file: c["file"] ?? "", row: c["row"].flatMap { Int($0) }, column: c["column"].flatMap { Int($0) },
                                       field: c["field"], raw: c["raw"])
            out[PrimaryKeyText.join(keys.map { c[$0] ?? "" })] = Lineage(
                source: place, sourceUnit: c["source_unit"],
                precision: c["precision"].flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                steps: (c["steps"] ?? "").components(separatedBy: "; "))
        }
        return out
    }
}
