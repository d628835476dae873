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
        try XMLPushParser.parse(path: path, handler: handler)
        try handler.finish()
    }
}

/// The state machine behind `SDMXMLReader`: element by element, it keeps only the current data
/// set, group list, series and observation.
final class SDMXDataHandler: XMLEventHandler {
    static let messageNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    static let genericNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    static let footerNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
    static let commonNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
    static let messageNS30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
    static let footerNS30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message/footer"
    static let commonNS30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common"
    static let xsiNS = "http://www.w3.org/2001/XMLSchema-instance"
    /// DataSet attributes defined by the SDMX schema itself, not by the data structure.
    static let standardDataSetAttributes: Set<String> = [
        "action", "setID", "reportingBeginDate", "reportingEndDate", "validFromDate", "validToDate",
        "publicationYear", "publicationPeriod", "structureRef", "dataScope", "type",
    ]

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

    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        if !rootSeen {
            rootSeen = true
            guard namespace == Self.messageNS || namespace == Self.messageNS30 else {
                throw CurateError(.formatError, "not an SDMX-ML 2.1 or 3.0 message: root element is \(name)", at: SourceLocation(file: file, row: line))
            }
            isError = name == "Error"
            return
        }
        func attribute(_ id: String) -> String? { attributes.first { $0.localName == id }?.value }
        // 3.0 keeps 2.1's element names in its own namespaces.
        let namespace = namespace.map { Self.namespaces30[$0] ?? $0 }
        switch (namespace, name) {
        case (Self.messageNS, "Structure"):
            if let id = attribute("structureID"), let dim = attribute("dimensionAtObservation") { observationDimension[id] = dim }
        case (_, "DataSet"):   // generic, structure-specific, or in the message namespace alike
            startDataSet(attributes)
        case (Self.genericNS, "Group"):
            inGroup = true; groupKey = []; groupAttributes = []
        case (Self.genericNS, "GroupKey"): slot = .groupKey
        case (Self.genericNS, "Series"):
            inSeries = true; seriesFields = []; seriesKey = []
        case (Self.genericNS, "SeriesKey"): slot = .seriesKey
        case (Self.genericNS, "Obs"):
            inObs = true; obsFields = []; obsLine = line
        case (Self.genericNS, "ObsKey"): slot = .obsKey
        case (Self.genericNS, "Attributes"):
            slot = inObs ? .obsAttributes : inSeries ? .seriesAttributes : inGroup ? .groupAttributes : .dataSetAttributes
        case (Self.genericNS, "Value"):
            guard let id = attribute("id"), let value = attribute("value") else {
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
        case (Self.genericNS, "ObsDimension"):
            obsFields.append((attribute("id") ?? currentObservationDimension, attribute("value") ?? ""))
        case (Self.genericNS, "ObsValue"):
            obsFields.append(("OBS_VALUE", attribute("value") ?? ""))
        case (_, "Group") where namespace != Self.genericNS && namespace != Self.messageNS:
            // Structure-specific group: its dimensions and attributes are plain XML attributes; which
            // are which needs the DSD, so the whole set is matched against each series by the ids they share.
            groups.append((plain(attributes), []))
        case (nil, "Series"):
            inSeries = true
            seriesFields = plain(attributes)
            seriesKey = seriesFields
        case (nil, "Obs"):
            obsLine = line
            var fields = plain(attributes)
            if currentObservationDimension != "AllDimensions", !fields.contains(where: { $0.id == currentObservationDimension }),
               let type = attributes.first(where: { $0.namespace == Self.xsiNS && $0.localName == "type" })?.value {
                // Explicit measures: `xsi:type="demo:TFRNSI"` is the measure dimension's code TFRNSI.
                fields.insert((currentObservationDimension, String(type.split(separator: ":").last ?? "")), at: 0)
            }
            try emitObservation(fields: fields)
        case (nil, "Comp"):
            throw CurateError(.formatError, "SDMX-ML 3.0 multi-valued component \(attribute("id") ?? "") (a Comp element) is not read",
                              at: SourceLocation(file: file, row: line))
        case (Self.footerNS, "Message"), (Self.messageNS, "ErrorMessage"):
            messageCode = [attribute("code"), attribute("severity")].compactMap { $0 }.joined(separator: " ")
        case (Self.commonNS, "Text") where isError || !messageCode.isEmpty:
            text = ""
        default:
            break
        }
    }

    func endElement(_ name: String, namespace: String?) throws {
        let namespace = namespace.map { Self.namespaces30[$0] ?? $0 }
        switch (namespace, name) {
        case (Self.genericNS, "Obs"):
            inObs = false
            try emitObservation(fields: obsFields)
        case (Self.genericNS, "Series"), (nil, "Series"):
            inSeries = false; seriesFields = []; seriesKey = []
        case (Self.genericNS, "Group"):
            inGroup = false
            groups.append((groupKey, groupAttributes))
        case (Self.genericNS, "GroupKey"), (Self.genericNS, "SeriesKey"), (Self.genericNS, "ObsKey"), (Self.genericNS, "Attributes"):
            slot = .none
        case (Self.commonNS, "Text"):
            if let t = text { messages.append(t.trimmingWhitespace) }
            text = nil
        default:
            break
        }
    }

    func characters(_ chunk: String) throws {
        if text != nil { text! += chunk }
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

    /// SDMX-ML 3.0 namespace → its 2.1 counterpart with the same element names.
    static let namespaces30: [String: String] = [messageNS30: messageNS, footerNS30: footerNS, commonNS30: commonNS]

    private func startDataSet(_ attributes: [XMLAttribute]) {
        dataSetIndex += 1
        groups = []
        dataSetFields = attributes.filter { $0.namespace == nil && !Self.standardDataSetAttributes.contains($0.localName) }
            .map { ($0.localName, $0.value) }
        let ref = attributes.first { $0.localName == "structureRef" }?.value
        currentObservationDimension = ref.flatMap { observationDimension[$0] } ?? observationDimension.values.first ?? "TIME_PERIOD"
    }

    private func plain(_ attributes: [XMLAttribute]) -> [(id: String, value: String)] {
        attributes.filter { $0.namespace == nil }.map { ($0.localName, $0.value) }
    }

    private func emitObservation(fields: [(id: String, value: String)]) throws {
        var all = dataSetFields
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
        all += seriesFields
        all += fields
        observations += 1
        try emit(Observation(fields: all, dataSet: dataSetIndex, line: obsLine))
    }
}
