import Foundation
import CurateCore

/// The shaping thread's side of a run's first half: each row it makes is encoded (`RowCodec`)
/// into a batch there, and the batches go to the other core, where `consume` gets each row's
/// bytes in order (to check and file it in the sorter). Only bytes cross between the threads: a
/// row's Strings and arrays are made and freed on one, never retained on both.
final class SorterFeed: RowSink {
    private let pipe: BatchPipe<EncodedRows>
    private let files: RowCodec.FileNames
    private var batch: EncodedRows
    private var encoded: [UInt8] = []
    private let batchSize = BatchPipe<Int>.defaultBatchSize

    init(files: RowCodec.FileNames, consume: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.files = files
        batch = EncodedRows(capacity: batchSize)
        pipe = BatchPipe(batchSize: 1) { batches in for batch in batches { try batch.forEach(consume) } }
    }

    func send(_ row: consuming CuratedRow) throws {
        RowCodec.encode(row, into: &encoded, files: files)
        try batchEncoded()
    }

    func send(values: [Value], cell: CellPlace, lineage: LineageParts) throws {
        RowCodec.encode(values: values, file: cell.file, row: cell.row, column: cell.column, field: cell.field, raw: cell.raw,
                        sourceUnit: lineage.sourceUnit, factor: lineage.factor, precision: lineage.precision, steps: lineage.steps,
                        into: &encoded, files: files)
        try batchEncoded()
    }

    private func batchEncoded() throws {
        batch.append(encoded)
        if batch.count == batchSize {
            try pipe.send(batch)
            batch = EncodedRows(capacity: batchSize)
        }
    }

    /// Sends the last batch and waits until every row has been consumed.
    func finish() throws {
        if batch.count > 0 { try pipe.send(batch) }
        batch = EncodedRows(capacity: 0)
        try pipe.finish()
    }
}

/// Where a shaper's rows go: whole rows, or a row as its values and the parts of its lineage (the
/// long shaper's common rows), which the sink encodes without a `CuratedRow` being made.
protocol RowSink: AnyObject {
    func send(_ row: consuming CuratedRow) throws
    func send(values: [Value], cell: CellPlace, lineage: LineageParts) throws
}

/// `SourceLocation`'s parts for a cell that has them all (see there).
struct CellPlace {
    let file: String
    let row: Int
    let column: Int
    let field: String
    let raw: String
}

/// `Lineage`'s parts besides its source (see there).
struct LineageParts {
    let sourceUnit: String?
    let factor: Decimal?
    let precision: Decimal?
    let steps: [String]
}
