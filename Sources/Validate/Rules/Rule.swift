import CurateCore

/// A consistency rule declared in a pipeline spec. A run checks it while the sorted rows stream
/// past (`RuleStream`, through the rule's per-group checker); `check` runs that same pass over a
/// table held in memory.
public protocol ConsistencyRule: Sendable {
    /// The name the spec gives it; findings and report summaries carry it.
    var name: String { get }
    var severity: Severity { get }
    func check(_ table: CuratedTable, context: RuleContext, into report: inout ReportBuilder) throws
    /// Whether the rule has something to check in this context. Only a comparison with something
    /// absent (no earlier release, another dataset not published) may check nothing: every other
    /// rule that judged no item is an error (`checked-nothing`), never a pass.
    func expectsItems(in context: RuleContext) -> Bool
}

extension ConsistencyRule {
    public func expectsItems(in context: RuleContext) -> Bool { true }
}

/// Field names a rule refers to must exist in the schema: a typo is a spec error, not a pass.
func fieldIndex(_ name: String, in schema: TableSchema, rule: String) throws -> Int {
    guard let index = schema.index(of: name) else {
        throw CurateError(.specError, "rule \(rule) names field \(name), which the schema does not have")
    }
    return index
}
