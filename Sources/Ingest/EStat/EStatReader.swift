import CurateCore

/// What an e-Stat response says about itself besides its values.
public struct EStatTable: Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var statName: String?
    /// Marker → meaning, from `DATA_INF/NOTE/@char` (e.g. `***` → 数字が得られないもの).
    public var notes: [String: String] = [:]
    public var total: Int?
    public var from: Int?
    public var to: Int?
    /// Present when the response is one page of several: the position to ask for next.
    public var nextKey: String?
}

/// Reads e-Stat API `getStatsData` XML responses (API 3.0 and the older 1.0/2.x layout) as a
/// stream of observations: one per `DATA_INF/VALUE`, with its `tab`, `cat01`…, `area`, `time` and
/// `unit` codes, the value text as printed (markers such as `***` kept), and each code's name from
/// `CLASS_INF` under `<id>.label` when the response carries the metadata (`metaGetFlg=Y`).
/// A `RESULT/STATUS` other than 0 is `estat-error` with the service's `ERROR_MSG`.
///
/// The JSON form (`/json/getStatsData`, what most client libraries ask for) is the same document
/// mapped to objects (`@` attributes, `$` text); it is replayed as the same element events into
/// the same handler, so both forms give the same observations by construction. Which form a file
/// is comes from its first byte.
/// Spec: 政府統計の総合窓口(e-Stat) API 仕様 3.0版, 統計データ取得.
public struct EStatReader {
    public let path: String

    public init(path: String) { self.path = path }

    @discardableResult
    public func forEachObservation(_ body: @escaping (Observation) throws -> Void) throws -> EStatTable {
        let handler = EStatHandler(file: path, emit: body)
        if try FileFormat.firstByte(of: path) == UInt8(ascii: "{") {
            try JSONElementReplay.replay(try JSONDocument(path: path).root, into: handler, file: path)
        } else {
            try XMLPushParser.parse(path: path, handler: handler)
        }
        try handler.finish()
        return handler.table
    }
}

final class EStatHandler: XMLEventHandler {
    private let file: String
    private let emit: (Observation) throws -> Void
    private(set) var table = EStatTable()
    private var rootSeen = false
    private var status: String?
    private var errorMessage = ""
    private var path: [String] = []
    private var text = ""
    /// CLASS_OBJ id → code → name.
    private var classes: [String: [String: String]] = [:]
    private var currentClass: String?
    private var valueAttributes: [(id: String, value: String)] = []
    private var valueLine = 0
    private var noteChar: String?
    private var count = 0

    init(file: String, emit: @escaping (Observation) throws -> Void) { self.file = file; self.emit = emit }

    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        if !rootSeen {
            rootSeen = true
            guard name == "GET_STATS_DATA" else {
                throw CurateError(.formatError, "not an e-Stat getStatsData response: root element is \(name)",
                                  at: SourceLocation(file: file, row: line))
            }
        }
        if name == "STATISTICAL_DATA", let status, status != "0" { throw serviceError() }
        path.append(name)
        text = ""
        func attribute(_ id: String) -> String? { attributes.first { $0.localName == id }?.value }
        switch name {
        case "TABLE_INF": table.id = attribute("id")
        case "CLASS_OBJ": currentClass = attribute("id")
        case "CLASS":
            if let currentClass, let code = attribute("code") { classes[currentClass, default: [:]][code] = attribute("name") ?? "" }
        case "NOTE": noteChar = attribute("char")
        case "VALUE":
            valueAttributes = attributes.filter { $0.namespace == nil }.map { ($0.localName, $0.value) }
            valueLine = line
        default: break
        }
    }

    func endElement(_ name: String, namespace: String?) throws {
        let value = text.trimmingWhitespace
        let parent = path.dropLast().last
        switch name {
        case "STATUS" where parent == "RESULT": status = value
        case "ERROR_MSG" where parent == "RESULT": errorMessage = value
        case "TOTAL_NUMBER": table.total = Int(value)
        case "FROM_NUMBER": table.from = Int(value)
        case "TO_NUMBER": table.to = Int(value)
        case "NEXT_KEY": table.nextKey = value
        case "TITLE" where parent == "TABLE_INF": table.title = value
        case "STAT_NAME" where parent == "TABLE_INF": table.statName = value
        case "CLASS_OBJ": currentClass = nil
        case "NOTE": if let noteChar { table.notes[noteChar] = value }
        case "VALUE":
            var fields = valueAttributes
            for (id, code) in valueAttributes { if let label = classes[id]?[code] { fields.append((id + ".label", label)) } }
            fields.append(("VALUE", text))
            count += 1
            try emit(Observation(fields: fields, dataSet: 1, line: valueLine))
        default: break
        }
        path.removeLast()
        text = ""
    }

    func characters(_ chunk: String) throws { text += chunk }

    func finish() throws {
        if let status, status != "0" { throw serviceError() }
        if status == nil {
            throw CurateError(.formatError, "e-Stat response without RESULT/STATUS", at: SourceLocation(file: file))
        }
    }

    private func serviceError() -> CurateError {
        CurateError(.estatError, "e-Stat API status \(status ?? "?"): \(errorMessage)", at: SourceLocation(file: file))
    }
}
