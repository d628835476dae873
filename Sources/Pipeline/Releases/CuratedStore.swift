import Foundation
import CurateCore
import Ingest
import Validate
import Publish

/// Reads a release back from Curated/<dataset>/ (data.csv typed by the schema, with the lineage
/// of each row from lineage.csv), so that rules can compare a new run with what is published.
struct CuratedStore {
    let curatedRoot: String

    /// The published release of `dataset` (or the kept release `release`), or nil when there is none.
    func load(_ dataset: String, release: String? = nil, schema: TableSchema) throws -> CuratedTable? {
        let dir = curatedRoot + "/" + dataset + (release.map { "/" + CuratedLayout.release($0) } ?? "")
        guard FileManager.default.fileExists(atPath: dir + "/" + ReleaseFiles.data) else { return nil }
        return try load(directory: dir, schema: schema)
    }

    /// The release in `dir` (data.csv and lineage.csv), e.g. one rendered but not yet published.
    func load(directory dir: String, schema: TableSchema) throws -> CuratedTable {
        let lineage = try loadLineage(dir + "/" + ReleaseFiles.lineage, keys: schema.primaryKey)
        var header: [String] = []
        var rows: [CuratedRow] = []
        try CSVReader(path: dir + "/" + ReleaseFiles.data, encoding: .utf8, delimiter: ",").forEachRecord { record in
            if header.isEmpty { header = record.fields; return }
            let cells = Dictionary(zip(header, record.fields), uniquingKeysWith: { a, _ in a })
            let values: [Value] = schema.fields.map { field in Self.value(cells[field.name] ?? "", type: field.type) }
            let key = PrimaryKeyText.join(schema.primaryKey.map { cells[$0] ?? "" })
            let place = SourceLocation(file: String(dir.dropFirst(curatedRoot.count - CuratedLayout.folderName.count)) + "/" + ReleaseFiles.data, row: record.line)
            rows.append(CuratedRow(values: values, lineage: lineage[key] ?? Lineage(source: place)))
        }
        return CuratedTable(schema: schema, rows: rows)
    }

    /// Each row of the release in `dir` with its lineage, in file order, holding one row at a time.
    func forEachRow(directory dir: String, schema: TableSchema, _ body: (CuratedRow) throws -> Void) throws {
        let rows = try ReleaseRows(directory: dir, schema: schema)
        while let row = try rows.next() { try body(row) }
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
                factor: c["factor"].flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                precision: c["precision"].flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                steps: (c["steps"] ?? "").components(separatedBy: "; "))
        }
        return out
    }
}

/// A release's rows with their lineage, pulled one at a time in file order (primary-key order).
/// data.csv and lineage.csv are written from one stream in the same order, so they are read in
/// step; a lineage row whose key differs from its data row is an error, never a silent mismatch.
final class ReleaseRows: RowCursor {
    private let data: CSVLineReader
    private let lineage: CSVLineReader
    private let schema: TableSchema
    private var columns: [Int?] = []
    private var keyColumns: [Int?] = []
    private var l: [String: Int] = [:]
    private var lineageKeys: [Int?] = []
    private var empty = false

    init(directory dir: String, schema: TableSchema) throws {
        self.schema = schema
        data = try CSVLineReader(path: dir + "/" + ReleaseFiles.data)
        lineage = try CSVLineReader(path: dir + "/" + ReleaseFiles.lineage)
        guard let header = try data.next(), let lineageHeader = try lineage.next() else { empty = true; return }
        columns = schema.fields.map { header.firstIndex(of: $0.name) }
        keyColumns = schema.primaryKey.map { header.firstIndex(of: $0) }
        l = Dictionary(lineageHeader.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        lineageKeys = schema.primaryKey.map { l[$0] }
    }

    func next() throws -> CuratedRow? {
        guard !empty, let cells = try data.next() else { return nil }
        func cell(_ c: [String], _ i: Int?) -> String? { i.flatMap { $0 < c.count ? c[$0] : nil } }
        let values = zip(schema.fields, columns).map { field, column in CuratedStore.value(cell(cells, column) ?? "", type: field.type) }
        let key = PrimaryKeyText.join(keyColumns.map { cell(cells, $0) ?? "" })
        guard let c = try lineage.next(), PrimaryKeyText.join(lineageKeys.map { cell(c, $0) ?? "" }) == key else {
            throw CurateError(.ioError, "lineage.csv is not in step with data.csv at key \(key)", at: SourceLocation(file: lineage.path))
        }
        let place = SourceLocation(file: cell(c, l["file"]) ?? "", row: cell(c, l["row"]).flatMap { Int($0) }, column: cell(c, l["column"]).flatMap { Int($0) },
                                   field: cell(c, l["field"]), raw: cell(c, l["raw"]))
        return CuratedRow(values: values, lineage: Lineage(
            source: place, sourceUnit: cell(c, l["source_unit"]),
            factor: cell(c, l["factor"]).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
            precision: cell(c, l["precision"]).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
            steps: (cell(c, l["steps"]) ?? "").components(separatedBy: "; ")))
    }
}
