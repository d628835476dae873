import Foundation
import Testing
@testable import ExternalSort
import CurateCore

/// The sorter against an in-memory reference: spills, merges, duplicates, sorted input, edge cases.
@Suite struct ExternalSorterTests {
    /// A fresh folder per test, removed afterwards by the caller.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "curate-sort-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func key(_ values: Value...) -> [UInt8] { SortKey.encode(values) }
    static func payload(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func drain(_ stream: SortedStream) throws -> [SortedRecord] {
        var out: [SortedRecord] = []
        while let record = try stream.next() { out.append(record) }
        return out
    }

    /// 20,000 shuffled rows through a 64 kB budget: many runs, several merge passes, same order
    /// as a stable in-memory sort, and no run file left behind.
    @Test func spillsAcrossRunsAndMergesInPasses() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var generator = SystemRandomNumberGenerator()
        let rows = (0..<20_000).map { i in (year: Int.random(in: 1990...2030, using: &generator), area: "area-\(i % 97)", index: i) }
            .shuffled(using: &generator)
        let sorter = ExternalSorter(directory: dir, memoryBudget: 64 << 10, maxFanIn: 4)
        for row in rows {
            try sorter.append(key: Self.key(.integer(row.year), .string(row.area)), payload: Self.payload("\(row.index)"))
        }
        #expect(!sorter.inputWasSorted)
        #expect(sorter.runCount > 4, "the budget forces several runs (\(sorter.runCount))")
        let stream = try sorter.finish()
        var duplicates = 0
        stream.onDuplicate = { _, _ in duplicates += 1 }
        let sorted = try Self.drain(stream)
        let expected = rows.enumerated().sorted { a, b in
            (a.element.year, a.element.area, a.offset) < (b.element.year, b.element.area, b.offset)
        }.map { "\($0.element.index)" }
        #expect(sorted.map { String(decoding: $0.payload, as: UTF8.self) } == expected)
        #expect(duplicates == rows.count - Set(rows.map { "\($0.year)+\($0.area)" }).count)
        withExtendedLifetime(sorter) {}
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(left.count <= sorter.runCount, "only the current runs remain until the sorter goes")
    }

