import CurateCore

/// How a table laid out for printing sits in its file: where the header is and where data ends.
///
/// Declared in the pipeline spec. Record numbers count CSV records, 1-based (a title line is a record).
public struct TableLayout: Sendable, Equatable {
    /// The record holding the header; nil picks the first of the opening records with two or more
    /// non-empty cells (title and unit lines have one).
    public var headerRecord: Int?
    /// How many records the header spans (printed tables often have two or three).
    public var headerRows: Int
    /// A first cell starting with one of these ends the data: everything after is footnotes.
    public var footnotePrefixes: [String]

    public static let japaneseFootnotePrefixes = ["注", "（注", "(注", "資料", "出典", "出所", "（出典", "（出所", "※"]

    /// A row whose label (first non-empty cell) is one of these, alone or followed by a bracket, is a
    /// subtotal: kept, and marked so that rules can check it against its parts.
    public var subtotalLabels: [String] { didSet { subtotalInitials = Self.initials(subtotalLabels) } }
    /// First scalars of the subtotal labels, kept to test rows cheaply.
    private var subtotalInitials: Set<Unicode.Scalar> = []

    private static func initials(_ labels: [String]) -> Set<Unicode.Scalar> { Set(labels.compactMap(\.unicodeScalars.first)) }

    public static let japaneseSubtotalLabels = ["計", "合計", "小計", "総計", "総数", "累計", "全体"]

    public init(headerRecord: Int? = nil, headerRows: Int = 1, footnotePrefixes: [String] = TableLayout.japaneseFootnotePrefixes,
                subtotalLabels: [String] = TableLayout.japaneseSubtotalLabels) {
        self.headerRecord = headerRecord; self.headerRows = max(1, headerRows)
        self.footnotePrefixes = footnotePrefixes; self.subtotalLabels = subtotalLabels
        subtotalInitials = Self.initials(subtotalLabels)
    }

    /// A header has two or more different non-empty cells: a title line has one (or, merged across
    /// a spreadsheet row, the same text repeated).
    public static func looksLikeHeader(_ record: RawRecord) -> Bool {
        Set(record.fields.map(\.trimmingWhitespace).filter { !$0.isEmpty }).count >= 2
    }

    /// Whether a cell starts one of the footnote prefixes (compared as bytes: this runs on every row).
    public func startsFootnote(_ text: String) -> Bool {
        footnotePrefixes.contains { text.utf8.starts(with: $0.utf8) }
    }

    /// Whether a data row is a subtotal row. Runs on every row: a first-character test settles
    /// nearly all of them before any string is built.
    public func isSubtotal(_ cells: [String]) -> Bool {
        func firstScalar(_ text: String) -> Unicode.Scalar? {
            // Most labels start with a printable ASCII byte: that is the answer without a look-up
            // of Unicode properties (which cost a few percent of a long table's read).
            if let b = text.utf8.first, b > 0x20, b < 0x7F { return Unicode.Scalar(b) }
            return text.unicodeScalars.first { !$0.properties.isWhitespace }
        }
        guard let cell = cells.first(where: { firstScalar($0) != nil }), let first = firstScalar(cell),
              subtotalInitials.contains(first) else { return false }
        let label = String(cell.filter { !$0.isWhitespace })
        return subtotalLabels.contains { label == $0 || label.hasPrefix($0 + "（") || label.hasPrefix($0 + "(") }
    }


    /// Combines the records of a multi-row header into one label per column. A blank cell in an
    /// upper row takes the value to its left when a row below names the column (a merged group
    /// heading exported to CSV leaves its other cells blank); parts are joined with `_`, and a part
    /// equal to the one above it (a cell merged downwards) is not repeated.
    public static func combine(_ rows: [[String]]) -> [String] {
        guard rows.count > 1 else { return rows.first ?? [] }
        let width = rows.map(\.count).max() ?? 0
        var filled = rows.map { $0.map(\.trimmingWhitespace) + Array(repeating: "", count: width - $0.count) }
        for r in 0..<(filled.count - 1) {
            for c in 1..<max(width, 1) where filled[r][c].isEmpty && filled[(r + 1)...].contains(where: { !$0[c].isEmpty }) {
                filled[r][c] = filled[r][c - 1]
            }
        }
        return (0..<width).map { c in
            var parts: [String] = []
            for row in filled where !row[c].isEmpty && parts.last != row[c] { parts.append(row[c]) }
            return parts.joined(separator: "_")
        }
    }
}
