import Foundation
import Testing
import CurateCore
import Publish
@testable import Pipeline

/// What a new raw file would change, seen before publishing; and one broken spec failing only its
/// own dataset. Tables are made up for the tests.
@Suite struct RefreshPreviewTests {
    static let spec = NoSilentPassTests.spec(name: "demo-refresh", path: "Raw/test/refresh.csv", body: """
        read: {format: csv, encoding: utf-8, header_row: 1}
        shape:
          period: {column: 年度, field: fiscal_year, kind: fiscal}
          measures:
            - {column: 件数, name: projects, unit: 件}
        schema:
          fields:
            - {name: fiscal_year, type: integer}
            - {name: measure, type: string}
            - {name: value, type: number}
            - {name: unit, type: string}
          primary_key: [fiscal_year, measure]
        """)

    func published(_ table: String) throws -> ProjectCopy {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-refresh.yaml", Self.spec)
        try project.write("Raw/test/refresh.csv", table)
        guard case .published = try project.runner.run(datasets: [], dryRun: false)[0].status else { throw CurateError(.ioError, "not published") }
        return project
    }

    @Test func dryRunShowsRowsAddedRemovedAndChangedWithValues() throws {
        let project = try published("年度,件数\n令和3年度,10\n令和4年度,12\n")
        try project.write("Raw/test/refresh.csv", "年度,件数\n令和4年度,13\n令和5年度,15\n")
        let result = try project.runner.run(datasets: ["demo-refresh"], dryRun: true)[0]
        let preview = try #require(result.preview)
        let release = try #require(Publisher(curatedRoot: project.root + "/Curated").releases(of: "demo-refresh").last?.id)
        #expect(preview.from == release && preview.to != release)
        #expect(preview.added == ["2023+projects"])
        #expect(preview.addedRows.map(\.text) == ["value=15 unit=count"])
        #expect(preview.removed == ["2021+projects"])
        #expect(preview.removedRows.map(\.text) == ["value=10 unit=count"])
        #expect(preview.changed == [.init(key: "2022+projects", field: "value", old: "12", new: "13")])
        #expect(preview.lines() == ["demo-refresh: \(release) → \(preview.to): 1 added, 1 removed, 1 changed",
                                    "+ 2023+projects value=15 unit=count", "- 2021+projects value=10 unit=count",
                                    "~ 2022+projects value: 12 → 13"])
        // A run's summary caps each kind, saying how many are left out.
        #expect(preview.lines(limit: 0).dropFirst() == ["… 1 more added (curate diff after publishing lists them all)",
                                                         "… 1 more removed (curate diff after publishing lists them all)",
                                                         "… 1 more changed (curate diff after publishing lists them all)"])
        // Nothing was written: the release is still the one published.
        #expect(Publisher(curatedRoot: project.root + "/Curated").releases(of: "demo-refresh").count == 1)
    }

    @Test func previewOfANeverPublishedDatasetListsEveryRowAsAdded() throws {
        let project = try ProjectCopy(pipelines: false)
        try project.write("Pipelines/demo-refresh.yaml", Self.spec)
        try project.write("Raw/test/refresh.csv", "年度,件数\n令和4年度,12\n")
        let preview = try #require(try project.runner.run(datasets: [], dryRun: true)[0].preview)
        #expect(preview.from == "none" && preview.addedRows.map(\.key) == ["2022+projects"])
    }

    @Test func diffOfASingleReleaseSaysSo() throws {
        let project = try published("年度,件数\n令和4年度,12\n")
        let diff = try ReleaseDiff.compare("demo-refresh", from: nil, to: nil, project: try Project(root: project.root))
        #expect(diff.onlyRelease)
        #expect(diff.lines() == ["demo-refresh has one release (\(diff.to)): nothing to compare it with yet"])
    }

    @Test func diffListsAddedRowsWithTheirValues() throws {
        let project = try published("年度,件数\n令和4年度,12\n")
        try project.write("Raw/test/refresh.csv", "年度,件数\n令和4年度,12\n令和5年度,15\n")
        _ = try project.runner.run(datasets: [], dryRun: false)
        let diff = try ReleaseDiff.compare("demo-refresh", from: nil, to: nil, project: try Project(root: project.root))
        #expect(diff.lines().dropFirst() == ["+ 2023+projects value=15 unit=count"])
    }

    // MARK: one broken spec

    @Test func brokenSpecFailsOnlyItsDataset() throws {
        let project = try published("年度,件数\n令和4年度,12\n")
        try project.write("Pipelines/demo-broken.yaml", Self.spec.replacingOccurrences(of: "demo-refresh", with: "demo-broken")
            .replacingOccurrences(of: "header_row: 1", with: "header_rwo: 1"))
        try project.write("Raw/test/refresh.csv", "年度,件数\n令和4年度,12\n令和5年度,15\n")
        let results = try project.runner.run(datasets: [], dryRun: false)
        let broken = try #require(results.first { $0.name == "demo-broken" })
        guard case .failed(let error) = broken.status else { Issue.record("\(broken.status)"); return }
        #expect(error.code == .specError && error.location?.file == "Pipelines/demo-broken.yaml" && error.location?.raw == "header_rwo")
        guard case .published = results.first(where: { $0.name == "demo-refresh" })?.status else { Issue.record("other not run"); return }
        // list/status and diff go on with the others; the broken one is listed as such.
        let listing = try DatasetListing.all(in: try Project(root: project.root))
        #expect(listing.map(\.name) == ["demo-broken", "demo-refresh"])
        #expect(listing[0].status == "spec-error" && listing[0].specError?.location?.raw == "header_rwo")
        #expect(listing[1].status == "published")
        #expect(try ReleaseDiff.compare("demo-refresh", from: nil, to: nil, project: try Project(root: project.root)).added == ["2023+projects"])
        // Asking for the broken one by name fails it alone, with its spec error.
        let named = try project.runner.run(datasets: ["demo-broken"], dryRun: true)
        guard case .failed(let again) = named[0].status else { Issue.record("\(named[0].status)"); return }
        #expect(again.location?.raw == "header_rwo")
    }

    @Test func brokenSpecKeepsItsPublishedRelease() throws {
        let project = try published("年度,件数\n令和4年度,12\n")
        let spec = "Pipelines/demo-refresh.yaml"
        try project.write(spec, Self.spec.replacingOccurrences(of: "header_row: 1", with: "header_rwo: 1"))
        _ = try project.runner.run(datasets: [], dryRun: false)
        let catalog = String(decoding: try project.read("Curated/catalog.json"), as: UTF8.self)
        #expect(catalog.contains("\"name\" : \"demo-refresh\""))
        #expect(FileManager.default.fileExists(atPath: project.root + "/Curated/demo-refresh/data.csv"))
    }
}
