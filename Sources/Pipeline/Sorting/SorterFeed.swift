import Foundation
import CurateCore

/// The shaping thread's side of a run's first half: each row it makes is encoded (`RowCodec`)
/// straight into a batch there, and the batches go to the other core, where `consume` gets each row's
/// bytes in order (to check and file it in the sorter). Only bytes cross between the threads: a
/// row's Strings and arrays are made and freed on one, never retained on both.
final class SorterFeed: RowSink {
    private var rows: EncodedRowPipe
    private let tables: RowCodec.Tables

    init(tables: RowCodec.Tables, consume: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.tables = tables
        rows = EncodedRowPipe { row, _ in try consume(row) }
    }

    func send(_ row: consuming CuratedRow) throws {
        try rows.send { RowCodec.encode(row, into: &$0, tables: tables) }
    }

    func sendEncoded(_ encode: (inout [UInt8], RowCodec.Tables) -> Void) throws {
        try rows.send { encode(&$0, tables) }
    }

    /// Sends the last batch and waits until every row has been consumed.
    func finish() throws { try rows.finish() }
}

/// Where a shaper's rows go: whole rows, or a row the shaper encodes itself (`RowCodec`, its
/// file name an index into `tables`) without a `CuratedRow` being made (a long table's common rows).
protocol RowSink: AnyObject {
    func send(_ row: consuming CuratedRow) throws
    func sendEncoded(_ encode: (inout [UInt8], RowCodec.Tables) -> Void) throws
}
