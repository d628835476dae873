import CurateCore

/// Reads SDMX-JSON data messages, 1.0 and 2.x, as the same observations `SDMXMLReader` gives for the
/// same data in SDMX-ML: every dimension by id, `OBS_VALUE` (each measure by id when 2.x declares
/// several), and every attribute, as text.
///
/// SDMX-JSON writes codes as indexes into the structure's value lists: a series key `"0:1"` is the
/// index of each series-level dimension's value, an observation key the index of each
/// observation-level dimension's, and an observation array holds the value(s), then one attribute
/// index per observation-level attribute, then annotation indexes. A missing or null attribute index
/// takes the attribute's `default` when it has one. Dimensions at data-set level have one value.
/// 2.x also attaches attributes to dimension groups (`dimensionGroupAttributes`, keys with empty
/// slots for "any") and may give an uncoded attribute's value inline (text or localised text).
///
/// 1.0: `{header, dataSets, structure, errors}`. 2.x: `{meta, data: {dataSets, structures (or
/// structure)}, errors}`, each data set naming its structure by index. An `errors` array with no
/// data is the service's message: `sdmx-error`. The whole message is parsed first (the structure may
/// follow the data), within `JSONDocument`'s limits.
/// Spec: SDMX-JSON data message field guide 1.0 and 2.0 (sdmx-twg/sdmx-json).
public struct SDMXJSONReader {
    public let path: String

    public init(path: String) { self.path = path }

    public func forEachObservation(_ body: (Observation) throws -> Void) throws {
        let root = try JSONDocument(path: path).root
        let data = root["data"] ?? root
        let structures: [JSONNode] = (data["structures"] ?? data["structure"] ?? root["structure"])?.list ?? []
        let dataSets = data["dataSets"]?.list ?? []
        if dataSets.isEmpty {
            let errors = (root["errors"] ?? root["error"])?.list ?? []
            if !errors.isEmpty {
                let text = errors.map { e in [e["code"]?.text, e["title"]?.text ?? e["message"]?.text, e["detail"]?.text].compactMap { $0 }.joined(separator: " ") }
                throw CurateError(.sdmxError, "SDMX service message: " + text.joined(separator: " | ") + " (no data)", at: SourceLocation(file: path))
            }
            guard case .object = root, root["header"] != nil || root["meta"] != nil || root["data"] != nil else {
                throw CurateError(.formatError, "not an SDMX-JSON data message: no header/meta and no dataSets", at: SourceLocation(file: path, row: root.line))
            }
        }
        for (index, dataSet) in dataSets.enumerated() {
            let number = Int(dataSet["structure"]?.text ?? "0") ?? 0
            guard number >= 0, number < structures.count else {
                throw CurateError(.jsonError, "data set \(index + 1) names structure \(number), but the message has \(structures.count)",
                                  at: SourceLocation(file: path, row: dataSet.line))
            }
            let structure = Structure(structures[number])
            try read(dataSet, number: index + 1, structure: structure, body: body)
        }
    }

    /// Dimensions, attributes and measures of one structure, by attachment level.
    private struct Structure {
        struct Component {
            var id: String
            /// Value texts by index: a coded value's id, an uncoded one's `value` (or name).
            var values: [String]
            var defaultValue: String?
            var keyPosition: Int?
        }
        var dimensions: [String: [Component]] = [:]
        var attributes: [String: [Component]] = [:]
        var measures: [String] = ["OBS_VALUE"]
        /// The data set's dimension groups (filled per data set).
        var groups: [(match: [(id: String, value: String)], fields: [(id: String, value: String)])] = []

        init(_ node: JSONNode) {
            func components(_ group: JSONNode?) -> [String: [Component]] {
                var out: [String: [Component]] = [:]
                for (level, list) in group?.members ?? [] {
                    out[level] = list.list.map { c in
                        Component(id: c["id"]?.text ?? "",
                                  values: (c["values"]?.list ?? []).map { v in v["id"]?.text ?? v["value"]?.text ?? v["name"]?.text ?? "" },
                                  defaultValue: c["default"]?.text, keyPosition: c["keyPosition"]?.text.flatMap { Int($0) })
                    }
                }
                return out
            }
            dimensions = components(node["dimensions"])
            attributes = components(node["attributes"])
            let declared = (node["measures"]?["observation"]?.list ?? []).compactMap { $0["id"]?.text }
            if !declared.isEmpty { measures = declared }
        }
    }

    /// 2.x `dimensionGroupAttributes`: each key has one slot per dimension (the series key's, then
    /// the observation level's; or all by keyPosition), a slot an index into that dimension's values
    /// or empty for any; its list gives the `attributes.dimensionGroup` values of every matching
    /// observation.
    private func dimensionGroups(_ dataSet: JSONNode, structure: Structure) throws -> [(match: [(id: String, value: String)], fields: [(id: String, value: String)])] {
        guard let groups = dataSet["dimensionGroupAttributes"], !groups.members.isEmpty else { return [] }
        let attributes = structure.attributes["dimensionGroup"] ?? []
        let byLevel = (structure.dimensions["series"] ?? []) + (structure.dimensions["observation"] ?? [])
        let all = ((structure.dimensions["dataSet"] ?? []) + byLevel).sorted { ($0.keyPosition ?? .max) < ($1.keyPosition ?? .max) }
        return try groups.members.map { key, values in
            let slots = key.split(separator: ":", omittingEmptySubsequences: false)
            let dimensions = slots.count == byLevel.count ? byLevel : all
            guard slots.count == dimensions.count else {
                throw CurateError(.jsonError, "dimension group key \(key) has \(slots.count) slots, the structure \(byLevel.count) dimensions",
                                  at: SourceLocation(file: path, row: values.line, raw: key))
            }
            let match = try zip(dimensions, slots).compactMap { dimension, slot -> (id: String, value: String)? in
                guard !slot.isEmpty else { return nil }
                guard let index = Int(slot), dimension.values.indices.contains(index) else {
                    throw CurateError(.jsonError, "dimension group key \(key): \(slot) is not an index of dimension \(dimension.id)'s values",
                                      at: SourceLocation(file: path, row: values.line, field: dimension.id, raw: key))
                }
                return (dimension.id, dimension.values[index])
            }
            return (match, try attributeValues(attributes, indexes: values.list, line: values.line))
        }
    }

