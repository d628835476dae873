import Foundation
import Yams
import CurateCore
import Normalize
import Validate

/// Checks of a whole spec that no single key can make: nothing left as a placeholder, provenance
/// given, no marker that would drop rows silently, and every rule naming things that exist.
/// Each is a `spec-error` naming the file and line, raised before anything runs.
enum SpecChecks {
    /// Every whole-spec check, in the order a steward fixes them; returns the spec with its rules resolved.
    static func complete(_ spec: PipelineSpec, top: SpecNode, root: String) throws -> PipelineSpec {
        var spec = spec
        try requireProvenance(spec, top: top)
        try requireStatusForMarkers(spec, top: top)
        try checkRules(&spec, top: top, root: root)
        return spec
    }

    /// The placeholder `curate describe` writes for what only a steward can fill in.
    static let placeholder = "TODO"

    /// Refuses a spec still holding a placeholder (`TODO` as, or in, any value), listing every one
    /// with its line and key, so a draft cannot be run as drafted.
    static func refusePlaceholders(_ top: SpecNode) throws {
        var found: [(line: Int, path: String, text: String)] = []
        func walk(_ node: Node, _ path: String) {
            switch node {
            case .scalar(let scalar):
                if isPlaceholder(scalar.string) { found.append((node.mark?.line ?? 0, path, scalar.string)) }
            case .mapping(let mapping):
                for (key, value) in mapping { walk(value, path.isEmpty ? key.string ?? "?" : "\(path).\(key.string ?? "?")") }
            case .sequence(let items):
                for (i, item) in items.enumerated() { walk(item, "\(path)[\(i)]") }
            case .alias:
                break
            }
        }
        walk(top.node, "")
        guard let first = found.first else { return }
        let list = found.map { "\(top.file):\($0.line) \($0.path) = \($0.text.debugDescription)" }.joined(separator: "; ")
        throw CurateError(.specError, "\(found.count) placeholder(s) left by curate describe: \(list) — fill each in before running",
                          at: SourceLocation(file: top.file, row: first.line, field: first.path, raw: first.text))
    }

