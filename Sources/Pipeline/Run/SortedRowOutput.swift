import Foundation
import CurateCore
import Validate
import Publish

/// The end of a run's stream, on the writer's core: each row, in key order, into data.csv and
/// lineage.csv and past the rules. A row is decoded into a `CuratedRow` only when something needs
/// one (a rule, or the report's series summary while it keeps points); otherwise its lines are
/// formatted straight from its encoded bytes (`RowCodec.Lines`).
final class SortedRowOutput {
    private let writer: ReleaseWriter
    private let rules: RuleStream
    private let decoder: RowCodec.Decoder
    private let lines: RowCodec.Lines
    private let fields: (period: Int?, value: Int?)

    init(writer: ReleaseWriter, rules: RuleStream, schema: TableSchema, tables: RowCodec.Tables) {
        self.writer = writer; self.rules = rules
        decoder = RowCodec.Decoder(tables: tables)
        lines = RowCodec.Lines(keyIndexes: schema.primaryKey.compactMap { schema.index(of: $0) }, tables: tables)
        fields = writer.summaryFields
    }

    /// Writes one sorted row (its bytes as `RowSorter.forEach` gives them), with its data.csv line
    /// when the merging core has made it (`appendData` of the row: used unless the row is decoded).
    func write(_ bytes: UnsafeRawBufferPointer, dataLine: UnsafeRawBufferPointer?) throws {
        guard !rules.wantsRows && !writer.wantsRow else {
            let decoded = decoder.decode(bytes)
            try writer.write(decoded)
            try rules.observe(decoded)
            return
        }
        lines.load(bytes)
        let period = fields.period.map { lines.value($0, in: bytes) } ?? .null
        let isNumber = fields.value.map { lines.isNumber($0, in: bytes) } ?? false
        try writer.write(period: period, valueIsNumber: isNumber,
                         data: { if let dataLine { $0.append(contentsOf: dataLine) } else { lines.appendData(bytes, to: &$0) } },
                         lineage: { lines.appendLineage(bytes, to: &$0) })
    }
}
