import Foundation
import CurateCore
import ExternalSort
import Validate

/// Curated rows into primary-key order under a fixed memory budget: each row is encoded
/// (`RowCodec`) into the external sorter, keyed by `SortKey` of its primary key, and read back in
/// key order with the place of the first row of its key when it repeats one (a duplicate key).
final class RowSorter {
    /// What the sorter may hold in memory before it spills a run to disk.
    static let memoryBudget = 48 << 20

    private let sorter: ExternalSorter
    private let keyIndexes: [Int]
    private var payload: [UInt8] = []
    private var key: [UInt8] = []
    private let files = RowCodec.FileNames()
    private(set) var count = 0

    init(schema: TableSchema, directory: String, memoryBudget: Int = RowSorter.memoryBudget) {
        sorter = ExternalSorter(directory: directory, memoryBudget: memoryBudget)
        keyIndexes = schema.primaryKey.compactMap { schema.index(of: $0) }
    }

    func append(_ row: CuratedRow) throws {
        key.removeAll(keepingCapacity: true)
        for i in keyIndexes { SortKey.append(row.values[i], to: &key) }
        RowCodec.encode(row, into: &payload, files: files)
        try sorter.append(key: key, payload: payload)
        count += 1
    }

    /// Calls `body` with each row in key order, and the source place of the first row with the
    /// same key when this one repeats it. A table without a primary key keeps its input order.
    func forEach(_ body: (CuratedRow, SourceLocation?) throws -> Void) throws {
        let stream = try sorter.finish()
        var firstOfKey: SortedRecord?
        stream.onDuplicate = { first, _ in firstOfKey = first }
        let checksKeys = !keyIndexes.isEmpty
        let decoder = RowCodec.Decoder(files: files), duplicates = RowCodec.Decoder(files: files)
        while let record = try stream.next() {
            let first = checksKeys ? firstOfKey.map { duplicates.decode($0.payload).lineage.source } : nil
            firstOfKey = nil
            try body(decoder.decode(record.payload), first)
        }
    }
}
