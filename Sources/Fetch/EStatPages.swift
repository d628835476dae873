import Foundation
import CurateCore
import Pipeline

/// e-Stat API v3 `getStatsData`, every page. The API returns at most 100,000 values a page and
/// names the next start position in `RESULT_INF/NEXT_KEY`; curate asks again with
/// `startPosition=NEXT_KEY` until none is left, and stores the pages merged into ONE document of
/// the same form, so `curate read` and the pipelines see the whole table as if it had come in one
/// response:
/// - XML: page 1 as served, with `NEXT_KEY` removed and `TO_NUMBER` set to `TOTAL_NUMBER`, and the
///   `VALUE` elements of each later page appended inside its `DATA_INF` (pages are streamed to the
///   file one at a time; memory holds one page);
/// - JSON: page 1's object with the later pages' `VALUE` arrays appended (held in memory: use XML
///   for very large tables).
/// A response of one page is stored byte for byte as served.
struct EStatPages {
    let query: FetchSpec.EStat
    let appID: String
    let base: String
    let downloader: Downloader

    /// The first page's URL with the application id redacted: what the lock records.
    var lockURL: String { downloader.redaction.redacted(url(startPosition: nil)) }

    func url(startPosition: String?) -> String {
        var params = [("appId", appID), ("statsDataId", query.statsDataID)] + query.params
        if let startPosition { params.append(("startPosition", startPosition)) }
        return base + (query.format == .json ? "/json/getStatsData?" : "/getStatsData?") + queryString(params)
    }

