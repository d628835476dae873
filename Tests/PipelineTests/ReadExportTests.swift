import Foundation
import Testing
import CurateCore
import Ingest
@testable import Pipeline

/// `curate read` on CSV writes JSON lines from the parser's bytes: the same lines, escapes, keys and
/// findings as the String path it replaced.
@Suite struct ReadExportTests {
    @Test func jsonLinesFromBytes() throws {
        let dir = NSTemporaryDirectory() + "curate-read-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = "（単位：千円）\r\n年度,値,値,\r\n2021,\"a \"\"q\"\" \\ b\",\"tab\there\",x\r\n\r\n2022,\"line\r\nbreak\",\u{01}\r\n"
            + "2023,1,2,3,extra\r\n注：合成データ\r\n"
        let path = dir + "/t.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        var options = RecordExport.Options()
        options.encoding = .utf8
        var out = ""
        var findings: [Finding] = []
        try RecordExport.export(path: path, options: options, write: { out += $0 }, finding: { findings.append($0) })
        #expect(out == """
            {"年度":"2021","値":"a \\"q\\" \\\\ b","column3":"tab\\there","column4":"x"}
            {"年度":"2022","値":"line\\r\\nbreak","column3":"\\u0001"}
            {"年度":"2023","値":"1","column3":"2","column4":"3","column5":"extra"}

            """)
        #expect(findings.map(\.code) == [.duplicateLabel, .blankLabel, .missingCell, .extraCell])
        // the byte sink (what the CLI passes) gets the same bytes, and `write` none of them
        var bytes: [UInt8] = []
        try RecordExport.export(path: path, options: options, write: { _ in Issue.record("String write used") },
                                writeBytes: { bytes += $0 }, finding: { _ in })
        #expect(String(decoding: bytes, as: UTF8.self) == out)
        #expect(findings.last?.location?.row == 7)
    }

    /// The one JSON escaping rule (`JSONText.put`) gives back every ASCII character, and text beyond
    /// ASCII, when a JSON parser reads it.
    @Test func everyCharacterSurvivesAJSONParser() throws {
        let texts = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["", "地域\u{7F}\u{1F}x", "a\"b\\c\n\r\t", "😀 \u{2028}"]
        for text in texts {
            let quoted = JSONText.quoted(text)
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(parsed == [text], "\(quoted)")
        }
    }

    @Test func rowsReadBeforeAnErrorAreStillWritten() throws {
        let dir = NSTemporaryDirectory() + "curate-read-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.csv"
        try Data(Array("a,b\n1,2\n3,\"open\n".utf8)).write(to: URL(fileURLWithPath: path))
        var options = RecordExport.Options()
        options.encoding = .utf8
        options.headerRow = 1   // rows stream from the header on (without it, the first 20 wait for header sniffing)
        var out = ""
        #expect { try RecordExport.export(path: path, options: options, write: { out += $0 }, finding: { _ in }) }
            throws: { ($0 as? CurateError)?.code == .unterminatedQuote }
        #expect(out == "{\"a\":\"1\",\"b\":\"2\"}\n")
    }
}
