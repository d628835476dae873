import CurateCore

/// Reads one sheet of an XLSX workbook as rows of text, streaming the sheet's XML.
///
/// Shared strings (`t="s"`, as Excel and xlsxwriter write) and inline strings (`t="inlineStr"`,
/// as openpyxl writes) both work; numbers keep their stored text; cells with a date format become
/// ISO dates (`2024-03-31`, or with a time); booleans become TRUE/FALSE; a formula gives its cached
/// value. Merged cells are spread: every cell of a merged range carries the top-left value, which
/// is what a printed table's merged headers mean. A row's `line` is its spreadsheet row number.
public struct XLSXReader: RecordSource {
    public let path: String
    /// The sheet read: the one asked for, or the first.
    public let sheet: String
    private let archive: XLSXArchive
    private let workbook: XLSXWorkbook
    private let sheetPath: String

    public init(path: String, sheet wanted: String? = nil) throws {
        self.path = path
        archive = try XLSXArchive(path: path)
        let book = try XLSXWorkbook(archive: archive)
        workbook = book
        let chosen = wanted.map { name in book.sheets.first { $0.name == name } } ?? book.sheets.first
        guard let chosen else {
            let names = book.sheets.map(\.name).joined(separator: ", ")
            throw CurateError(.formatError, wanted.map { "no sheet named \($0) (sheets: \(names))" } ?? "the workbook has no sheets",
                              at: SourceLocation(file: path, raw: wanted))
        }
        self.sheet = chosen.name
        sheetPath = chosen.path
    }

    public var shortRowsAreEmptyCells: Bool { true }

    /// The workbook's sheet names, in order.
    public var sheetNames: [String] { workbook.sheets.map(\.name) }

    public func forEachRecord(_ body: (RawRecord) throws -> Void) throws {
        let merges = MergeCollector()
        try archive.parseXML(sheetPath, handler: merges)
        try withoutActuallyEscaping(body) { body in
            let rows = SheetHandler(workbook: workbook, merges: merges.ranges, emit: body)
            try archive.parseXML(sheetPath, handler: rows)
        }
    }
}

/// A cell range such as `B3:C4`, 0-based.
struct CellRange: Equatable {
    var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int

    init?(_ ref: String) {
        let parts = ref.split(separator: ":")
        guard let a = CellRange.cell(String(parts[0])) else { return nil }
        let b = parts.count > 1 ? CellRange.cell(String(parts[1])) : a
        guard let b else { return nil }
        firstRow = min(a.row, b.row); lastRow = max(a.row, b.row)
        firstColumn = min(a.column, b.column); lastColumn = max(a.column, b.column)
    }

    /// `AB12` → (row 11, column 27).
    static func cell(_ ref: String) -> (row: Int, column: Int)? {
        var column = 0, row = 0, sawLetter = false, sawDigit = false
        for c in ref.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(c - UInt8(ascii: "A")) + 1; sawLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(c - UInt8(ascii: "a")) + 1; sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                row = row * 10 + Int(c - UInt8(ascii: "0")); sawDigit = true
            case UInt8(ascii: "$"): continue
            default: return nil
            }
            if column > 16_384 || row > 1_048_576 { return nil }
        }
        return sawLetter && sawDigit && row > 0 ? (row - 1, column - 1) : nil
    }
}

private final class MergeCollector: XMLEventHandler {
    var ranges: [CellRange] = []
    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        if name == "mergeCell", let ref = attributes.first(where: { $0.localName == "ref" })?.value, let range = CellRange(ref) {
            ranges.append(range)
        }
    }
    func endElement(_ name: String, namespace: String?) throws {}
    func characters(_ text: String) throws {}
}

/// Streams `<sheetData>`: collects a row's cells, converts their values, spreads merged ranges.
private final class SheetHandler: XMLEventHandler {
    private let workbook: XLSXWorkbook
    private let merges: [CellRange]
    private let emit: (RawRecord) throws -> Void
    /// Top-left value of each merged range, once its first row has been read.
    private var mergeValues: [Int: String] = [:]
    private var row: [Int: String] = [:]
    private var rowNumber = 0
    private var nextRow = 0
    private var cellColumn = 0, nextColumn = 0
    private var cellType = "n", cellStyle = 0
    private var value = ""
    private var collecting = false, hasValue = false

    init(workbook: XLSXWorkbook, merges: [CellRange], emit: @escaping (RawRecord) throws -> Void) {
        self.workbook = workbook; self.merges = merges; self.emit = emit
    }

    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        func attribute(_ id: String) -> String? { attributes.first { $0.localName == id }?.value }
        switch name {
        case "row":
            rowNumber = attribute("r").flatMap(Int.init).map { $0 - 1 } ?? nextRow
            row = [:]; nextColumn = 0
        case "c":
            cellColumn = attribute("r").flatMap(CellRange.cell)?.column ?? nextColumn
            cellType = attribute("t") ?? "n"
            cellStyle = attribute("s").flatMap(Int.init) ?? 0
            value = ""; hasValue = false
        case "v", "t":
            collecting = true; hasValue = true
        case "rPh":
            collecting = false
        default: break
        }
    }

    func endElement(_ name: String, namespace: String?) throws {
        switch name {
        case "v", "t": collecting = false
        case "c":
            if hasValue { row[cellColumn] = convert(value) }
            nextColumn = cellColumn + 1
        case "row":
            try flush()
            nextRow = rowNumber + 1
        default: break
        }
    }

    func characters(_ text: String) throws { if collecting { value += text } }

    private func flush() throws {
        for (index, range) in merges.enumerated() where (range.firstRow...range.lastRow).contains(rowNumber) {
            if rowNumber == range.firstRow { mergeValues[index] = row[range.firstColumn] ?? "" }
            guard let anchor = mergeValues[index] else { continue }
            for column in range.firstColumn...range.lastColumn where row[column] == nil || row[column] == "" { row[column] = anchor }
        }
        let width = (row.keys.max() ?? -1) + 1
        try emit(RawRecord(line: rowNumber + 1, fields: (0..<width).map { row[$0] ?? "" }))
    }

    private func convert(_ text: String) -> String {
        switch cellType {
        case "s": return Int(text).flatMap { $0 < workbook.sharedStrings.count ? workbook.sharedStrings[$0] : nil } ?? ""
        case "b": return text == "1" ? "TRUE" : "FALSE"
        case "n" where workbook.dateStyles.contains(cellStyle):
            return Double(text).map { ExcelDate.iso($0, date1904: workbook.date1904) } ?? text
        default: return text
        }
    }
}

/// Excel serial dates → ISO 8601 (1900 system with its fictitious 29 February 1900, or 1904).
enum ExcelDate {
    static func iso(_ serial: Double, date1904: Bool) -> String {
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if date1904 { days += 1462 } else if days < 60 { days += 1 }
        // days since 1899-12-30 → civil date (Howard Hinnant's algorithm, shifted to 1970).
        let z = days - 25_569 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var out = "\(year)-\(two(month))-\(two(day))"
        if seconds > 0 && seconds < 86_400 { out += "T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))" }
        return out
    }
}
