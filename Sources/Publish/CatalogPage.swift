import Foundation
import CurateCore
import Validate

/// `Curated/index.html`: the catalogue as a page a person opens first — every dataset with its
/// status, release, period coverage, rows, the latest run's errors and warnings, and links to its
/// data.csv, datapackage.json and report. Written beside catalog.json, from the same entries, each
/// file replaced atomically; deterministic (no dates), so `make run` reproduces it byte for byte.
enum CatalogPage {
    static let fileName = CuratedLayout.catalogPage

    static func write(_ catalog: Catalog, curatedRoot: String) throws {
        let reports = Dictionary(uniqueKeysWithValues: catalog.datasets.map { entry in
            (entry.name, FileManager.default.contents(atPath: "\(curatedRoot)/\(entry.path)/" + CuratedLayout.reportJSON)
                .flatMap { try? JSONDecoder().decode(ValidationReport.self, from: $0) })
        })
        let page = html(catalog, reports: reports) { FileManager.default.fileExists(atPath: "\(curatedRoot)/\($0)") }
        try AtomicFile.write(Data(page.utf8), to: curatedRoot + "/" + fileName)
    }

    /// The page; `exists` says whether a path relative to Curated/ is there, so that every link works.
    static func html(_ catalog: Catalog, reports: [String: ValidationReport?], exists: (String) -> Bool) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="ja"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Curated datasets</title>
            <style>
            \(ReportStyle.css)
            </style></head><body>
            <h1>Curated datasets</h1>
            <p>Every dataset in this folder: the status of its latest run, the release its files hold,
            the periods and rows it covers, and its files. The same is in <a href="catalog.json">catalog.json</a>.</p>
            <table class="catalog"><tr><th>dataset</th><th>status</th><th>release</th><th>periods</th><th>rows</th><th>last run</th><th>files</th></tr>

            """
        for entry in catalog.datasets {
            let coverage = entry.coverage.map { $0.from == $0.to ? "\($0.field) \($0.from)" : "\($0.field) \($0.from)–\($0.to)" }
            let report = reports[entry.name] ?? nil
            let lastRun = report.map { "\($0.stats.errors) errors, \($0.stats.warnings) warnings" } ?? "–"
            let links = [(ReleaseFiles.data, ReleaseFiles.data), (ReleaseFiles.descriptor, ReleaseFiles.descriptor), ("report", CuratedLayout.reportHTML)]
                .filter { exists("\(entry.path)/\($0.1)") }
                .map { "<a href=\"\(HTMLText.escape(entry.path))/\($0.1)\">\($0.0)</a>" }
            out += "<tr data-dataset=\"\(HTMLText.escape(entry.name))\"><td><strong>\(HTMLText.escape(entry.name))</strong><br>\(HTMLText.escape(entry.title))</td>"
            out += "<td class=\"status-\(entry.status.rawValue)\">\(entry.status.rawValue)</td>"
            out += "<td><code>\(HTMLText.escape(entry.release ?? "–"))</code></td><td>\(HTMLText.escape(coverage ?? "–"))</td>"
            out += "<td class=\"n\">\(entry.rows.map { HTMLText.grouped(Decimal($0)) } ?? "–")</td><td>\(lastRun)</td>"
            out += "<td>\(links.isEmpty ? "–" : links.joined(separator: " · "))</td></tr>\n"
        }
        return out + "</table>\n</body></html>\n"
    }
}
