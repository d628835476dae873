import Foundation
import CurateCore
import ExternalSort
import Validate

/// Curated rows into primary-key order under a fixed memory budget: each row, encoded (`RowCodec`),
/// goes into the external sorter keyed by `SortKey` of its primary key, and comes back in key
/// order, still encoded, with the first row of its key when it repeats one (a duplicate key).
final class RowSorter {
    /// What the sorter may hold in memory before it spills a run to disk.
    static let memoryBudget = 48 << 20

    private let sorter: ExternalSorter
    private let keyIndexes: [Int]
    private var key: [UInt8] = []
    /// The file names and lineage templates the rows' encodings point into.
    let tables = RowCodec.Tables()
    private(set) var count = 0

    init(schema: TableSchema, directory: String, memoryBudget: Int = RowSorter.memoryBudget) {
        sorter = ExternalSorter(directory: directory, memoryBudget: memoryBudget)
        keyIndexes = schema.primaryKey.compactMap { schema.index(of: $0) }
    }

    /// Files a row already encoded (`RowCodec`, with this sorter's `tables`; `layout` loaded
    /// from it), with the verdict of the checks it was given on its own (`cellsPassed`, kept
    /// with it for the count made once the row comes out in key order). Its key is read from its
    /// bytes: no String is made for a string component.
    func append(encoded bytes: UnsafeRawBufferPointer, layout: RowCodec.Layout, cellsPassed: Bool) throws {
        key.removeAll(keepingCapacity: true)
        for i in keyIndexes {
            switch layout.tag(i, in: bytes) {
            case .string: SortKey.append(string: layout.utf8(i, in: bytes), to: &key)
            case .integer:
                guard case .integer(let n) = layout.value(i, in: bytes) else { preconditionFailure("an integer's tag") }
                SortKey.append(integer: n, to: &key)
            case .null, .number, .wideNumber: SortKey.append(layout.value(i, in: bytes), to: &key)
            }
        }
        try key.withUnsafeBytes { try sorter.append(key: $0, payload: bytes, trailer: cellsPassed ? 1 : 0) }
        count += 1
    }

    /// Calls `body` with each row in key order, still encoded (its `RowCodec` bytes, then one byte,
    /// 1 when it passed the checks made on it alone before the sort: see `cellsPassed`), and the
    /// first row with the same key when this one repeats it. The bytes are the sorter's, valid
    /// during the call only. A table without a primary key keeps its input order.
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) throws {
        let checksKeys = !keyIndexes.isEmpty
        try sorter.finish().forEach { _, payload, first in try body(payload, checksKeys ? first : nil) }
    }

    /// Whether a sorted row (as `forEach` gives it) passed the checks made on it alone.
    static func cellsPassed(_ row: UnsafeRawBufferPointer) -> Bool { row.last == 1 }
}

/// Sorted rows still encoded, back to back in one buffer: what crosses to the writer's core, so
/// that no row's bytes are allocated on one thread and freed on the other (the allocator's lock,
/// taken for each such row, cost more than the copy).
struct EncodedRows: Sendable {
    private var bytes: [UInt8] = []
    /// Per row: where its bytes end, then where the line sent with it ends (the same: no line).
    private var ends: [Int] = []
    var count: Int { ends.count / 2 }

    init(capacity: Int) { ends.reserveCapacity(2 * capacity); bytes.reserveCapacity(capacity * 128) }

    /// Empties the batch, keeping its buffers (reused: see `EncodedRowPipe`).
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true) }

    /// Adds the row `encode` appends to the batch's bytes.
    mutating func append(encoding encode: (inout [UInt8]) throws -> Void) rethrows {
        try encode(&bytes)
        ends.append(bytes.count); ends.append(bytes.count)
    }

    /// Adds the row `encode` appends, with the line `line` appends after it (made on this core
    /// for the other: see `EncodedRowPipe`).
    mutating func append(encoding encode: (inout [UInt8]) throws -> Void, line: (inout [UInt8]) throws -> Void) rethrows {
        try encode(&bytes)
        ends.append(bytes.count)
        try line(&bytes)
        ends.append(bytes.count)
    }

    /// Each row's bytes, in order, with its line (nil when it has none).
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            var start = 0, i = 0
            while i < ends.count {
                let rowEnd = ends[i], lineEnd = ends[i + 1]
                try body(UnsafeRawBufferPointer(rebasing: all[start..<rowEnd]),
                         lineEnd > rowEnd ? UnsafeRawBufferPointer(rebasing: all[rowEnd..<lineEnd]) : nil)
                start = lineEnd; i += 2
            }
        }
    }
}

/// Encoded rows handed to another core in batches (`EncodedRows` of `BatchPipe.defaultBatchSize`
/// rows, at most two in flight): `consume` gets each row's bytes there, in order, with the line
/// made for it on the sending core if any (the merging core formats data.csv's lines, which the
/// writer's core, busy with lineage.csv's, then copies).
/// A struct, held by whoever sends (a class's property or a local variable): sending a row takes
/// no reference count (as a class, its object was retained and released around every send).
struct EncodedRowPipe {
    private let pipe: BatchPipe<EncodedRows>
    private var batch: EncodedRows
    private let batchSize = BatchPipe<Int>.defaultBatchSize

    /// Batches consumed, back for the next ones: their buffers are made once on the sending core
    /// and reused, never freed on the other one (nor faulted in afresh for each batch).
    private let spares = Spares()

    init(consume: @escaping (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) {
        batch = EncodedRows(capacity: batchSize)
        let spares = spares
        pipe = BatchPipe(batchSize: 1) { batches in
            for batch in batches {
                try batch.forEach(consume)
                spares.put(batch)
            }
        }
    }

    private final class Spares: @unchecked Sendable {
        private var batches: [EncodedRows] = []
        private let lock = NSLock()
        func put(_ batch: EncodedRows) { lock.withLock { batches.append(batch) } }
        func take() -> EncodedRows? { lock.withLock { batches.popLast() } }
    }

    /// Copies `row` into the current batch, handing the batch over when it is full.
    mutating func send(_ row: UnsafeRawBufferPointer) throws { try send { $0.append(contentsOf: row) } }

    /// Copies `row` and the line `line` appends into the current batch.
    mutating func send(_ row: UnsafeRawBufferPointer, line: (inout [UInt8]) -> Void) throws {
        try batch.append(encoding: { $0.append(contentsOf: row) }, line: line)
        try handOverWhenFull()
    }

    /// Adds the row `encode` appends to the current batch's bytes (no copy made), handing the
    /// batch over when it is full.
    mutating func send(encoding encode: (inout [UInt8]) throws -> Void) throws {
        try batch.append(encoding: encode)
        try handOverWhenFull()
    }

    private mutating func handOverWhenFull() throws {
        if batch.count == batchSize {
            try pipe.send(batch)
            if var spare = spares.take() {
                spare.removeAll()
                batch = spare
            } else {
                batch = EncodedRows(capacity: batchSize)
            }
        }
    }

    /// Sends the last batch and waits until every row has been consumed.
    mutating func finish() throws {
        if batch.count > 0 { try pipe.send(batch) }
        batch = EncodedRows(capacity: 0)
        try pipe.finish()
    }
}
