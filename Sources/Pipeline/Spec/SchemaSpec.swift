import Foundation
import CurateCore
import Validate

/// The `schema:` block: Table Schema fields, constraints and the primary key.
enum SchemaSpec {
    static func schema(_ node: SpecNode) throws -> TableSchema {
        let keys = try node.mapping(allowed: ["fields", "primary_key", "foreign_keys"])
        let fields = try keys.required("fields", in: node).sequence().map(field)
        let names = fields.map(\.name)
        if Set(names).count != names.count { throw node.error("field names must be unique") }
        let keyNode = try keys.required("primary_key", in: node)
        let primaryKey = try keyNode.strings()
        for key in primaryKey where !names.contains(key) { throw keyNode.error("primary key field \(key) is not a field") }
        let foreignKeys = try keys["foreign_keys"]?.sequence().map { entry -> ForeignKey in
            let k = try entry.mapping(allowed: ["field", "codelist"])
            let field = try k.required("field", in: entry).string()
            guard names.contains(field) else { throw entry.error("foreign key field \(field) is not a field") }
            return ForeignKey(field: field, codeList: try k.required("codelist", in: entry).string())
        }
        return TableSchema(fields: fields, primaryKey: primaryKey, foreignKeys: foreignKeys)
    }

    private static func field(_ node: SpecNode) throws -> Field {
        let keys = try node.mapping(allowed: ["name", "type", "title", "description", "unit", "constraints"])
        var constraints: Constraints?
        if let c = keys["constraints"] {
            let k = try c.mapping(allowed: ["required", "unique", "minimum", "maximum", "enum", "pattern"])
            constraints = Constraints(required: try k["required"]?.bool(), unique: try k["unique"]?.bool(),
                                      minimum: try k["minimum"].map(decimal), maximum: try k["maximum"].map(decimal),
                                      enum: try k["enum"]?.strings(), pattern: try k["pattern"]?.string())
            if let p = constraints?.pattern, (try? NSRegularExpression(pattern: p)) == nil {
                throw k["pattern"]!.error("pattern is not a valid regular expression")
            }
        }
        return Field(name: try keys.required("name", in: node).string(), type: try keys.required("type", in: node).oneOf(Field.FieldType.self),
                     title: try keys["title"]?.string(), description: try keys["description"]?.string(),
                     unit: try keys["unit"]?.string(), constraints: constraints)
    }

    private static func decimal(_ node: SpecNode) throws -> Decimal {
        guard let value = Decimal(string: try node.string(), locale: Locale(identifier: "en_US_POSIX")) else {
            throw node.error("expected a number")
        }
        return value
    }
}
