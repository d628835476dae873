import Foundation
import CurateCore
@testable import Validate

/// The long-table schema the pipelines use: period, measure, value, unit.
let longSchema = TableSchema(fields: [
    Field(name: "fiscal_year", type: .integer, constraints: Constraints(required: true, minimum: 1950, maximum: 2100)),
    Field(name: "measure", type: .string, constraints: Constraints(required: true, enum: ["projects", "amount", "amount_10m_plus"])),
    Field(name: "value", type: .number, constraints: Constraints(required: true, minimum: 0)),
    Field(name: "unit", type: .string, constraints: Constraints(required: true, pattern: "[A-Za-z]+")),
], primaryKey: ["fiscal_year", "measure"])

/// A row as if read from line `line`, column `column` of raw.csv.
func row(_ year: Value, _ measure: String, _ value: Value, _ unit: String = "JPY", line: Int, column: Int = 3, raw: String? = nil) -> CuratedRow {
    CuratedRow(values: [year, .string(measure), value, .string(unit)],
               lineage: Lineage(source: SourceLocation(file: "raw.csv", row: line, column: column, field: "受入額", raw: raw ?? value.description)))
}

func number(_ text: String) -> Value { .number(Decimal(string: text)!) }

func check(_ rows: [CuratedRow], rules: [any ConsistencyRule] = []) throws -> ValidationReport {
    let table = CuratedTable(schema: longSchema, rows: rows)
    var builder = ReportBuilder()
    SchemaValidator().check(table, into: &builder)
    for rule in rules { try rule.check(table, context: RuleContext(), into: &builder) }
    return builder.build(dataset: "test", rows: rows.count)
}
