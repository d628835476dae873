import Foundation
import Testing
import Logging
import CurateCore
import Store
@testable import Pipeline

/// The store as consumers use it (dataset, code-list, release and raw-file tables; one table per
/// dataset with its dimensions as columns), and its repair when the file is damaged.
@Suite struct StoreConsumerTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"

    func store(_ project: ProjectCopy) throws -> CurateStore { try CurateStore(path: project.root + "/Curated/curate.sqlite") }

    /// Keeps the warnings a run logs.
    final class Warnings: LogHandler, @unchecked Sendable {
        var seen: [(String, Logger.Metadata)] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(event: LogEvent) { if event.level == .warning { seen.append((event.message.description, event.metadata ?? [:])) } }
    }

    @Test func garbageOverTheStoreIsDetectedAndRebuilt() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: [], dryRun: false)
        let observations = try store(project).query("SELECT COUNT(*) AS n FROM observations").first?["n"]
        let path = project.root + "/Curated/curate.sqlite"
        // Garbage over the whole file, then over the pages after the header (a torn copy).
        for damage in [Data(repeating: 0x5A, count: 64 << 10), Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })] {
            let handle = FileHandle(forWritingAtPath: path)!
            if damage.first == 0x5A { handle.truncateFile(atOffset: 0) } else { handle.seek(toFileOffset: 4096) }
            handle.write(damage)
            try handle.close()
            var runner = try project.runner
            let warnings = Warnings()
            runner.logger = Logger(label: "test", factory: { _ in warnings })
            let results = try runner.run(datasets: [], dryRun: false)
            #expect(!results.contains { if case .failed = $0.status { true } else { false } }, "\(results.map(\.status))")
            #expect(warnings.seen.contains { $0.0.contains("store was corrupt and has been rebuilt") }, "\(warnings.seen)")
            #expect(try store(project).query("SELECT COUNT(*) AS n FROM observations").first?["n"] == observations)
            #expect(try store(project).query("PRAGMA integrity_check").first?.values.first == "ok")
        }
    }

    @Test func consumerTablesHoldDatasetsCodeListsReleasesAndDimensionsAsColumns() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: [], dryRun: false)
        let s = try store(project)
        let dataset = try s.query("SELECT title, source_publisher, source_path, license, units, data_table, latest_view FROM datasets WHERE dataset = 'mext-joint-research'")
        #expect(dataset.first?["source_path"] == Self.raw)
        #expect(dataset.first?["license"]?.contains("CC BY 4.0") == true, "\(dataset)")
        #expect(dataset.first?["units"] == "JPY, count")
        #expect(dataset.first?["data_table"] == "data_mext_joint_research")

        // A table with category dimensions: each dimension is a column of its own.
        let spec = try Project(root: project.root).loadSpecs().first { $0.name == "university-licensing-us-japan" }!
        let columns = try s.query("SELECT name FROM pragma_table_info('latest_university_licensing_us_japan')").compactMap { $0["name"] }
        #expect(columns == spec.schema.fields.map(\.name))
        let rows = try s.query("SELECT COUNT(*) AS n FROM latest_university_licensing_us_japan").first?["n"]
        let latest = try s.query("SELECT rows FROM latest_releases WHERE dataset = 'university-licensing-us-japan'").first?["rows"]
        #expect(rows == latest && rows != "0")

        #expect(try s.query("SELECT COUNT(*) AS n FROM codelists").first?["n"].flatMap { Int($0) } ?? 0 > 10)
        let raw = try s.query("""
            SELECT f.path, f.sha256 FROM raw_files f JOIN latest_releases l USING (dataset, release) WHERE dataset = 'mext-joint-research'
            """)
        #expect(raw.first?["path"] == Self.raw)
        #expect(raw.first?["sha256"] == SnapshotTests.sha256(try project.read(Self.raw)))
    }
}
