import CurateCore

/// Reads SDMX-ML 2.1 and 3.0 data messages as a stream of observations.
///
/// Handles GenericData and StructureSpecificData (and their TimeSeries variants), every
/// `dimensionAtObservation` (TIME_PERIOD, another dimension, AllDimensions/flat), groups, several
/// data sets in one message. In a structure-specific message whose observation dimension is the
/// measure dimension ("explicit measures"), each observation names its measure only by its schema
/// type, `xsi:type="ns:CODE"`: that code becomes the observation dimension's value. SDMX-ML 3.0
/// structure-specific data (the only data format 3.0 has) reads the same way; its multi-valued
/// components (`Comp` elements) are refused rather than dropped. A footer or error message from the
/// service becomes `sdmx-error` carrying the service's own text.
/// Spec: SDMX 2.1 Standards, Section 3B (SDMX-ML data messages); SDMX 3.0 Section 3B.
public struct SDMXMLReader {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `body` with each observation in document order.
    public func forEachObservation(_ body: @escaping (Observation) throws -> Void) throws {
        let handler = SDMXDataHandler(file: path, emit: body)
        try XMLPushParser.parse(path: path, tokens: handler)
        try handler.finish()
    }
}

/// The state machine behind `SDMXMLReader`: element by element, it keeps only the current data
/// set, group list, series and observation.
///
/// It reads at libxml2's pace: element, attribute and namespace names arrive as tokens (see
/// `XMLTokenHandler`) and are compared as integers, namespace URI and local name together, never
/// by prefix (2.1 and 3.0 files use different ones). Strings are made only for the ids and values
/// an observation keeps, and an id is one shared String per distinct name.
final class SDMXDataHandler: XMLTokenHandler {
    /// The names compared; a name's token is its case's raw value (`vocabulary` spells them).
    enum Name: Int, CaseIterable {
        // namespaces
        case messageNS, genericNS, footerNS, commonNS, messageNS30, footerNS30, commonNS30, xsiNS
        // elements
        case error, structure, dataSet, group, groupKey, series, seriesKey, obs, obsKey, attributes, value, obsDimension, obsValue
        case comp, message, errorMessage, text
        // attributes
        case structureID, dimensionAtObservation, id, valueAttribute, type, code, severity, structureRef

        var spelling: String {
            switch self {
            case .messageNS: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
            case .genericNS: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
            case .footerNS: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
            case .commonNS: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
            case .messageNS30: "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
            case .footerNS30: "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message/footer"
            case .commonNS30: "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common"
            case .xsiNS: "http://www.w3.org/2001/XMLSchema-instance"
            case .error: "Error"
            case .structure: "Structure"
            case .dataSet: "DataSet"
            case .group: "Group"
            case .groupKey: "GroupKey"
            case .series: "Series"
            case .seriesKey: "SeriesKey"
            case .obs: "Obs"
            case .obsKey: "ObsKey"
            case .attributes: "Attributes"
            case .value: "Value"
            case .obsDimension: "ObsDimension"
            case .obsValue: "ObsValue"
            case .comp: "Comp"
            case .message: "Message"
            case .errorMessage: "ErrorMessage"
            case .text: "Text"
            case .structureID: "structureID"
            case .dimensionAtObservation: "dimensionAtObservation"
            case .id: "id"
            case .valueAttribute: "value"
            case .type: "type"
            case .code: "code"
            case .severity: "severity"
            case .structureRef: "structureRef"
            }
        }
    }

    /// DataSet attributes defined by the SDMX schema itself, not by the data structure.
    static let standardDataSetAttributes: Set<String> = [
        "action", "setID", "reportingBeginDate", "reportingEndDate", "validFromDate", "validToDate",
        "publicationYear", "publicationPeriod", "structureRef", "dataScope", "type",
    ]

    let vocabulary = Name.allCases.map(\.spelling)

    private let file: String
    private let emit: (Observation) throws -> Void
    private var rootSeen = false
    private var isError = false
    /// structureID → dimensionAtObservation, from the header.
    private var observationDimension: [String: String] = [:]
    private var currentObservationDimension = "TIME_PERIOD"
    private var dataSetIndex = 0
    private var dataSetFields: [(id: String, value: String)] = []
    private var groups: [(key: [(id: String, value: String)], attributes: [(id: String, value: String)])] = []
    private var seriesFields: [(id: String, value: String)] = []
    private var seriesKey: [(id: String, value: String)] = []
    private var obsFields: [(id: String, value: String)] = []
    private var groupKey: [(id: String, value: String)] = []
    private var groupAttributes: [(id: String, value: String)] = []
    /// Where generic `Value` elements go: which part of which level is open.
    private enum Slot { case none, dataSetAttributes, groupKey, groupAttributes, seriesKey, seriesAttributes, obsKey, obsAttributes }
    private var slot = Slot.none
    private var inGroup = false, inSeries = false, inObs = false
    private var messages: [String] = []
    private var messageCode = ""
    private var text: String?
    private var observations = 0
    private var obsLine = 0

