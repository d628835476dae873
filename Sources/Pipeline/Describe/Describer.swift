import Foundation
import CurateCore
import Ingest
import Normalize

/// Infers the layout of a printed table (CSV, XLSX, XLS): encoding, delimiter, which records form
/// the header, the unit note, each column's type and the year columns; and, for the layouts e-Stat
/// publishes (see `CategoryColumns` and `EStatLong`), which category column gives the rows, which
/// code list its labels belong to, the total row, and the long form's code columns. Reads the first
/// records only, except for a long table, whose measure labels are gathered from every record.
public struct Describer: Sendable {
    public let units: UnitRegistry
    /// The project's code lists, matched against row labels; empty outside a project.
    public let codeLists: [CodeList]
    /// Records examined.
    public var sample = 500

    public init(units: UnitRegistry, codeLists: [CodeList] = []) { self.units = units; self.codeLists = codeLists }

    /// - Parameters:
    ///   - headerRow: the 1-based record holding the header, overriding the guess.
    ///   - headerRows: how many records the header spans, overriding the guess.
    public func describe(path: String, displayPath: String? = nil, sheet: String? = nil,
                         headerRow: Int? = nil, headerRows: Int? = nil) throws -> TableDescription {
        let place = SourceLocation(file: displayPath ?? path)
        let format = try FileFormat.detect(path: path)
        var encoding: String?, delimiter: String?, sheetName: String?
        /// A reader from the start of the file (a reader streams once).
        func open() throws -> any RecordSource {
            switch format {
            case .csv:
                let csv = try CSVReader(path: path)
                encoding = csv.encoding.rawValue
                delimiter = String(csv.delimiter)
                return csv
            case .xlsx:
                let xlsx = try XLSXReader(path: path, sheet: sheet)
                sheetName = xlsx.sheet
                return xlsx
            case .xls:
                let xls = try XLSReader(path: path, sheet: sheet)
                sheetName = xls.sheet
                return xls
            default:
                throw CurateError(.formatError, "describe reads printed tables (CSV, XLSX, XLS); \(format.rawValue) files describe themselves: use curate read",
                                  at: place)
            }
        }
        let source = try open()
        var records: [RawRecord] = []
        struct Enough: Error {}
        do {
            try source.forEachRecord { records.append($0); if records.count >= sample { throw Enough() } }
        } catch is Enough {}

        let headerIndexes: [Int]
        if let headerRow {
            guard let first = records.firstIndex(where: { $0.line >= headerRow }) else {
                throw CurateError(.formatError, "no record \(headerRow) in the first \(sample) records", at: place)
            }
            headerIndexes = Array(first..<min(records.count, first + max(1, headerRows ?? 1)))
        } else {
            let guessed = self.headerRows(records)
            if let count = headerRows, let first = guessed.first {
                headerIndexes = Array(first..<min(records.count, first + max(1, count)))
            } else {
                headerIndexes = guessed
            }
        }
        guard let firstHeader = headerIndexes.first else {
            throw CurateError(.formatError, "no header found in the first \(sample) records", at: place)
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
        var description = TableDescription(
            file: displayPath ?? path, format: format.rawValue, encoding: encoding, dialect: .init(delimiter: delimiter),
            sheet: sheetName, header: .init(rows: headerIndexes.map { records[$0].line }, labels: labels),
            unit: note.flatMap(noteUnit), unitNote: note.map(UnitRegistry.labels(inNote:)),
            layout: PipelineSpec.Layout.yearsDown.rawValue, fields: fields, title: preamble.first, footnotes: footnotes)

        if let long = try EStatLong.plan(labels: labels, sample: data, source: open, headerLine: records[headerIndexes.last!].line) {
            description.layout = PipelineSpec.Layout.long.rawValue
            description.long = long
            return description
        }
        let yearColumns = fields.count(where: { $0.period?.year != nil })
        guard yearColumns >= 2 else { return description }
        description.layout = PipelineSpec.Layout.yearsAcross.rawValue
        let categories = CategoryColumns(labels: labels, fields: fields, data: data, codeLists: codeLists)
        description.rows = categories.rows
        description.rowLabels = categories.rows?.labels
        description.ignoredColumns = categories.ignored
        var measure = categories.measure
        if measure.unit == nil {
            measure.unit = fields.compactMap(\.unit?.label).first ?? (description.unitNote?.count == 1 ? description.unitNote?.first : description.unit?.label)
        }
        description.measure = measure
        return description
    }

    /// The first record with two or more different non-empty cells and at least half as many
    /// non-empty cells as the widest of the opening records (e-Stat's downloads open with
    /// `"統計表ID","0003…"` pairs or an API's `"RESULT"`/`"VALUE"` section lines, which are not the
    /// header), and the records right after it that continue the header: first cell blank (or
    /// repeated from above), no number among the rest.
    func headerRows(_ records: [RawRecord]) -> [Int] {
        let opening = records.prefix(60)
        let widest = opening.map { $0.fields.count { !$0.trimmingWhitespace.isEmpty } }.max() ?? 0
        guard let first = records.firstIndex(where: {
            TableLayout.looksLikeHeader($0) && 2 * $0.fields.count(where: { !$0.trimmingWhitespace.isEmpty }) >= widest
        }) ?? records.firstIndex(where: TableLayout.looksLikeHeader) else { return [] }
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
        if let bracketed = Self.bracketedUnit(label) {
            field.unit = unit(bracketed.unit)
        } else if let unitText = Self.trailingParenthesis(label), units.resolve(unitText) != nil {
            field.unit = unit(unitText)
        }
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
        if !markers.isEmpty && (counted == 0 || field.type != "string") { field.markers = markers.sorted() }
        return field
    }

    /// The unit a note gives the table: its only unit, or its money unit when it names several (件、億円).
    private func noteUnit(_ note: String) -> TableDescription.Unit? {
        let all = UnitRegistry.labels(inNote: note).map(unit)
        return all.count == 1 ? all[0] : all.first { $0.currency != nil }
    }

    /// A printed unit, with its factor and base when the registry knows it.
    private func unit(_ text: String) -> TableDescription.Unit {
        guard let resolved = units.resolve(text) else { return .init(label: text.trimmingWhitespace) }
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

    /// e-Stat prints a unit inside a label in lenticular brackets: `人口【千人】` → (`人口`, `千人`).
    static func bracketedUnit(_ label: String) -> (label: String, unit: String)? {
        guard let open = label.range(of: "【"), let close = label.range(of: "】", range: open.upperBound..<label.endIndex) else { return nil }
        let unit = String(label[open.upperBound..<close.lowerBound]).trimmingWhitespace
        let rest = (String(label[..<open.lowerBound]) + String(label[close.upperBound...])).trimmingWhitespace
        return unit.isEmpty ? nil : (rest, unit)
    }
}
