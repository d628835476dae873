import Foundation
import CurateCore

/// Checks rows against their Table Schema: types, constraints, unique fields and the primary key.
public struct SchemaValidator: Sendable {
    /// Referenced resource → its codes, for foreign keys.
    public var references: [String: Set<String>]

    public init(references: [String: Set<String>] = [:]) { self.references = references }

    /// What the values of `unique` fields may take in memory before they spill to disk.
    public static let uniqueMemoryBudget = 16 << 20

    /// Checks a table held in memory; its unique values are held too (no budget: the table is).
    public func check(_ table: CuratedTable, into report: inout ReportBuilder) {
        var rows = rowChecker(for: table.schema, uniqueMemoryBudget: .max)
        report.begin("schema", severity: .error)
        var keySeen: [[Value]: Int] = [:]
        let keyIndexes = table.schema.primaryKey.compactMap { table.schema.index(of: $0) }
        for (rowIndex, row) in table.rows.enumerated() {
            var first: SourceLocation?
            if !keyIndexes.isEmpty {
                let key = keyIndexes.map { row.values[$0] }
                if let seen = keySeen[key] { first = table.rows[seen].lineage.source } else { keySeen[key] = rowIndex }
            }
            rows.check(row, duplicateOf: first, into: &report)
        }
        try? rows.finish(into: &report)   // nothing spilled: no budget, no file
    }

    /// The checks of one row at a time, for rows streaming in primary-key order: the caller finds
    /// duplicate keys (the sorter sees them side by side) and passes the first row's place.
    /// Values of `unique` fields past `uniqueMemoryBudget` spill to a folder made under
    /// `spillDirectory` (the system's temporary folder when nil); `finish` reports their repeats.
    public func rowChecker(for schema: TableSchema, spillDirectory: String? = nil,
                           uniqueMemoryBudget: Int = SchemaValidator.uniqueMemoryBudget) -> RowChecker {
        RowChecker(validator: self, schema: schema, unique: UniqueValues(fieldNames: schema.fields.map(\.name),
                                                                        memoryBudget: uniqueMemoryBudget, directory: spillDirectory))
    }

    /// Per-row schema checks; the only state kept is the values of fields declared `unique`
    /// (bounded: see `UniqueValues`).
    public struct RowChecker {
        let validator: SchemaValidator
        let schema: TableSchema
        let keyFields: Set<String>
        private let hasUnique: Bool
        /// The per-row checks: the thread that calls `checkCells` for each row borrows them.
        public let cells: CellChecker
        private let unique: UniqueValues
        /// Rows checked so far: a row's number in the stream.
        private var seq = 0

        init(validator: SchemaValidator, schema: TableSchema, unique: UniqueValues) {
            self.validator = validator; self.schema = schema; keyFields = Set(schema.primaryKey); self.unique = unique
            hasUnique = schema.fields.contains { $0.constraints?.unique == true }
            cells = CellChecker(validator: validator, schema: schema)
        }

        /// Reports the repeats of unique values found only once the rows are in (the values
        /// spilled to disk past the budget), after every row has been checked.
        public func finish(into report: inout ReportBuilder) throws { try unique.finish(into: &report) }

        private func location(of row: CuratedRow, field: String? = nil) -> SourceLocation {
            var place = row.lineage.source
            if let field, place.field == nil { place.field = field }
            return place
        }

        /// Checks `row`; `first` is the place of an earlier row with the same primary key.
        public mutating func check(_ row: CuratedRow, duplicateOf first: SourceLocation?, into report: inout ReportBuilder) {
            report.begin("schema", severity: .error)
            let cellsPassed = checkCells(row, into: &report)
            checkTable(row, cellsPassed: cellsPassed, duplicateOf: first, into: &report)
        }

        /// The checks a row passes or fails on its own (types, constraints, foreign keys), in any
        /// order: a streaming run makes them as rows arrive, before the sort. Counts nothing: the
        /// row is counted once, by `checkTable`, with this verdict.
        public func checkCells(_ row: CuratedRow, into report: inout ReportBuilder) -> Bool {
            cells.check(row.values, at: { row.lineage.source }, into: &report)
        }

        /// Whether `checkTable` needs the row itself when its key repeats none: the schema has
        /// `unique` fields. Otherwise a streaming run hands it only rows whose key repeats.
        public var needsEveryRow: Bool { hasUnique }

        /// The checks across rows, made in primary-key order: a repeated key (`first` is the place
        /// of the earlier row) and repeated values of `unique` fields; then the row is counted,
        /// failed when `cellsPassed` is false or either check fails. `row` may be nil only when
        /// `first` is nil and `needsEveryRow` is false.
        public mutating func checkTable(_ row: CuratedRow?, cellsPassed: Bool, duplicateOf first: SourceLocation?, into report: inout ReportBuilder) {
            report.begin("schema", severity: .error)
            defer { seq += 1 }
            guard let row else {
                precondition(first == nil && !hasUnique, "checkTable needs the row")
                report.count(passed: cellsPassed)
                return
            }
            var ok = cellsPassed
            var deferred: [(field: Int, value: Value)] = []
            if hasUnique {
                for (index, field) in schema.fields.enumerated() where field.constraints?.unique == true {
                    let value = index < row.values.count ? row.values[index] : .null
                    guard value != .null else { continue }
                    switch unique.record(value, field: index, row: row.lineage.source.row ?? 0, seq: seq) {
                    case .first: break
                    case .deferred: deferred.append((index, value))
                    case .repeatOf(let firstRow):
                        ok = false
                        report.add(Finding(.uniqueError, check: "schema", location: location(of: row, field: field.name),
                                           expected: "unique (first at row \(firstRow))",
                                           actual: value.description))
                    }
                }
            }
            if let first {
                ok = false
                let key = schema.primaryKey.compactMap { schema.index(of: $0) }.map { row.values[$0] }
                report.add(Finding(.primaryKey, check: "schema", location: location(of: row),
                                   expected: "unique \(schema.primaryKey.joined(separator: "+")) (first at \(first.file):\(first.row ?? 0))",
                                   actual: key.map(\.description).joined(separator: "+")))
            }
            if !deferred.isEmpty { unique.hold(deferred, seq: seq, ok: ok, place: row.lineage.source) }
            report.count(passed: ok)
        }
    }

