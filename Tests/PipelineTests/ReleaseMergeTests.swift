import Foundation
import Testing
import CurateCore
import Validate
@testable import Pipeline

/// The refresh preview and `curate diff` merge-join two releases' data.csv as sorted streams: the
/// result equals the old comparison of both tables loaded and indexed by key, and a preview keeps
/// only the first rows of each kind with whole counts. Made-up tables.
@Suite struct ReleaseMergeTests {
    static let schema = TableSchema(fields: [
        Field(name: "fiscal_year", type: .integer), Field(name: "measure", type: .string),
        Field(name: "value", type: .number), Field(name: "unit", type: .string),
    ], primaryKey: ["fiscal_year", "measure"])

    /// A data.csv in key order (years, then measures by code point), as the release writer writes it.
    static func write(_ rows: [(year: Int, measure: String, value: String, unit: String)], to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = ["fiscal_year,measure,value,unit"] + rows.map { "\($0.year),\($0.measure),\($0.value),\($0.unit)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
    }

    /// Rows for years × measures, each present with probability 0.7, values drawn from few.
    static func rows(seed: UInt64, duplicates: Bool = false) -> [(year: Int, measure: String, value: String, unit: String)] {
        var state = seed
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        var out: [(year: Int, measure: String, value: String, unit: String)] = []
        for year in 1990...2040 {
            for measure in ["amount", "amount_10m_plus", "projects", "x", "ß", "件数"] where next(10) < 7 {
                out.append((year, measure, next(8) == 0 ? "" : "\(next(4)).\(next(3))", next(9) == 0 ? "USD" : "JPY"))
                if duplicates && next(20) == 0 { out.append((year, measure, "99", "JPY")) }
            }
        }
        return out
    }

    func folder() -> String { NSTemporaryDirectory() + "release-merge-" + UUID().uuidString }

    /// The comparison as it was: both tables loaded whole, indexed by key.
    func reference(_ old: String?, _ new: String) throws -> ReleaseDiff {
        let store = CuratedStore(curatedRoot: "/nonexistent/Curated")
        let a = try old.map { try store.load(directory: $0, schema: Self.schema) } ?? CuratedTable(schema: Self.schema, rows: [])
        return ReleaseDiff.between(a, try store.load(directory: new, schema: Self.schema), dataset: "d", from: "a", to: "b")
    }

    func expectEqual(_ a: ReleaseDiff, _ b: ReleaseDiff) {
        #expect(a.added == b.added && a.removed == b.removed)
        #expect(a.addedRows == b.addedRows && a.removedRows == b.removedRows)
        #expect(a.changed == b.changed)
        let (countsA, countsB): ([Int], [Int]) = ([a.addedCount, a.removedCount, a.changedCount], [b.addedCount, b.removedCount, b.changedCount])
        #expect(countsA == countsB)
        #expect(a.lines() == b.lines())
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func mergeEqualsTheLoadedComparison(seed: UInt64) throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.rows(seed: seed), to: root + "/old")
        try Self.write(Self.rows(seed: seed + 100, duplicates: true), to: root + "/new")
        let merged = try ReleaseDiff.merged(old: root + "/old", new: root + "/new", schema: Self.schema, dataset: "d", from: "a", to: "b",
                                            keep: .max, curatedRoot: root)
        let expected = try reference(root + "/old", root + "/new")
        #expect(expected.addedCount > 5 && expected.removedCount > 5 && expected.changedCount > 5)
        expectEqual(merged, expected)
        // Nothing published yet: every row is added (the first of a repeated key).
        let fresh = try ReleaseDiff.merged(old: nil, new: root + "/new", schema: Self.schema, dataset: "d", from: "a", to: "b", keep: .max, curatedRoot: root)
        expectEqual(fresh, try reference(nil, root + "/new"))
    }

    /// A preview keeps the first `keep` of each kind in key order, and says how many there are.
    @Test func previewKeepsTheFirstRowsAndWholeCounts() throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.rows(seed: 5), to: root + "/old")
        try Self.write(Self.rows(seed: 6), to: root + "/new")
        let whole = try reference(root + "/old", root + "/new")
        let kept = try ReleaseDiff.merged(old: root + "/old", new: root + "/new", schema: Self.schema, dataset: "d", from: "a", to: "b",
                                          keep: 3, curatedRoot: root)
        #expect(kept.addedRows == Array(whole.addedRows.prefix(3)) && kept.removedRows == Array(whole.removedRows.prefix(3)))
        #expect(kept.changed == Array(whole.changed.prefix(3)))
        let (counts, wholeCounts): ([Int], [Int]) = ([kept.addedCount, kept.removedCount, kept.changedCount], [whole.added.count, whole.removed.count, whole.changed.count])
        #expect(counts == wholeCounts)
        #expect(kept.lines(limit: 3) == whole.lines(limit: 3))
        // Unlimited lines of a capped preview still say how many are left out.
        #expect(kept.lines().last == "… \(whole.changed.count - 3) more changed (curate diff after publishing lists them all)")
    }

    /// A release whose file is not in the key order (published under another key) is compared by
    /// loading both, as before: the same result.
    @Test func fileOutOfKeyOrderFallsBackToLoading() throws {
        let root = folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.rows(seed: 7).reversed(), to: root + "/old")
        try Self.write(Self.rows(seed: 8), to: root + "/new")
        let merged = try ReleaseDiff.merged(old: root + "/old", new: root + "/new", schema: Self.schema, dataset: "d", from: "a", to: "b",
                                            keep: .max, curatedRoot: root)
        expectEqual(merged, try reference(root + "/old", root + "/new"))
    }
}
