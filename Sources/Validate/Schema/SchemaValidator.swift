import Foundation
import CurateCore

/// Checks rows against their Table Schema: types, constraints, unique fields and the primary key.
public struct SchemaValidator: Sendable {
    /// Referenced resource → its codes, for foreign keys.
    public var references: [String: Set<String>]

    public init(references: [String: Set<String>] = [:]) { self.references = references }

    public func check(_ table: CuratedTable, into report: inout ReportBuilder) {
        let schema = table.schema
        report.begin("schema", severity: .error)
        var uniqueSeen: [Int: [Value: Int]] = [:]
        var keySeen: [[Value]: Int] = [:]
        let keyIndexes = schema.primaryKey.compactMap { schema.index(of: $0) }
        for (rowIndex, row) in table.rows.enumerated() {
            var ok = true
            for (index, field) in schema.fields.enumerated() {
                let value = index < row.values.count ? row.values[index] : .null
                for failure in problems(value, field, isKey: schema.primaryKey.contains(field.name)) {
                    ok = false
                    report.add(Finding(failure.code, check: "schema", location: table.location(of: row, field: field.name),
                                       expected: failure.expected, actual: value.description))
                }
                if field.constraints?.unique == true, value != .null {
                    if let first = uniqueSeen[index, default: [:]][value] {
                        ok = false
                        report.add(Finding(.uniqueError, check: "schema", location: table.location(of: row, field: field.name),
                                           expected: "unique (first at row \(table.rows[first].lineage.source.row ?? 0))",
                                           actual: value.description))
                    } else { uniqueSeen[index, default: [:]][value] = rowIndex }
                }
            }
            for key in schema.foreignKeys ?? [] {
                guard let index = schema.index(of: key.fields), row.values[index] != .null else { continue }
                let value = row.values[index].description
                if let codes = references[key.reference.resource], !codes.contains(value) {
                    ok = false
                    report.add(Finding(.foreignKey, check: "schema", location: table.location(of: row, field: key.fields),
                                       expected: "a code of \(key.reference.resource)", actual: value))
                }
            }
            if !keyIndexes.isEmpty {
                let key = keyIndexes.map { row.values[$0] }
                if let first = keySeen[key] {
                    ok = false
                    let firstPlace = table.rows[first].lineage.source
                    report.add(Finding(.primaryKey, check: "schema", location: table.location(of: row),
                                       expected: "unique \(schema.primaryKey.joined(separator: "+")) (first at \(firstPlace.file):\(firstPlace.row ?? 0))",
                                       actual: key.map(\.description).joined(separator: "+")))
                } else { keySeen[key] = rowIndex }
            }
            report.count(passed: ok)
        }
    }

    private struct Problem { let code: IssueCode; let expected: String }

    /// Primary-key fields are required by Table Schema even without `required: true`.
    private func problems(_ value: Value, _ field: Field, isKey: Bool) -> [Problem] {
        let c = field.constraints
        if value == .null {
            return c?.required == true || isKey ? [Problem(code: .constraintError, expected: "required")] : []
        }
        switch (field.type, value) {
        case (.string, .string), (.integer, .integer), (.year, .integer), (.number, .number), (.number, .integer): break
        default: return [Problem(code: .typeError, expected: field.type.rawValue)]
        }
        var found: [Problem] = []
        if let min = c?.minimum, let d = value.decimal, d < min { found.append(Problem(code: .constraintError, expected: "minimum \(min.canonicalText)")) }
        if let max = c?.maximum, let d = value.decimal, d > max { found.append(Problem(code: .constraintError, expected: "maximum \(max.canonicalText)")) }
        if let allowed = c?.enum, !allowed.contains(value.description) {
            found.append(Problem(code: .constraintError, expected: "one of \(allowed.joined(separator: ", "))"))
        }
        if let pattern = c?.pattern, case .string(let s) = value,
           s.range(of: "^(?:\(pattern))$", options: .regularExpression) == nil {
            found.append(Problem(code: .constraintError, expected: "pattern \(pattern)"))
        }
        return found
    }
}
