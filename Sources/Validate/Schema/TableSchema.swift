import Foundation

/// A Frictionless Table Schema (v1, https://specs.frictionlessdata.io/table-schema/) for a curated table.
public struct TableSchema: Codable, Sendable, Equatable {
    public var fields: [Field]
    public var primaryKey: [String]
    public var missingValues: [String]
    /// Fields whose values must be codes of another resource of the package (a code list).
    public var foreignKeys: [ForeignKey]?

    public init(fields: [Field], primaryKey: [String], missingValues: [String] = [""], foreignKeys: [ForeignKey]? = nil) {
        self.fields = fields; self.primaryKey = primaryKey; self.missingValues = missingValues; self.foreignKeys = foreignKeys
    }

    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

public struct Field: Codable, Sendable, Equatable {
    public enum FieldType: String, Codable, Sendable, CaseIterable { case string, integer, number, year }

    public var name: String
    public var type: FieldType
    public var title: String?
    public var description: String?
    /// Not a Table Schema keyword (extra properties are allowed): the unit values are in.
    public var unit: String?
    public var constraints: Constraints?

    public init(name: String, type: FieldType, title: String? = nil, description: String? = nil,
                unit: String? = nil, constraints: Constraints? = nil) {
        self.name = name; self.type = type; self.title = title; self.description = description
        self.unit = unit; self.constraints = constraints
    }
}

public struct Constraints: Codable, Sendable, Equatable {
    public var required: Bool?
    public var unique: Bool?
    public var minimum: Decimal?
    public var maximum: Decimal?
    public var `enum`: [String]?
    public var pattern: String?

    public init(required: Bool? = nil, unique: Bool? = nil, minimum: Decimal? = nil, maximum: Decimal? = nil,
                enum values: [String]? = nil, pattern: String? = nil) {
        self.required = required; self.unique = unique; self.minimum = minimum; self.maximum = maximum
        self.enum = values; self.pattern = pattern
    }
}

/// A Table Schema foreign key: `fields` of this table refer to `reference.fields` of `reference.resource`.
public struct ForeignKey: Codable, Sendable, Equatable {
    public struct Reference: Codable, Sendable, Equatable {
        public var resource: String
        public var fields: String
    }
    public var fields: String
    public var reference: Reference

    /// A reference to a code list published beside the data as the resource `codelist-<id>`.
    public init(field: String, codeList id: String) {
        fields = field
        reference = Reference(resource: "codelist-" + id, fields: "code")
    }

    /// The code list's id, when the reference is to one.
    public var codeListID: String? {
        reference.resource.hasPrefix("codelist-") ? String(reference.resource.dropFirst("codelist-".count)) : nil
    }
}
