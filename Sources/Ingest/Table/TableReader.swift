import CurateCore

/// One data row of a printed table, with the line it came from.
public struct TableRow: Sendable, Equatable {
    public var line: Int
    public var cells: [String]
    /// The row is a subtotal (計, 合計, 小計…): kept, and marked.
    public var isSubtotal = false

    public init(line: Int, cells: [String], isSubtotal: Bool = false) {
        self.line = line; self.cells = cells; self.isSubtotal = isSubtotal
    }
}

/// What surrounds the data in a printed table: title and note lines above, footnotes below.
public struct TableFrame: Sendable, Equatable {
    /// Text of each non-blank record above the header (cells joined), with its line.
    public var preamble: [(line: Int, text: String)] = []
    public var header: [String] = []
    public var headerLine = 0
    public var footnotes: [(line: Int, text: String)] = []

    /// The first unit note found above the header, e.g. `件、億円` from `（単位：件、億円）`.
    public var unitNote: (line: Int, text: String)? {
        for entry in preamble { if let unit = UnitNote.find(in: entry.text) { return (entry.line, unit) } }
        return nil
    }

    public static func == (a: TableFrame, b: TableFrame) -> Bool {
        a.header == b.header && a.headerLine == b.headerLine
            && a.preamble.map(\.text) == b.preamble.map(\.text) && a.footnotes.map(\.text) == b.footnotes.map(\.text)
    }
}

/// Reads a CSV laid out as a printed table: skips title lines to the header, streams data rows,
/// stops at footnotes. Ragged rows are reported as findings (`extra-cell`, `missing-cell`) and
/// passed on as they are, never padded or cut silently. Blank separator rows are skipped.
public struct TableReader {
    public let csv: any RecordSource
    public let layout: TableLayout

    public init(csv: any RecordSource, layout: TableLayout) { self.csv = csv; self.layout = layout }

    /// Streams the data rows to `row`; returns the frame (title, header, footnotes) once done.
    /// `header` is called once, before the first row.
    @discardableResult
    public func read(header: (TableFrame) throws -> Void = { _ in },
                     row: (TableRow) throws -> Void,
                     finding: (Finding) -> Void) throws -> TableFrame {
        var state = State(layout: layout, file: csv.path, padShortRows: csv.shortRowsAreEmptyCells)
        try csv.forEachRecord { rec in
            if state.phase == .buffering {
                state.buffered.append(rec)
                if state.buffered.count(where: { !$0.isBlank }) < Self.sniffRecords { return }
                try state.replay(header: header, row: row, finding: finding)
            } else {
                try state.take(rec, header: header, row: row, finding: finding)
            }
        }
        if state.phase == .buffering { try state.replay(header: header, row: row, finding: finding) }
        if state.phase == .preamble {
            throw CurateError(.formatError, "no complete header found" + (layout.headerRecord.map { " at record \($0)" } ?? ""),
                              at: SourceLocation(file: csv.path))
        }
        return state.frame
    }

    /// Records looked at before choosing the header when the layout does not name it.
    static let sniffRecords = 20

    private struct State {
        enum Phase { case buffering, preamble, data, footnotes }
        let layout: TableLayout
        let file: String
        let padShortRows: Bool
        var phase: Phase
        var frame = TableFrame()
        var record = 0
        var headerRecord: Int?
        var buffered: [RawRecord] = []
        var headerParts: [RawRecord] = []

        init(layout: TableLayout, file: String, padShortRows: Bool) {
            self.layout = layout; self.file = file; self.padShortRows = padShortRows
            headerRecord = layout.headerRecord
            phase = layout.headerRecord == nil ? .buffering : .preamble
        }

        /// Chooses the header among the buffered records (the first that `looksLikeHeader`), then
        /// passes them on.
        mutating func replay(header: (TableFrame) throws -> Void, row: (TableRow) throws -> Void,
                             finding: (Finding) -> Void) throws {
            let candidates = buffered.enumerated().filter { !$0.element.isBlank }
            let chosen = candidates.first { TableLayout.looksLikeHeader($0.element) } ?? candidates.first
            headerRecord = chosen.map { $0.offset + 1 }
            phase = .preamble
            let records = buffered
            buffered = []
            for rec in records { try take(rec, header: header, row: row, finding: finding) }
        }

        mutating func take(_ rec: RawRecord, header: (TableFrame) throws -> Void, row: (TableRow) throws -> Void,
                           finding: (Finding) -> Void) throws {
            record += 1
            switch phase {
            case .buffering, .preamble:
                if let first = headerRecord, record >= first, record < first + layout.headerRows {
                    headerParts.append(rec)
                    guard headerParts.count == layout.headerRows else { return }
                    frame.header = TableLayout.combine(headerParts.map(\.fields))
                    frame.headerLine = headerParts[0].line
                    TableReader.checkLabels(RawRecord(line: frame.headerLine, fields: frame.header), file: file, finding: finding)
                    phase = .data
                    try header(frame)
                } else if !rec.isBlank {
                    frame.preamble.append((rec.line, TableReader.text(of: rec)))
                }
            case .data:
                if rec.isBlank { return }
                if let first = rec.fields.first(where: { !$0.isEmpty }), layout.startsFootnote(first) {
                    phase = .footnotes
                    frame.footnotes.append((rec.line, TableReader.text(of: rec)))
                    return
                }
                let width = frame.header.count
                var rec = rec
                if padShortRows && rec.fields.count < width { rec.fields += Array(repeating: "", count: width - rec.fields.count) }
                if rec.fields.count != width {
                    finding(Finding(rec.fields.count > width ? .extraCell : .missingCell, check: "ingest",
                                    location: SourceLocation(file: file, row: rec.line, column: min(rec.fields.count, width) + 1),
                                    expected: String(width), actual: String(rec.fields.count)))
                }
                try row(TableRow(line: rec.line, cells: rec.fields, isSubtotal: layout.isSubtotal(rec.fields)))
            case .footnotes:
                if !rec.isBlank { frame.footnotes.append((rec.line, TableReader.text(of: rec))) }
            }
        }
    }

    private static func text(of record: RawRecord) -> String {
        record.fields.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func checkLabels(_ header: RawRecord, file: String, finding: (Finding) -> Void) {
        var seen = Set<String>()
        for (index, label) in header.fields.enumerated() {
            let place = SourceLocation(file: file, row: header.line, column: index + 1, raw: label)
            if label.trimmingWhitespace.isEmpty {
                finding(Finding(.blankLabel, check: "ingest", location: place))
            } else if !seen.insert(label).inserted {
                finding(Finding(.duplicateLabel, check: "ingest", location: place))
            }
        }
    }
}
