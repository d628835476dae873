import Foundation
import CurateCore
import Validate

/// Writes a release's data.csv and lineage.csv while its rows stream past in primary-key order,
/// hashing and counting the bytes as they go, so no table is ever held: memory is two write
/// buffers and the series summary the report's charts need. The files land in a scratch folder
/// on the same file system as Curated/, from which `Publisher.publish` links them into place.
public final class ReleaseWriter {
    public let schema: TableSchema
    private let folder: ScratchFolder
    private let data: HashingFile
    private let lineage: HashingFile
    private let keyIndexes: [Int]
    private let periodIndex: Int?
    private let periodField: String?
    private var low: Value?, high: Value?
    private var series: SeriesSummary
    private var rows = 0

    /// `folder` is created (and removed when the rendered release is released); `periodField`
    /// is the field whose range the catalogue shows.
    public init(schema: TableSchema, periodField: String?, folder: String) throws {
        self.schema = schema
        self.folder = try ScratchFolder(path: folder)
        data = try HashingFile(path: folder + "/" + ReleaseFiles.data)
        lineage = try HashingFile(path: folder + "/" + ReleaseFiles.lineage)
        keyIndexes = schema.primaryKey.compactMap { schema.index(of: $0) }
        self.periodField = periodField
        periodIndex = periodField.flatMap { schema.index(of: $0) }
        series = SeriesSummary(schema: schema, periodField: periodField)
        try data.write(CSVWriter.line(schema.fields.map(\.name)))
        try lineage.write(CSVWriter.line(schema.primaryKey + LineageColumns.names))
    }

    /// Appends one row (rows must come in primary-key order: the release id is the data's hash).
    /// Both lines are made as bytes straight into the files' buffers: no String per cell.
    public func write(_ row: CuratedRow) throws {
        rows += 1
        try data.append { out in
            for (i, value) in row.values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                CSVBytes.append(value, to: &out)
            }
            out.append(0x0A)
        }
        let s = row.lineage.source, l = row.lineage
        try lineage.append { out in
            for i in keyIndexes {
                CSVBytes.append(row.values[i], to: &out)
                out.append(UInt8(ascii: ","))
            }
            CSVBytes.append(s.file, to: &out); out.append(UInt8(ascii: ","))
            if let r = s.row { CSVBytes.append(r, to: &out) }; out.append(UInt8(ascii: ","))
            if let c = s.column { CSVBytes.append(c, to: &out) }; out.append(UInt8(ascii: ","))
            CSVBytes.append(s.field ?? "", to: &out); out.append(UInt8(ascii: ","))
            CSVBytes.append(s.raw ?? "", to: &out); out.append(UInt8(ascii: ","))
            CSVBytes.append(l.sourceUnit ?? "", to: &out); out.append(UInt8(ascii: ","))
            l.factor?.appendCanonicalText(to: &out); out.append(UInt8(ascii: ","))
            l.precision?.appendCanonicalText(to: &out); out.append(UInt8(ascii: ","))
            CSVBytes.append(l.steps.joined(separator: "; "), to: &out)
            out.append(0x0A)
        }
        cover(periodIndex.map { row.values[$0] } ?? .null)
        series.add(row)
    }

    /// Whether the next row must come as a `CuratedRow` (`write(_:)`): the report's series summary
    /// still keeps points or counts series. Past that, `write(period:…)` takes its lines as bytes.
    public var wantsRow: Bool { series.wantsRows }

    /// The fields `write(period:valueIsNumber:data:lineage:)` needs of each row, by index.
    public var summaryFields: (period: Int?, value: Int?) { (periodIndex, series.fields?.value) }

    /// Appends one row the caller has formatted as `write(_:)` would (`data` appends its data.csv
    /// line, `lineage` its lineage.csv line, each with its newline), with the two values the
    /// summaries need: the period (`.null` when `summaryFields.period` is nil) and whether the value
    /// is a number. Only once `wantsRow` is false.
    public func write(period: Value, valueIsNumber: Bool, data line: (inout [UInt8]) -> Void, lineage: (inout [UInt8]) -> Void) throws {
        rows += 1
        try data.append(line)
        try self.lineage.append(lineage)
        cover(period)
        series.add(period: period, valueIsNumber: valueIsNumber)
    }

    private func cover(_ period: Value) {
        guard period != .null else { return }
        if low.map({ period.sortsBefore($0) }) ?? true { low = period }
        if high.map({ $0.sortsBefore(period) }) ?? true { high = period }
    }

    /// Closes both files (flushed and fsynced) and describes what was written.
    public func finish() throws -> Publisher.Rendered {
        try HashingFile.close([data, lineage])
        let coverage = periodField.flatMap { field in low.flatMap { l in high.map { Catalog.Coverage(field: field, from: l.description, to: $0.description) } } }
        return Publisher.Rendered(schema: schema, rows: rows, folder: folder,
                                  data: .init(path: data.path, bytes: data.bytes, sha256: data.digest()),
                                  lineage: .init(path: lineage.path, bytes: lineage.bytes, sha256: lineage.digest()),
                                  coverage: coverage, series: series)
    }
}

/// lineage.csv's columns after the primary key: where each value was printed, and how it became
/// the curated value (value = raw × factor; `steps` says what that does not).
public enum LineageColumns {
    public static let names = ["file", "row", "column", "field", "raw", "source_unit", "factor", "precision", "steps"]
}

/// A folder removed when the last value holding it goes away (a rendered release not published).
public final class ScratchFolder: @unchecked Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Its files unlinked side by side (unlinking a large file drops its pages from the cache:
        // a tenth of a second for a run's lineage.csv), then the folder.
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let path = path
        DispatchQueue.concurrentPerform(iterations: files.count) { i in _ = unlink(path + "/" + files[i]) }
        try? FileManager.default.removeItem(atPath: path)
    }
}
