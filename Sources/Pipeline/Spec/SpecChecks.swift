import Foundation
import Yams
import CurateCore
import Normalize
import Validate

/// Checks of a whole spec that no single key can make: nothing left as a placeholder, provenance
/// given, no marker that would drop rows silently, and every rule naming things that exist
/// (`SpecChecks+Rules.swift`). Each is a `spec-error` naming the file and line, raised before
/// anything runs.
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
        guard !spec.shape.isDerived, let sourceNode = keys["source"] else { return }
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
        guard !spec.numbers.markers.isEmpty, spec.schema.index(of: LongField.status) == nil else { return }
        let at = mapping(top)["numbers"].map { mapping($0)["markers"] ?? $0 } ?? top
        let markers = spec.numbers.markers.keys.sorted().map(\.debugDescription).joined(separator: ", ")
        throw at.error("markers \(markers) are declared but the schema has no status field: their rows would be dropped silently. "
                       + "Add {name: status, type: string} to schema.fields (each marker's meaning is kept there, its value left empty)")
    }

    /// A mapping's children without the allowed-keys check (the loader has already made it).
    static func mapping(_ node: SpecNode) -> [String: SpecNode] {
        guard case .mapping(let m) = node.node else { return [:] }
        var out: [String: SpecNode] = [:]
        for (k, v) in m { if let key = k.string { out[key] = SpecNode(node: v, file: node.file, path: node.path.isEmpty ? key : "\(node.path).\(key)") } }
        return out
    }
}
