import Foundation
import CurateCore
import ExternalSort

/// The values of the fields declared `unique`, each with the row it was first seen in, under a
/// memory budget.
///
/// Values are kept in a hash map, and a repeat is found while its row is checked, until the map
/// would outgrow `memoryBudget`. From then on the map's entries and every later value go to an
/// external sort (runs spilled in a folder of their own under `directory`), and the repeats among
/// them are found in its merge at `finish`: equal values side by side, the first occurrence first
/// (the sort keeps arrival order), so each repeat names the row of the first, as before. Those
/// findings are then sorted back into row order by a second external sort, so memory stays at
/// about the budget whatever the number of distinct values. Values match as `Value`s do (an
/// integer never equals a number), because the sort key carries the value's case.
final class UniqueValues {
    enum Outcome { case first, repeatOf(row: Int), deferred }

    let memoryBudget: Int
    private let directory: String
    private let fieldNames: [String]
    private var seen: [Int: [Value: (row: Int, seq: Int)]] = [:]
    private var bytes = 0
    private var spill: (folder: String, values: ExternalSorter)?
    /// A failure to write a run, thrown by `finish` (the row checks do not throw).
    private var failure: Error?
    private var made = 0

    /// Bytes a kept value costs beyond its text: the map's entry, hash slot and row numbers.
    static let entryCost = MemoryLayout<Value>.stride + 48

    init(fieldNames: [String], memoryBudget: Int, directory: String?) {
        self.fieldNames = fieldNames
        self.memoryBudget = memoryBudget
        self.directory = directory ?? NSTemporaryDirectory()
    }

    deinit { removeFolder() }

    /// Records `value` of field `index` in the row numbered `seq` in the stream (first seen at
    /// source row `row`). `deferred`: the map has been spilled, so the value waits for `finish`
    /// (the caller then hands it to `hold` with the row's place once the row is checked).
    func record(_ value: Value, field index: Int, row: Int, seq: Int) -> Outcome {
        guard spill == nil else { return .deferred }
        if let first = seen[index]?[value] { return .repeatOf(row: first.row) }
        seen[index, default: [:]][value] = (row, seq)
        bytes += Self.entryCost + (value.description.utf8.count)
        if bytes > memoryBudget { startSpilling() }
        return .first
    }

    /// Values of the row `seq` met after the spill; `ok`: the row passed every other check.
    func hold(_ values: [(field: Int, value: Value)], seq: Int, ok: Bool, place: SourceLocation) {
        guard let sorter = spill?.values, failure == nil else { return }
        do {
            for (field, value) in values {
                var payload = Bytes()
                payload.int(seq); payload.int(ok ? 1 : 0); payload.place(place); payload.string(value.description)
                try sorter.append(key: Self.key(field, value), payload: payload.bytes)
            }
        } catch { failure = error }
    }

    /// Reports the repeats found in the spilled values, in row order, each turning its row from
    /// passed to failed (once per row, and only for a row that passed every other check).
    func finish(into report: inout ReportBuilder) throws {
        defer { removeFolder() }
        if let failure { throw failure }
        guard let (folder, values) = spill else { return }
        let repeats = ExternalSorter(directory: try Self.makeFolder(folder + "/repeats"), memoryBudget: memoryBudget)
        let stream = try values.finish()
        var group: (key: [UInt8], row: Int)?
        while let record = try stream.next() {
            var payload = Reader(record.payload)
            let seq = payload.int(), ok = payload.int()
            let place = payload.place()
            guard let first = group, first.key == record.key else { group = (record.key, place.row ?? 0); continue }
            var out = Bytes()
            let field = Int(record.key[0]) << 24 | Int(record.key[1]) << 16 | Int(record.key[2]) << 8 | Int(record.key[3])
            out.int(ok); out.int(first.row); out.int(field); out.place(place); out.string(payload.string())
            var key = Bytes()
            key.bigEndian(seq); key.bigEndian(field)
            try repeats.append(key: key.bytes, payload: out.bytes)
        }
        report.begin("schema", severity: .error)
        let sorted = try repeats.finish()
        var lastRow: [UInt8]?
        while let record = try sorted.next() {
            var payload = Reader(record.payload)
            let ok = payload.int(), firstRow = payload.int(), field = fieldNames[payload.int()]
            var place = payload.place()
            if place.field == nil { place.field = field }
            report.add(Finding(.uniqueError, check: "schema", location: place, expected: "unique (first at row \(firstRow))",
                               actual: payload.string()))
            let row = Array(record.key.prefix(8))
            if ok == 1 && row != lastRow { report.count(passes: -1, fails: 1) }
            lastRow = row
        }
    }

