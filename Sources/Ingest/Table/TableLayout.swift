/// How a table laid out for printing sits in its file: where the header is and where data ends.
///
/// Declared in the pipeline spec. Record numbers count CSV records, 1-based (a title line is a record).
public struct TableLayout: Sendable, Equatable {
    /// The record holding the header; nil picks the first of the opening records with two or more
    /// non-empty cells (title and unit lines have one).
    public var headerRecord: Int?
    /// A first cell starting with one of these ends the data: everything after is footnotes.
    public var footnotePrefixes: [String]

    public static let japaneseFootnotePrefixes = ["注", "（注", "(注", "資料", "出典", "出所", "（出典", "（出所", "※"]

    public init(headerRecord: Int? = nil, footnotePrefixes: [String] = TableLayout.japaneseFootnotePrefixes) {
        self.headerRecord = headerRecord; self.footnotePrefixes = footnotePrefixes
    }
}
