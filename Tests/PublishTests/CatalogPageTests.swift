import Foundation
import Testing
import CurateCore
import Validate
@testable import Publish

/// Curated/index.html: every dataset of the catalogue, with links only to files that exist.
@Suite struct CatalogPageTests {
    let root = NSTemporaryDirectory() + "curate-catalog-page-" + UUID().uuidString

    @Test func listsEveryDatasetWithStatusCoverageRowsAndWorkingLinks() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tests = PublisherTests()
        let publisher = Publisher(curatedRoot: root)
        let (_, published) = try publisher.publish(publisher.render(tests.table([(2012, "amount", "1"), (2023, "amount", "2")])),
                                                   description: PublisherTests.description, report: tests.report(valid: true))
        let awaiting = Catalog.Entry(name: "later", title: "Awaited <table>", path: "later", status: .awaitingSource,
                                     release: nil, rows: nil, coverage: nil)
        try publisher.updateCatalog(with: [published, awaiting], keep: ["demo", "later"])
        let page = try String(contentsOfFile: root + "/index.html", encoding: .utf8)
        #expect(page.contains("<tr data-dataset=\"demo\">"))
        #expect(page.contains("<td class=\"status-published\">published</td>"))
        #expect(page.contains("fiscal_year 2012–2023"))
        #expect(page.contains("<a href=\"demo/data.csv\">data.csv</a> · <a href=\"demo/datapackage.json\">datapackage.json</a> · <a href=\"demo/report.html\">report</a>"))
        #expect(page.contains("0 errors, 0 warnings"))
        // Nothing published yet: listed, escaped, and no link to a file that is not there.
        #expect(page.contains("<tr data-dataset=\"later\"><td><strong>later</strong><br>Awaited &lt;table&gt;</td>"))
        #expect(!page.contains("href=\"later/"))
        for href in page.components(separatedBy: "href=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            #expect(FileManager.default.fileExists(atPath: root + "/" + href), "broken link \(href)")
        }
        // Deterministic: the same catalogue gives the same bytes.
        try publisher.updateCatalog(with: [], keep: ["demo", "later"])
        #expect(try String(contentsOfFile: root + "/index.html", encoding: .utf8) == page)
        // A dataset whose pipeline was removed leaves the page with the catalogue.
        try publisher.updateCatalog(with: [], keep: ["demo"])
        #expect(!(try String(contentsOfFile: root + "/index.html", encoding: .utf8)).contains("later"))
    }
}
