import Foundation
import Testing
import CurateCore
import Ingest
@testable import Pipeline

/// `curate read` on SDMX-ML writes observations through the token-level reader and the byte
/// writer: the output must be byte for byte what the String-based path printed (the golden files,
/// made with it), for generic and structure-specific data, groups, explicit measures, escapes and 3.0.
@Suite struct ReadSDMXExportTests {
    static let fixtures = repositoryRoot + "/Tests/IngestTests/Fixtures"
    static let cases = [
        ("ECB_EXR/ng-ts.xml", "ecb-ng-ts"), ("ECB_EXR/ng-ts-gf-ss.xml", "ecb-ng-ts-gf-ss"),
        ("SDMX_SAMPLES/demography_xs.xml", "demography-xs"), ("IMF_RES/WEO-data.xml", "imf-weo"),
        ("SDMX_SPEC/ECB_EXR-3.0-ss.xml", "ecb-exr-3.0-ss"),
    ]

    static func export(_ source: String, _ output: RecordExport.Output, bytes: Bool) throws -> String {
        var options = RecordExport.Options()
        options.output = output
        var text = ""
        var data: [UInt8] = []
        try RecordExport.export(path: fixtures + "/sdmx/" + source, options: options, write: { text += $0 },
                                writeBytes: bytes ? { data += $0 } : nil, finding: { _ in })
        return bytes ? String(decoding: data, as: UTF8.self) : text
    }

    @Test(arguments: cases)
    func sameBytesAsTheStringPath(_ source: String, _ golden: String) throws {
        for output in RecordExport.Output.allCases {
            let expected = try String(contentsOfFile: Self.fixtures + "/read-golden/\(golden).\(output.rawValue)", encoding: .utf8)
            #expect(!expected.isEmpty)
            #expect(try Self.export(source, output, bytes: true) == expected, "\(golden).\(output.rawValue) via bytes")
            #expect(try Self.export(source, output, bytes: false) == expected, "\(golden).\(output.rawValue) via String")
        }
    }

    /// A repeated id keeps one JSON key (its last value, at its first position) and one CSV column;
    /// observations whose ids change from one to the next (the writer's cached layout) each get their own.
    @Test func repeatedAndChangingIds() throws {
        let writer = ObservationWriter()
        var out: [UInt8] = []
        let sink: (UnsafeBufferPointer<UInt8>) throws -> Void = { out += $0 }
        try writer.appendJSON([("A", "1"), ("B", "x\"y"), ("A", "2")], flushingTo: sink)
        try writer.appendJSON([("A", "3"), ("B", "z"), ("A", "4")], flushingTo: sink)
        try writer.appendJSON([("B", "w"), ("A", "5")], flushingTo: sink)
        try writer.appendJSON([], flushingTo: sink)
        writer.setColumns(["A", "B", "C"])
        try writer.appendCSV([("C", "a,b"), ("A", "1"), ("A", "2")], flushingTo: sink)
        try writer.appendCSV([("B", "\"q\"\n")], flushingTo: sink)
        try writer.flush(to: sink)
        #expect(String(decoding: out, as: UTF8.self) == """
            {"A":"2","B":"x\\"y"}
            {"A":"4","B":"z"}
            {"B":"w","A":"5"}
            {}
            2,,"a,b"
            ,\"""q""
            \",

            """)
    }
}
