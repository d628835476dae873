import CurateCore

/// A curated long table held for checking: its schema and rows with lineage.
public struct CuratedTable: Sendable {
    public var schema: TableSchema
    public var rows: [CuratedRow]

    public init(schema: TableSchema, rows: [CuratedRow]) { self.schema = schema; self.rows = rows }

    /// Where a row's field came from, for a finding: the source cell, with this field's value.
    func location(of row: CuratedRow, field: String? = nil) -> SourceLocation {
        var place = row.lineage.source
        if let field, place.field == nil { place.field = field }
        return place
    }

    /// Sorts rows by the primary key so that output order never depends on input order.
    public mutating func sortByPrimaryKey() {
        let keys = schema.primaryKey.compactMap { schema.index(of: $0) }
        rows.sort { a, b in
            for k in keys where a.values[k] != b.values[k] { return a.values[k].sortsBefore(b.values[k]) }
            return false
        }
    }
}

/// A row's primary key as text, its values joined by "+" ("2023+projects"): how rows are matched
/// across releases (revisions, `curate diff`), keyed in the store, and tied to their lineage.
public struct PrimaryKeyText: Sendable {
    let indexes: [Int]

    public init(_ schema: TableSchema) { indexes = schema.primaryKey.compactMap { schema.index(of: $0) } }
    init(indexes: [Int]) { self.indexes = indexes }

    public func callAsFunction(_ row: CuratedRow) -> String { Self.join(indexes.map { row.values[$0].description }) }

    /// The same text from key cells read back as printed (data.csv, lineage.csv).
    public static func join(_ cells: [String]) -> String { cells.joined(separator: "+") }
}

extension Value {
    /// Numbers by value, strings by code point; nulls first.
    package func sortsBefore(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): false
        case (.null, _): true
        case (_, .null): false
        case (.integer(let a), .integer(let b)): a < b
        // UTF-8 byte order is code point order, and needs no array per comparison.
        case (.string(let a), .string(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        default:
            if let a = decimal, let b = other.decimal { a < b } else { description < other.description }
        }
    }
}
