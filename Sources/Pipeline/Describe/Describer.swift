import Foundation
import CurateCore
import Ingest
import Normalize

/// Infers the layout of a printed table (CSV or XLSX): encoding, delimiter, which records form the
/// header, the unit note, each column's type and the year columns. Reads the first records only.
public struct Describer: Sendable {
    public let units: UnitRegistry
    /// Records examined.
    public var sample = 500

    public init(units: UnitRegistry) { self.units = units }

    public func describe(path: String, displayPath: String? = nil, sheet: String? = nil) throws -> TableDescription {
        let format = try FileFormat.detect(path: path)
        let source: any RecordSource
        var encoding: String?, delimiter: String?, sheetName: String?
        switch format {
        case .csv:
            let csv = try CSVReader(path: path)
            encoding = csv.encoding.rawValue
            delimiter = String(csv.delimiter)
            source = csv
        case .xlsx:
            let xlsx = try XLSXReader(path: path, sheet: sheet)
            sheetName = xlsx.sheet
            source = xlsx
        default:
            throw CurateError(.formatError, "describe reads printed tables (CSV, XLSX); \(format.rawValue) files describe themselves: use curate read",
                              at: SourceLocation(file: displayPath ?? path))
        }
        var records: [RawRecord] = []
        struct Enough: Error {}
        do {
            try source.forEachRecord { records.append($0); if records.count >= sample { throw Enough() } }
        } catch is Enough {}

        let headerIndexes = headerRows(records)
        guard let firstHeader = headerIndexes.first else {
            throw CurateError(.formatError, "no header found in the first \(sample) records", at: SourceLocation(file: displayPath ?? path))
        }
        let labels = TableLayout.combine(headerIndexes.map { records[$0].fields })
        let preamble = records[..<firstHeader].filter { !$0.isBlank }.map { $0.fields.filter { !$0.isEmpty }.joined(separator: " ") }
        let layout = TableLayout()
        var data: [RawRecord] = []
        var footnotes: [String] = []
        for record in records[(headerIndexes.last! + 1)...] where !record.isBlank {
            if !footnotes.isEmpty || layout.footnotePrefixes.contains(where: { (record.fields.first { !$0.isEmpty } ?? "").hasPrefix($0) }) {
                footnotes.append(record.fields.filter { !$0.isEmpty }.joined(separator: " "))
            } else {
                data.append(record)
            }
        }
        let note = preamble.lazy.compactMap(UnitNote.find).first
        let fields = labels.enumerated().map { describeField(label: $0.element, column: $0.offset, data: data) }
        let yearColumns = fields.count(where: { $0.period?.year != nil })
        let labelColumn = fields.firstIndex { $0.period?.year == nil }
        return TableDescription(
            file: displayPath ?? path, format: format.rawValue, encoding: encoding, dialect: .init(delimiter: delimiter),
            sheet: sheetName, header: .init(rows: headerIndexes, labels: labels),
            unit: note.flatMap(noteUnit), unitNote: note.map(UnitRegistry.labels(inNote:)),
            layout: yearColumns >= 2 ? "years-across" : "years-down",
            rowLabels: yearColumns >= 2 ? labelColumn.map { c in data.compactMap { c < $0.fields.count ? $0.fields[c].trimmingWhitespace : nil } } : nil,
            fields: fields, title: preamble.first, footnotes: footnotes)
    }

    /// The first record with two or more non-empty cells, and the records right after it that
    /// continue the header: first cell blank (or repeated from above), no number among the rest.
    func headerRows(_ records: [RawRecord]) -> [Int] {
        guard let first = records.firstIndex(where: TableLayout.looksLikeHeader) else { return [] }
        var rows = [first]
        var next = first + 1
        let parser = NumberParser()
        while next < records.count, rows.count < 4 {
            let cells = records[next].fields.map(\.trimmingWhitespace)
            let firstCell = cells.first ?? ""
            let rest = cells.dropFirst().filter { !$0.isEmpty }
            let continues = (firstCell.isEmpty || firstCell == records[rows.last!].fields.first?.trimmingWhitespace)
                && !rest.isEmpty && rest.allSatisfy { if case .success(.value) = parser.parse($0) { return false } else { return true } }
            guard continues else { break }
            rows.append(next)
            next += 1
        }
        return rows
    }

    private func describeField(label: String, column: Int, data: [RawRecord]) -> TableDescription.FieldDescription {
        // Subtotal labels (計, 合計…) sit in the period column of many tables: they do not decide its type.
        let layout = TableLayout()
        let values = data.map { column < $0.fields.count ? $0.fields[column].trimmingWhitespace : "" }
            .filter { !$0.isEmpty && !layout.isSubtotal([$0]) }
        var field = TableDescription.FieldDescription(name: label, type: "string")
        if case .success(let p) = PeriodParser(defaultKind: .calendar).parse(label) {
            field.period = .init(year: p.year, kind: p.kind.rawValue)
        }
        if let unitText = Self.trailingParenthesis(label), let unit = unit(unitText) { field.unit = unit }
        let parser = NumberParser()
        var numbers = 0, fractional = false, markers = Set<String>(), periods = 0
        var kinds = Set<String>()
        for value in values {
            switch parser.parse(value) {
            case .success(.value(_, let decimals, _)): numbers += 1; if decimals > 0 { fractional = true }
            case .failure(.unknownMarker): markers.insert(value)
            default:
                if case .success(let p) = PeriodParser().parse(value) { periods += 1; kinds.insert(p.kind.rawValue) }
            }
        }
        let counted = values.count(where: { !markers.contains($0) })
        if counted > 0 && periods == counted, kinds.count == 1 {
            field.type = "year"
            field.period = .init(year: nil, kind: kinds.first!)
        } else if counted > 0 && numbers == counted {
            field.type = fractional ? "number" : "integer"
        }
        if !markers.isEmpty { field.markers = markers.sorted() }
        return field
    }

    /// The unit a note gives the table: its only unit, or its money unit when it names several (件、億円).
    private func noteUnit(_ note: String) -> TableDescription.Unit? {
        let all = UnitRegistry.labels(inNote: note).compactMap(unit)
        return all.count == 1 ? all[0] : all.first { $0.currency != nil }
    }

    private func unit(_ text: String) -> TableDescription.Unit? {
        guard let resolved = units.resolve(text) else { return nil }
        let currencies: Set<String> = ["JPY", "USD", "EUR"]
        return .init(label: resolved.label, multiplier: resolved.factor.canonicalText,
                     currency: currencies.contains(resolved.base) ? resolved.base : nil, base: resolved.base)
    }

    /// `受入額（億円）` → `億円`.
    static func trailingParenthesis(_ label: String) -> String? {
        for (open, close) in [("（", "）"), ("(", ")")] where label.hasSuffix(close) {
            if let start = label.range(of: open, options: .backwards) {
                return String(label[start.upperBound..<label.index(before: label.endIndex)]).trimmingWhitespace
            }
        }
        return nil
    }
}
