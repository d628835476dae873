import Foundation
import CurateCore

/// The shaping thread's side of a run's first half: each row it makes is encoded (`RowCodec`)
/// into a batch there, and the batches go to the other core, where `consume` gets each row's
/// bytes in order (to check and file it in the sorter). Only bytes cross between the threads: a
/// row's Strings and arrays are made and freed on one, never retained on both.
final class SorterFeed: RowSink {
    private let rows: EncodedRowPipe
    private let files: RowCodec.FileNames
    private var encoded: [UInt8] = []

    init(files: RowCodec.FileNames, consume: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.files = files
        rows = EncodedRowPipe(consume: consume)
    }

    func send(_ row: consuming CuratedRow) throws {
        RowCodec.encode(row, into: &encoded, files: files)
        try rows.send(encoded)
    }

    func send(values: [Value], cell: CellPlace, lineage: LineageParts) throws {
        RowCodec.encode(values: values, file: cell.file, row: cell.row, column: cell.column, field: cell.field, raw: cell.raw,
                        sourceUnit: lineage.sourceUnit, factor: lineage.factor, precision: lineage.precision, steps: lineage.steps,
                        into: &encoded, files: files)
        try rows.send(encoded)
    }

    /// Sends the last batch and waits until every row has been consumed.
    func finish() throws { try rows.finish() }
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
