#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFreeXL
import CurateCore

/// Reads one sheet of a legacy Excel workbook (.xls: BIFF5/BIFF8 in an OLE2 container) as rows of
/// text, through libfreexl. Rows come out as `XLSXReader` gives them for the same workbook saved as
/// .xlsx: a row's `line` is its spreadsheet row number, empty rows are skipped, trailing empty cells
/// dropped, whole numbers without a decimal point, dates as ISO 8601 (`2024-03-31`,
/// `2024-03-31T10:00:00`). Text comes out as UTF-8 whatever the workbook's code page (BIFF8 stores
/// UTF-16; a BIFF5 workbook's CODEPAGE record, e.g. 932 for Japanese, is converted by libfreexl).
///
/// What libfreexl cannot give, and so this reader cannot: merged ranges (a merged cell's value sits
/// in its top-left cell only, the others are empty — unlike `XLSXReader`, nothing is spread);
/// formatting, comments, and formula text (a formula's cached value is read when libfreexl keeps it).
/// A password-protected (obfuscated) workbook is refused with `xls-error`.
///
/// libfreexl reads the whole workbook into memory when opened, so the file size is bounded
/// (`maxBytes`), and so is a sheet's cell grid (`maxCells`) before its rows are walked. All calls into
/// libfreexl live in this file.
public struct XLSReader: RecordSource {
    public let path: String
    /// The sheet read: the one asked for, or the first.
    public let sheet: String
    /// The workbook's sheet names, in order.
    public let sheetNames: [String]
    private let handle: Handle
    private let sheetIndex: UInt16

    /// BIFF8 itself stops at 65,536 rows × 256 columns; workbooks published by statistics offices are
    /// far below these.
    public static let maxBytes = 256 << 20
    public static let maxCells = 65_536 * 256

    /// Owns the libfreexl handle.
    private final class Handle {
        let pointer: UnsafeRawPointer
        init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
        deinit { freexl_close(pointer) }
    }

    public init(path: String, sheet wanted: String? = nil) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { throw CurateError.systemCall("cannot open", path: path) }
        guard Int(info.st_size) <= Self.maxBytes else {
            throw CurateError(.xlsError, "a workbook larger than \(Self.maxBytes >> 20) MiB is refused (\(info.st_size) bytes)", at: SourceLocation(file: path))
        }
        var raw: UnsafeRawPointer?
        let status = freexl_open(path, &raw)
        guard status == FREEXL_OK, let raw else {
            if let raw { freexl_close(raw) }
            throw Self.error(status, "cannot open the workbook", path: path)
        }
        handle = Handle(raw)
        var password: UInt32 = 0
        if freexl_get_info(raw, UInt16(FREEXL_BIFF_PASSWORD), &password) == FREEXL_OK, password != UInt32(FREEXL_BIFF_PLAIN) {
            throw CurateError(.xlsError, "the workbook is password-protected (obfuscated): save it unprotected first", at: SourceLocation(file: path))
        }
        var count: UInt32 = 0
        _ = freexl_get_info(raw, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
        var names: [String] = []
        for index in 0..<min(count, UInt32(UInt16.max)) {
            var name: UnsafePointer<CChar>?
            let status = freexl_get_worksheet_name(raw, UInt16(index), &name)
            guard status == FREEXL_OK else { throw Self.error(status, "cannot read the name of sheet \(index + 1)", path: path) }
            names.append(name.map { String(cString: $0) } ?? "")
        }
        sheetNames = names
        let chosen = wanted.map { name in names.firstIndex(of: name) } ?? (names.isEmpty ? nil : 0)
        guard let chosen else {
            throw CurateError(.formatError, wanted.map { "no sheet named \($0) (sheets: \(names.joined(separator: ", ")))" } ?? "the workbook has no sheets",
                              at: SourceLocation(file: path, raw: wanted))
        }
        sheet = names[chosen]
        sheetIndex = UInt16(chosen)
    }

    public var shortRowsAreEmptyCells: Bool { true }

    public func forEachRecord(_ body: (RawRecord) throws -> Void) throws {
        let raw = handle.pointer
        var status = freexl_select_active_worksheet(raw, sheetIndex)
        guard status == FREEXL_OK else { throw Self.error(status, "cannot select sheet \(sheet)", path: path) }
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        status = freexl_worksheet_dimensions(raw, &rows, &columns)
        guard status == FREEXL_OK else { throw Self.error(status, "cannot read the size of sheet \(sheet)", path: path) }
        guard Int(rows) * Int(columns) <= Self.maxCells else {
            throw CurateError(.xlsError, "sheet \(sheet) declares \(rows) × \(columns) cells, more than \(Self.maxCells)", at: SourceLocation(file: path))
        }
        var cells: [String] = []
        cells.reserveCapacity(Int(columns))
        for row in 0..<rows {
            cells.removeAll(keepingCapacity: true)
            var width = 0
            for column in 0..<columns {
                var value = FreeXL_CellValue()
                status = freexl_get_cell_value(raw, row, column, &value)
                guard status == FREEXL_OK else {
                    throw Self.error(status, "cannot read a cell", path: path, row: Int(row) + 1, column: Int(column) + 1)
                }
                let text = Self.text(value)
                if !text.isEmpty { width = Int(column) + 1 }
                cells.append(text)
            }
            guard width > 0 else { continue }
            try body(RawRecord(line: Int(row) + 1, fields: Array(cells[..<width])))
        }
    }

    private static func text(_ value: FreeXL_CellValue) -> String {
        switch Int32(value.type) {
        case FREEXL_CELL_INT: return String(value.value.int_value)
        case FREEXL_CELL_DOUBLE: return number(value.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_TIME:
            return value.value.text_value.map { String(cString: $0) } ?? ""
        case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME:
            // `2024-03-31 10:00:00` → `2024-03-31T10:00:00`, as XLSXReader writes dates; midnight is a date.
            let text = value.value.text_value.map { String(cString: $0) } ?? ""
            if text.hasSuffix(" 00:00:00") { return String(text.dropLast(9)) }
            return text.replacingAll(" ", with: "T")
        default: return ""
        }
    }

    /// A whole number without `.0` (as Excel stores and shows it), anything else in the shortest form
    /// that reads back to the same double.
    static func number(_ double: Double) -> String {
        if double.isFinite, double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return "\(double)"
    }

    private static func error(_ status: Int32, _ what: String, path: String, row: Int? = nil, column: Int? = nil) -> CurateError {
        let reason: String = switch status {
        case FREEXL_FILE_NOT_FOUND: "file not found"
        case FREEXL_INSUFFICIENT_MEMORY: "not enough memory"
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE: "not an OLE2 compound file"
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND: "the OLE2 container holds no Excel workbook"
        case FREEXL_BIFF_INVALID_BOF, FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX: "a damaged BIFF record"
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER: "text in a code page that cannot be converted"
        case FREEXL_CRAFTED_FILE: "a severely corrupted or crafted file"
        default: "libfreexl error \(status)"
        }
        let code: IssueCode = status == FREEXL_FILE_NOT_FOUND ? .ioError : .xlsError
        return CurateError(code, "\(what): \(reason)", at: SourceLocation(file: path, row: row, column: column))
    }
}