    /// The same key in two different runs is reported once, with both records, first one first.
    @Test func duplicateKeysAcrossRunsAreReportedWithBothPlaces() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorter = ExternalSorter(directory: dir, memoryBudget: 1 << 10)
        try sorter.append(key: Self.key(.integer(2023), .string("projects")), payload: Self.payload("line 5"))
        for i in 0..<200 { try sorter.append(key: Self.key(.integer(1000 + i), .string("x")), payload: Self.payload("filler \(i)")) }
        try sorter.append(key: Self.key(.integer(2023), .string("projects")), payload: Self.payload("line 900"))
        #expect(sorter.runCount >= 2)
        let stream = try sorter.finish()
        var reported: [(String, String)] = []
        stream.onDuplicate = { reported.append((String(decoding: $0.payload, as: UTF8.self), String(decoding: $1.payload, as: UTF8.self))) }
        let all = try Self.drain(stream)
        #expect(all.count == 202)
        #expect(reported.count == 1)
        #expect(reported.first?.0 == "line 5" && reported.first?.1 == "line 900")
    }

    /// Records larger than a run reader's first buffer (keys and payloads of a few hundred bytes to
    /// several kB, growing and shrinking) come back whole and in order, through `next` and through
    /// `forEach`, which also names the first record of each repeated key.
    @Test func largeRecordsSurviveTheRunReadersBuffers() throws {
        for borrowed in [false, true] {
            let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
            let sorter = ExternalSorter(directory: dir, memoryBudget: 16 << 10, maxFanIn: 3)
            var rows: [(key: String, payload: String)] = []
            for i in 0..<300 {
                let k = (i * 7919) % 300
                let key = String(repeating: "鍵", count: 1 + (k * 37) % 400) + "\(k)"   // up to 1.2 kB
                let payload = String(repeating: "p\(i)", count: 1 + (i * 13) % 700)
                rows.append((key, payload))
                try sorter.append(key: Self.key(.string(key)), payload: Self.payload(payload))
            }
            try sorter.append(key: Self.key(.string(rows[5].key)), payload: Self.payload("again"))
            #expect(sorter.runCount > 3)
            let expected = (rows + [(rows[5].key, "again")]).enumerated()
                .sorted { a, b in Array(a.element.key.utf8).lexicographicallyPrecedes(Array(b.element.key.utf8)) || (a.element.key == b.element.key && a.offset < b.offset) }
                .map(\.element.payload)
            let stream = try sorter.finish()
            var payloads: [String] = [], repeats: [String] = []
            if borrowed {
                try stream.forEach { _, payload, first in
                    payloads.append(String(decoding: payload, as: UTF8.self))
                    if let first { repeats.append(String(decoding: first, as: UTF8.self)) }
                }
            } else {
                stream.onDuplicate = { first, _ in repeats.append(String(decoding: first.payload, as: UTF8.self)) }
                payloads = try Self.drain(stream).map { String(decoding: $0.payload, as: UTF8.self) }
            }
            #expect(payloads.count == expected.count, "borrowed: \(borrowed)")
            let firstDifference = zip(payloads, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDifference == nil, "borrowed: \(borrowed)")
            #expect(repeats == [rows[5].payload], "borrowed: \(borrowed)")
        }
    }

    /// Input in key order is never sorted: it comes back as it went in, through its runs.
    @Test func alreadySortedInputIsPassedThrough() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorter = ExternalSorter(directory: dir, memoryBudget: 2 << 10)
        for year in 1990...2030 { for m in ["amount", "projects"] {
            try sorter.append(key: Self.key(.integer(year), .string(m)), payload: Self.payload("\(year) \(m)"))
        } }
        #expect(sorter.inputWasSorted)
        let all = try Self.drain(try sorter.finish())
        #expect(all.count == 82)
        #expect(all.first.map { String(decoding: $0.payload, as: UTF8.self) } == "1990 amount")
        #expect(all.last.map { String(decoding: $0.payload, as: UTF8.self) } == "2030 projects")
        #expect(sorter.runCount > 1)
    }

    /// One record out of order anywhere means the whole input is sorted.
    @Test func oneRecordOutOfOrderIsNoticed() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorter = ExternalSorter(directory: dir, memoryBudget: 1 << 10)
        for i in 0..<100 { try sorter.append(key: Self.key(.integer(i == 60 ? 5 : i)), payload: Self.payload("\(i)")) }
        #expect(!sorter.inputWasSorted)
        let keys = try Self.drain(try sorter.finish()).map(\.key)
        #expect(keys == keys.sorted { SortKey.precedes($0, $1) })
    }

    @Test func emptyTableGivesNothing() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorter = ExternalSorter(directory: dir, memoryBudget: 1 << 10)
        #expect(try sorter.finish().next() == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// Empty strings and nulls in a key sort first and stay distinct from each other and from the
    /// next component ("" + "a" is not "a" + "").
    @Test func keysWithEmptyValues() throws {
        let dir = try Self.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let sorter = ExternalSorter(directory: dir, memoryBudget: 1 << 10)
        let keys: [[Value]] = [[.string("a"), .string("")], [.string(""), .string("a")], [.null, .string("a")],
                               [.string(""), .string("")], [.null, .null], [.string("a"), .null]]
        for (i, k) in keys.enumerated() { try sorter.append(key: SortKey.encode(k), payload: Self.payload("\(i)")) }
        let stream = try sorter.finish()
        var duplicates = 0
        stream.onDuplicate = { _, _ in duplicates += 1 }
        let order = try Self.drain(stream).map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(order == ["4", "2", "3", "1", "5", "0"])
        #expect(duplicates == 0)
    }
}
