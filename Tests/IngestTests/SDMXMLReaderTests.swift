import Foundation
import Testing
import CurateCore
@testable import Ingest

@Suite struct SDMXMLReaderTests {
    static func observations(_ name: String) throws -> [Observation] {
        var out: [Observation] = []
        try SDMXMLReader(path: fixture("sdmx/" + name)).forEachObservation { out.append($0) }
        return out
    }

    static let ecbLayouts = ["ng-ts.xml", "ng-ts-gf.xml", "ng-xs.xml", "ng-flat.xml", "ng-ts-ss.xml", "ng-ts-gf-ss.xml", "ng-xs-ss.xml", "ng-flat-ss.xml"]

    /// Every layout of the same ECB data must give the same observations, whatever level each
    /// dimension and attribute sits at.
    @Test(arguments: ecbLayouts)
    func everyECBLayoutGivesTheSameObservations(_ layout: String) throws {
        let reference = try Self.observations("ECB_EXR/ng-flat.xml").map(\.dictionary)
        let got = try Self.observations("ECB_EXR/" + layout).map(\.dictionary)
        #expect(got.count == 12)
        let key: ([String: String]) -> String = { "\($0["CURRENCY"]!) \($0["TIME_PERIOD"]!)" }
        #expect(got.sorted { key($0) < key($1) } == reference.sorted { key($0) < key($1) })
    }

    @Test func observationCarriesKeyValueAndAttributesFromEveryLevel() throws {
        let first = try #require(try Self.observations("ECB_EXR/ng-ts.xml").first)
        #expect(first.dictionary == [
            "FREQ": "M", "CURRENCY": "CHF", "CURRENCY_DENOM": "EUR", "EXR_TYPE": "SP00", "EXR_VAR": "E",
            "TIME_PERIOD": "2010-08", "OBS_VALUE": "1.3413", "OBS_STATUS": "A", "CONF_STATUS_OBS": "F",
            "DECIMALS": "4", "UNIT_MEASURE": "CHF", "UNIT_MULT": "0", "COLL_METHOD": "Average of observations through period",
            "TITLE": "ECB reference exchange rate, Swiss franc/Euro",
        ])
        #expect(first.line == 30)
        #expect(first.dataSet == 1)
    }

    @Test func realMonthlySeriesReadsCompletely() throws {
        let obs = try Self.observations("ECB_EXR/M.USD.EUR.SP00.A.xml")
        #expect(obs.count == 252)
        #expect(obs.allSatisfy { $0["CURRENCY"] == "USD" && $0["OBS_VALUE"] != nil })
        #expect(obs.first?["TIME_PERIOD"] == "1999-01")
    }

    @Test func structureSpecificDataSetAndGroupAttributesApply() throws {
        let obs = try Self.observations("IMF_RES/WEO-data.xml")
        let only = try #require(obs.first)
        #expect(obs.count == 1)
        #expect(only["OBS_VALUE"] == "94669000000")
        #expect(only["PUBLISHER"] == "IMF")                                   // data set level
        #expect(only["SERIES_NAME"]?.hasPrefix("Gross domestic product") == true)   // group by INDICATOR
        #expect(only["BASE_YEAR"] == "2020")                                  // group by COUNTRY and INDICATOR
        #expect(only["SCALE"] == "9")                                         // series level
        #expect(only["action"] == nil && only["structureRef"] == nil)         // schema attributes are not data
    }

    @Test func eurostatStructureSpecific() throws {
        let obs = try Self.observations("ESTAT/NAMA_10_GDP-ss.xml")
        #expect(obs.map { $0["TIME_PERIOD"]! } == ["2012", "2013", "2014", "2015"])
        #expect(obs.first?.dictionary == ["geo": "LU", "na_item": "B1GQ", "unit": "CP_MEUR", "freq": "A", "TIME_PERIOD": "2012", "OBS_VALUE": "46526.2"])
    }

    @Test func footerMessageIsAnSDMXErrorWithTheServicesText() throws {
        #expect { _ = try Self.observations("ESTAT/footer.xml") } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .sdmxError && e.message.contains("413") && e.message.contains("Due to the large query")
        }
    }

    @Test func largeGenericMessage() throws {
        let obs = try Self.observations("INSEE/IPI-2010-A21.xml")
        #expect(obs.count > 1000)
        #expect(obs.allSatisfy { $0["IDBANK"] != nil && $0["TIME_PERIOD"] != nil && $0["FREQ"] != nil })
    }

    @Test func notSDMXIsAFormatError() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("x.xml", "<?xml version=\"1.0\"?>\n<root><a/></root>\n")
        #expect { try SDMXMLReader(path: file).forEachObservation { _ in } } throws: { ($0 as? CurateError)?.code == .formatError }
    }
}

/// Hostile and broken XML: each gives its own error, quickly, and nothing is emitted from it.
@Suite struct HostileXMLTests {
    static let header = "<?xml version=\"1.0\"?>\n"
    static let root = "<message:GenericData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">"

    func read(_ text: String) throws -> Int {
        let dir = try TemporaryDirectory()
        let file = try dir.write("h.xml", text)
        var count = 0
        try SDMXMLReader(path: file).forEachObservation { _ in count += 1 }
        return count
    }

