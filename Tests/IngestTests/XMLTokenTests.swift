import Foundation
import Testing
import CurateCore
@testable import Ingest

/// The byte-level XML path: names compared as namespace URI + local name (never by prefix), and
/// the name table that caches them giving the same names and values however many there are.
@Suite struct XMLTokenTests {
    /// Records what a string-level handler receives.
    final class Recorder: XMLEventHandler {
        var events: [String] = []
        func startElement(_ localName: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
            events.append("<\(namespace ?? "-") \(localName) " + attributes.map { "\($0.namespace ?? "-") \($0.localName)=\($0.value)" }.joined(separator: " "))
        }
        func endElement(_ localName: String, namespace: String?) throws { events.append("</\(namespace ?? "-") \(localName)") }
        func characters(_ text: String) throws { if !text.isEmpty { events.append("text \(text)") } }
    }

    /// SDMX-ML with its namespaces bound to other prefixes — the message namespace as the default
    /// one, and the generic and message prefixes swapped — reads to the same observations.
    @Test func prefixesDoNotMatterOnlyNamespaces() throws {
        let original = try String(contentsOfFile: fixture("sdmx/ECB_EXR/ng-ts.xml"), encoding: .utf8)
        let defaultMessage = original.replacingOccurrences(of: "<message:", with: "<").replacingOccurrences(of: "</message:", with: "</")
            .replacingOccurrences(of: "xmlns:message=", with: "xmlns=")
        let swapped = original.replacingOccurrences(of: "xmlns:message=", with: "xmlns:@@=").replacingOccurrences(of: "xmlns:generic=", with: "xmlns:message=")
            .replacingOccurrences(of: "xmlns:@@=", with: "xmlns:generic=")
            .replacingOccurrences(of: "message:", with: "@@:").replacingOccurrences(of: "generic:", with: "message:")
            .replacingOccurrences(of: "@@:", with: "generic:")
        #expect(defaultMessage != original && swapped != original)
        let dir = try TemporaryDirectory()
        let reference = try SDMXMLReaderTests.observations("ECB_EXR/ng-ts.xml")
        #expect(reference.count == 12)
        for (name, text) in [("default.xml", defaultMessage), ("swapped.xml", swapped)] {
            var got: [Observation] = []
            try SDMXMLReader(path: try dir.write(name, text)).forEachObservation { got.append($0) }
            #expect(got == reference, "\(name)")
        }
    }

    /// A structure-specific message whose elements carry the right local names in a foreign
    /// namespace yields nothing from them: `Series` and `Obs` count only unqualified.
    @Test func sameLocalNameInAnotherNamespaceIsNotData() throws {
        let dir = try TemporaryDirectory()
        let text = """
            <?xml version="1.0"?>
            <m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:x="urn:other">
              <m:DataSet><Series A="1"><Obs TIME_PERIOD="2020" OBS_VALUE="1"/><x:Obs TIME_PERIOD="2021" OBS_VALUE="2"/></Series></m:DataSet>
            </m:StructureSpecificData>
            """
        var got: [Observation] = []
        try SDMXMLReader(path: try dir.write("x.xml", text)).forEachObservation { got.append($0) }
        #expect(got.map(\.dictionary) == [["A": "1", "TIME_PERIOD": "2020", "OBS_VALUE": "1"]])
    }

    /// Thousands of distinct element and attribute names (past the name table's growth steps and
    /// its cache limit) reach the handler exactly as written, with values decoded, each time they occur.
    @Test func manyDistinctNamesKeepTheirSpelling() throws {
        let count = 5000
        var text = "<?xml version=\"1.0\"?>\n<root xmlns:p=\"urn:p\">"
        var expected: [String] = ["<- root "]
        for round in 0..<2 {
            for i in 0..<count {
                text += "<e\(i) a\(i)=\"v\(i)&amp;\(round)\" p:b\(i)=\"w\"/>"
                expected += ["<- e\(i) - a\(i)=v\(i)&\(round) urn:p b\(i)=w", "</- e\(i)"]
            }
        }
        text += "<ü ä=\"ö\">t&lt;x</ü></root>"
        expected += ["<- ü - ä=ö", "text t", "text <", "text x", "</- ü", "</- root"]
        let dir = try TemporaryDirectory()
        let recorder = Recorder()
        try XMLPushParser.parse(path: try dir.write("names.xml", text), handler: recorder)
        #expect(recorder.events.count == expected.count)
        #expect(recorder.events == expected)
    }
}
