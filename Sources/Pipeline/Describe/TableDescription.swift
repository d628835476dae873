import Ingest
import Normalize

/// What `curate describe` infers about a raw file: enough for a draft pipeline spec.
public struct TableDescription: Encodable, Sendable {
    public struct Dialect: Encodable, Sendable { public var delimiter: String? }
    public struct Header: Encodable, Sendable {
        /// 0-based indexes of the records that form the header.
        public var rows: [Int]
        public var labels: [String]
    }
    public struct Unit: Encodable, Sendable {
        public var label: String
        public var multiplier: String
        /// ISO 4217 code when the unit is money.
        public var currency: String?
        public var base: String
    }
    public struct Period: Encodable, Sendable, Equatable {
        public var year: Int?
        public var kind: String
    }
    public struct FieldDescription: Encodable, Sendable {
        public var name: String
        /// string, integer, number, or year (a column of period labels).
        public var type: String
        /// For a header that is a year label (a wide year column): its year and kind; for a column of
        /// year labels: their kind.
        public var period: Period?
        /// A unit printed in the header, e.g. 受入額（億円）.
        public var unit: Unit?
        /// Markers found among the values (-, x, …): declare them in the spec.
        public var markers: [String]?
    }

    public var file: String
    public var format: String
    public var encoding: String?
    public var dialect: Dialect
    public var sheet: String?
    public var header: Header
    /// The table's unit: the only unit of its （単位：…） note, or the money unit when it names several.
    public var unit: Unit?
    /// Every unit the note names, in order.
    public var unitNote: [String]?
    public var layout: String
    /// years-across: the row labels of the label column (the measures to name in the spec).
    public var rowLabels: [String]?
    public var fields: [FieldDescription]
    /// Lines above the header (title, unit note) and footnotes below the data.
    public var title: String?
    public var footnotes: [String]
}
