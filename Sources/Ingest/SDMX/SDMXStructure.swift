import CurateCore

/// What an SDMX-ML 2.1 structure message says about a data set: its dimensions in key order, its
/// attributes, and the code lists that label their values.
public struct SDMXStructure: Sendable {
    public struct Component: Sendable, Equatable {
        public var id: String
        /// The code list enumerating its values, when it is coded.
        public var codelist: String?
    }

    /// Dimensions in key order (TIME_PERIOD last when the DSD has a time dimension).
    public var dimensions: [Component] = []
    public var attributes: [Component] = []
    /// Code list id → code → name.
    public var codelists: [String: [String: String]] = [:]

    /// Reads a structure message (`message:Structure`) with its code lists and data structure.
    public init(path: String) throws {
        let handler = StructureHandler(file: path)
        try XMLPushParser.parse(path: path, handler: handler)
        self = handler.structure()
    }

    init() {}

    /// Adds `<id>.label` for every coded value the code lists know, and reports a value its code
    /// list does not contain as `unknown-code`. Code lists given without codes (external
    /// references) label nothing and check nothing.
    public func label(_ observation: Observation, file: String, finding: (Finding) -> Void) -> Observation {
        var out = observation
        for field in observation.fields {
            guard let list = codelist(for: field.id), let codes = codelists[list], !codes.isEmpty else { continue }
            if let name = codes[field.value] {
                out.fields.append((field.id + ".label", name))
            } else if !field.value.isEmpty {
                finding(Finding(.unknownCode, check: "ingest", location: SourceLocation(file: file, row: observation.line, field: field.id, raw: field.value),
                                expected: "a code of \(list)", actual: field.value))
            }
        }
        return out
    }

    /// Dimensions missing from an observation's key.
    public func missingDimensions(in observation: Observation) -> [String] {
        let ids = Set(observation.fields.map(\.id))
        return dimensions.map(\.id).filter { !ids.contains($0) }
    }

    private func codelist(for id: String) -> String? {
        (dimensions.first { $0.id == id } ?? attributes.first { $0.id == id })?.codelist
    }
}

/// Streams a structure message: code lists, concept schemes (a concept's core representation
/// applies when a component has no local one) and the data structure's components.
///
/// A component may be written without an `id` (SDMX 2.1 allows it): its id is then its concept's,
/// from the ConceptIdentity. A MeasureDimension is a dimension like the others, enumerated by a
/// concept scheme: the scheme's concepts label its codes as a code list's codes would.
private final class StructureHandler: XMLEventHandler {
    let file: String
    private var codelists: [String: [String: String]] = [:]
    private var conceptCodelists: [String: String] = [:]
    private var dimensions: [(id: String, concept: String?, codelist: String?)] = []
    private var attributes: [(id: String, concept: String?, codelist: String?)] = []
    private var timeDimension: String?
    private var currentList: String?, currentCode: String?, currentConcept: String?
    private var component: (kind: String, id: String, concept: String?, codelist: String?)?
    private var inEnumeration = false, inConceptIdentity = false, inName = false
    private var text = ""
    /// Element depth, and the depth of the open component: an attribute's relationship names
    /// dimensions with the same element name, and those are references, not definitions.
    private var depth = 0, componentDepth = 0

    init(file: String) { self.file = file }

    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        func attribute(_ id: String) -> String? { attributes.first { $0.localName == id }?.value }
        text = ""
        depth += 1
        switch name {
        case "Codelist", "ConceptScheme": currentList = attribute("id"); if let id = currentList { codelists[id] = codelists[id] ?? [:] }
        case "Code": currentCode = attribute("id")
        case "Name": inName = currentCode != nil && currentList != nil
        case "Concept": currentConcept = attribute("id"); currentCode = currentConcept
        case "Dimension", "MeasureDimension", "TimeDimension", "Attribute", "PrimaryMeasure":
            if component == nil {
                component = (name, attribute("id") ?? "", nil, nil)
                componentDepth = depth
            }
        case "ConceptIdentity": inConceptIdentity = true
        case "Enumeration": inEnumeration = true
        case "Ref":
            if inEnumeration, let id = attribute("id") { setCodelist(id) }
            if inConceptIdentity, let id = attribute("id") { component?.concept = id }
        default: break
        }
    }

    func endElement(_ name: String, namespace: String?) throws {
        defer { depth -= 1 }
        switch name {
        case "URN":
            let urn = text.trimmingWhitespace
            if inEnumeration, let id = Self.codelistID(urn) { setCodelist(id) }
            if inConceptIdentity, let last = urn.split(separator: ".").last { component?.concept = String(last) }
        case "Name":
            if inName, let list = currentList, let code = currentCode, codelists[list]?[code] == nil {
                codelists[list]?[code] = text.trimmingWhitespace
            }
            inName = false
        case "Code": currentCode = nil
        case "Codelist", "ConceptScheme": currentList = nil
        case "Concept": currentConcept = nil; currentCode = nil
        case "ConceptIdentity": inConceptIdentity = false
        case "Enumeration": inEnumeration = false
        case "Dimension", "MeasureDimension", "TimeDimension", "Attribute", "PrimaryMeasure":
            guard depth == componentDepth, let c = component else { break }
            let id = c.id.isEmpty ? c.concept ?? "" : c.id
            switch c.kind {
            case "Dimension", "MeasureDimension": dimensions.append((id, c.concept, c.codelist))
            case "TimeDimension": timeDimension = id
            case "Attribute": attributes.append((id, c.concept, c.codelist))
            default: break
            }
            component = nil
        default: break
        }
    }

    func characters(_ chunk: String) throws { text += chunk }

    private func setCodelist(_ id: String) {
        if component != nil { component?.codelist = id } else if let concept = currentConcept { conceptCodelists[concept] = id }
    }

    /// `urn:…Codelist=ISO:CL_CURRENCY(1.0)` → `CL_CURRENCY`.
    static func codelistID(_ urn: String) -> String? {
        guard let equals = urn.range(of: "Codelist="), let colon = urn[equals.upperBound...].firstIndex(of: ":") else { return nil }
        let rest = urn[urn.index(after: colon)...]
        return String(rest.prefix { $0 != "(" })
    }

    func structure() -> SDMXStructure {
        var s = SDMXStructure()
        func resolve(_ c: (id: String, concept: String?, codelist: String?)) -> SDMXStructure.Component {
            .init(id: c.id, codelist: c.codelist ?? conceptCodelists[c.concept ?? c.id])
        }
        s.dimensions = dimensions.map(resolve) + (timeDimension.map { [.init(id: $0, codelist: nil)] } ?? [])
        s.attributes = attributes.map(resolve)
        s.codelists = codelists
        return s
    }
}