    /// The field, then the value's case, then its order-preserving encoding (`SortKey`).
    private static func key(_ field: Int, _ value: Value) -> [UInt8] {
        var key: [UInt8] = [UInt8(truncatingIfNeeded: field >> 24), UInt8(truncatingIfNeeded: field >> 16),
                            UInt8(truncatingIfNeeded: field >> 8), UInt8(truncatingIfNeeded: field)]
        switch value {
        case .integer: key.append(1)
        case .number: key.append(2)
        case .string: key.append(3)
        case .null: key.append(0)
        }
        SortKey.append(value, to: &key)
        return key
    }

    /// Moves the map into the external sort, first occurrences in the order they were seen.
    private func startSpilling() {
        do {
            made += 1
            let folder = try Self.makeFolder(directory + "/.unique-\(getpid())-\(UInt(bitPattern: ObjectIdentifier(self).hashValue))-\(made)")
            let values = ExternalSorter(directory: try Self.makeFolder(folder + "/values"), memoryBudget: memoryBudget)
            spill = (folder, values)
            var firsts: [(seq: Int, field: Int, value: Value, row: Int)] = []
            for (field, map) in seen { for (value, first) in map { firsts.append((first.seq, field, value, first.row)) } }
            seen = [:]
            bytes = 0
            firsts.sort { $0.seq != $1.seq ? $0.seq < $1.seq : $0.field < $1.field }
            for first in firsts {
                var payload = Bytes()
                payload.int(first.seq); payload.int(1); payload.place(SourceLocation(file: "", row: first.row)); payload.string("")
                try values.append(key: Self.key(first.field, first.value), payload: payload.bytes)
            }
        } catch { failure = error }
    }

    private static func makeFolder(_ path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func removeFolder() {
        if let folder = spill?.folder { try? FileManager.default.removeItem(atPath: folder) }
        spill = nil
    }

    /// A payload written field after field: integers as 8 bytes, optional integers and strings
    /// with a presence byte, strings with their length.
    struct Bytes {
        var bytes: [UInt8] = []
        mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func bigEndian(_ v: Int) { withUnsafeBytes(of: UInt64(bitPattern: Int64(v)).bigEndian) { bytes.append(contentsOf: $0) } }
        mutating func string(_ s: String) { int(s.utf8.count); bytes.append(contentsOf: s.utf8) }
        mutating func optional(_ v: Int?) { bytes.append(v == nil ? 0 : 1); int(v ?? 0) }
        mutating func optional(_ s: String?) { bytes.append(s == nil ? 0 : 1); string(s ?? "") }
        mutating func place(_ p: SourceLocation) { string(p.file); optional(p.row); optional(p.column); optional(p.field); optional(p.raw) }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        mutating func int() -> Int {
            var v: Int64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<at + 8]) }
            at += 8
            return Int(Int64(littleEndian: v))
        }
        mutating func string() -> String {
            let n = int()
            defer { at += n }
            return String(decoding: bytes[at..<at + n], as: UTF8.self)
        }
        mutating func flag() -> Bool { defer { at += 1 }; return bytes[at] == 1 }
        mutating func optionalInt() -> Int? { let present = flag(); let v = int(); return present ? v : nil }
        mutating func optionalString() -> String? { let present = flag(); let s = string(); return present ? s : nil }
        mutating func place() -> SourceLocation {
            SourceLocation(file: string(), row: optionalInt(), column: optionalInt(), field: optionalString(), raw: optionalString())
        }
    }
}
