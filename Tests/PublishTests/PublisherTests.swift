import Foundation
import Testing
import Crypto
import CurateCore
import Validate
@testable import Publish

@Suite struct PublisherTests {
    let root = NSTemporaryDirectory() + "curate-publish-" + UUID().uuidString

    static let schema = TableSchema(fields: [
        Field(name: "fiscal_year", type: .integer), Field(name: "measure", type: .string),
        Field(name: "value", type: .number), Field(name: "unit", type: .string),
    ], primaryKey: ["fiscal_year", "measure"])

    static let description = DatasetDescription(
        name: "demo", title: "Demo", description: "Test data, made up for this test.",
        sources: [.init(title: "none", publisher: "tests", url: nil)], licenses: [], periodField: "fiscal_year")

    func table(_ values: [(Int, String, String)]) -> CuratedTable {
        CuratedTable(schema: Self.schema, rows: values.enumerated().map { i, v in
            CuratedRow(values: [.integer(v.0), .string(v.1), .number(Decimal(string: v.2)!), .string("JPY")],
                       lineage: Lineage(source: SourceLocation(file: "Raw/demo.csv", row: i + 4, column: 2, field: "額", raw: v.2),
                                        sourceUnit: "億円", steps: ["number \(v.2)"]))
        })
    }

    func report(valid: Bool) -> ValidationReport {
        var builder = ReportBuilder()
        builder.begin("schema", severity: .error)
        if !valid { builder.add(Finding(.typeError, check: "schema", location: SourceLocation(file: "Raw/demo.csv", row: 5))) }
        return builder.build(dataset: "demo", rows: 2)
    }

    func read(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: root + "/demo/" + name)) }

    @Test func publishesSortedDataWithMatchingHashAndIsStableOnRerun() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let publisher = Publisher(curatedRoot: root)
        let input = table([(2023, "amount", "102800000000"), (2012, "projects", "16925"), (2012, "amount", "34100000000.0")])
        let (outcome, entry) = try publisher.publish(publisher.render(input), description: Self.description, report: report(valid: true))
        let csv = try read("data.csv")
        #expect(String(decoding: csv, as: UTF8.self) == """
            fiscal_year,measure,value,unit
            2012,amount,34100000000,JPY
            2012,projects,16925,JPY
            2023,amount,102800000000,JPY

            """)
        let package = try JSONSerialization.jsonObject(with: try read("datapackage.json")) as! [String: Any]
        let resource = (package["resources"] as! [[String: Any]])[0]
        let hex = SHA256.hash(data: csv).map { String(format: "%02x", $0) }.joined()
        #expect(resource["hash"] as? String == "sha256:" + hex)
        #expect(resource["bytes"] as? Int == csv.count)
        #expect(package["version"] as? String == String(hex.prefix(12)))
        guard case .published(let release, true) = outcome else { Issue.record("not published: \(outcome)"); return }
        #expect(entry.coverage == Catalog.Coverage(field: "fiscal_year", from: "2012", to: "2023"))

        let before = try FileManager.default.attributesOfItem(atPath: root + "/demo/data.csv")[.modificationDate] as! Date
        let (again, _) = try publisher.publish(publisher.render(input), description: Self.description, report: report(valid: true))
        #expect(again == .published(release: release, changed: false))
        let after = try FileManager.default.attributesOfItem(atPath: root + "/demo/data.csv")[.modificationDate] as! Date
        #expect(before == after)
        #expect(try read("lineage.csv").count > 0)
    }

    @Test func failedValidationKeepsThePreviousRelease() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let publisher = Publisher(curatedRoot: root)
        let (first, entry) = try publisher.publish(publisher.render(table([(2021, "amount", "1")])), description: Self.description, report: report(valid: true))
        try publisher.updateCatalog(with: [entry], keep: ["demo"])
        let data = try read("data.csv"), package = try read("datapackage.json")

        let (second, failedEntry) = try publisher.publish(publisher.render(table([(2021, "amount", "999")])), description: Self.description, report: report(valid: false))
        guard case .published(let release, _) = first else { Issue.record("first run not published"); return }
        #expect(second == .keptPrevious(release: release))
        #expect(try read("data.csv") == data)
        #expect(try read("datapackage.json") == package)
        #expect(failedEntry.status == .failedValidation)
        #expect(failedEntry.release == release)
        let report = try JSONSerialization.jsonObject(with: try read("report.json")) as! [String: Any]
        #expect(report["valid"] as? Bool == false)
    }

    @Test func catalogDropsDatasetsWhosePipelineIsGoneAndSortsByName() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let publisher = Publisher(curatedRoot: root)
        func entry(_ name: String) -> Catalog.Entry {
            Catalog.Entry(name: name, title: name, path: name, status: .published, release: "r", rows: 1, coverage: nil)
        }
        try publisher.updateCatalog(with: [entry("b"), entry("a"), entry("old")], keep: ["a", "b", "old"])
        try publisher.updateCatalog(with: [entry("c")], keep: ["a", "b", "c"])
        #expect(publisher.catalog()?.datasets.map(\.name) == ["a", "b", "c"])
    }

    @Test(arguments: [("plain", "plain"), ("a,b", "\"a,b\""), ("say \"x\"", "\"say \"\"x\"\"\""), ("two\nlines", "\"two\nlines\"")])
    func csvQuoting(_ cell: String, _ expected: String) { #expect(CSVWriter.quoted(cell) == expected) }
}
