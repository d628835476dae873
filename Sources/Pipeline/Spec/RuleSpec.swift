import Foundation
import Yams
import CurateCore
import Normalize
import Validate

/// The `rules:` list: each entry names a rule type, its parameters, a `name` and a `severity`.
enum RuleSpec {
    /// The rule types a spec can name (`type:`), in the order error messages list them.
    enum RuleType: String, CaseIterable {
        case partOfTotal = "part-of-total", periodRange = "period-range", sum, hierarchy, shareSum = "share-sum", ratio,
             completeness, yoy, revision, crossSource = "cross-source"
    }

    static var types: [String] { RuleType.allCases.map(\.rawValue) }

    static func rule(_ node: SpecNode, root: String) throws -> any ConsistencyRule {
        guard case .mapping(let mapping) = node.node, let type = mapping["type"]?.string else {
            throw node.error("each rule needs a type (\(types.joined(separator: ", ")))")
        }
        let common: Set<String> = ["name", "type", "severity"]
        func keys(_ more: Set<String>) throws -> [String: SpecNode] { try node.mapping(allowed: common.union(more)) }
        guard let ruleType = RuleType(rawValue: type) else {
            throw node.error("unknown rule type \(type) (known: \(types.joined(separator: ", ")))")
        }
        switch ruleType {
        case .partOfTotal:
            let k = try keys(["group_by", "measure_field", "value_field", "part", "total"])
            return PartOfTotalRule(name: try name(k, node), severity: try severity(k, default: .error),
                                   groupBy: try k.required("group_by", in: node).strings(),
                                   measureField: try k["measure_field"]?.string() ?? LongField.measure,
                                   valueField: try k["value_field"]?.string() ?? LongField.value,
                                   part: try k.required("part", in: node).string(), total: try k.required("total", in: node).string())
        case .periodRange:
            let k = try keys(["field", "from", "to", "require_all"])
            return PeriodRangeRule(name: try name(k, node), severity: try severity(k, default: .error),
                                   field: try k.required("field", in: node).string(),
                                   from: try k.required("from", in: node).int(), to: try k.required("to", in: node).int(),
                                   requireAll: try k["require_all"]?.bool() ?? false)
        case .sum:
            let k = try keys(["group_by", "total", "parts", "slack", "measure_field"])
            var rule = SumRule(name: try name(k, node), severity: try severity(k, default: .error), groupBy: try k.required("group_by", in: node).strings(),
                               total: try k.required("total", in: node).string(), parts: try k.required("parts", in: node).strings(),
                               slack: try k["slack"].map(decimal) ?? 0)
            // The field whose values name total and parts: `measure`, or a category field (prefecture).
            if let field = k["measure_field"] { rule.measureField = try field.string() }
            return rule
        case .hierarchy:
            let k = try keys(["group_by", "children", "codelist", "field"])
            let children: [(parent: String, children: [String])]
            if let c = k["children"] {
                guard case .mapping(let m) = c.node else { throw c.error("expected parent: [children] pairs") }
                children = try m.map { parent, kids in
                    (parent.string ?? "", try SpecNode(node: kids, file: c.file, path: c.path).strings())
                }
            } else if let id = k["codelist"] {
                let list = try codeList(try id.string(), root: root, at: id)
                var byParent: [(parent: String, children: [String])] = []
                for code in list.codes {
                    guard let parent = code.group else { continue }
                    if let i = byParent.firstIndex(where: { $0.parent == parent }) { byParent[i].children.append(code.code) }
                    else { byParent.append((parent, [code.code])) }
                }
                children = byParent
            } else {
                throw node.error("a hierarchy rule needs children or codelist")
            }
            // Without `field`, a code-list hierarchy is over the field coded through that list; the
            // empty field is resolved by SpecChecks once the shape is known.
            let field = try k["field"]?.string() ?? (k["codelist"] == nil ? LongField.measure : "")
            return HierarchyRule(name: try name(k, node), severity: try severity(k, default: .error),
                                 groupBy: try k.required("group_by", in: node).strings(), field: field, children: children)
        case .shareSum:
            let k = try keys(["group_by", "parts", "whole", "slack"])
            return ShareSumRule(name: try name(k, node), severity: try severity(k, default: .error), groupBy: try k.required("group_by", in: node).strings(),
                                parts: try k.required("parts", in: node).strings(), whole: try k["whole"].map(decimal) ?? 100,
                                slack: try k["slack"].map(decimal) ?? 0)
        case .ratio:
            let k = try keys(["group_by", "ratio", "numerator", "denominator", "scale"])
            return RatioRule(name: try name(k, node), severity: try severity(k, default: .error), groupBy: try k.required("group_by", in: node).strings(),
                             ratio: try k.required("ratio", in: node).string(), numerator: try k.required("numerator", in: node).string(),
                             denominator: try k.required("denominator", in: node).string(), scale: try k["scale"].map(decimal) ?? 1)
        case .completeness:
            let k = try keys(["field", "from", "to", "measures"])
            return CompletenessRule(name: try name(k, node), severity: try severity(k, default: .warning),
                                    periodField: try k.required("field", in: node).string(),
                                    from: try k.required("from", in: node).int(), to: try k.required("to", in: node).int(),
                                    measures: try k["measures"]?.strings() ?? [])
        case .yoy:
            let k = try keys(["field", "measures", "max_ratio"])
            let ratio = try decimal(try k.required("max_ratio", in: node))
            guard ratio > 1 else { throw k["max_ratio"]!.error("max_ratio must be more than 1") }
            return YearOnYearRule(name: try name(k, node), severity: try severity(k, default: .error),
                                  periodField: try k.required("field", in: node).string(),
                                  measures: try k["measures"]?.strings() ?? [], maxRatio: ratio)
        case .revision:
            let k = try keys(["slack"])
            return RevisionRule(name: try name(k, node), severity: try severity(k, default: .warning), slack: try k["slack"].map(decimal) ?? 0)
        case .crossSource:
            let k = try keys(["dataset", "key", "measures"])
            let m = try k.required("measures", in: node)
            guard case .mapping(let pairs) = m.node else { throw m.error("expected here: there measure pairs") }
            return CrossSourceRule(name: try name(k, node), severity: try severity(k, default: .error),
                                   dataset: try k.required("dataset", in: node).string(), key: try k.required("key", in: node).strings(),
                                   measures: pairs.map { ($0.string ?? "", $1.string ?? "") })
        }
    }

    private static func name(_ keys: [String: SpecNode], _ node: SpecNode) throws -> String {
        try keys.required("name", in: node).string()
    }

    private static func severity(_ keys: [String: SpecNode], default value: Severity) throws -> Severity {
        try keys["severity"]?.oneOf(Severity.self) ?? value
    }

    private static func decimal(_ node: SpecNode) throws -> Decimal {
        guard let value = Decimal(string: try node.string(), locale: Locale(identifier: "en_US_POSIX")) else { throw node.error("expected a number") }
        return value
    }

    private static func codeList(_ id: String, root: String, at node: SpecNode) throws -> CodeList {
        let file = try SpecGuard.referenceFile(id, in: "Pipelines/reference/codelists", root: root, at: node.error("").location)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw node.error("no code list \(id) in Pipelines/reference/codelists/")
        }
        do { return try YAMLDecoder().decode(CodeList.self, from: text) } catch { throw node.error("code list \(id): \(error)") }
    }
}
