import Foundation
import Validate

/// Writes a draft pipeline spec (YAML) from a description, for a steward to check and save as
/// Pipelines/<name>.yaml. Everything the file says is drafted; only what it cannot say — title,
/// publisher, url, licence — is left as `TODO`, which the spec loader refuses until filled.
enum SpecDraft {
    static func yaml(_ d: TableDescription) -> String {
        let stem = ((d.file as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(stem.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        while name.contains("--") { name = name.replacingOccurrences(of: "--", with: "-") }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if name.isEmpty { name = "new-dataset" }

        var out = "# Draft written by `curate describe` from \(d.file).\n"
        out += "# Fill in the placeholders (title, licence, publisher, url: what the file cannot say), check every line,\n# then save as Pipelines/\(name).yaml.\n"
        out += "name: \(name)\ntitle: \(q(d.title ?? "TODO"))\n"
        out += "license:\n  name: TODO\n  path: TODO\n"
        out += "source:\n  title: \(q(d.title ?? "TODO"))\n  publisher: TODO\n  url: TODO\n  path: \(q(d.file))\n"
        out += "read:\n  format: \(d.format)\n"
        if let sheet = d.sheet { out += "  sheet: \(q(sheet))\n" }
        if let encoding = d.encoding { out += "  encoding: \(encoding)\n" }
        if let delimiter = d.dialect.delimiter { out += "  delimiter: \(q(delimiter == "\t" ? "\\t" : delimiter))\n" }
        out += "  header_row: \(d.header.rows.first ?? 1)\n"
        if d.header.rows.count > 1 { out += "  header_rows: \(d.header.rows.count)\n" }

        let body: Body
        if let long = d.long { body = longShape(long) }
        else if d.layout == PipelineSpec.Layout.yearsAcross.rawValue { body = yearsAcross(d) }
        else { body = yearsDown(d) }
        out += "shape:\n" + body.shape

        let markers = Set(d.fields.flatMap { $0.markers ?? [] }).sorted()
        if !markers.isEmpty {
            out += "numbers:\n  # check what each marker means in this table (e-Stat's notes say): zero, not-available, confidential or not-applicable\n  markers:\n"
            for marker in markers { out += "    \(q(marker)): \(meaning(marker))\n" }
        }
        out += "schema:\n  fields:\n"
        out += "    - {name: \(body.periodField), type: integer, constraints: {required: true}}\n"
        out += "    - {name: measure, type: string, constraints: {required: true, enum: [\(body.measures.map(q).joined(separator: ", "))]}}\n"
        for field in body.dimensions { out += "    - {name: \(field), type: string, constraints: {required: true}}\n" }
        out += markers.isEmpty ? "    - {name: value, type: number, constraints: {required: true}}\n" : "    - {name: value, type: number}\n"
        out += "    - {name: unit, type: string, constraints: {required: true}}\n"
        if !markers.isEmpty { out += "    - {name: status, type: string}\n" }
        out += "  primary_key: [\(([body.periodField, LongField.measure] + body.dimensions).joined(separator: ", "))]\n"
        if !body.foreignKeys.isEmpty {
            out += "  foreign_keys:\n"
            for (field, list) in body.foreignKeys { out += "    - {field: \(field), codelist: \(list)}\n" }
        }
        out += body.rules.contains("- name:") ? "rules:\n" + body.rules : body.rules + "rules: []\n"
        return out
    }

    private struct Body {
        var shape = ""
        var periodField = "year"
        var measures: [String] = []
        var dimensions: [String] = []
        var foreignKeys: [(String, String)] = []
        var rules = ""
    }

    static func q(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// e-Stat's and Japanese tables' usual meanings; the draft's comment asks for a check.
    private static func meaning(_ marker: String) -> String {
        switch marker {
        case "x", "X", "χ": "confidential"
        case "-", "－", "―", "—", "‐": "not-applicable"
        default: "not-available"
        }
    }

    private static func periodField(_ kind: String) -> String { kind == "fiscal" ? "fiscal_year" : "year" }

    /// A measure name from a label: the label itself, which curated rows carry in `measure`.
    private static func measureName(_ label: String) -> String { label.trimmingWhitespace.isEmpty ? "value" : label.trimmingWhitespace }

    private static func yearsAcross(_ d: TableDescription) -> Body {
        var body = Body()
        let kind = d.fields.first { $0.period?.year != nil }?.period?.kind ?? "calendar"
        body.periodField = periodField(kind)
        guard let rows = d.rows else { return body }
        let unit = d.measure?.unit ?? "TODO"
        var shape = "  layout: years-across\n  label_column: \(q(rows.column))\n  period: {field: \(body.periodField), kind: \(kind)}\n"
        if let others = rows.alsoVarying {
            shape = "  # \(others.joined(separator: ", ")) \(others.count == 1 ? "varies" : "vary") too: rows are keyed by \(rows.column) alone here, so repeated\n"
                + "  # labels will be primary-key errors; download one value of \(others.joined(separator: ", ")) per file, or the long form\n" + shape
        }
        if let list = rows.codeList, let field = rows.field, let codes = rows.codes {
            let name = measureName(d.measure?.label ?? "value")
            body.measures = [name]
            body.dimensions = [field]
            body.foreignKeys = [(field, list)]
            shape += "  rows: {field: \(field), codelist: \(list)}\n  measure: {name: \(q(name)), unit: \(q(unit))}\n"
            if let total = rows.total, rows.totalCode != nil, rows.coversCodeList != true {
                body.rules = "  # no sum rule drafted: the \(total) row is not the sum of these rows alone (they do not hold every code of \(list))\n"
            } else if let total = rows.total, let totalCode = rows.totalCode {
                let parts = zip(rows.labels, codes).filter { $0.0 != total }.map(\.1)
                body.rules = "  - name: \(field)_total\n    type: sum\n    # the \(total) row is the sum of the others, within rounding\n"
                    + "    measure_field: \(field)\n    group_by: [\(body.periodField), measure]\n    total: \(q(totalCode))\n"
                    + "    parts: [\(parts.map(q).joined(separator: ", "))]\n"
            } else if let total = rows.total {
                shape += "  # \(total) is a total the code list \(list) has no code for: left out\n  ignore_rows: [\(q(total))]\n"
            }
        } else {
            shape += "  measures:\n"
            for label in rows.labels {
                let name = measureName(label)
                body.measures.append(name)
                shape += "    - {row: \(q(label)), name: \(q(name)), unit: \(q(unit))}\n"
            }
            if let total = rows.total {
                let parts = rows.labels.filter { $0 != total }.map(measureName)
                body.rules = "  - name: total\n    type: sum\n    # the \(total) row is the sum of the others, within rounding\n"
                    + "    group_by: [\(body.periodField)]\n    total: \(q(measureName(total)))\n    parts: [\(parts.map(q).joined(separator: ", "))]\n"
            }
        }
        if let ignored = d.ignoredColumns, !ignored.isEmpty { shape += "  ignore_columns: [\(ignored.map(q).joined(separator: ", "))]\n" }
        body.shape = shape
        return body
    }

    private static func longShape(_ long: TableDescription.Long) -> Body {
        var body = Body()
        body.periodField = periodField(long.periodKind)
        var shape = "  layout: long\n  label_column: \(q(long.labelColumn))\n  value_column: \(q(long.valueColumn))\n"
        if let unit = long.unitColumn { shape += "  unit_column: \(q(unit))\n" }
        shape += "  period: {column: \(q(long.periodColumn)), field: \(body.periodField), kind: \(long.periodKind)}\n"
        if !long.dimensions.isEmpty {
            shape += "  dimension_columns:\n"
            for dimension in long.dimensions { shape += "    \(q(dimension.column)): \(dimension.field)\n" }
        }
        body.dimensions = long.dimensions.map(\.field)
        shape += "  measures:\n"
        for measure in long.measures {
            body.measures.append(measureName(measure.label))
            shape += "    - {row: \(q(measure.label)), name: \(q(measureName(measure.label))), unit: \(q(measure.unit.isEmpty ? "TODO" : measure.unit))}\n"
        }
        if let field = long.totalDimension, let total = long.totalCode, let parts = long.partCodes {
            let others = body.dimensions.filter { $0 != field }
            body.rules = "  - name: \(field)_total\n    type: sum\n    # code \(total) is the total of the others, within rounding\n"
                + "    measure_field: \(field)\n    group_by: [\((([body.periodField, LongField.measure] + others)).joined(separator: ", "))]\n"
                + "    total: \(q(total))\n    parts: [\(parts.map(q).joined(separator: ", "))]\n"
        }
        body.shape = shape
        return body
    }

    /// A period per row, a measure per numeric column.
    private static func yearsDown(_ d: TableDescription) -> Body {
        var body = Body()
        let yearField = d.fields.first { $0.type == "year" }
        let kind = yearField?.period?.kind ?? d.fields.first { $0.period?.year != nil }?.period?.kind ?? "calendar"
        body.periodField = periodField(kind)
        let noteUnits = d.unitNote ?? []
        /// A unit printed in the header wins; then the note's only unit; then, for a note naming
        /// several, 件 for a count column (件数) and the money unit for an amount (額, 費, 金, 収入).
        func unitOf(_ field: TableDescription.FieldDescription) -> String {
            if let unit = field.unit?.label { return unit }
            if noteUnits.count == 1 { return noteUnits[0] }
            if ["額", "費", "金", "収入"].contains(where: field.name.contains), let money = d.unit?.label { return money }
            if field.name.contains("件"), let count = noteUnits.first(where: { $0 == "件" }) { return count }
            return "TODO"
        }
        var shape = "  layout: years-down\n"
        if !noteUnits.isEmpty { shape += "  unit_note: \(q(noteUnits.joined(separator: "、")))\n" }
        shape += "  period: {column: \(q(yearField?.name ?? "TODO")), field: \(body.periodField), kind: \(kind)}\n  measures:\n"
        for field in d.fields where field.type == "integer" || field.type == "number" {
            body.measures.append("measure_\(body.measures.count + 1)")
            shape += "    - {column: \(q(field.name)), name: \(body.measures.last!), unit: \(q(unitOf(field)))}\n"
        }
        body.shape = shape
        return body
    }
}

extension Describer {
    /// The draft spec as YAML.
    public func draftSpec(_ description: TableDescription) -> String { SpecDraft.yaml(description) }
}
