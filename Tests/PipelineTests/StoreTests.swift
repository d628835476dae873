import Foundation
import Testing
import CurateCore
import Store
@testable import Pipeline

@Suite struct StoreTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"

    func store(_ project: ProjectCopy) throws -> CurateStore { try CurateStore(path: project.root + "/Curated/curate.sqlite") }

    @Test func runFillsTheStoreAndAMissingStoreIsRebuilt() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        var rows = try store(project).query("SELECT COUNT(*) AS n FROM observations WHERE dataset = 'mext-joint-research'")
        #expect(rows.first?["n"] == "15")
        let amount = try store(project).query("SELECT value, unit FROM latest WHERE period = '2023' AND measure = 'amount'")
        #expect(amount.first == ["value": "102800000000", "unit": "JPY"])
        let lineage = try store(project).query("SELECT file, row, \"column\", raw FROM lineage WHERE key = '2023+amount'")
        #expect(lineage.first == ["file": Self.raw, "row": "15", "column": "3", "raw": "1,028"])

        try FileManager.default.removeItem(atPath: project.root + "/Curated/curate.sqlite")
        let again = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)   // skipped: inputs unchanged
        guard case .skipped = again[0].status else { Issue.record("\(again[0].status)"); return }
        rows = try store(project).query("SELECT COUNT(*) AS n FROM observations")
        #expect(rows.first?["n"] == "15")
        #expect(try store(project).query("SELECT COUNT(*) AS n FROM findings").first?["n"] == "2")
    }

    @Test func everyReleaseIsKeptAndLatestFollowsTheNewest() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        try editCP932(project.root + "/" + Self.raw, replacing: "令和3年度,\"29,644\",893,505", with: "令和3年度,\"29,644\",894,505")
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        let releases = try store(project).query("SELECT release, position FROM releases ORDER BY position")
        #expect(releases.count == 2)
        let values = try store(project).query("SELECT release, value FROM observations WHERE key = '2021+amount' ORDER BY value")
        #expect(values.map { $0["value"] } == ["89300000000", "89400000000"])
        #expect(try store(project).query("SELECT value FROM latest WHERE key = '2021+amount'").first?["value"] == "89400000000")
        let revision = try store(project).query("SELECT expected, actual FROM findings WHERE code = 'revision'")
        #expect(revision.first == ["expected": "2021+amount = 89300000000", "actual": "2021+amount = 89400000000"])
    }
}

/// A release too large to load during a run is registered, not loaded, and `load` loads it.
@Suite struct StoreDeferralTests {
    @Test func largeReleaseIsRegisteredThenLoadedOnRequest() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        let path = project.root + "/Curated/curate.sqlite"
        try FileManager.default.removeItem(atPath: path)
        let project2 = try Project(root: project.root)
        var sync = StoreSync(project: project2)
        sync.rowLimit = 10   // the dataset has 15 rows
        let outcome = try sync.sync(specs: try project2.loadSpecSet().specs)
        #expect(outcome.deferred.map(\.dataset).contains("mext-joint-research"))
        let store = try CurateStore(path: path)
        #expect(try store.query("SELECT COUNT(*) AS n FROM observations WHERE dataset = 'mext-joint-research'").first?["n"] == "0")
        let registered = try store.query("SELECT rows, loaded, data_path FROM releases WHERE dataset = 'mext-joint-research'")
        #expect(registered.first?["rows"] == "15")
        #expect(registered.first?["loaded"] == "0")
        #expect(registered.first?["data_path"]?.hasSuffix("/data.csv") == true)
        #expect(try StoreSync.releases(project: project2).first { $0.dataset == "mext-joint-research" }?.loaded == false)

        var again = StoreSync(project: project2, loadLarge: ["mext-joint-research"])
        again.rowLimit = 10
        #expect(try again.sync(specs: try project2.loadSpecSet().specs).deferred.isEmpty)
        #expect(try store.query("SELECT COUNT(*) AS n FROM observations WHERE dataset = 'mext-joint-research'").first?["n"] == "15")
        #expect(try store.query("SELECT loaded FROM releases WHERE dataset = 'mext-joint-research'").first?["loaded"] == "1")
        #expect(try store.query("SELECT factor FROM lineage WHERE key = '2023+amount'").first?["factor"] == "100000000")
    }
}