    /// `TODO` as a word: alone, or leading or inside a value ("TODO: the publisher").
    static func isPlaceholder(_ text: String) -> Bool {
        var rest = text[...]
        while let range = rest.range(of: placeholder) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let isWordChar: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !isWordChar(before) && !isWordChar(after) { return true }
            rest = text[range.upperBound...]
        }
        return false
    }

    /// A published dataset says where it comes from and under which licence: the source's
    /// publisher, and its `url` (or, for values transcribed from a document that has no web
    /// address, the `document`), and a top-level `license`. A derived spec has no source of its
    /// own (its inputs carry theirs) but still needs its licence.
    static func requireProvenance(_ spec: PipelineSpec, top: SpecNode) throws {
        let keys = mapping(top)
        if spec.licenses.isEmpty {
            throw top.error("missing required key license (name, path, title): a published dataset states its terms of use")
        }
        guard spec.derived == nil, let sourceNode = keys["source"] else { return }
        let source = mapping(sourceNode)
        if (spec.source.publisher ?? "").trimmingWhitespace.isEmpty {
            throw sourceNode.error("missing required key publisher: who published the table")
        }
        if (spec.source.url ?? "").trimmingWhitespace.isEmpty && source["document"] == nil {
            throw sourceNode.error("missing required key url: where the table was published (or document: the printed document its values are transcribed from)")
        }
    }

    /// A declared marker leaves a cell without a number: the row survives only through a `status`
    /// field holding the marker's meaning. Without one the row would be dropped without a word, so
    /// markers without a `status` field are refused.
    static func requireStatusForMarkers(_ spec: PipelineSpec, top: SpecNode) throws {
        guard !spec.numbers.markers.isEmpty, spec.schema.index(of: "status") == nil else { return }
        let at = mapping(top)["numbers"].map { mapping($0)["markers"] ?? $0 } ?? top
        let markers = spec.numbers.markers.keys.sorted().map(\.debugDescription).joined(separator: ", ")
        throw at.error("markers \(markers) are declared but the schema has no status field: their rows would be dropped silently. "
                       + "Add {name: status, type: string} to schema.fields (each marker's meaning is kept there, its value left empty)")
    }

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
            func requireMeasures(_ list: [String], _ key: String, field: String = "measure") throws {
                guard field == "measure", let measures else { return }
                for m in list where !measures.contains(m) {
                    throw at(key).error("rule \(rule.name) names measure \(m), which the spec does not declare (measures: \(measures.joined(separator: ", "))): it could check nothing")
                }
            }
            switch rule {
            case var r as HierarchyRule:
                if r.field.isEmpty { r.field = hierarchyField(spec, codeList: keys["codelist"].flatMap { try? $0.string() }) }
                try requireFields(r.groupBy, "group_by")
                try requireFields([r.field], keys["field"] == nil ? "codelist" : "field")
                try requireMeasures(r.children.flatMap { [$0.parent] + $0.children }, "children", field: r.field)
                if let id = codeListID(of: r.field, in: spec), let list = codeList(id) {
                    let codes = Set(list.codes.map(\.code))
                    for code in r.children.flatMap({ [$0.parent] + $0.children }) where !codes.contains(code) {
                        throw at("children").error("rule \(r.name) names code \(code), which code list \(id) does not have")
                    }
                }
                if r.children.isEmpty { throw node.error("rule \(r.name) has no parent with children: it would check nothing") }
                spec.rules[i] = r
            case let r as SumRule:
                try requireFields(r.groupBy, "group_by")
                try requireMeasures([r.total], "total"); try requireMeasures(r.parts, "parts")
            case let r as ShareSumRule:
                try requireFields(r.groupBy, "group_by"); try requireMeasures(r.parts, "parts")
            case let r as RatioRule:
                try requireFields(r.groupBy, "group_by")
                try requireMeasures([r.ratio], "ratio"); try requireMeasures([r.numerator], "numerator")
                try requireMeasures([r.denominator], "denominator")
            case let r as PartOfTotalRule:
                try requireFields(r.groupBy + [r.measureField, r.valueField], "group_by")
                try requireMeasures([r.part], "part", field: r.measureField); try requireMeasures([r.total], "total", field: r.measureField)
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
        if spec.derived != nil { return nil }
        if let observations = spec.observations { return Array(Set(observations.measures.values)).sorted() }
        return (spec.shape.measures + [spec.shape.fixedMeasure].compactMap { $0 }).map(\.name)
    }

    /// The field a code-list hierarchy is over: the dimension (or foreign key) coded through that
    /// code list, or `measure` when the measures themselves are its codes.
    static func hierarchyField(_ spec: PipelineSpec, codeList id: String?) -> String {
        guard let id else { return "measure" }
        for d in [spec.shape.rowDimension, spec.shape.columnDimension].compactMap({ $0 }) where d.codeList == id { return d.field }
        for key in spec.schema.foreignKeys ?? [] where key.codeListID == id { return key.fields }
        return "measure"
    }

    private static func codeListID(of field: String, in spec: PipelineSpec) -> String? {
        for d in [spec.shape.rowDimension, spec.shape.columnDimension].compactMap({ $0 }) where d.field == field { return d.codeList }
        return (spec.schema.foreignKeys ?? []).first { $0.fields == field }?.codeListID
    }

    /// A mapping's children without the allowed-keys check (the loader has already made it).
    private static func mapping(_ node: SpecNode) -> [String: SpecNode] {
        guard case .mapping(let m) = node.node else { return [:] }
        var out: [String: SpecNode] = [:]
        for (k, v) in m { if let key = k.string { out[key] = SpecNode(node: v, file: node.file, path: node.path.isEmpty ? key : "\(node.path).\(key)") } }
        return out
    }
}