    /// Fetches every page into `output`; returns how many pages there were.
    func fetch(into output: StagedFile) async throws -> Int {
        var position: String?
        var pages = 0
        var xmlTail: [UInt8] = []
        var json: [String: Any]?
        var jsonValues: [Any] = []
        repeat {
            let pageURL = url(startPosition: position)
            let shown = downloader.redaction.redacted(pageURL)
            let page = try StagedFile(destination: output.destination + ".page")
            defer { page.discard() }
            switch try await downloader.get(pageURL, accept: query.format == .json ? "application/json" : "application/xml", into: page) {
            case .notModified:
                throw CurateError(.fetchError, "HTTP 304 from \(shown) to a request that was not conditional")
            case .refused(let status, let reason, _):
                throw CurateError(.fetchError, "HTTP \(status) \(reason) from \(shown)")
            case .received:
                break
            }
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: page.path)))
            if let scrubbed = downloader.redaction.scrub(bytes) { bytes = scrubbed }
            pages += 1
            if query.format == .json {
                let object = try jsonPage(bytes, shown: shown)
                position = Self.jsonNextKey(object)
                if pages == 1 && position == nil {
                    try output.write(bytes)
                    return 1
                }
                if pages == 1 { json = object }
                jsonValues += Self.jsonValues(object)
            } else {
                try checkStatus(xmlStatus: bytes, shown: shown)
                position = bytes.elementText("NEXT_KEY").flatMap { $0.isEmpty ? nil : $0 }
                if pages == 1 && position == nil {
                    try output.write(bytes)
                    return 1
                }
                if pages == 1 {
                    let (head, tail) = try Self.splitFirstPage(bytes, shown: shown)
                    try output.write(head)
                    xmlTail = tail
                } else {
                    try output.write(Self.values(of: bytes))
                }
            }
            guard pages < 100_000 else { throw CurateError(.estatError, "e-Stat paging did not end after \(pages) pages (\(shown))") }
        } while position != nil
        if let json {
            try output.write([UInt8](try JSONSerialization.data(withJSONObject: Self.merged(json, values: jsonValues), options: [.withoutEscapingSlashes])))
        } else {
            try output.write(xmlTail)
        }
        return pages
    }

    private func checkStatus(xmlStatus bytes: [UInt8], shown: String) throws {
        guard let status = bytes.elementText("STATUS") else {
            throw CurateError(.estatError, "not an e-Stat getStatsData response (no RESULT/STATUS) from \(shown)")
        }
        if status != "0" {
            throw CurateError(.estatError, "e-Stat API status \(status): \(bytes.elementText("ERROR_MSG") ?? "(no ERROR_MSG)") (\(shown))")
        }
    }

    /// Page 1 up to its closing `</DATA_INF>` (without NEXT_KEY, TO_NUMBER = TOTAL_NUMBER), and the rest.
    static func splitFirstPage(_ bytes: [UInt8], shown: String) throws -> ([UInt8], [UInt8]) {
        var page = bytes
        if let next = page.elementRange("NEXT_KEY") { page.removeSubrange(next) }
        if let total = page.elementText("TOTAL_NUMBER"), let to = page.elementRange("TO_NUMBER") {
            page.replaceSubrange(to, with: Array("<TO_NUMBER>\(total)</TO_NUMBER>".utf8))
        }
        guard let close = page.lastRange(of: "</DATA_INF>") else {
            throw CurateError(.estatError, "e-Stat page without DATA_INF from \(shown)")
        }
        return (Array(page[..<close.lowerBound]), Array(page[close.lowerBound...]))
    }

    /// A later page's VALUE elements: from the first `<VALUE` inside DATA_INF to its closing tag.
    static func values(of bytes: [UInt8]) -> [UInt8] {
        guard let data = bytes.firstRange(of: "<DATA_INF"), let close = bytes.lastRange(of: "</DATA_INF>") else { return [] }
        var from = data.upperBound
        while let v = bytes.firstRange(of: "<VALUE", from: from), v.upperBound < close.lowerBound {
            let next = bytes[v.upperBound]
            if next == UInt8(ascii: " ") || next == UInt8(ascii: ">") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t") {
                return Array(bytes[v.lowerBound..<close.lowerBound])
            }
            from = v.upperBound
        }
        return []
    }

    private func jsonPage(_ bytes: [UInt8], shown: String) throws -> [String: Any] {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
              let stats = root["GET_STATS_DATA"] as? [String: Any], let result = stats["RESULT"] as? [String: Any] else {
            throw CurateError(.estatError, "not an e-Stat getStatsData JSON response (no GET_STATS_DATA.RESULT) from \(shown)")
        }
        let status = "\(result["STATUS"] ?? "?")"
        if status != "0" {
            throw CurateError(.estatError, "e-Stat API status \(status): \(result["ERROR_MSG"] as? String ?? "(no ERROR_MSG)") (\(shown))")
        }
        return root
    }

    private static func statistical(_ root: [String: Any]) -> [String: Any]? {
        (root["GET_STATS_DATA"] as? [String: Any])?["STATISTICAL_DATA"] as? [String: Any]
    }

    static func jsonNextKey(_ root: [String: Any]) -> String? {
        guard let info = statistical(root)?["RESULT_INF"] as? [String: Any], let next = info["NEXT_KEY"] else { return nil }
        let text = "\(next)"
        return text.isEmpty ? nil : text
    }

    /// VALUE is an array, or a single object when the page holds one value.
    static func jsonValues(_ root: [String: Any]) -> [Any] {
        guard let data = statistical(root)?["DATA_INF"] as? [String: Any], let values = data["VALUE"] else { return [] }
        return (values as? [Any]) ?? [values]
    }

    /// Page 1 with every page's values, no NEXT_KEY, and TO_NUMBER = TOTAL_NUMBER.
    static func merged(_ root: [String: Any], values: [Any]) -> [String: Any] {
        var root = root
        guard var response = root["GET_STATS_DATA"] as? [String: Any], var stats = response["STATISTICAL_DATA"] as? [String: Any] else { return root }
        if var info = stats["RESULT_INF"] as? [String: Any] {
            info["NEXT_KEY"] = nil
            if let total = info["TOTAL_NUMBER"] { info["TO_NUMBER"] = total }
            stats["RESULT_INF"] = info
        }
        var data = stats["DATA_INF"] as? [String: Any] ?? [:]
        data["VALUE"] = values
        stats["DATA_INF"] = data
        response["STATISTICAL_DATA"] = stats
        root["GET_STATS_DATA"] = response
        return root
    }
}
