/// Where a value came from: the steward must be able to open the file and find the cell.
public struct SourceLocation: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Path as given (relative to the project root for pipeline runs).
    public var file: String
    /// 1-based physical line of the file where the row starts (what an editor shows).
    public var row: Int?
    /// 1-based column number, or nil when the problem is the whole row.
    public var column: Int?
    /// The header label of the column, when there is one.
    public var field: String?
    /// The cell text exactly as decoded from the file.
    public var raw: String?

    public init(file: String, row: Int? = nil, column: Int? = nil, field: String? = nil, raw: String? = nil) {
        self.file = file; self.row = row; self.column = column; self.field = field; self.raw = raw
    }

    public var description: String {
        var s = file
        if let row { s += ":\(row)" }
        if let column { s += ":\(column)" }
        if let field { s += " [\(field)]" }
        if let raw { s += " \(raw.debugDescription)" }
        return s
    }
}