    @Test func billionLaughsIsRefusedAsADTD() throws {
        var dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        dtd += "]>\n"
        let start = Date()
        #expect { _ = try read(Self.header + dtd + Self.root + "<a b=\"&lol9;\"/></message:GenericData>") } throws: {
            ($0 as? CurateError)?.code == .xmlDTDRefused
        }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func externalEntitiesAreRefused() throws {
        for system in ["file:///etc/passwd", "http://127.0.0.1:9/x.dtd"] {
            let text = Self.header + "<!DOCTYPE m [<!ENTITY xxe SYSTEM \"\(system)\">]>\n" + Self.root + "<a>&xxe;</a></message:GenericData>"
            #expect { _ = try read(text) } throws: { ($0 as? CurateError)?.code == .xmlDTDRefused }
            let external = Self.header + "<!DOCTYPE m SYSTEM \"\(system)\">\n" + Self.root + "</message:GenericData>"
            #expect { _ = try read(external) } throws: { ($0 as? CurateError)?.code == .xmlDTDRefused }
        }
    }

    @Test func deepNestingIsAnXMLError() throws {
        let depth = 100_000
        let text = Self.header + Self.root + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</message:GenericData>"
        #expect { _ = try read(text) } throws: { ($0 as? CurateError)?.code == .xmlError }
    }

    @Test func malformedXMLNamesItsLine() throws {
        #expect { _ = try read(Self.header + Self.root + "\n<a>\n<b></a>\n</message:GenericData>") } throws: { error in
            let e = error as? CurateError
            return e?.code == .xmlError && e?.location?.row == 4
        }
    }

    @Test func invalidUTF8InsideXMLIsAnXMLError() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.xml", Array((Self.header + Self.root + "<a>").utf8) + [0xC3, 0x28] + Array("</a></message:GenericData>".utf8))
        #expect { try SDMXMLReader(path: file).forEachObservation { _ in } } throws: { ($0 as? CurateError)?.code == .xmlError }
    }

    @Test func truncatedDocumentIsAnXMLError() throws {
        #expect { _ = try read(Self.header + Self.root + "<a>") } throws: { ($0 as? CurateError)?.code == .xmlError }
    }
}

@Suite struct SDMXStructureTests {
    @Test func readsDimensionsAttributesAndCodeLists() throws {
        let s = try SDMXStructure(path: fixture("sdmx/ECB_EXR/ng-structure-full.xml"))
        #expect(s.dimensions.map(\.id) == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD"])
        #expect(s.dimensions[1].codelist == "CL_CURRENCY")
        #expect(s.dimensions[0].codelist == "CL_FREQ")        // from the concept's core representation
        #expect(s.codelists["CL_CURRENCY"]?["USD"] == "United States dollar")
        #expect(s.attributes.map(\.id).contains("UNIT_MULT"))
    }

    @Test func labelsCodesAndReportsUnknownOnes() throws {
        let s = try SDMXStructure(path: fixture("sdmx/ECB_EXR/ng-structure-full.xml"))
        var findings: [Finding] = []
        let labelled = try SDMXMLReaderTests.observations("ECB_EXR/ng-ts.xml").map { s.label($0, file: "x.xml", finding: { findings.append($0) }) }
        #expect(findings.isEmpty)
        #expect(labelled[0]["CURRENCY.label"] == "Swiss franc")
        #expect(labelled[0]["FREQ.label"] == "Monthly")
        #expect(labelled.allSatisfy { s.missingDimensions(in: $0).isEmpty })
        var bad = labelled[0]
        bad.fields = bad.fields.map { $0.id == "CURRENCY" ? ($0.id, "XXX") : $0 }
        _ = s.label(bad, file: "x.xml", finding: { findings.append($0) })
        #expect(findings.map(\.code) == [.unknownCode])
        #expect(findings.first?.location?.raw == "XXX")
        #expect(findings.first?.expected == "a code of CL_CURRENCY")
    }
}

@Suite struct SDMXEdgeTests {
    /// Two data sets in one message, each with its own data-set attributes (derived from the
    /// ECB structure-specific layout; values are the ECB file's).
    @Test func severalDataSetsInOneMessage() throws {
        let dir = try TemporaryDirectory()
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
              <message:Header><message:ID>two</message:ID><message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD"/></message:Header>
              <message:DataSet ss:structureRef="S" action="Replace" SOURCE="first">
                <Series FREQ="M" CURRENCY="USD"><Obs TIME_PERIOD="2010-08" OBS_VALUE="1.2894"/></Series>
              </message:DataSet>
              <message:DataSet ss:structureRef="S" SOURCE="second">
                <Series FREQ="M" CURRENCY="JPY"><Obs TIME_PERIOD="2010-08" OBS_VALUE="110.04"/><Obs TIME_PERIOD="2010-09" OBS_VALUE="110.26"/></Series>
              </message:DataSet>
            </message:StructureSpecificData>
            """
        let file = try dir.write("two.xml", text)
        var obs: [Observation] = []
        try SDMXMLReader(path: file).forEachObservation { obs.append($0) }
        #expect(obs.map(\.dataSet) == [1, 2, 2])
        #expect(obs.map { $0["SOURCE"] } == ["first", "second", "second"])
        #expect(obs.map { $0["action"] } == [nil, nil, nil])
        #expect(obs.map(\.line) == [5, 8, 8])
    }

    @Test func raggedSDMXCSVRowIsAnError() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("r.csv", "STRUCTURE,STRUCTURE_ID,ACTION,DIM_1,OBS_VALUE\ndataflow,A:B(1.0),I,X,1,EXTRA\n")
        #expect { try SDMXCSVReader(path: file).forEachObservation { _ in } } throws: { error in
            let e = error as? CurateError
            return e?.code == .extraCell && e?.location?.row == 2 && e?.location?.column == 6
        }
    }
}