    /// The checks a row passes or fails on its own, per field: a class, so the thread that checks
    /// a table's rows one by one holds one reference, not a copy of the schema and its codes.
    public final class CellChecker: @unchecked Sendable {
        let validator: SchemaValidator
        let schema: TableSchema
        private let isKey: [Bool]
        /// Per field: part of the primary key, its type, and whether a value can fail more than its type and presence
        /// (a constraint beyond `required`): the others are checked without copying the field.
        private let types: [Field.FieldType]
        private let constrained: [Bool]
        private let required: [Bool]
        /// Per field: its bounds when they are its only constraint beyond `required` (nil otherwise).
        private let boundsOnly: [(minimum: Decimal?, maximum: Decimal?)?]
        private let hasForeignKeys: Bool

        init(validator: SchemaValidator, schema: TableSchema) {
            self.validator = validator; self.schema = schema
            let keys = Set(schema.primaryKey)
            isKey = schema.fields.map { keys.contains($0.name) }
            types = schema.fields.map(\.type)
            constrained = schema.fields.map { f in
                guard let c = f.constraints else { return false }
                return c.minimum != nil || c.maximum != nil || c.enum != nil || c.pattern != nil
            }
            required = schema.fields.map { $0.constraints?.required == true || keys.contains($0.name) }
            boundsOnly = schema.fields.map { f in
                guard let c = f.constraints, c.enum == nil, c.pattern == nil else { return nil }
                return (c.minimum, c.maximum)
            }
            hasForeignKeys = !(schema.foreignKeys ?? []).isEmpty
        }

        /// What a value is, as far as `surelyPasses` needs to know.
        public enum Kind { case null, integer, number, string }

        /// True when a value of `kind` (a number's value given by `number`, asked for only when a
        /// bound needs it) in field `index` passes every check `check` makes of it: a reader of
        /// encoded rows then needs no `Value`. False when it may fail: `check` gives the verdict.
        public func surelyPasses(field index: Int, _ kind: Kind, number: () -> Decimal?) -> Bool {
            guard !hasForeignKeys, index < types.count else { return false }
            switch kind {
            case .null: return !required[index]
            case .string: return types[index] == .string && !constrained[index]
            case .integer, .number:
                switch types[index] {
                case .number: break
                case .integer, .year: guard kind == .integer else { return false }
                case .string: return false
                }
                guard constrained[index] else { return true }
                guard let bounds = boundsOnly[index], let d = number() else { return false }
                if let min = bounds.minimum, d.fastLess(than: min) { return false }
                if let max = bounds.maximum, max.fastLess(than: d) { return false }
                return true
            }
        }

        /// A row's values, with its place (asked for only when there is a finding).
        public func check(_ values: [Value], at place: () -> SourceLocation, into report: inout ReportBuilder) -> Bool {
            report.begin("schema", severity: .error)
            var ok = true
            func location(_ field: String) -> SourceLocation {
                var p = place()
                if p.field == nil { p.field = field }
                return p
            }
            for index in types.indices {
                let value = index < values.count ? values[index] : .null
                if !constrained[index] {
                    // The usual verdict without a copy of the field; `problems` words a failure.
                    if case .null = value { if !required[index] { continue } } else if SchemaValidator.typeMatches(types[index], value) { continue }
                }
                let field = schema.fields[index]
                for failure in validator.problems(value, field, isKey: isKey[index]) {
                    ok = false
                    report.add(Finding(failure.code, check: "schema", location: location(field.name),
                                       expected: failure.expected, actual: value.description))
                }
            }
            for key in schema.foreignKeys ?? [] {
                guard let index = schema.index(of: key.fields), index < values.count, values[index] != .null else { continue }
                let value = values[index].description
                if let codes = validator.references[key.reference.resource], !codes.contains(value) {
                    ok = false
                    report.add(Finding(.foreignKey, check: "schema", location: location(key.fields),
                                       expected: "a code of \(key.reference.resource)", actual: value))
                }
            }
            return ok
        }
    }

    struct Problem { let code: IssueCode; let expected: String }

    /// A non-null value of a field's type (an integer is a number too).
    static func typeMatches(_ type: Field.FieldType, _ value: Value) -> Bool {
        switch (type, value) {
        case (.string, .string), (.integer, .integer), (.year, .integer), (.number, .number), (.number, .integer): true
        default: false
        }
    }

    /// Primary-key fields are required by Table Schema even without `required: true`.
    func problems(_ value: Value, _ field: Field, isKey: Bool) -> [Problem] {
        let c = field.constraints
        if value == .null {
            return c?.required == true || isKey ? [Problem(code: .constraintError, expected: "required")] : []
        }
        guard Self.typeMatches(field.type, value) else { return [Problem(code: .typeError, expected: field.type.rawValue)] }
        var found: [Problem] = []
        if let min = c?.minimum, let d = value.decimal, d.fastLess(than: min) { found.append(Problem(code: .constraintError, expected: "minimum \(min.canonicalText)")) }
        if let max = c?.maximum, let d = value.decimal, max.fastLess(than: d) { found.append(Problem(code: .constraintError, expected: "maximum \(max.canonicalText)")) }
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
