import Testing
import CurateCore
@testable import Ingest

/// The SDMX cases a conformance run against sdmx1 found, and the SDMX-JSON and SDMX-ML 3.0 data
/// messages, each on a file of that shape (see Fixtures/PROVENANCE.md).
@Suite struct SDMXFieldCasesTests {
    static func ml(_ name: String) throws -> [Observation] {
        var out: [Observation] = []
        try SDMXMLReader(path: fixture("sdmx/" + name)).forEachObservation { out.append($0) }
        return out
    }
    static func json(_ name: String) throws -> [Observation] {
        var out: [Observation] = []
        try SDMXJSONReader(path: fixture("sdmx/" + name)).forEachObservation { out.append($0) }
        return out
    }

    /// SDMX-ML 2.1 sample demography_xs.xml: cross-sectional, explicit measures, the measure
    /// dimension DEMO only as `xsi:type="demo:CODE"`. 60 observations must stay 60 keys, not 18.
    @Test func explicitMeasuresFromXSIType() throws {
        let obs = try Self.ml("SDMX_SAMPLES/demography_xs.xml")
        #expect(obs.count == 60)
        let keys = Set(obs.map { o in ["FREQ", "TIME_PERIOD", "SEX", "COUNTRY", "DEMO"].map { o[$0] ?? "?" }.joined(separator: ".") })
        #expect(keys.count == 60)
        #expect(obs[0].dictionary == ["FREQ": "A", "TIME_PERIOD": "2007", "SEX": "T", "COUNTRY": "BE", "DEMO": "TFRNSI",
                                      "OBS_VALUE": "1.82", "OBS_STATUS": "A", "UNIT_MEASURE": "CPW", "UNIT_MULT": "0"])
        #expect(Set(obs.compactMap { $0["DEMO"] }) == ["TFRNSI", "LEXPNSIT", "LBIRTHST", "DEATHST"])
    }

    /// Its structure (from the same sample): components without an id take their concept's, the
    /// MeasureDimension is read and its concept scheme labels the codes; no dimension is missing.
    @Test func componentsWithoutIdAndMeasureDimension() throws {
        let structure = try SDMXStructure(path: fixture("sdmx/SDMX_SAMPLES/demography-structure.xml"))
        #expect(structure.dimensions.map(\.id) == ["FREQ", "COUNTRY", "SEX", "DEMO", "TIME_PERIOD"])
        #expect(structure.attributes.map(\.id) == ["DECIMALS", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS"])
        var findings: [Finding] = []
        let labelled = try Self.ml("SDMX_SAMPLES/demography_xs.xml").map { o in
            #expect(structure.missingDimensions(in: o).isEmpty)
            return structure.label(o, file: "demography_xs.xml", finding: { findings.append($0) })
        }
        #expect(findings.isEmpty)
        #expect(labelled[0]["DEMO.label"] == "Total fertility rate in Year X")
        #expect(labelled[0]["COUNTRY.label"] == "Belgium")
    }

    /// IMF WEO: `&amp;` in an attribute value reads as `&`, not libxml2's raw `&#38;`.
    @Test func ampersandInAttributeValues() throws {
        let obs = try Self.ml("IMF_RES/WEO-data.xml")
        let notes = Set(obs.compactMap { $0["METHODOLOGY_NOTES"] })
        #expect(notes.contains("Historical data source: Eurostat & Haver Analytics"))
        #expect(!notes.contains { $0.contains("&#") })
    }

    @Test func referencesDecodedOnceLeftToRight() {
        #expect(XMLPushParser.decodeReferences("A &#38; B") == "A & B")
        #expect(XMLPushParser.decodeReferences("&#38;#38;") == "&#38;")
        #expect(XMLPushParser.decodeReferences("&lt;&gt;&quot;&apos;&#x41;&#66;") == "<>\"'AB")
        #expect(XMLPushParser.decodeReferences("R&D & more") == "R&D & more")
        #expect(XMLPushParser.decodeReferences("plain") == "plain")
    }

    /// SDMX-ML 3.0 structure-specific data (the 3.0 sample, abridged) reads to the same observations as
    /// the same message in SDMX-ML 2.1.
    @Test func sdmxML30ReadsLike21() throws {
        let v3 = try Self.ml("SDMX_SPEC/ECB_EXR-3.0-ss.xml")
        let v21 = try Self.ml("SDMX_SPEC/ECB_EXR-2.1-ss.xml")
        #expect(v3.count == 12)
        #expect(v3.map(\.dictionary) == v21.map(\.dictionary))
        #expect(v3[0]["CURRENCY"] == "CAD" && v3[0]["TIME_PERIOD"] == "1999" && v3[0]["OBS_VALUE"] == "1.583993822393823")
        #expect(try FileFormat.detect(path: fixture("sdmx/SDMX_SPEC/ECB_EXR-3.0-ss.xml")) == .sdmxML)
    }

    /// SDMX-JSON 2.0 and 1.0 (the specification's EXR sample) read to the same observations as the
    /// SDMX-ML 2.1 message written from them: indexes resolved, defaults applied, annotations skipped.
    @Test func sdmxJSONReadsLikeSDMXML() throws {
        let expected = try Self.ml("SDMX_SPEC/exr-time-series-2.1-ss.xml").map(\.dictionary)
        let v2 = try Self.json("SDMX_SPEC/exr-time-series-2.0.json")
        let v1 = try Self.json("SDMX_SPEC/exr-time-series-1.0.json")
        #expect(expected.count == 4)
        #expect(v2.map(\.dictionary) == expected)
        #expect(v1.map(\.dictionary) == expected)
        #expect(v2[3]["OBS_VALUE"] == "40.3" && v2[3]["OBS_STATUS"] == "A" && v2[3]["TIME_FORMAT"] == "P1D")
        #expect(v2[0].line > 1)
        #expect(try FileFormat.detect(path: fixture("sdmx/SDMX_SPEC/exr-time-series-2.0.json")) == .sdmxJSON)
        #expect(try FileFormat.detect(path: fixture("sdmx/SDMX_SPEC/exr-time-series-1.0.json")) == .sdmxJSON)
    }

    @Test func sdmxJSONBadIndexesAndServiceErrors() throws {
        let dir = try TemporaryDirectory()
        let badKey = try dir.write("bad.json", #"""
            {"header": {"id": "x"}, "structure": {"dimensions": {"observation": [{"id": "TIME_PERIOD", "values": [{"id": "2020"}]}]}},
             "dataSets": [{"observations": {"3": [1.5]}}]}
            """#)
        #expect { _ = try SDMXJSONReader(path: badKey).forEachObservation { _ in } } throws: { error in
            let e = error as? CurateError
            return e?.code == .jsonError && e?.location?.field == "TIME_PERIOD" && e?.location?.raw == "3"
        }
        let errors = try dir.write("errors.json", #"{"meta": {"id": "x"}, "errors": [{"code": 100, "title": "No results found"}]}"#)
        #expect { _ = try SDMXJSONReader(path: errors).forEachObservation { _ in } } throws: { error in
            let e = error as? CurateError
            return e?.code == .sdmxError && e?.message.contains("No results found") == true
        }
    }

    /// 2.x dimension-group attributes (a key with an empty slot matches any value there) and
    /// uncoded attribute values given inline.
    @Test func sdmxJSONDimensionGroupsAndInlineValues() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("groups.json", #"""
            {"meta": {"id": "x"}, "data": {
              "structures": [{
                "dimensions": {"series": [{"id": "REF_AREA", "keyPosition": 0, "values": [{"id": "JPN"}, {"id": "USA"}]},
                                          {"id": "MEASURE", "keyPosition": 1, "values": [{"id": "GERD"}, {"id": "HERD"}]}],
                               "observation": [{"id": "TIME_PERIOD", "keyPosition": 2, "values": [{"id": "2021"}]}]},
                "attributes": {"dimensionGroup": [{"id": "UNIT_MEASURE", "values": [{"id": "USD_PPP"}, {"id": "PC_GDP"}]},
                                                  {"id": "NOTE", "values": []}],
                               "series": [], "observation": []},
                "measures": {"observation": [{"id": "OBS_VALUE"}]}}],
              "dataSets": [{"structure": 0,
                "dimensionGroupAttributes": {":0:": [0, "PPP dollars"], "1:1:": [1, {"en": "share of GDP", "fr": "part du PIB"}]},
                "series": {"0:0": {"observations": {"0": [100.5]}}, "1:1": {"observations": {"0": [0.6]}}}}]}}
            """#)
        var out: [Observation] = []
        try SDMXJSONReader(path: file).forEachObservation { out.append($0) }
        #expect(out.map(\.dictionary) == [
            ["REF_AREA": "JPN", "MEASURE": "GERD", "TIME_PERIOD": "2021", "OBS_VALUE": "100.5", "UNIT_MEASURE": "USD_PPP", "NOTE": "PPP dollars"],
            ["REF_AREA": "USA", "MEASURE": "HERD", "TIME_PERIOD": "2021", "OBS_VALUE": "0.6", "UNIT_MEASURE": "PC_GDP", "NOTE": "share of GDP"],
        ])
    }
}
