import CurateCore

/// The file formats `curate` reads.
public enum FileFormat: String, CaseIterable, Sendable {
    case csv
    case sdmxML = "sdmx-ml"
    case sdmxCSV = "sdmx-csv"
    case sdmxJSON = "sdmx-json"
    case estatXML = "estat-xml"
    case estatJSON = "estat-json"
    case xlsx
    case xls

    /// The OLE2 compound file signature: a legacy Excel workbook (BIFF) lives in one.
    static let ole2Magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Guesses the format from the first bytes: a zip is XLSX, an OLE2 container is XLS; XML is
    /// e-Stat when its root is GET_STATS_DATA, SDMX-ML otherwise; JSON is e-Stat when its root key is
    /// GET_STATS_DATA, SDMX-JSON when it has SDMX-JSON's parts, and refused otherwise (JSON and XML
    /// are never read as CSV: their commas would make hundreds of meaningless columns); a CSV whose
    /// first cell is STRUCTURE or DATAFLOW is SDMX-CSV; anything else is CSV.
    public static func detect(path: String) throws -> FileFormat {
        let bytes = try ByteSource.prefix(of: path, limit: 8192)
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        if bytes.starts(with: ole2Magic) { return .xls }
        var text = String(decoding: bytes, as: UTF8.self)
        // A UTF-16 file (an XML declared so, or Excel's "Unicode text" export) is sniffed as UTF-16.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { i in
                little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            }
            text = String(decoding: units, as: UTF16.self)
            if text.drop(while: { $0.isWhitespace }).hasPrefix("<") { return text.contains("<GET_STATS_DATA") ? .estatXML : .sdmxML }
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let start = text.drop(while: { $0.isWhitespace })
        if start.hasPrefix("<") { return start.contains("<GET_STATS_DATA") ? .estatXML : .sdmxML }
        if start.hasPrefix("{") || start.hasPrefix("[") {
            let compact = String(start.prefix(4096).filter { !$0.isWhitespace })
            if compact.hasPrefix("{\"GET_STATS_DATA\"") { return .estatJSON }
            if ["\"dataSets\":", "\"structure\":", "\"structures\":", "\"meta\":", "\"header\":"].contains(where: compact.contains) { return .sdmxJSON }
            throw CurateError(.formatError, "a JSON document that is neither an e-Stat API response (GET_STATS_DATA) nor an SDMX-JSON data message",
                              at: SourceLocation(file: path, row: 1, raw: String(start.prefix(60))))
        }
        let firstCell = start.prefix { $0 != "," && $0 != ";" && $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let id = SDMXCSVReader.componentID(String(firstCell))
        if id == "STRUCTURE" || id == "DATAFLOW" { return .sdmxCSV }
        return .csv
    }

    /// The first byte that is not whitespace or a byte-order mark: `{` for JSON, `<` for XML.
    static func firstByte(of path: String) throws -> UInt8? {
        var bytes = try ByteSource.prefix(of: path, limit: 4096)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }
}
