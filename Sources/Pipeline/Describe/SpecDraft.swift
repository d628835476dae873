import Foundation

/// Writes a draft pipeline spec (YAML) from a description, for a steward to check, complete (the
/// `TODO`s) and save as Pipelines/<name>.yaml.
enum SpecDraft {
    static func yaml(_ d: TableDescription) -> String {
        let stem = ((d.file as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = String(stem.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        while name.contains("--") { name = name.replacingOccurrences(of: "--", with: "-") }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if name.isEmpty { name = "new-dataset" }
        let yearField = d.fields.first { $0.type == "year" }
        let kind = yearField?.period?.kind ?? d.fields.first { $0.period?.year != nil }?.period?.kind ?? "calendar"
        let periodField = kind == "fiscal" ? "fiscal_year" : "year"
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

        var out = "# Draft written by `curate describe` from \(d.file).\n# Check every line, replace the TODOs, then save as Pipelines/\(name).yaml.\n"
        out += "name: \(name)\ntitle: \(q(d.title ?? "TODO"))\n"
        out += "source:\n  title: \(q(d.title ?? "TODO"))\n  publisher: TODO\n  url: TODO\n  path: \(q(d.file))\n"
        out += "read:\n  format: \(d.format)\n"
        if let sheet = d.sheet { out += "  sheet: \(q(sheet))\n" }
        if let encoding = d.encoding { out += "  encoding: \(encoding)\n" }
        if let delimiter = d.dialect.delimiter { out += "  delimiter: \(q(delimiter == "\t" ? "\\t" : delimiter))\n" }
        out += "  header_row: \((d.header.rows.first ?? 0) + 1)\n"
        if d.header.rows.count > 1 { out += "  header_rows: \(d.header.rows.count)\n" }
        out += "shape:\n  layout: \(d.layout)\n"
        let noteUnits = d.unitNote ?? []
        if !noteUnits.isEmpty { out += "  unit_note: \(q(noteUnits.joined(separator: "、")))\n" }
        /// A unit printed in the header wins; then the note's only unit; then, for a note naming
        /// several, 件 for a count column (件数) and the money unit for an amount (額, 費, 金, 収入).
        func unitOf(_ label: String, _ field: TableDescription.FieldDescription?) -> String {
            if let unit = field?.unit?.label { return unit }
            if noteUnits.count == 1 { return noteUnits[0] }
            if ["額", "費", "金", "収入"].contains(where: label.contains), let money = d.unit?.label { return money }
            if label.contains("件"), let count = noteUnits.first(where: { $0 == "件" }) { return count }
            return "TODO"
        }
        var measures: [String] = []
        if d.layout == "years-across" {
            let label = d.fields.first { $0.period?.year == nil }?.name ?? "TODO"
            out += "  label_column: \(q(label))\n  period: {field: \(periodField), kind: \(kind)}\n  measures:\n"
            for row in d.rowLabels ?? [] {
                measures.append("measure_\(measures.count + 1)")
                out += "    - {row: \(q(row)), name: \(measures.last!), unit: \(q(unitOf(row, nil)))}\n"
            }
            let ignored = d.fields.filter { $0.period?.year == nil && $0.name != label }.map { q($0.name) }
            if !ignored.isEmpty { out += "  ignore_columns: [\(ignored.joined(separator: ", "))]\n" }
        } else {
            out += "  period: {column: \(q(yearField?.name ?? "TODO")), field: \(periodField), kind: \(kind)}\n  measures:\n"
            for field in d.fields where field.type == "integer" || field.type == "number" {
                measures.append("measure_\(measures.count + 1)")
                out += "    - {column: \(q(field.name)), name: \(measures.last!), unit: \(q(unitOf(field.name, field)))}\n"
            }
        }
        let markers = Set(d.fields.flatMap { $0.markers ?? [] }).sorted()
        if !markers.isEmpty {
            out += "numbers:\n  # say what each marker means: zero, not-available, confidential or not-applicable\n  markers:\n"
            for marker in markers { out += "    \(q(marker)): not-available\n" }
        }
        out += """
            schema:
              fields:
                - {name: \(periodField), type: integer, constraints: {required: true}}
                - {name: measure, type: string, constraints: {required: true, enum: [\(measures.joined(separator: ", "))]}}
                - {name: value, type: number, constraints: {required: true}}
                - {name: unit, type: string, constraints: {required: true}}
              primary_key: [\(periodField), measure]
            rules: []

            """
        return out
    }
}

extension Describer {
    /// The draft spec as YAML.
    public func draftSpec(_ description: TableDescription) -> String { SpecDraft.yaml(description) }
}