    init(file: String, emit: @escaping (Observation) throws -> Void) {
        self.file = file
        self.emit = emit
    }

    /// A namespace token with SDMX-ML 3.0's namespaces mapped to their 2.1 counterparts (3.0 keeps
    /// 2.1's element names); nil (no namespace) stays nil.
    private static func canonical(_ namespace: Int?) -> Int? {
        switch namespace {
        case Name.messageNS30.rawValue: Name.messageNS.rawValue
        case Name.footerNS30.rawValue: Name.footerNS.rawValue
        case Name.commonNS30.rawValue: Name.commonNS.rawValue
        default: namespace
        }
    }

    func startElement(_ element: XMLElementName, attributes: XMLAttributeList, line: Int) throws {
        if !rootSeen {
            rootSeen = true
            guard element.namespace == Name.messageNS.rawValue || element.namespace == Name.messageNS30.rawValue else {
                throw CurateError(.formatError, "not an SDMX-ML 2.1 or 3.0 message: root element is \(element.localName)", at: SourceLocation(file: file, row: line))
            }
            isError = element.token == Name.error.rawValue
            return
        }
        func attribute(_ name: Name) -> String? { attributes.value(of: name.rawValue) }
        let namespace = Self.canonical(element.namespace).flatMap(Name.init(rawValue:))
        let unqualified = element.namespace == nil
        guard let name = Name(rawValue: element.token) else { return }
        switch (namespace, name) {
        case (.messageNS, .structure):
            if let id = attribute(.structureID), let dim = attribute(.dimensionAtObservation) { observationDimension[id] = dim }
        case (_, .dataSet):   // generic, structure-specific, or in the message namespace alike
            startDataSet(attributes)
        case (.genericNS, .group):
            inGroup = true; groupKey = []; groupAttributes = []
        case (.genericNS, .groupKey): slot = .groupKey
        case (.genericNS, .series):
            inSeries = true; seriesFields = []; seriesKey = []
        case (.genericNS, .seriesKey): slot = .seriesKey
        case (.genericNS, .obs):
            inObs = true; obsFields = []; obsLine = line
        case (.genericNS, .obsKey): slot = .obsKey
        case (.genericNS, .attributes):
            slot = inObs ? .obsAttributes : inSeries ? .seriesAttributes : inGroup ? .groupAttributes : .dataSetAttributes
        case (.genericNS, .value):
            guard let id = attribute(.id), let value = attribute(.valueAttribute) else {
                throw CurateError(.sourceError, "generic Value without id or value", at: SourceLocation(file: file, row: line))
            }
            switch slot {
            case .dataSetAttributes: dataSetFields.append((id, value))
            case .groupKey: groupKey.append((id, value))
            case .groupAttributes: groupAttributes.append((id, value))
            case .seriesKey: seriesKey.append((id, value)); seriesFields.append((id, value))
            case .seriesAttributes: seriesFields.append((id, value))
            case .obsKey, .obsAttributes: obsFields.append((id, value))
            case .none: break
            }
        case (.genericNS, .obsDimension):
            obsFields.append((attribute(.id) ?? currentObservationDimension, attribute(.valueAttribute) ?? ""))
        case (.genericNS, .obsValue):
            obsFields.append(("OBS_VALUE", attribute(.valueAttribute) ?? ""))
        case (_, .group) where namespace != .messageNS:
            // Structure-specific group: its dimensions and attributes are plain XML attributes; which
            // are which needs the DSD, so the whole set is matched against each series by the ids they share.
            groups.append((plain(attributes), []))
        case (_, .series) where unqualified:
            inSeries = true
            seriesFields = plain(attributes)
            seriesKey = seriesFields
        case (_, .obs) where unqualified:
            obsLine = line
            try emitStructureSpecific(attributes)
        case (_, .comp) where unqualified:
            throw CurateError(.formatError, "SDMX-ML 3.0 multi-valued component \(attribute(.id) ?? "") (a Comp element) is not read",
                              at: SourceLocation(file: file, row: line))
        case (.footerNS, .message), (.messageNS, .errorMessage):
            messageCode = [attribute(.code), attribute(.severity)].compactMap { $0 }.joined(separator: " ")
        case (.commonNS, .text) where isError || !messageCode.isEmpty:
            text = ""
        default:
            break
        }
    }

    func endElement(_ element: XMLElementName) throws {
        let namespace = Self.canonical(element.namespace).flatMap(Name.init(rawValue:))
        let unqualified = element.namespace == nil
        guard let name = Name(rawValue: element.token) else { return }
        switch (namespace, name) {
        case (.genericNS, .obs):
            inObs = false
            try emitObservation(fields: obsFields)
        case (.genericNS, .series):
            inSeries = false; seriesFields = []; seriesKey = []
        case (_, .series) where unqualified:
            inSeries = false; seriesFields = []; seriesKey = []
        case (.genericNS, .group):
            inGroup = false
            groups.append((groupKey, groupAttributes))
        case (.genericNS, .groupKey), (.genericNS, .seriesKey), (.genericNS, .obsKey), (.genericNS, .attributes):
            slot = .none
        case (.commonNS, .text):
            if let t = text { messages.append(t.trimmingWhitespace) }
            text = nil
        default:
            break
        }
    }

