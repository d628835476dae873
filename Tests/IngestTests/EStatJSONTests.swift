import Testing
import CurateCore
@testable import Ingest

@Suite struct EStatJSONTests {
    static func read(_ name: String) throws -> ([Observation], EStatTable) {
        var out: [Observation] = []
        let table = try EStatReader(path: fixture("estat/" + name)).forEachObservation { out.append($0) }
        return (out, table)
    }

    /// The JSON (written from the XML by estat/make_json.py, by the e-Stat API's own mapping) gives
    /// the same observations, in the same order with the same keys and labels, and the same NOTE
    /// markers and paging.
    @Test func jsonReadsToTheSameRecordsAsTheXMLOfTheSameTable() throws {
        let (xml, xmlTable) = try Self.read("v3-meta-paged.synthetic.xml")
        let (json, jsonTable) = try Self.read("v3-meta-paged.synthetic.json")
        #expect(json.count == 4)
        #expect(json.map { $0.fields.map(\.id) } == xml.map { $0.fields.map(\.id) })
        #expect(json.map(\.dictionary) == xml.map(\.dictionary))
        #expect(jsonTable == xmlTable)
        #expect(jsonTable.notes == ["***": "数字が得られないもの", "-": "該当数字がないもの"])
        #expect(json[1]["cat01.label"] == "総数_企業" && json[3]["VALUE"] == "***")
    }

    @Test func detectedAsEStatJSONNeverCSV() throws {
        #expect(try FileFormat.detect(path: fixture("estat/v3-meta-paged.synthetic.json")) == .estatJSON)
        #expect(try FileFormat.detect(path: fixture("estat/v3-meta-paged.synthetic.xml")) == .estatXML)
        let dir = try TemporaryDirectory()
        let other = try dir.write("other.json", "{\"rows\": [1, 2, 3]}")
        #expect { try FileFormat.detect(path: other) } throws: { ($0 as? CurateError)?.code == .formatError }
        // An XML response saved as UTF-16 is still XML, not a CSV of garbage.
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><GET_STATS_DATA><RESULT><STATUS>0</STATUS></RESULT><STATISTICAL_DATA><DATA_INF><VALUE tab=\"1\">5</VALUE></DATA_INF></STATISTICAL_DATA></GET_STATS_DATA>"
        let utf16 = try dir.write("utf16.xml", [0xFF, 0xFE] + xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(try FileFormat.detect(path: utf16) == .estatXML)
        var values: [String?] = []
        try EStatReader(path: utf16).forEachObservation { values.append($0["VALUE"]) }
        #expect(values == ["5"])
    }

    @Test func errorStatusInJSON() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("error.json", #"{"GET_STATS_DATA":{"RESULT":{"STATUS":100,"ERROR_MSG":"\u8a8d\u8a3c\u306b\u5931\u6557\u3057\u307e\u3057\u305f\u3002"}}}"#)
        #expect { _ = try EStatReader(path: file).forEachObservation { _ in } } throws: { error in
            let e = error as? CurateError
            return e?.code == .estatError && e?.message.contains("認証に失敗しました") == true
        }
    }

    /// A single VALUE (not an array of one) and a single NOTE are accepted, as the mapping allows.
    @Test func singleElementsWithoutArrays() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("one.json", #"""
            {"GET_STATS_DATA":{"RESULT":{"STATUS":0},"STATISTICAL_DATA":{"DATA_INF":{"NOTE":{"@char":"x","$":"秘匿"},"VALUE":{"@tab":"1","@time":"2020000000","$":"x"}}}}}
            """#)
        var out: [Observation] = []
        let table = try EStatReader(path: file).forEachObservation { out.append($0) }
        #expect(out.map(\.dictionary) == [["tab": "1", "time": "2020000000", "VALUE": "x"]])
        #expect(table.notes == ["x": "秘匿"])
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.json", "{\"GET_STATS_DATA\":\n {\"RESULT\": {\"STATUS\": 0,}}}")
        #expect { _ = try EStatReader(path: file).forEachObservation { _ in } } throws: { error in
            let e = error as? CurateError
            return e?.code == .jsonError && e?.location?.row == 2
        }
        let deep = try dir.write("deep.json", "{\"GET_STATS_DATA\":" + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}")
        #expect { _ = try EStatReader(path: deep).forEachObservation { _ in } } throws: { ($0 as? CurateError)?.code == .jsonError }
    }
}
