import Ingest
import Normalize

/// What `curate describe` infers about a raw file: enough for a draft pipeline spec.
public struct TableDescription: Encodable, Sendable {
    public struct Dialect: Encodable, Sendable { public var delimiter: String? }
    public struct Header: Encodable, Sendable {
        /// 1-based record numbers (spreadsheet rows) of the records that form the header, as the
        /// spec's `header_row` counts them.
        public var rows: [Int]
        public var labels: [String]
    }
    public struct Unit: Encodable, Sendable {
        public var label: String
        /// Nil when the unit registry does not know the unit (or describe runs outside a project).
        public var multiplier: String?
        /// ISO 4217 code when the unit is money.
        public var currency: String?
        public var base: String?
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

    /// years-across: which category column gives the rows, and how its labels map to codes.
    public struct Rows: Encodable, Sendable {
        /// The varying category column (全国・都道府県, 大学等の種類…).
        public var column: String
        /// Its labels, in file order, each once.
        public var labels: [String]
        /// The project's code list every label matched, and the field its codes go to.
        public var codeList: String?
        public var field: String?
        /// label → code, when a code list matched.
        public var codes: [String]?
        /// The total row (全国, 計, 合計, 総数…), when there is one, and its code.
        public var total: String?
        public var totalCode: String?
        /// Whether the rows other than the total hold every other code of the list: only then can the
        /// total be checked as their sum (全国 is not the sum of three prefectures).
        public var coversCodeList: Bool?
        /// Other category columns whose labels vary too: a row is then not keyed by this column alone.
        public var alsoVarying: [String]?
    }

    /// The one measure of a table whose rows are categories: its label (the constant 表章項目 with
    /// its 【unit】 taken off) and unit (from 【…】, a 単位 column, the header or the unit note).
    public struct Measure: Encodable, Sendable {
        public var label: String
        public var unit: String?
    }

    /// e-Stat's long download: codes with labels beside them, a period code, unit and value columns.
    public struct Long: Encodable, Sendable {
        public struct Dimension: Encodable, Sendable { public var column: String; public var field: String }
        public struct LongMeasure: Encodable, Sendable { public var label: String; public var unit: String }
        /// The column naming the measure (the label beside `tab_code`).
        public var labelColumn: String
        public var valueColumn: String
        public var unitColumn: String?
        public var periodColumn: String
        public var periodKind: String
        /// The `*_code` columns other than the measure's and the period's.
        public var dimensions: [Dimension]
        public var measures: [LongMeasure]
        /// A dimension with a total code (総数, 全国…) and its other codes, for a sum rule.
        public var totalDimension: String?
        public var totalCode: String?
        public var partCodes: [String]?
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
    /// years-down, years-across or long.
    public var layout: String
    /// years-across: the row labels of the label column (the measures to name in the spec).
    public var rowLabels: [String]?
    public var rows: Rows?
    public var measure: Measure?
    public var long: Long?
    /// Header columns that are neither periods nor the row labels (constant categories, 単位, /時間軸).
    public var ignoredColumns: [String]?
    public var fields: [FieldDescription]
    /// Lines above the header (title, unit note) and footnotes below the data.
    public var title: String?
    public var footnotes: [String]
}
