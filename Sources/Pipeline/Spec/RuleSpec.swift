import CurateCore
import Validate

/// The `rules:` list: each entry names a rule type and its parameters.
enum RuleSpec {
    static let types = ["part-of-total", "period-range"]

    static func rule(_ node: SpecNode) throws -> any ConsistencyRule {
        guard case .mapping(let mapping) = node.node, let type = mapping["type"]?.string else {
            throw node.error("each rule needs a type (\(types.joined(separator: ", ")))")
        }
        let common: Set<String> = ["name", "type", "severity"]
        switch type {
        case "part-of-total":
            let k = try node.mapping(allowed: common.union(["group_by", "measure_field", "value_field", "part", "total"]))
            return PartOfTotalRule(name: try name(k, node), severity: try severity(k),
                                   groupBy: try k.required("group_by", in: node).strings(),
                                   measureField: try k["measure_field"]?.string() ?? "measure",
                                   valueField: try k["value_field"]?.string() ?? "value",
                                   part: try k.required("part", in: node).string(), total: try k.required("total", in: node).string())
        case "period-range":
            let k = try node.mapping(allowed: common.union(["field", "from", "to", "require_all"]))
            return PeriodRangeRule(name: try name(k, node), severity: try severity(k),
                                   field: try k.required("field", in: node).string(),
                                   from: try k.required("from", in: node).int(), to: try k.required("to", in: node).int(),
                                   requireAll: try k["require_all"]?.bool() ?? false)
        default:
            throw node.error("unknown rule type \(type) (known: \(types.joined(separator: ", ")))")
        }
    }

    private static func name(_ keys: [String: SpecNode], _ node: SpecNode) throws -> String {
        try keys.required("name", in: node).string()
    }

    private static func severity(_ keys: [String: SpecNode]) throws -> Severity {
        try keys["severity"]?.oneOf(Severity.self) ?? .error
    }
}
