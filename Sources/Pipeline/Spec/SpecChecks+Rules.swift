import Foundation
import Yams
import CurateCore
import Normalize
import Validate

extension SpecChecks {
    /// Resolves what a rule left to the spec (a code-list hierarchy's field) and refuses a rule
    /// that names fields, measures or codes the spec does not have: such a rule could check nothing.
    static func checkRules(_ spec: inout PipelineSpec, top: SpecNode, root: String) throws {
        func codeList(_ id: String) -> CodeList? {
            guard let text = try? String(contentsOfFile: root + "/Pipelines/reference/codelists/\(id).yaml", encoding: .utf8) else { return nil }
            return try? YAMLDecoder().decode(CodeList.self, from: text)
        }
        let nodes = (try? mapping(top)["rules"]?.sequence()) ?? []
        let fields = spec.schema.fields.map(\.name)
        let measures = declaredMeasures(spec)
        var names: [String: SpecNode] = [:]
        for (i, rule) in spec.rules.enumerated() {
            let node = i < nodes.count ? nodes[i] : top
            let keys = mapping(node)
            func at(_ key: String) -> SpecNode { keys[key] ?? node }
            if let earlier = names[rule.name] {
                throw at("name").error("rule name \(rule.name) is used twice (first at line \(earlier.line ?? 0)): each rule reports under its own name")
            }
            names[rule.name] = node
            func requireFields(_ list: [String], _ key: String) throws {
                for f in list where !fields.contains(f) {
                    throw at(key).error("rule \(rule.name) names field \(f), which the schema does not have (fields: \(fields.joined(separator: ", ")))")
                }
            }
            func requireMeasures(_ list: [String], _ key: String, field: String = LongField.measure) throws {
                guard field == LongField.measure, let measures else { return }
                for m in list where !measures.contains(m) {
                    throw at(key).error("rule \(rule.name) names measure \(m), which the spec does not declare (measures: \(measures.joined(separator: ", "))): it could check nothing")
                }
            }
            /// Names of measures, or (for a category field) codes of the field's code list.
            func requireNames(_ list: [String], _ key: String, field: String) throws {
                try requireMeasures(list, key, field: field)
                guard field != LongField.measure, let id = codeListID(of: field, in: spec), let codes = codeList(id).map({ Set($0.codes.map(\.code)) }) else { return }
                for code in list where !codes.contains(code) {
                    throw at(key).error("rule \(rule.name) names code \(code), which code list \(id) does not have: it could check nothing")
                }
            }
            switch rule {
            case var r as HierarchyRule:
                if r.field.isEmpty { r.field = hierarchyField(spec, codeList: keys["codelist"].flatMap { try? $0.string() }) }
                try requireFields(r.groupBy, "group_by")
                try requireFields([r.field], keys["field"] == nil ? "codelist" : "field")
                try requireNames(r.children.flatMap { [$0.parent] + $0.children }, "children", field: r.field)
                if r.children.isEmpty { throw node.error("rule \(r.name) has no parent with children: it would check nothing") }
                spec.rules[i] = r
            case let r as SumRule:
                try requireFields(r.groupBy, "group_by")
                try requireFields([r.measureField], "measure_field")
                try requireNames([r.total], "total", field: r.measureField); try requireNames(r.parts, "parts", field: r.measureField)
            case let r as ShareSumRule:
                try requireFields(r.groupBy, "group_by"); try requireMeasures(r.parts, "parts")
            case let r as RatioRule:
                try requireFields(r.groupBy, "group_by")
                try requireMeasures([r.ratio], "ratio"); try requireMeasures([r.numerator], "numerator")
                try requireMeasures([r.denominator], "denominator")
            case let r as PartOfTotalRule:
                try requireFields(r.groupBy, "group_by")
                try requireFields([r.measureField], "measure_field"); try requireFields([r.valueField], "value_field")
                try requireNames([r.part], "part", field: r.measureField); try requireNames([r.total], "total", field: r.measureField)
            case let r as CompletenessRule:
                try requireFields([r.periodField], "field"); try requireMeasures(r.measures, "measures")
            case let r as YearOnYearRule:
                try requireFields([r.periodField], "field"); try requireMeasures(r.measures, "measures")
            case let r as PeriodRangeRule:
                try requireFields([r.field], "field")
            case let r as CrossSourceRule:
                try requireFields(r.key, "key"); try requireMeasures(r.measures.map(\.here), "measures")
            default:
                break
            }
        }
    }

    /// The measure names a spec can produce; nil when it cannot say (no rows of its own).
    static func declaredMeasures(_ spec: PipelineSpec) -> [String]? {
        switch spec.shape {
        case .derived: return nil
        case .observations(let observations): return Array(Set(observations.measures.values)).sorted()
        case .table(let table): return table.measures.map(\.name)
        }
    }

    /// The field a code-list hierarchy is over: the dimension (or foreign key) coded through that
    /// code list, or `measure` when the measures themselves are its codes.
    static func hierarchyField(_ spec: PipelineSpec, codeList id: String?) -> String {
        guard let id else { return LongField.measure }
        for d in spec.shape.dimensions where d.codeList == id { return d.field }
        for key in spec.schema.foreignKeys ?? [] where key.codeListID == id { return key.fields }
        return LongField.measure
    }

    static func codeListID(of field: String, in spec: PipelineSpec) -> String? {
        for d in spec.shape.dimensions where d.field == field { return d.codeList }
        return (spec.schema.foreignKeys ?? []).first { $0.fields == field }?.codeListID
    }

}