    func characters(_ chunk: UnsafeBufferPointer<UInt8>) throws {
        if text != nil { text! += String(decoding: chunk, as: UTF8.self) }
    }

    /// After the document: a footer or error message is the service speaking instead of the data.
    func finish() throws {
        if isError || !messages.isEmpty {
            let code = messageCode.isEmpty ? "" : " \(messageCode)"
            throw CurateError(.sdmxError, "SDMX service message\(code): " + messages.joined(separator: " | ")
                              + (observations > 0 ? " (after \(observations) observations)" : " (no data)"),
                              at: SourceLocation(file: file))
        }
    }

    private func startDataSet(_ attributes: XMLAttributeList) {
        dataSetIndex += 1
        groups = []
        dataSetFields = []
        for index in 0..<attributes.count where attributes.namespace(index) == nil {
            let id = attributes.localName(index)
            if !Self.standardDataSetAttributes.contains(id) { dataSetFields.append((id, attributes.value(index))) }
        }
        let ref = attributes.value(of: Name.structureRef.rawValue)
        currentObservationDimension = ref.flatMap { observationDimension[$0] } ?? observationDimension.values.first ?? "TIME_PERIOD"
    }

    /// The unprefixed attributes (a structure-specific element's components) as (id, value).
    private func plain(_ attributes: XMLAttributeList) -> [(id: String, value: String)] {
        var out: [(id: String, value: String)] = []
        out.reserveCapacity(attributes.count)
        for index in 0..<attributes.count where attributes.namespace(index) == nil {
            out.append((attributes.localName(index), attributes.value(index)))
        }
        return out
    }

    /// A structure-specific observation: its unprefixed attributes are its fields. Without groups
    /// (the usual case) they are appended straight after the data set's and series' fields.
    private func emitStructureSpecific(_ attributes: XMLAttributeList) throws {
        var all: [(id: String, value: String)] = []
        if groups.isEmpty {
            all.reserveCapacity(dataSetFields.count + seriesFields.count + attributes.count + 1)
            Self.append(dataSetFields, to: &all)
            Self.append(seriesFields, to: &all)
        }
        let obsStart = all.count
        var typeIndex = -1
        for index in 0..<attributes.count {
            if let namespace = attributes.namespace(index) {
                if namespace == Name.xsiNS.rawValue && attributes.name(index) == Name.type.rawValue && typeIndex < 0 { typeIndex = index }
            } else {
                all.append((attributes.localName(index), attributes.value(index)))
            }
        }
        if typeIndex >= 0 && currentObservationDimension != "AllDimensions"
            && !all[obsStart...].contains(where: { $0.id == currentObservationDimension }) {
            // Explicit measures: `xsi:type="demo:TFRNSI"` is the measure dimension's code TFRNSI.
            let type = attributes.value(typeIndex)
            all.insert((currentObservationDimension, String(type.split(separator: ":").last ?? "")), at: obsStart)
        }
        guard groups.isEmpty else { return try emitObservation(fields: all) }
        observations += 1
        try emit(Observation(fields: all, dataSet: dataSetIndex, line: obsLine))
    }

    /// Appends element by element: `+=` on arrays of (String, String) copies through the runtime's
    /// generic value witnesses, several times slower for the few fields an observation has.
    @inline(__always)
    private static func append(_ fields: [(id: String, value: String)], to all: inout [(id: String, value: String)]) {
        for field in fields { all.append(field) }
    }

    private func emitObservation(fields: [(id: String, value: String)]) throws {
        var all: [(id: String, value: String)] = []
        all.reserveCapacity(dataSetFields.count + seriesFields.count + fields.count + (groups.isEmpty ? 0 : 8))
        Self.append(dataSetFields, to: &all)
        if !groups.isEmpty {
            let key = seriesKey + fields
            for group in groups where !group.key.isEmpty {
                let matches = group.key.allSatisfy { part in key.contains { $0.id == part.id } ? key.contains { $0 == part } : true }
                    && group.key.contains { part in key.contains { $0.id == part.id } }
                if matches {
                    for field in group.key + group.attributes where !all.contains(where: { $0.id == field.id }) && !key.contains(where: { $0.id == field.id }) {
                        all.append(field)
                    }
                }
            }
        }
        Self.append(seriesFields, to: &all)
        Self.append(fields, to: &all)
        observations += 1
        try emit(Observation(fields: all, dataSet: dataSetIndex, line: obsLine))
    }
}