    private func read(_ dataSet: JSONNode, number: Int, structure: Structure, body: (Observation) throws -> Void) throws {
        var structure = structure
        structure.groups = try dimensionGroups(dataSet, structure: structure)
        var dataSetFields: [(id: String, value: String)] = []
        dataSetFields += try attributeValues(structure.attributes["dataSet"] ?? [], indexes: dataSet["attributes"]?.list ?? [], line: dataSet.line)
        for dimension in structure.dimensions["dataSet"] ?? [] {
            dataSetFields.append((dimension.id, dimension.values.first ?? ""))
        }
        if let series = dataSet["series"] {
            for (key, entry) in series.members {
                let keyFields = try dimensionValues(structure.dimensions["series"] ?? [], key: key, line: entry.line)
                let seriesFields = try keyFields + attributeValues(structure.attributes["series"] ?? [], indexes: entry["attributes"]?.list ?? [], line: entry.line)
                for (obsKey, obs) in entry["observations"]?.members ?? [] {
                    try emit(obs, key: obsKey, prefix: dataSetFields + seriesFields, number: number, structure: structure, body: body)
                }
            }
        } else {
            for (obsKey, obs) in dataSet["observations"]?.members ?? [] {
                try emit(obs, key: obsKey, prefix: dataSetFields, number: number, structure: structure, body: body)
            }
        }
    }

    private func emit(_ obs: JSONNode, key: String, prefix: [(id: String, value: String)], number: Int, structure: Structure,
                      body: (Observation) throws -> Void) throws {
        let items = obs.list
        var fields = prefix
        fields += try dimensionValues(structure.dimensions["observation"] ?? [], key: key, line: obs.line)
        for (position, measure) in structure.measures.enumerated() {
            fields.append((measure, position < items.count ? items[position].text ?? "" : ""))
        }
        let attributeIndexes = Array(items.dropFirst(structure.measures.count))
        fields += try attributeValues(structure.attributes["observation"] ?? [], indexes: attributeIndexes, line: obs.line)
        for group in structure.groups where group.match.allSatisfy({ part in fields.contains { $0 == part } }) {
            for field in group.fields where !fields.contains(where: { $0.id == field.id }) { fields.append(field) }
        }
        try body(Observation(fields: fields, dataSet: number, line: obs.line ?? 0))
    }

    /// `"0:1:0"` → each dimension's value at that index.
    private func dimensionValues(_ dimensions: [Structure.Component], key: String, line: Int?) throws -> [(id: String, value: String)] {
        if dimensions.isEmpty && key.isEmpty { return [] }
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == dimensions.count else {
            throw CurateError(.jsonError, "key \(key) has \(parts.count) positions, the structure \(dimensions.count) dimensions at this level",
                              at: SourceLocation(file: path, row: line, raw: key))
        }
        return try zip(dimensions, parts).map { dimension, part in
            guard let index = Int(part), dimension.values.indices.contains(index) else {
                throw CurateError(.jsonError, "key \(key): \(part) is not an index of dimension \(dimension.id)'s \(dimension.values.count) values",
                                  at: SourceLocation(file: path, row: line, field: dimension.id, raw: key))
            }
            return (dimension.id, dimension.values[index])
        }
    }

    /// Attribute indexes → values; a missing or null index is the default, or nothing; an index
    /// outside the attribute's values is an error, never dropped.
    private func attributeValues(_ attributes: [Structure.Component], indexes: [JSONNode], line: Int?) throws -> [(id: String, value: String)] {
        try attributes.enumerated().compactMap { position, attribute in
            if position < indexes.count, case .string(let inline) = indexes[position] {
                return (attribute.id, inline)      // 2.x: an uncoded attribute's value given inline
            }
            if position < indexes.count, case .object = indexes[position] {
                // 2.x: inline localised text: English, else the first language.
                let text = indexes[position]["en"]?.text ?? indexes[position].members.first?.value.text ?? ""
                return (attribute.id, text)
            }
            if position < indexes.count, let text = indexes[position].text {
                guard let index = Int(text), attribute.values.indices.contains(index) else {
                    throw CurateError(.jsonError, "\(text) is not an index of attribute \(attribute.id)'s \(attribute.values.count) values",
                                      at: SourceLocation(file: path, row: line, field: attribute.id, raw: text))
                }
                return (attribute.id, attribute.values[index])
            }
            return attribute.defaultValue.map { (attribute.id, $0) }
        }
    }
}
