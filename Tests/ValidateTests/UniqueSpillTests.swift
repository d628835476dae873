import Foundation
import Testing
import CurateCore
@testable import Validate

/// `unique` fields under a small memory budget: past it the values spill to sorted runs on disk
/// and repeats are found in the merge, naming both places as when every value was held.
/// Made-up rows.
@Suite struct UniqueSpillTests {
    static let schema = TableSchema(fields: [
        Field(name: "id", type: .integer),
        Field(name: "code", type: .string, constraints: Constraints(unique: true, pattern: "[a-z0-9]+")),
        Field(name: "n", type: .integer, constraints: Constraints(unique: true)),
    ], primaryKey: ["id"])

    /// 3,000 rows; codes repeat at random distances (many across spilled runs), as do numbers;
    /// some rows also break the pattern, so a repeat may fall on a row that fails anyway.
    static let rows: [CuratedRow] = {
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        return (0..<3000).map { i in
            let code = next(4) == 0 ? "c\(next(i + 1))" : "c\(i)"
            let cell: Value = next(40) == 0 ? .string(code.uppercased()) : .string(code)
            let n: Value = next(8) == 0 ? .integer(next(i + 1)) : next(50) == 0 ? .null : .integer(i + 100_000)
            return CuratedRow(values: [.integer(i), cell, n],
                              lineage: Lineage(source: SourceLocation(file: "raw.csv", row: i + 2, column: 1 + next(3), field: next(2) == 0 ? nil : "列")))
        }
    }()

    func check(budget: Int, directory: String) throws -> ValidationReport {
        var checker = SchemaValidator().rowChecker(for: Self.schema, spillDirectory: directory, uniqueMemoryBudget: budget)
        var builder = ReportBuilder()
        builder.begin("schema", severity: .error)
        for row in Self.rows { checker.check(row, duplicateOf: nil, into: &builder) }
        try checker.finish(into: &builder)
        return builder.build(dataset: "t", rows: Self.rows.count)
    }

    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "unique-spill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func spilledRepeatsAreTheRepeatsFoundInMemory() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let held = try check(budget: .max, directory: dir)
        let spilled = try check(budget: 4 << 10, directory: dir)
        let repeats = held.findings.filter { $0.code == .uniqueError }
        #expect(repeats.count > 50 && held.checks[0].omitted > 0)   // more than the cap per check
        // Same summary (rows failed, counted once however many fields repeat) and same totals.
        #expect(spilled.checks == held.checks)
        #expect(spilled.stats == held.stats)
        // Every listed repeat is a true one, naming its row, field, the first row and the value.
        var first: [String: Int] = [:]
        var truth = Set<String>()
        for row in Self.rows {
            for (i, name) in [(1, "code"), (2, "n")] where row.values[i] != .null {
                let value = "\(i)=\(row.values[i])"
                if let f = first[value] { truth.insert("\(row.lineage.source.row!) \(row.lineage.source.field ?? name) unique (first at row \(f)) \(row.values[i])") }
                else { first[value] = row.lineage.source.row! }
            }
        }
        let patternErrors = Self.rows.filter { $0.values[1].description.contains(where: \.isUppercase) }.count
        #expect(patternErrors > 0 && truth.count == held.stats.errors - patternErrors && truth.count > 300)
        let listed = spilled.findings.filter { $0.code == .uniqueError }
            .map { "\($0.location?.row ?? 0) \($0.location?.field ?? "") \($0.expected ?? "") \($0.actual ?? "")" }
        #expect(!listed.isEmpty && listed.allSatisfy(truth.contains))
        // The folder the runs were spilled to is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// Every repeat, compared one by one with the in-memory check on a table small enough that no
    /// finding is capped: the same rows, fields, first rows and values.
    @Test func everyRepeatNamesBothPlaces() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = Array(Self.rows.prefix(200))
        func run(_ budget: Int) throws -> ValidationReport {
            var checker = SchemaValidator().rowChecker(for: Self.schema, spillDirectory: dir, uniqueMemoryBudget: budget)
            var builder = ReportBuilder()
            builder.begin("schema", severity: .error)
            for row in rows { checker.check(row, duplicateOf: nil, into: &builder) }
            try checker.finish(into: &builder)
            return builder.build(dataset: "t", rows: rows.count)
        }
        let held = try run(.max), spilled = try run(2 << 10)
        func key(_ f: Finding) -> String { "\(f.location?.row ?? 0) \(f.location?.field ?? "") \(f.location?.column ?? 0) \(f.expected ?? "") \(f.actual ?? "")" }
        let heldRepeats = held.findings.filter { $0.code == .uniqueError }
        #expect(heldRepeats.count > 20 && heldRepeats.count + held.findings.filter { $0.code != .uniqueError }.count <= ReportBuilder.findingsPerCheck)
        #expect(spilled.findings.map(key).sorted() == held.findings.map(key).sorted())
        #expect(spilled.checks == held.checks)
        // Past the spill, repeats are listed in row order after the other findings.
        let late = spilled.findings.suffix(while: { $0.code == .uniqueError }).compactMap(\.location?.row)
        #expect(late.count > 10 && late == late.sorted())
        #expect(spilled.findings.first { $0.actual == "c0" && $0.code == .uniqueError }.map { $0.expected } ?? "unique (first at row 2)" == "unique (first at row 2)")
    }
}

extension Array {
    /// The longest suffix whose elements all satisfy `predicate`.
    func suffix(while predicate: (Element) -> Bool) -> ArraySlice<Element> {
        var start = endIndex
        while start > startIndex, predicate(self[start - 1]) { start -= 1 }
        return self[start...]
    }
}
