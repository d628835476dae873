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
        try readByteRows(header: header, row: { rec, width in try row(tableRow(rec, width: width)) }, finding: finding)
    }

    /// The row `read` makes of a byte record: its cells as Strings (a spreadsheet's short row
    /// padded to the header's `width`), marked when it is a subtotal.
    public func tableRow(_ rec: ByteRecord, width: Int) -> TableRow {
        var cells = (0..<rec.count).map(rec.string)
        if csv.shortRowsAreEmptyCells && cells.count < width { cells += Array(repeating: "", count: width - cells.count) }
        return TableRow(line: rec.line, cells: cells, isSubtotal: layout.isSubtotal(cells))
    }

    /// Like `read`, but each data row is handed over as bytes, with the header's width: the fast
    /// path for writers that need no String (`curate read`). A spreadsheet's short rows are not
    /// padded here (`read` pads them).
    @discardableResult
    public func readByteRows(header: (TableFrame) throws -> Void = { _ in },
                             row: (ByteRecord, _ width: Int) throws -> Void,
                             finding: (Finding) -> Void) throws -> TableFrame {
        var state = State(layout: layout, file: csv.path, padShortRows: csv.shortRowsAreEmptyCells)
        try forEachByteRecord { rec in
            switch state.phase {
            case .data:
                try state.takeData(rec, row: row, finding: finding)
            case .buffering:
                state.buffered.append(rec.raw)
                if state.buffered.count(where: { !$0.isBlank }) < Self.sniffRecords { return }
                try state.replay(header: header, row: row, finding: finding)
            case .preamble, .footnotes:
                try state.take(rec.raw, header: header, row: row, finding: finding)
            }
        }
        if state.phase == .buffering { try state.replay(header: header, row: row, finding: finding) }
        if state.phase == .preamble {
            throw CurateError(.formatError, "no complete header found" + (layout.headerRecord.map { " at record \($0)" } ?? ""),
                              at: SourceLocation(file: csv.path))
        }
        return state.frame
    }

    /// A CSV file's records come as bytes; a spreadsheet's Strings are packed into byte records.
    private func forEachByteRecord(_ body: (ByteRecord) throws -> Void) throws {
        if let reader = csv as? CSVReader {
            try reader.forEachByteRecord(body)
        } else {
            try csv.forEachRecord { try $0.withByteRecord(body) }
        }
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
        /// The footnote prefixes as UTF-8, tested against every data row, and their first bytes.
        let footnotePrefixes: [[UInt8]]
        let footnoteInitials: [Bool]

        init(layout: TableLayout, file: String, padShortRows: Bool) {
            self.layout = layout; self.file = file; self.padShortRows = padShortRows
            footnotePrefixes = layout.footnotePrefixes.map { Array($0.utf8) }
            var initials = [Bool](repeating: false, count: 256)
            for prefix in footnotePrefixes { if let first = prefix.first { initials[Int(first)] = true } }
            footnoteInitials = initials
            headerRecord = layout.headerRecord
            phase = layout.headerRecord == nil ? .buffering : .preamble
        }

        /// Chooses the header among the buffered records (the first that `looksLikeHeader`), then
        /// passes them on.
        mutating func replay(header: (TableFrame) throws -> Void, row: (ByteRecord, Int) throws -> Void,
                             finding: (Finding) -> Void) throws {
            let candidates = buffered.enumerated().filter { !$0.element.isBlank }
            let chosen = candidates.first { TableLayout.looksLikeHeader($0.element) } ?? candidates.first
            headerRecord = chosen.map { $0.offset + 1 }
            phase = .preamble
            let records = buffered
            buffered = []
            for rec in records { try take(rec, header: header, row: row, finding: finding) }
        }

        mutating func take(_ rec: RawRecord, header: (TableFrame) throws -> Void, row: (ByteRecord, Int) throws -> Void,
                           finding: (Finding) -> Void) throws {
            if phase == .data { return try rec.withByteRecord { try takeData($0, row: row, finding: finding) } }
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
                break   // handled above, as bytes
            case .footnotes:
                if !rec.isBlank { frame.footnotes.append((rec.line, TableReader.text(of: rec))) }
            }
        }

        /// A record after the header: runs on every row, so it looks at bytes only.
        mutating func takeData(_ rec: ByteRecord, row: (ByteRecord, Int) throws -> Void, finding: (Finding) -> Void) throws {
            record += 1
            guard let first = rec.firstNonEmpty else { return }   // blank separator row
            if startsFootnote(first) {
                phase = .footnotes
                frame.footnotes.append((rec.line, TableReader.text(of: rec.raw)))
                return
            }
            let width = frame.header.count
            let count = padShortRows ? max(rec.count, width) : rec.count
            if count != width {
                finding(Finding(count > width ? .extraCell : .missingCell, check: "ingest",
                                location: SourceLocation(file: file, row: rec.line, column: min(count, width) + 1),
                                expected: String(width), actual: String(count)))
            }
            try row(rec, width)
        }

        private func startsFootnote(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = cell.first, footnoteInitials[Int(first)] else { return false }
            return footnotePrefixes.contains { prefix in prefix.count <= cell.count && cell.starts(with: prefix) }
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
