import Foundation
import CurateCore
import Pipeline

/// SDMX REST 2.1 queries: `{base}/data/{flow}/{key}?{params}` for the data, asked for as SDMX-ML
/// (structure-specific, generic accepted) by the Accept header, and
/// `{base}/dataflow/{agency}/{id}/{version}?references=all` for its structure (codes and labels).
struct SDMXQuery {
    let query: FetchSpec.SDMX
    let base: String

    static let dataAccept = "application/vnd.sdmx.structurespecificdata+xml;version=2.1, application/vnd.sdmx.genericdata+xml;version=2.1;q=0.9, application/xml;q=0.5"
    static let structureAccept = "application/vnd.sdmx.structure+xml;version=2.1, application/xml;q=0.5"

    var dataURL: String {
        let url = base + "/data/" + query.flow + "/" + (query.key.isEmpty ? "all" : query.key)
        return query.params.isEmpty ? url : url + "?" + queryString(query.params)
    }

    /// `AGENCY,ID,VERSION` → `dataflow/AGENCY/ID/VERSION`; a bare id → `dataflow/all/ID/latest`.
    var structureURL: String {
        let parts = query.flow.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let path: String
        switch parts.count {
        case 3: path = "\(parts[0])/\(parts[1])/\(parts[2].isEmpty ? "latest" : parts[2])"
        case 2: path = "\(parts[0])/\(parts[1])/latest"
        default: path = "all/\(query.flow)/latest"
        }
        return base + "/dataflow/" + path + "?references=all"
    }

    /// Where the structure goes: beside the data, `<stem>.structure.xml`.
    static func structurePath(for dataPath: String) -> String {
        let ns = dataPath as NSString
        return (ns.deletingPathExtension as String) + ".structure.xml"
    }

    /// The service speaking instead of (all of) the data: an SDMX-ML error message, or a footer
    /// message (e.g. "response too large", an asynchronous-delivery notice). Looks at the start
    /// and the end of the file, where such messages sit; nil when the message is plain data.
    static func serviceMessage(inFile path: String) throws -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CurateError(.ioError, "cannot read", at: SourceLocation(file: path)) }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        var bytes = [UInt8](try handle.read(upToCount: 65_536) ?? Data())
        if size > 65_536 {
            try handle.seek(toOffset: max(65_536, size - 262_144))
            bytes += [UInt8](try handle.readToEnd() ?? Data())
        }
        return serviceMessage(in: bytes)
    }

    static func serviceMessage(in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("Footer") || text.contains("ErrorMessage") || text.contains("<Error") || text.contains(":Error") else { return nil }
        // SDMX 2.1: footer:Message / mes:ErrorMessage, with a code attribute and com:Text children.
        var parts: [String] = []
        if let code = firstMatch(#"<[A-Za-z0-9_]*:?(?:Message|ErrorMessage)[^>]*\bcode="([^"]*)""#, in: text) { parts.append("code \(code)") }
        var texts: [String] = []
        let pattern = try! NSRegularExpression(pattern: #"<(?:[A-Za-z0-9_]+:)?Text[^>]*>([^<]*)</"#)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let range = Range(match.range(at: 1), in: text) { texts.append(String(text[range]).trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard !texts.isEmpty || !parts.isEmpty else { return nil }
        return (parts + texts.filter { !$0.isEmpty }).joined(separator: ": ")
    }

    private static func firstMatch(_ pattern: String, in text: String) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern)
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
