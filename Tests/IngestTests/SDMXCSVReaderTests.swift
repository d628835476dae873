import Testing
import CurateCore
@testable import Ingest

@Suite struct SDMXCSVReaderTests {
    static func observations(_ name: String) throws -> [Observation] {
        var out: [Observation] = []
        try SDMXCSVReader(path: fixture("sdmx-csv/" + name)).forEachObservation { out.append($0) }
        return out
    }

    @Test func plainExample() throws {
        let obs = try Self.observations("example-01.csv")
        #expect(obs.count == 2)
        #expect(obs[0].dictionary == ["STRUCTURE": "dataflow", "STRUCTURE_ID": "ESTAT:NA_MAIN(1.6.0)", "ACTION": "I",
                                      "DIM_1": "A", "DIM_2": "B", "DIM_3": "2014-01", "OBS_VALUE": "12.4", "ATTR_2": "Y",
                                      "ATTR_3": "Normal, special and other values", "ATTR_1": "N", "UPDATED": "2021-01-22T13:15:41Z"])
        #expect(obs.map(\.line) == [2, 3])
    }

    @Test func semicolonDelimiterLabelsInCellsAndDecimalComma() throws {
        let obs = try Self.observations("example-04.csv")
        let first = obs[0].dictionary
        #expect(first["DIM_1"] == "A" && first["DIM_1.label"] == "Value A")
        #expect(first["STRUCTURE_ID"] == "ESTAT:NA_MAIN(1.6.0)")
        #expect(first["STRUCTURE_ID.label"] == "Principaux agrégats des comptes nationaux")
        #expect(first["OBS_VALUE"] == "12,4")
        #expect(first["ATTR_3"] == "Normal, special and other values")
        #expect(first["SERIES_KEY"] == "A.B" && first["OBS_KEY"] == "A.B.2014-01")
    }

    @Test func labelColumnsWithStructureName() throws {
        let first = try Self.observations("example-06.csv")[0].dictionary
        #expect(first["DIM_1"] == "A" && first["DIM_1.label"] == "Value A")
        #expect(first["OBS_VALUE"] == "12.4")
        #expect(first["ATTR_1"] == "Y" && first["ATTR_1.label"] == "Yes")
        #expect(first["STRUCTURE_NAME"] == "National Accounts Main Aggregates")
    }

    @Test(arguments: ["example-02.csv", "example-07.csv", "example-08.csv", "example-14.csv"])
    func multiValueAndLocalisedHeadersGivePlainIDs(_ name: String) throws {
        let obs = try Self.observations(name)
        #expect(!obs.isEmpty)
        #expect(obs.allSatisfy { $0.fields.allSatisfy { !$0.id.contains("[") } })
    }

    @Test func quotedNewlineAndDeleteActions() throws {
        #expect(try Self.observations("example-15.csv")[0]["ATTR_1"] == "<p>This is some \"xhtml\" with a line\nbreak</p>")
        #expect(try Self.observations("example-16.csv").map { $0["ACTION"] } == ["D", "D"])
        let deleteAll = try Self.observations("example-19A.csv")
        #expect(deleteAll.map(\.dictionary) == [["STRUCTURE": "datastructure", "STRUCTURE_ID": "ESTAT:DSD_NA_MAIN(1.6.0)", "ACTION": "D"]])
    }

    @Test(arguments: FileFormatCase.all)
    func detectsFormats(_ c: FileFormatCase) throws { #expect(try FileFormat.detect(path: fixture(c.file)) == c.format) }

    @Test func notSDMXCSVIsAFormatError() throws {
        #expect { _ = try SDMXCSVReader(path: fixture("csv/cp932-windows-extensions.csv")).forEachObservation { _ in } } throws: {
            ($0 as? CurateError)?.code == .formatError
        }
    }
}

struct FileFormatCase: Sendable, CustomTestStringConvertible {
    let file: String, format: FileFormat
    var testDescription: String { file }
    static let all = [
        FileFormatCase(file: "sdmx-csv/example-01.csv", format: .sdmxCSV), FileFormatCase(file: "sdmx-csv/example-04.csv", format: .sdmxCSV),
        FileFormatCase(file: "sdmx/ECB_EXR/ng-ts.xml", format: .sdmxML), FileFormatCase(file: "csv/cp932-windows-extensions.csv", format: .csv),
        FileFormatCase(file: "estat/v3-meta-paged.synthetic.xml", format: .estatXML),
    ]
}
