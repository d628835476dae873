/// The one catalogue of problems `curate` can report, shared by the CLI, reports and tests.
///
/// Codes are stable kebab-case strings and are never renamed (frictionless-py's lesson): downstream
/// scripts match on them. Where Frictionless has a name for the same problem, we use it. A struct
/// of constants rather than an enum: clients compare the strings, so a module built against an
/// older catalogue can never read one code as another.
public struct IssueCode: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Only catalogue codes exist: an unknown text is nil.
    public init?(rawValue: String) {
        guard Self.catalogue[IssueCode(code: rawValue)] != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(code: String) { rawValue = code }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = IssueCode(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown issue code \(text)"))
        }
        self = code
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    // Frictionless names
    public static let blankLabel = IssueCode(code: "blank-label")
    public static let duplicateLabel = IssueCode(code: "duplicate-label")
    public static let missingLabel = IssueCode(code: "missing-label")
    public static let extraCell = IssueCode(code: "extra-cell")
    public static let missingCell = IssueCode(code: "missing-cell")
    public static let blankRow = IssueCode(code: "blank-row")
    public static let typeError = IssueCode(code: "type-error")
    public static let constraintError = IssueCode(code: "constraint-error")
    public static let uniqueError = IssueCode(code: "unique-error")
    public static let primaryKey = IssueCode(code: "primary-key")
    public static let foreignKey = IssueCode(code: "foreign-key")
    public static let encodingError = IssueCode(code: "encoding-error")
    public static let sourceError = IssueCode(code: "source-error")
    public static let formatError = IssueCode(code: "format-error")
    // the project's own
    public static let unterminatedQuote = IssueCode(code: "unterminated-quote")
    public static let csvLimit = IssueCode(code: "csv-limit")
    public static let binaryContent = IssueCode(code: "binary-content")
    public static let unitError = IssueCode(code: "unit-error")
    public static let periodError = IssueCode(code: "period-error")
    public static let unknownMarker = IssueCode(code: "unknown-marker")
    public static let unknownCode = IssueCode(code: "unknown-code")
    public static let partExceedsTotal = IssueCode(code: "part-exceeds-total")
    public static let sumMismatch = IssueCode(code: "sum-mismatch")
    public static let shareSum = IssueCode(code: "share-sum")
    public static let ratioMismatch = IssueCode(code: "ratio-mismatch")
    public static let completeness = IssueCode(code: "completeness")
    public static let yoyJump = IssueCode(code: "yoy-jump")
    public static let revision = IssueCode(code: "revision")
    public static let crossSource = IssueCode(code: "cross-source")
    public static let periodCoverage = IssueCode(code: "period-coverage")
    public static let xmlError = IssueCode(code: "xml-error")
    public static let xmlDTDRefused = IssueCode(code: "xml-dtd-refused")
    public static let sdmxError = IssueCode(code: "sdmx-error")
    public static let estatError = IssueCode(code: "estat-error")
    public static let zipError = IssueCode(code: "zip-error")
    public static let zipLimit = IssueCode(code: "zip-limit")
    public static let specError = IssueCode(code: "spec-error")
    public static let ioError = IssueCode(code: "io-error")
    public static let lockHeld = IssueCode(code: "lock-held")
    public static let checkedNothing = IssueCode(code: "checked-nothing")
    public static let usageError = IssueCode(code: "usage-error")
    public static let jsonError = IssueCode(code: "json-error")
    public static let xlsError = IssueCode(code: "xls-error")
    public static let fetchError = IssueCode(code: "fetch-error")
    public static let rawNotAsFetched = IssueCode(code: "raw-not-as-fetched")
    public static let rawChanged = IssueCode(code: "raw-changed")

    /// Every code, in catalogue order (the order of docs/errors.md).
    public static let allCases: [IssueCode] = [
        .blankLabel, .duplicateLabel, .missingLabel, .extraCell, .missingCell, .blankRow, .typeError,
        .constraintError, .uniqueError, .primaryKey, .foreignKey, .encodingError, .sourceError, .formatError,
        .unterminatedQuote, .csvLimit, .binaryContent, .unitError, .periodError, .unknownMarker, .unknownCode,
        .partExceedsTotal, .sumMismatch, .shareSum, .ratioMismatch, .completeness, .yoyJump, .revision,
        .crossSource, .periodCoverage, .xmlError, .xmlDTDRefused, .sdmxError, .estatError, .zipError,
        .zipLimit, .specError, .ioError, .lockHeld,
        .checkedNothing,
        .usageError,
        .jsonError, .xlsError,
        .rawChanged,
        .fetchError, .rawNotAsFetched,
    ]

    /// A short title for report headings.
    public var title: String { Self.catalogue[self]!.title }
    /// What the problem means and what usually causes it.
    public var summary: String { Self.catalogue[self]!.summary }
    /// The message shape; `{name}` placeholders are filled from a finding's fields.
    public var template: String { Self.catalogue[self]!.template }
    /// Severity unless a pipeline spec overrides it.
    public var defaultSeverity: Severity { Self.catalogue[self]!.severity }

    private struct Entry { let title, summary, template: String; let severity: Severity }

    private static let catalogue: [IssueCode: Entry] = [
        .blankLabel: Entry(title: "Blank label", summary: "A header cell is empty.",
            template: "header column {column} is blank", severity: .error),
        .duplicateLabel: Entry(title: "Duplicate label", summary: "Two header cells carry the same label.",
            template: "header label {raw} appears more than once", severity: .error),
        .missingLabel: Entry(title: "Missing label", summary: "A column the pipeline spec names is not in the header.",
            template: "expected header {expected} not found", severity: .error),
        .extraCell: Entry(title: "Extra cell", summary: "A row has more cells than the header.",
            template: "row has {actual} cells, header has {expected}", severity: .error),
        .missingCell: Entry(title: "Missing cell", summary: "A row has fewer cells than the header.",
            template: "row has {actual} cells, header has {expected}", severity: .error),
        .blankRow: Entry(title: "Blank row", summary: "A row inside the data has no values.",
            template: "blank row inside the data", severity: .warning),
        .typeError: Entry(title: "Type error", summary: "A cell cannot be read as the type its field declares.",
            template: "{raw} is not a valid {expected}", severity: .error),
        .constraintError: Entry(title: "Constraint error", summary: "A value breaks a Table Schema constraint.",
            template: "value {actual} breaks constraint {expected}", severity: .error),
        .uniqueError: Entry(title: "Unique error", summary: "A field declared unique repeats a value.",
            template: "value {actual} repeats a value of a unique field", severity: .error),
        .primaryKey: Entry(title: "Primary key error", summary: "Two rows share the same primary key.",
            template: "primary key {actual} appears more than once", severity: .error),
        .foreignKey: Entry(title: "Foreign key error", summary: "A value is not among the codes of the resource or code list its foreign key points to.",
            template: "{actual} is not in {expected}", severity: .error),
        .encodingError: Entry(title: "Encoding error", summary: "Bytes that do not decode in the file's encoding.",
            template: "bytes {raw} are not valid {expected}", severity: .error),
        .sourceError: Entry(title: "Source error", summary: "The file cannot be read as the declared format.",
            template: "{actual}", severity: .error),
        .formatError: Entry(title: "Format error", summary: "The file is not in a format curate can read, or not the one declared.",
            template: "expected {expected}, found {actual}", severity: .error),
        .unterminatedQuote: Entry(title: "Unterminated quote", summary: "A quoted CSV field is still open at the end of the file.",
            template: "quoted field opened here is never closed", severity: .error),
        .csvLimit: Entry(title: "CSV limit", summary: "A CSV field or row is beyond curate's limits (field size, columns per row): a broken or hostile file.",
            template: "{actual}", severity: .error),
        .binaryContent: Entry(title: "Binary content", summary: "A text file holds NUL bytes: it is binary, or not in the declared encoding.",
            template: "{actual}", severity: .error),
        .unitError: Entry(title: "Unit error", summary: "A unit is unknown, or differs from the unit the spec declares.",
            template: "unit {raw}: expected {expected}, found {actual}", severity: .error),
        .periodError: Entry(title: "Period error", summary: "A period label cannot be read, or names an impossible date.",
            template: "{raw} is not a valid {expected} period", severity: .error),
        .unknownMarker: Entry(title: "Unknown marker", summary: "A cell holds a mark (such as x or …) that the spec does not declare.",
            template: "marker {raw} is not declared for this source", severity: .error),
        .unknownCode: Entry(title: "Unknown code", summary: "A label or code that the pipeline's spec or code list does not know.",
            template: "{raw} is not known: expected {expected}", severity: .error),
        .partExceedsTotal: Entry(title: "Part exceeds total", summary: "A part is larger than the total it belongs to.",
            template: "{actual} exceeds its total {expected}", severity: .error),
        .sumMismatch: Entry(title: "Sum mismatch", summary: "A total differs from the sum of its parts by more than the published rounding allows.",
            template: "total {actual}, parts sum to {expected}", severity: .error),
        .shareSum: Entry(title: "Shares do not sum to 100", summary: "Shares (percentages) of a whole sum to something other than 100 beyond rounding.",
            template: "shares sum to {actual}, expected {expected}", severity: .error),
        .ratioMismatch: Entry(title: "Ratio mismatch", summary: "A published ratio (an average, a per-unit figure) differs from the quotient of its inputs beyond rounding.",
            template: "ratio {actual}, inputs give {expected}", severity: .error),
        .completeness: Entry(title: "Incomplete", summary: "An expected period × measure combination has no value.",
            template: "{actual} (expected {expected})", severity: .error),
        .yoyJump: Entry(title: "Year-on-year jump", summary: "A value changes from one period to the next by more than the declared bound (often a typo: a digit too many).",
            template: "{actual}, bound {expected}", severity: .error),
        .revision: Entry(title: "Revision", summary: "A value already published in the previous release has changed (or gone).",
            template: "was {expected}, now {actual}", severity: .warning),
        .crossSource: Entry(title: "Sources disagree", summary: "The same figure published in two datasets differs beyond the rounding of both.",
            template: "{actual} here, {expected} there", severity: .error),
        .periodCoverage: Entry(title: "Period coverage", summary: "A period is outside the declared range, or one in it is missing.",
            template: "periods expected {expected}, found {actual}", severity: .error),
        .xmlError: Entry(title: "XML error", summary: "The file is not well-formed XML, or breaks one of libxml2's safety limits (depth, node size).",
            template: "{actual}", severity: .error),
        .xmlDTDRefused: Entry(title: "DTD refused", summary: "An XML file declares a DTD; curate refuses DTDs (entity expansion, external entities).",
            template: "{actual}", severity: .error),
        .sdmxError: Entry(title: "SDMX service message", summary: "An SDMX message carries an error or footer message from the service instead of (all of) the data.",
            template: "{actual}", severity: .error),
        .estatError: Entry(title: "e-Stat API error", summary: "An e-Stat API response reports a STATUS other than 0 (with its ERROR_MSG) instead of data.",
            template: "{actual}", severity: .error),
        .zipError: Entry(title: "Archive error", summary: "An XLSX file is not a readable zip archive, lacks a part, or names an entry that leaves the archive (`..`, absolute path).",
            template: "{actual}", severity: .error),
        .zipLimit: Entry(title: "Archive limit", summary: "An XLSX entry inflates beyond a limit (size, compression ratio, declared size, entry count): a zip bomb is refused.",
            template: "{actual}", severity: .error),
        .specError: Entry(title: "Pipeline spec error", summary: "A pipeline spec has an unknown key or a bad value.",
            template: "{actual}", severity: .error),
        .ioError: Entry(title: "Input/output error", summary: "A file is missing, unreadable or cannot be written.",
            template: "{actual}", severity: .error),
        .lockHeld: Entry(title: "Lock held", summary: "Another curate run holds the lock on Curated/.",
            template: "lock held by {actual}", severity: .error),
        .checkedNothing: Entry(title: "Checked nothing", summary: "A consistency rule judged no item: the measures, codes or groups it names are not in the data, or every one lacks a value. A check that checked nothing never passes.",
            template: "rule checked nothing: {actual}", severity: .error),
        .usageError: Entry(title: "Usage error", summary: "The command line is wrong: an unknown option, a missing or bad argument (exit 2). Reported with this code in `--log-format json`.",
            template: "{actual}", severity: .error),
        .jsonError: Entry(title: "JSON error", summary: "A JSON file (e-Stat API, SDMX-JSON) is not well-formed, breaks a limit (size, depth), or lacks a part its format requires.",
            template: "{actual}", severity: .error),
        .xlsError: Entry(title: "Legacy Excel error", summary: "An .xls workbook (BIFF in an OLE2 container) cannot be read by libfreexl, is password-protected, or breaks a limit (cells, file size).",
            template: "{actual}", severity: .error),
        .rawChanged: Entry(title: "Raw file changed during the run", summary: "The raw file was replaced, written to or truncated while the run read it: the bytes read may mix two versions, so nothing is published (exit 3). Run again once the copy is complete.",
            template: "{actual}", severity: .error),
        .fetchError: Entry(title: "Fetch failed", summary: "`curate fetch` could not get a source: an HTTP error status (404, or 429/5xx after its retries), a download cut short (fewer bytes than Content-Length), a body over the size limit, a redirect loop, a timeout, or a missing ESTAT_APP_ID. The previous raw file is kept untouched.",
            template: "{actual}", severity: .error),
        .rawNotAsFetched: Entry(title: "Raw file changed since fetched", summary: "A raw file's bytes differ from what Raw/sources.lock.json records for it: it was edited or replaced by hand after `curate fetch`. Fetch it again, or say in its PROVENANCE.md why it differs.",
            template: "expected {expected}, found {actual}", severity: .warning),
    ]
}
