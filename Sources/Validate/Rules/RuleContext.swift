import Foundation
import CurateCore

/// What a rule may compare the table with, besides itself.
public struct RuleContext: Sendable {
    /// The release now in Curated/ (for revisions), when there is one.
    public var previous: CuratedTable?
    /// Other curated datasets by name (for cross-source checks).
    public var datasets: [String: CuratedTable]

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

    init(_ table: CuratedTable, groupBy: [String], measureField: String, valueField: String, rule: String) throws {
        self.table = table
        keys = try groupBy.map { try fieldIndex($0, in: table, rule: rule) }
        measure = try fieldIndex(measureField, in: table, rule: rule)
        value = try fieldIndex(valueField, in: table, rule: rule)
        for row in table.rows {
            let key = keys.map { row.values[$0] }
            if groups[key] == nil { order.append(key); groups[key] = [:] }
            if case .string(let name) = row.values[measure] { groups[key]![name] = row }
        }
    }

    func value(_ row: CuratedRow?) -> Decimal? { row?.values[value].decimal }

    /// Half the precision of a row's value: how far the published figure may be from the true one.
    func halfPrecision(_ row: CuratedRow?) -> Decimal { (row?.lineage.precision ?? 0) / 2 }

    func describe(_ key: [Value]) -> String { key.map(\.description).joined(separator: "+") }
}
