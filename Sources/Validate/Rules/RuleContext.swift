import Foundation
import CurateCore

/// What a rule may compare the table with, besides itself.
public struct RuleContext: Sendable {
    /// The release now in Curated/ (for revisions), when there is one.
    public var previous: CuratedTable?
    /// Other curated datasets by name (for cross-source checks).
    public var datasets: [String: CuratedTable]
    /// The id of the release revisions compare with, when it is streamed rather than held in
    /// `previous` (see `RuleStream`).
    public var previousRelease: String?

    public init(previous: CuratedTable? = nil, datasets: [String: CuratedTable] = [:]) {
        self.previous = previous; self.datasets = datasets
    }
}

/// The table seen as values by group (the period, or any `group_by` fields) and measure.
struct MeasureGrid {
    let table: CuratedTable
    let keys: [Int]
    let measure: Int
    let value: Int
    /// Group key → measure → row, groups in first-seen order.
    private(set) var groups: [[Value]: [String: CuratedRow]] = [:]
    private(set) var order: [[Value]] = []

    /// With `completeKey`, rows are also grouped by every other primary-key field (a country, a
    /// sector), so a table with a category dimension is checked per category: without it, rows of
    /// two categories would overwrite each other in one group and one of them go unchecked.
    init(_ table: CuratedTable, groupBy: [String], measureField: String, valueField: String, rule: String, completeKey: Bool = false) throws {
        self.table = table
        let fields = completeKey ? groupBy + table.schema.primaryKey.filter { $0 != measureField && !groupBy.contains($0) } : groupBy
        keys = try fields.map { try fieldIndex($0, in: table, rule: rule) }
        measure = try fieldIndex(measureField, in: table, rule: rule)
        value = try fieldIndex(valueField, in: table, rule: rule)
        for row in table.rows {
            let key = keys.map { row.values[$0] }
            if groups[key] == nil { order.append(key); groups[key] = [:] }
            if let name = row.values[measure].text { groups[key]![name] = row }
        }
    }

    func value(_ row: CuratedRow?) -> Decimal? { row?.values[value].decimal }

    /// Half the precision of a row's value: how far the published figure may be from the true one.
    func halfPrecision(_ row: CuratedRow?) -> Decimal { (row?.lineage.precision ?? 0) / 2 }

    func describe(_ key: [Value]) -> String { key.map(\.description).joined(separator: "+") }
}

extension Value {
    /// The value as a code: a string as it is, an integer as its digits (a year used as a category).
    var text: String? {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }
}
