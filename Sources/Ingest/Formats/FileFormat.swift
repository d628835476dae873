import CurateCore

/// The file formats `curate` reads.
public enum FileFormat: String, CaseIterable, Sendable {
    case csv
    case sdmxML = "sdmx-ml"
    case sdmxCSV = "sdmx-csv"
    case estatXML = "estat-xml"
    case xlsx

    /// Guesses the format from the first bytes: a zip is XLSX; XML is e-Stat when its root is GET_STATS_DATA,
    /// SDMX-ML otherwise; a CSV whose first cell is
    /// STRUCTURE or DATAFLOW is SDMX-CSV; anything else is CSV.
    public static func detect(path: String) throws -> FileFormat {
        let bytes = try ByteSource.prefix(of: path, limit: 8192)
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let start = text.drop(while: { $0.isWhitespace })
        if start.hasPrefix("<") { return start.contains("<GET_STATS_DATA") ? .estatXML : .sdmxML }
        let firstCell = start.prefix { $0 != "," && $0 != ";" && $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let id = SDMXCSVReader.componentID(String(firstCell))
        if id == "STRUCTURE" || id == "DATAFLOW" { return .sdmxCSV }
        return .csv
    }
}
